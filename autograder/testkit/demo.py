"""The instructor demo: build, release, grade three sample students, show the results.

    .venv/bin/python -m autograder.testkit.demo [--out build/demo]

Everything happens in a scratch course directory (default build/demo/course) with the
stock nbgrader commands and this repo's nbgrader_config.py:
  1. build the notebooks from the authored sources (autograder.instructor.build);
  2. release them (nbgrader generate_assignment);
  3. submit three students: alice (all correct), bob (known misconceptions), carol (code
     that raises);
  4. nbgrader autograde, generate_feedback, export;
  5. print a per-student, per-item score table and check it against the expected scores.
"""
import argparse
import csv
import shutil
import sys
import time
from pathlib import Path

from autograder.instructor import gradebook_results
from autograder.instructor.build import authored_sources
from autograder.instructor.config import REPO_ROOT
from autograder.testkit.course import Course
from autograder.testkit.scenarios import demo_scenarios


def _step(message):
    print(f"\n== {message}", flush=True)


def prepare_course(root, assignments):
    """A course at ``root`` with notebooks built from the authored sources and the
    assignments released."""
    if root.exists():
        shutil.rmtree(root)
    return Course.create(root, assignments, from_authored=True)


def score_table(course, assignment, scenarios):
    """Lines of the table, and the list of (student, item, got, expected) that differ
    (the table of `python -m autograder.instructor.intake` and `.parallel`, with expectations)."""
    return gradebook_results.score_table(
        assignment, course.scores(assignment), [s.name for s in scenarios],
        {s.name: s.expected for s in scenarios})


def main(argv=None):
    parser = argparse.ArgumentParser(description="instructor demo of the RNN course")
    parser.add_argument("--out", default=str(REPO_ROOT / "build" / "demo"),
                        help="scratch folder (default build/demo)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    assignments = sorted(authored_sources(REPO_ROOT))

    _step(f"build and release {', '.join(assignments)}")
    course = prepare_course(Path(args.out) / "course", assignments)
    print(f"course directory: {course.root}")

    all_ok = True
    for assignment in assignments:
        scenarios = demo_scenarios(assignment, course.root)
        _step(f"{assignment}: submit {len(scenarios)} students")
        for s in scenarios:
            course.submit(s.name, assignment, s.notebook)
            print(f"  {s.name:<8} {s.description}")
        _step(f"{assignment}: nbgrader autograde")
        course.autograde(assignment)
        _step(f"{assignment}: nbgrader generate_feedback")
        course.generate_feedback(assignment)
        for s in scenarios:
            print(f"  {course.root / 'feedback' / s.name / assignment / (assignment + '.html')}")
        _step(f"{assignment}: scores (autograded items)")
        lines, mismatches = score_table(course, assignment, scenarios)
        print("\n".join("  " + line for line in lines))
        for student, item, got, expected in mismatches:
            got = "nothing" if got is None else format(got, "g")
            print(f"  UNEXPECTED: {student} scored {got} on {item}, expected {expected:g}")
        all_ok &= not mismatches

    _step("nbgrader export")
    csv_path = course.root / "grades.csv"
    course.export(str(csv_path))
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        print(f"  {row['assignment']:<10} {row['student_id']:<8} score {float(row['score']):g}"
              f" of {float(row['max_score']):g}")
    print(f"  written to {csv_path} (max_score includes the manually graded answers,"
          " which score once graded in formgrader)")
    print(f"\ndemo finished in {time.perf_counter() - start:.0f} s: "
          + ("every score as expected" if all_ok else "SOME SCORES WERE NOT AS EXPECTED"))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
