"""Bad files get a clear record, not a crash: `python -m autograder.instructor.intake` stages them,
the class is graded, and every finding reaches that student's log line and feedback."""
import hashlib
import subprocess
import sys

import nbformat
import pytest

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.testkit.scenarios import full_marks
from autograder.testkit.submissions import filled_in

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "01_rnn"
FULL = sum(full_marks(ASSIGNMENT).values())  # every autograded point of 01_rnn


@pytest.fixture(scope="module")
def intake_run(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("intake") / "course", [ASSIGNMENT, "02_bptt"])
    good = filled_in(ASSIGNMENT)
    folder = lambda student: course.root / "submitted" / student / ASSIGNMENT  # noqa: E731

    def put(student, name, content):
        path = folder(student) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content)
        else:
            nbformat.write(content, path)
        path.chmod(0o444)

    course.submit("submitted-correct", ASSIGNMENT, good)
    put("submitted-invalid-json", f"{ASSIGNMENT}.ipynb", '{"cells": [')
    put("submitted-renamed", f"{ASSIGNMENT} (1).ipynb", good)
    put("submitted-missing", "answers.txt", "I wrote my answers here")
    put("submitted-extra-notebook", f"{ASSIGNMENT}.ipynb", good)
    put("submitted-extra-notebook", "scratch.ipynb", good)
    put("submitted-other-assignment", f"{ASSIGNMENT}.ipynb", filled_in("02_bptt"))
    other_kernel = filled_in(ASSIGNMENT)
    other_kernel.metadata.kernelspec = {"name": "ir", "display_name": "R", "language": "R"}
    put("submitted-other-kernel", f"{ASSIGNMENT}.ipynb", other_kernel)
    flood = filled_in(ASSIGNMENT)
    flood.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 60_000_000)]
    put("submitted-output-flood-file", f"{ASSIGNMENT}.ipynb", flood)
    checksums = {p: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in (course.root / "submitted").rglob("*") if p.is_file()}
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.intake", ASSIGNMENT],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    course.generate_feedback(ASSIGNMENT)
    return course, result, checksums


EXPECTED = {
    "submitted-correct": (FULL, None),
    "submitted-invalid-json": (0.0, "not a readable notebook"),
    "submitted-renamed": (FULL, "was graded in its place"),
    "submitted-missing": (0.0, "is missing from the submission"),
    "submitted-extra-notebook": (FULL, "extra notebook scratch.ipynb was ignored"),
    "submitted-other-assignment": (0.0, "notebook of another assignment"),
    "submitted-other-kernel": (FULL, "asked for the kernel ir;"),
    "submitted-output-flood-file": (0.0, "over the 50 MB limit"),
}


def test_the_run_exits_0(intake_run):
    _, result, _ = intake_run
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_student_is_graded_and_told_why(intake_run, student):
    course, result, _ = intake_run
    total, note = EXPECTED[student]
    scores = course.scores(ASSIGNMENT)[student]
    assert sum(score for score, _ in scores.values()) == total
    feedback = (course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    if note is None:
        assert "Grading note" not in feedback
    else:
        assert note in feedback
        assert f"[intake] {student}: " in result.stdout


def test_submitted_files_are_not_modified(intake_run):
    _, _, checksums = intake_run
    for path, digest in checksums.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
