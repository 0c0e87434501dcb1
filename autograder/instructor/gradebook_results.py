"""Carry one student's autograde results from one nbgrader gradebook into another.

A parallel worker grades into a private SQLite gradebook (autograder/instructor/parallel.py says
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


def autograded_scores(db_url, assignment):
    """{student: {cell grade_id: (score, max_score)}} of the autograded (code) cells of
    every submission of ``assignment`` in the gradebook at ``db_url``."""
    out = {}
    with Gradebook(db_url) as gb:
        for submission in gb.assignment_submissions(assignment):
            items = {}
            for nb in submission.notebooks:
                for grade in nb.grades:
                    if grade.cell.cell_type == "code" and grade.auto_score is not None:
                        items[grade.name] = (float(grade.score), float(grade.max_score))
            out[submission.student.id] = items
    return out


def score_table(assignment, scores, students=None, expected=None, per_block=8):
    """The per-student, per-item score table (lines), and the list of (student, item, got,
    expected) that differ from ``expected`` ({student: {item: score}}, optional).

    ``scores`` is ``autograded_scores``'s answer; items are rows (the course's problem
    registry order and points), students columns, ``per_block`` students per block of
    columns; a student with no score for an item (not graded) shows "-"."""
    from autograder.items import problems_for

    students = sorted(scores) if students is None else list(students)
    expected = expected or {}
    items = [(p.cell_id, p.points) for p in problems_for(assignment)]
    if not items:  # not in the registry: the gradebook's own items
        points = {item: top for marks in scores.values() for item, (_, top) in marks.items()}
        items = sorted(points.items())
    width = max([len(i) for i, _ in items] + [8]) + 2
    mismatches, lines = [], []
    for start in range(0, max(len(students), 1), per_block):
        block = students[start:start + per_block]
        cols = [max(9, len(s) + 2) for s in block]
        if start:
            lines.append("")
        lines.append(f"{'item (points)':<{width + 6}}" + "".join(
            f"{s:>{c}}" for s, c in zip(block, cols)))
        for item, points in items:
            row = f"{item:<{width}}({points:g})".ljust(width + 6)
            for s, c in zip(block, cols):
                got = scores.get(s, {}).get(item, (None,))[0]
                row += f"{'-' if got is None else format(got, 'g'):>{c}}"
                want = expected.get(s, {}).get(item)
                if want is not None and got != want:
                    mismatches.append((s, item, got, want))
            lines.append(row)
        total = sum(points for _, points in items)
        lines.append(f"{'total of ' + format(total, 'g'):<{width + 6}}" + "".join(
            f"{sum(scores.get(s, {}).get(i, (0,))[0] for i, _ in items):>{c}g}"
            for s, c in zip(block, cols)))
    return lines, mismatches


def print_score_tables(db_url, assignments, prefix=""):
    """Print, per assignment, the score table of every student the gradebook has a
    submission of (what `python -m autograder.instructor.intake` and `.parallel` end with)."""
    for assignment in assignments:
        try:
            scores = autograded_scores(db_url, assignment)
        except Exception as exc:  # nbgrader's MissingEntry: assignment not in the gradebook
            print(f"{prefix}no scores for {assignment} ({type(exc).__name__}: {exc})", flush=True)
            continue
        print(f"{prefix}scores of {assignment} (autograded items; {len(scores)} students):")
        lines, _ = score_table(assignment, scores)
        print("\n".join(f"{prefix}  {line}" for line in lines), flush=True)
