"""Carry one student's autograde results from one nbgrader gradebook into another.

A parallel worker grades into a private SQLite gradebook (autograder/parallel.py says
why); ``read_results`` takes out what `nbgrader autograde` wrote there for one
submission, as plain data, and ``write_results`` makes the same changes to the course
gradebook, exactly as `nbgrader autograde` would have made them there:

* the student and the submission (with its timestamp) are created or updated;
* every grade gets the new ``auto_score``; ``needs_manual_grade`` follows nbgrader's
  rule (a grade that already has a manual score is flagged for review);
* every comment gets the new ``auto_comment``; manual scores and comments are kept;
* every notebook gets its late-submission penalty.
"""
import warnings

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning


def read_results(db_url, assignment, student):
    """{"timestamp": datetime | None, "notebooks": {name: {"late_penalty": float | None,
    "grades": {grade_id: (auto_score, needs_manual_grade)}, "comments": {name: text}}}}."""
    with Gradebook(db_url) as gb:
        submission = gb.find_submission(assignment, student)
        return {
            "timestamp": submission.timestamp,
            "notebooks": {
                notebook.name: {
                    "late_penalty": notebook.late_submission_penalty,
                    "grades": {g.name: (g.auto_score, g.needs_manual_grade)
                               for g in notebook.grades},
                    "comments": {c.name: c.auto_comment for c in notebook.comments},
                }
                for notebook in submission.notebooks
            },
        }


def write_results(db_url, assignment, student, results):
    """Apply ``read_results``'s data to the gradebook at ``db_url`` in one transaction."""
    with Gradebook(db_url) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own autoflush notices
        gb.update_or_create_student(student)
        extra = {"timestamp": results["timestamp"]} if results["timestamp"] else {}
        gb.update_or_create_submission(assignment, student, **extra)
        for name, notebook in results["notebooks"].items():
            target = gb.find_submission_notebook(name, assignment, student)
            target.late_submission_penalty = notebook["late_penalty"]
            grades = {g.name: g for g in target.grades}
            for grade_id, (auto_score, needs_manual) in notebook["grades"].items():
                grade = grades[grade_id]
                grade.auto_score = auto_score
                grade.needs_manual_grade = needs_manual or grade.manual_score is not None
            comments = {c.name: c for c in target.comments}
            for comment_name, text in notebook["comments"].items():
                comments[comment_name].auto_comment = text
        gb.db.commit()
