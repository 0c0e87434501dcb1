"""Grades out of the gradebook: a per-item CSV, LMS-ready CSVs and a class report.

    python -m autograder.instructor.reports [ASSIGNMENT ...] [--root .] [--out reports]

Writes, for each assignment (default: every assignment in the gradebook):
  reports/<assignment>-items.csv   student x item: score, max_score, and for failed items
                                   the misconception the grader recognised (if any): its
                                   key and its hint;
  reports/<assignment>-report.html the class report a teacher opens first
                                   (autograder/instructor/class_report.py): mean, median and
                                   a histogram of totals; per item difficulty, discrimination
                                   and score distribution; the misconceptions recognised and
                                   who hit each; a student x item heat map linking each
                                   student's feedback page; manual items; late submissions;
and for the whole course:
  reports/canvas.csv               Canvas gradebook import (Student, ID, SIS User ID,
                                   SIS Login ID, Section, one column per assignment);
  reports/moodle.csv               Moodle grade import (Username, one column per assignment).
Scores come from the course's gradebook (the one nbgrader_config.py configures; manual
grades included once given); misconceptions from the verdict data the grader writes into
each test cell's output metadata (autograder.grading.execute.VERDICT_KEY).

The class report is written in the class's language and the items are read from the
class's edition of the source notebooks (nbgrader_config.py: ``use_edition(c, "ja")``
gives a Japanese page over ja/source/); the CSVs' column names stay English (programs
read them), the hints in them are the ones the grader wrote, in the class's language.
"""
import argparse
import csv
import json
import os
import sys
from pathlib import Path
from urllib.parse import quote

from autograder.grading.safe_text import csv_row
from autograder.instructor import class_report as report_page
from autograder.instructor.config import gradebook_url, nbgrader_config


def course_settings(root):
    """(the class's language, the source notebooks' folder) as the course's
    nbgrader_config.py sets them (use_edition)."""
    from nbgrader.coursedir import CourseDirectory

    from autograder.grading.language import class_language

    config = nbgrader_config(root)
    source = CourseDirectory(config=config).source_directory
    return class_language(config), Path(root, source)


def misconceptions(root, assignment, student):
    """{test cell grade_id: {"key": ..., "hint": ...}} of the misconceptions the grader
    recognised in one autograded submission (read from the verdict data of the item's own
    test cell, which the grader always re-runs, so a student cannot plant one)."""
    from autograder.grading.execute import VERDICT_KEY

    found = {}
    for path in Path(root, "autograded", student, assignment).glob("*.ipynb"):
        for cell in json.loads(path.read_text()).get("cells", []):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            for output in cell.get("outputs", []):
                verdict = output.get("metadata", {}).get(VERDICT_KEY) if isinstance(output, dict) else None
                if (isinstance(verdict, dict) and verdict.get("item") == f"{assignment}.{grade_id}"
                        and isinstance(verdict.get("misconception"), dict)):
                    found[grade_id] = {"key": str(verdict["misconception"].get("key", "")),
                                       "hint": str(verdict["misconception"].get("hint", ""))}
    return found


def source_items(root, assignment, source_folder=None):
    """[ItemInfo] of the graded cells of the source notebooks (in ``source_folder``, by
    default the edition's folder nbgrader_config.py sets), in notebook order (a cell that
    is both a solution and graded is a written answer a person grades)."""
    if source_folder is None:
        source_folder = course_settings(root)[1]
    items = {}
    for path in sorted(Path(source_folder, assignment).glob("*.ipynb")):
        for cell in json.loads(path.read_text()).get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and meta.get("grade_id") and meta["grade_id"] not in items:
                items[meta["grade_id"]] = report_page.ItemInfo(
                    meta["grade_id"], float(meta.get("points", 0)), bool(meta.get("solution")))
    return list(items.values())


