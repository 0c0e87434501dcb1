"""`nbgrader export` whose grades.csv a spreadsheet reads as data (DESIGN.md rule 10).

nbgrader 0.9.6's CsvExportPlugin joins the values with commas as they are: a name with a
comma shifts the columns, and a name, id or e-mail starting with = + - @ (a roster imported
from an LMS where students edit their own profile) is a formula when the instructor opens
the file. This plugin writes the same columns, in the same order, with `csv.writer`
(quoted where needed) and `autograder.grading.safe_text.csv_cell` on every text cell, and one
more at the end: `seconds_late`, how long after the due date the exchange received the
submission (0 when on time, empty when there is none; the course's late policy is "none",
so `late_submission_penalty` alone shows nothing).
nbgrader_config.py selects it: c.ExportApp.plugin_class.
"""
import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins.export import CsvExportPlugin

from autograder.grading.safe_text import csv_cell

KEYS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
        "email", "raw_score", "late_submission_penalty", "score", "max_score", "seconds_late"]


class SafeCsvExportPlugin(CsvExportPlugin):
    """nbgrader's CSV export with quoting and no cell that starts a formula."""

    def export(self, gradebook):
        dest = self.to or "grades.csv"
        students = {str(s) for s in self.student}
        assignments = {str(a) for a in self.assignment}
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(KEYS)
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    row = {"assignment": assignment.name, "duedate": assignment.duedate,
                           "student_id": student.id, "last_name": student.last_name,
                           "first_name": student.first_name, "email": student.email,
                           "max_score": assignment.max_score}
                    try:
                        submission = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:
                        row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0,
                                   score=0.0, seconds_late="")
                    else:
                        penalty = submission.late_submission_penalty
                        row.update(timestamp=submission.timestamp, raw_score=submission.score,
                                   late_submission_penalty=penalty,
                                   score=max(0.0, submission.score - penalty),
                                   seconds_late=round(submission.total_seconds_late or 0.0, 1))
                    writer.writerow([csv_cell("" if row[k] is None else str(row[k])) for k in KEYS])
