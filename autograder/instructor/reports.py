"""Grades out of the gradebook: a per-item CSV, LMS-ready CSVs and a class report.

    python -m autograder.instructor.reports [ASSIGNMENT ...] [--root .] [--out reports]

Writes, for each assignment (default: every assignment in the gradebook):
  reports/<assignment>-items.csv   student x item: score, max_score, and for failed items
                                   the misconception the grader recognised (if any): its
                                   key and its hint;
  reports/<assignment>-report.html per item the share of students with full marks and the
                                   most frequent misconceptions, and a histogram of totals;
and for the whole course:
  reports/canvas.csv               Canvas gradebook import (Student, ID, SIS User ID,
                                   SIS Login ID, Section, one column per assignment);
  reports/moodle.csv               Moodle grade import (Username, one column per assignment).
Scores come from the course's gradebook (the one nbgrader_config.py configures; manual
grades included once given); misconceptions from the verdict data the grader writes into
each test cell's output metadata (autograder.grading.execute.VERDICT_KEY).
"""
import argparse
import base64
import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

from autograder.grading.safe_text import csv_row, escape_html
from autograder.instructor.config import gradebook_url

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


def _cell_order(root, assignment):
    """{grade_id: position} of the graded cells in the source notebooks."""
    order = {}
    for path in sorted(Path(root, "source", assignment).glob("*.ipynb")):
        for cell in json.loads(path.read_text()).get("cells", []):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                order.setdefault(grade_id, len(order))
    return order


def item_rows(root, assignment):
    """Rows of the per-item CSV, one per student and graded cell, in notebook order."""
    from nbgrader.api import Gradebook

    order = _cell_order(root, assignment)
    rows = []
    with Gradebook(gradebook_url(root)) as gb:
        for submission in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student.id):
            hints = misconceptions(root, assignment, submission.student.id)
            for nb in submission.notebooks:
                for grade in sorted(nb.grades, key=lambda g: order.get(g.name, len(order))):
                    graded = grade.auto_score is not None or grade.manual_score is not None
                    score = grade.score if graded else None  # a manual answer not yet graded
                    rows.append({
                        "student_id": submission.student.id, "item": grade.name,
                        "kind": "auto" if grade.auto_score is not None else "manual",
                        "score": "" if score is None else f"{score:g}",
                        "max_score": f"{grade.max_score:g}",
                        **_misconception_columns(hints.get(grade.name) if graded and
                                                 score != grade.max_score else None),
                    })
    return rows


def _misconception_columns(found):
    return {"misconception_key": found["key"] if found else "",
            "misconception": found["hint"] if found else ""}


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


def _histogram_png(values, title):
    import matplotlib
    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(values, bins=min(20, max(5, len(set(values)))), color="C0", edgecolor="white")
    ax.set_title(title)
    ax.set_xlabel("total score")
    ax.set_ylabel("students")
    from matplotlib.ticker import MaxNLocator
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def class_report(assignment, rows, assignment_totals):
    items = {}
    for row in rows:
        if row["kind"] != "auto":
            continue
        entry = items.setdefault(row["item"], {"max": row["max_score"], "full": 0, "n": 0,
                                               "hints": Counter()})
        entry["n"] += 1
        entry["full"] += row["score"] == row["max_score"]
        if row["misconception"]:
            entry["hints"][row["misconception"]] += 1
    lines = [f"<h1>Class report: {escape_html(assignment)}</h1>",
             f"<p>{len(assignment_totals)} students.</p>",
             "<table border='1' cellpadding='4'><tr><th>item</th><th>points</th>"
             "<th>students with full marks</th><th>most frequent misconceptions</th></tr>"]
    for name, entry in items.items():
        share = entry["full"] / entry["n"] if entry["n"] else 0
        hints = "<br>".join(f"{escape_html(h)} ({c})" for h, c in entry["hints"].most_common(3))
        lines.append(f"<tr><td>{escape_html(name)}</td><td>{escape_html(entry['max'])}</td>"
                     f"<td>{share:.0%} ({entry['full']} of {entry['n']})</td><td>{hints}</td></tr>")
    lines.append("</table>")
    png = _histogram_png(list(assignment_totals.values()), f"{assignment}: totals")
    lines.append(f"<h2>Totals</h2><img alt='histogram of totals' src='data:image/png;base64,{png}'>")
    # no script in this page: the policy only keeps any that slipped in from running
    csp = ("<meta http-equiv='Content-Security-Policy' "
           "content=\"script-src 'none'; object-src 'none'\">")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>" + csp + "<title>"
            + escape_html(assignment) + "</title></head><body>" + "\n".join(lines)
            + "</body></html>\n")


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
    for assignment in args.assignments or sorted(scores):
        rows = item_rows(root, assignment)
        write_csv(out / f"{assignment}-items.csv", rows,
                  ["student_id", "item", "kind", "score", "max_score", "misconception_key",
                   "misconception"])
        (out / f"{assignment}-report.html").write_text(class_report(assignment, rows, scores[assignment]))
        print(f"{assignment}: {out / (assignment + '-items.csv')}, {out / (assignment + '-report.html')}")
    write_lms(out, scores)
    print(f"LMS: {out / 'canvas.csv'}, {out / 'moodle.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
