"""A screenshot of the class report, as a teacher's browser shows it (headless chromium).

    .venv/bin/python scripts/report_screenshot.py --course PATH      # a graded course
    .venv/bin/python scripts/report_screenshot.py --students 30      # grade a class first

With ``--students N`` it first grades a synthetic class of N students on ``--assignment``
(autograder.testkit.synthetic: correct, partly wrong, erroring and hostile submissions)
in a scratch course (``--scratch``, default build/report-course): a due date, three late
submissions, the written answers of two students in three graded by hand (as formgrader
would), and every student's feedback page. It then runs
``python -m autograder.instructor.reports`` in the course and saves a full-page
screenshot of ``reports/<assignment>-report.html`` (Debian's chromium driven by
Playwright, as tests/browser does) to ``--out`` (default build/report-screenshot.png).
Grading 30 students takes a few minutes on two cores.
"""
import argparse
import datetime
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DUE = datetime.datetime(2026, 11, 20, 23, 59)
LATE_SECONDS = {3: 7980, 11: 90000, 17: 300}  # student index: seconds after the due date


def graded_course(root, assignment, n_students, seed=1):
    """A course at ``root`` with a synthetic class graded, hand grades and feedback."""
    import shutil

    import numpy as np
    from nbgrader.api import Gradebook

    from autograder.instructor.config import gradebook_url
    from autograder.instructor.parallel import grade_class
    from autograder.testkit.course import Course
    from autograder.testkit.synthetic import synthetic_class

    if root.exists():
        shutil.rmtree(root)
    course = Course.create(root, [assignment])
    with Gradebook(gradebook_url(root)) as gb:
        gb.update_or_create_assignment(assignment, duedate=DUE)
    for index, student in enumerate(synthetic_class(assignment, n_students, seed)):
        path = course.submit(student.name, assignment, student.notebook)
        seconds = LATE_SECONDS.get(index, -3600 * (index + 1))
        (path.parent / "timestamp.txt").write_text(str(DUE + datetime.timedelta(seconds=seconds)))
    summary = grade_class(root, [assignment])
    print(f"graded {len(summary.graded)} submissions in {summary.seconds:.0f} s, "
          f"{len(summary.failed)} failures", flush=True)
    rng = np.random.default_rng(seed)
    with Gradebook(gradebook_url(root)) as gb:  # a teacher part-way through formgrader
        for submission in gb.assignment_submissions(assignment):
            if rng.random() < 1 / 3:
                continue
            for nb in submission.notebooks:
                for grade in nb.grades:
                    if grade.auto_score is None and grade.manual_score is None:
                        grade.manual_score = float(rng.integers(0, int(grade.max_score) + 1))
                        grade.needs_manual_grade = False
        gb.db.commit()
    course.generate_feedback(assignment)
    return course


def screenshot(page_path, out, width=1400):
    """Save a full-page PNG of the HTML file ``page_path`` at ``width`` CSS pixels."""
    from tests.browser.lab_session import chromium_page

    out.parent.mkdir(parents=True, exist_ok=True)
    with chromium_page(viewport=(width, 900)) as page:
        page.goto(page_path.resolve().as_uri())
        page.screenshot(path=str(out), full_page=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=Path, help="a graded course (skips grading)")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--assignment", default="01_rnn")
    parser.add_argument("--scratch", type=Path, default=ROOT / "build" / "report-course")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "report-screenshot.png")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args(argv)
    root = args.course or graded_course(args.scratch, args.assignment, args.students).root
    from autograder.instructor.config import tool_env

    subprocess.run([sys.executable, "-m", "autograder.instructor.reports", args.assignment],
                   cwd=root, env=tool_env(), check=True)
    screenshot(Path(root, "reports", f"{args.assignment}-report.html"), args.out, args.width)
    print(f"screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
