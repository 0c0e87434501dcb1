"""README.md's tutorial "One account, three students", run exactly as written (issue 16).

The ```bash block under that heading is taken from README.md as it is and run, line after
line in one bash (so `export` and `cd` carry over, as in the reader's terminal), with
`set -e`: any command that exits non-zero fails the test. It runs in a temporary copy of
the course (the files git knows, plus the virtual environment as `.venv`), from the
copy's root, with a scratch HOME and none of the exchange variables of this process.
Then the scores, the feedback pages in each student's folder and Validate's answer are
checked. About 2 min (one intake of three submissions of 05_bidirectional).
"""
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.testkit.scenarios import full_marks

from autograder.instructor.config import REPO_ROOT

pytestmark = pytest.mark.nbgrader

HEADING = "### One account, three students"
ASSIGNMENT = "05_bidirectional"
AUTOGRADED_POINTS = sum(full_marks(ASSIGNMENT).values())  # README's table says it too
EXPECTED = {"alice": AUTOGRADED_POINTS, "bob": 0, "carol": AUTOGRADED_POINTS}


def tutorial_lines(readme_text):
    """The lines of the first ```bash block under the tutorial's heading."""
    start = readme_text.index(HEADING + "\n")
    block = re.search(r"^```bash\n(.*?)^```$", readme_text[start:], re.S | re.M)
    assert block, f"no ```bash block under {HEADING!r}"
    section_end = readme_text.find("\n### ", start + len(HEADING))
    assert section_end == -1 or start + block.start() < section_end, \
        f"the first ```bash block after {HEADING!r} is in another section"
    return block.group(1).splitlines()


def copy_of_the_course(dest):
    """The files git knows (tracked and new, not ignored) as they are in the work tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO_ROOT, capture_output=True, check=True).stdout
    for name in sorted(set(listed.decode().split("\0")) - {""}):
        src = REPO_ROOT / name
        if src.is_file() and not src.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / ".venv").symlink_to(Path(sys.prefix))  # the tutorial's PATH="$PWD/.venv/bin:..."


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory):
    base = tmp_path_factory.mktemp("tutorial")
    course, home = base / "course", base / "home"
    course.mkdir()
    home.mkdir()
    copy_of_the_course(course)
    lines = tutorial_lines((REPO_ROOT / "README.md").read_text())
    script = "set -e -o pipefail\nset -x\n" + "\n".join(lines) + "\n"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("NBGRADER", "JUPYTER", "AUTOGRADER_", "PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(home)
    result = subprocess.run(["bash", "-c", script], cwd=course, env=env, capture_output=True,
                            text=True, timeout=1200)
    assert result.returncode == 0, (f"the tutorial stopped (exit {result.returncode}); "
                                    f"last commands and output:\n{result.stderr[-5000:]}\n"
                                    f"{result.stdout[-3000:]}")
    return {"course": course, "lines": lines, "stdout": result.stdout, "stderr": result.stderr}


def test_tutorial_block_is_found_and_names_each_student():
    lines = tutorial_lines((REPO_ROOT / "README.md").read_text())
    text = "\n".join(lines)
    for student in EXPECTED:
        for step in ("fetch_assignment", "submit", "fetch_feedback"):
            assert f"nbgrader {step} {ASSIGNMENT} --student={student}" in text
    assert "AUTOGRADER_SINGLE_ACCOUNT=1" in text


def test_tutorial_runs_and_grades_each_student_on_their_last_submission(tutorial):
    with open(tutorial["course"] / "grades.csv", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["assignment"] == ASSIGNMENT]
    scores = {row["student_id"]: float(row["score"]) for row in rows}
    assert scores == EXPECTED, scores


def test_each_student_folder_receives_exactly_their_own_feedback(tutorial):
    students = tutorial["course"] / "build" / "students"
    pages = {}
    for student in EXPECTED:
        found = sorted((students / student / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert len(found) == 1, (student, found)
        pages[student] = found[0].read_text()
    # the course's own pages: each student's folder got the page generated for them
    for student, page in pages.items():
        generated = tutorial["course"] / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert page == generated.read_text(), student
    assert pages["alice"] != pages["bob"]


def test_validate_in_the_student_folder_says_success_without_errors(tutorial):
    out = tutorial["stdout"] + tutorial["stderr"]
    assert "Success! Your notebook passes all the tests." in out
    assert "Timeout waiting for execute reply" not in out
    assert "ERROR" not in out