def class_data(root, assignment):
    """The assignment's ClassData from the gradebook (scores, totals, submission times, due
    date) and the autograded notebooks (recognised misconceptions)."""
    from nbgrader.api import Gradebook

    known = {item.name: item for item in source_items(root, assignment)}
    order = {name: i for i, name in enumerate(known)}
    seen = {}
    students = []
    with Gradebook(gradebook_url(root)) as gb:
        duedate = gb.find_assignment(assignment).duedate
        for submission in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id):
            hints = misconceptions(root, assignment, submission.student.id)
            record = report_page.StudentRecord(
                submission.student.id, float(submission.score), timestamp=submission.timestamp,
                seconds_late=float(submission.total_seconds_late or 0))
            for nb in submission.notebooks:
                for grade in nb.grades:
                    item = known.get(grade.name) or seen.get(grade.name) or report_page.ItemInfo(
                        grade.name, float(grade.max_score), grade.auto_score is None)
                    seen[grade.name] = item
                    graded = grade.auto_score is not None or grade.manual_score is not None
                    score = float(grade.score) if graded else None  # None: not yet graded
                    full = score is not None and score == float(grade.max_score)
                    record.grades[grade.name] = report_page.GradeRecord(
                        score, blank=item.manual and grade.manual_score is None
                        and grade.auto_score is not None,
                        misconception=None if score is None or full else hints.get(grade.name))
            students.append(record)
    items = sorted(seen.values(), key=lambda i: order.get(i.name, len(order)))
    return report_page.ClassData(assignment, items, students, duedate)


def item_rows(root, assignment, data=None):
    """Rows of the per-item CSV, one per student and graded cell, in notebook order."""
    data = data or class_data(root, assignment)
    rows = []
    for student in data.students:
        for item in data.items:
            grade = student.grades.get(item.name)
            if grade is None:
                continue
            rows.append({
                "student_id": student.student, "item": item.name,
                "kind": "manual" if item.manual else "auto",
                "score": "" if grade.score is None else f"{grade.score:g}",
                "max_score": f"{item.max_score:g}",
                "misconception_key": grade.misconception["key"] if grade.misconception else "",
                "misconception": grade.misconception["hint"] if grade.misconception else "",
            })
    return rows


def feedback_links(root, out, assignment, students):
    """{student: URL of feedback/<student>/<assignment>/<assignment>.html relative to the
    reports folder ``out``} for the students whose feedback page exists."""
    links = {}
    for student in students:
        if student in ("", ".", "..") or "/" in student or os.sep in student:
            continue  # not a folder name of its own: no link rather than a link elsewhere
        page = Path(root, "feedback", student, assignment, f"{assignment}.html")
        if page.is_file():
            relative = os.path.relpath(page.resolve(), Path(out).resolve())
            links[student] = "/".join(quote(part) for part in Path(relative).parts)
    return links


def totals(root):
    """{assignment: {student: total score}} from the gradebook."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(gradebook_url(root)) as gb:
        for assignment in gb.assignments:
            out[assignment.name] = {s.student.id: float(s.score)
                                    for s in gb.assignment_submissions(assignment.name)}
    return out


def write_csv(path, rows, fields):
    """A CSV whose cells never start a formula (a student id or hint starting with =)."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(csv_row(row) for row in rows)


def write_lms(out, scores):
    assignments = sorted(scores)
    students = sorted({s for per in scores.values() for s in per})
    canvas = [{"Student": s, "ID": "", "SIS User ID": s, "SIS Login ID": s, "Section": "",
               **{a: f"{scores[a].get(s, 0):g}" for a in assignments}} for s in students]
    write_csv(out / "canvas.csv", canvas, ["Student", "ID", "SIS User ID", "SIS Login ID",
                                           "Section", *assignments])
    moodle = [{"Username": s, **{a: f"{scores[a].get(s, 0):g}" for a in assignments}}
              for s in students]
    write_csv(out / "moodle.csv", moodle, ["Username", *assignments])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--root", default=".")
    parser.add_argument("--out", default="reports")
    args = parser.parse_args(argv)
    root = Path(args.root)
    out = root / args.out
    out.mkdir(parents=True, exist_ok=True)
    scores = totals(root)
    language = course_settings(root)[0]
    for assignment in args.assignments or sorted(scores):
        data = class_data(root, assignment)
        write_csv(out / f"{assignment}-items.csv", item_rows(root, assignment, data),
                  ["student_id", "item", "kind", "score", "max_score", "misconception_key",
                   "misconception"])
        links = feedback_links(root, out, assignment, [s.student for s in data.students])
        (out / f"{assignment}-report.html").write_text(report_page.render(data, links, language))
        print(f"{assignment}: {out / (assignment + '-items.csv')}, {out / (assignment + '-report.html')}")
    write_lms(out, scores)
    print(f"LMS: {out / 'canvas.csv'}, {out / 'moodle.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
