"""What a teacher reads after grading (issue 16, items 5 and 6): `python -m autograder.instructor.intake`
and `python -m autograder.instructor.parallel` print no expected-noise lines that look like tampering
(nbgrader's "Attribute 'checksum' for cell ... has changed!" for cells the course restored,
SQLAlchemy's autoflush SAWarning), do print each real finding as an `[intake]` line, and end
with the same per-student, per-item score table."""
import re
import subprocess
import sys

import nbformat
import pytest

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.items import problems_for
from autograder.testkit.submissions import filled_in

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "01_rnn"
POINTS = {p.cell_id: p.points for p in problems_for(ASSIGNMENT)}
EXPECTED = {  # student -> score of every item
    "correct": POINTS,
    "tampered": POINTS,  # a test cell tagged practice: the tag is removed, the test runs
    "renamed": POINTS,
    "blank": {item: 0 for item in POINTS},
}
NOISE = ("Attribute 'checksum'", "has changed!", "SAWarning", "not in session")


def _first_test_cell(nb):
    return next(c for c in nb.cells
                if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade"))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("output") / "course", [ASSIGNMENT])
    # The source gets a comment after the release, so the course's version of a test cell
    # differs from the gradebook's record: nbgrader's checksum message for that cell, which
    # every hidden-test cell also triggers, is then expected in the raw nbgrader log.
    source = course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    _first_test_cell(nb).source += "\n# reviewed after the release"
    nbformat.write(nb, source)
    good = filled_in(ASSIGNMENT)
    course.submit("correct", ASSIGNMENT, good)
    tampered = filled_in(ASSIGNMENT)
    _first_test_cell(tampered).metadata["tags"] = ["practice"]
    course.submit("tampered", ASSIGNMENT, tampered)
    renamed = course.root / "submitted" / "renamed" / ASSIGNMENT / f"{ASSIGNMENT}-Copy1.ipynb"
    renamed.parent.mkdir(parents=True)
    nbformat.write(good, renamed)
    course.submit("blank", ASSIGNMENT,
                  nbformat.read(course.root / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                as_version=4))
    return course


def _run(course, module, *args):
    result = subprocess.run([sys.executable, "-m", module, ASSIGNMENT, *args], cwd=course.root,
                            env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def intake_output(course):
    return _run(course, "autograder.instructor.intake")


@pytest.fixture(scope="module")
def parallel_output(course, intake_output):
    return _run(course, "autograder.instructor.parallel", "--force", "--workers", "2")


def _table(output, prefix):
    """{student: {item: score}} from the score table printed with ``prefix``."""
    lines = [line[len(prefix):] for line in output.splitlines() if line.startswith(prefix + "  ")]
    header = next(line for line in lines if line.strip().startswith("item (points)"))
    students = header.split()[2:]
    table = {s: {} for s in students}
    for line in lines:
        m = re.match(r"\s+(\w+)\s+\(([\d.]+)\)\s+(.*)$", line)
        if m and m.group(1) in POINTS:
            for student, score in zip(students, m.group(3).split()):
                table[student][m.group(1)] = float(score)
    return table


def test_the_intake_prints_no_expected_noise(intake_output):
    for noise in NOISE:
        assert noise not in intake_output


def test_the_intake_prints_each_real_finding_once(intake_output):
    tampered = [line for line in intake_output.splitlines() if line.startswith("[intake] tampered:")]
    assert len(tampered) == 1 and "the tags of 'conv_output_size'" in tampered[0], tampered
    assert "[intake] renamed: 01_rnn.ipynb was missing; 01_rnn-Copy1.ipynb was graded" in intake_output
    assert not any(line.startswith("[intake] correct:") for line in intake_output.splitlines())


def test_the_intake_ends_with_the_score_table(intake_output):
    assert _table(intake_output, "[intake]") == EXPECTED


def test_the_parallel_grader_prints_the_same_table_and_findings(intake_output, parallel_output):
    assert _table(parallel_output, "[parallel]") == EXPECTED
    table = lambda out, p: [l[len(p):] for l in out.splitlines() if l.startswith(p + "  ")]  # noqa
    assert table(parallel_output, "[parallel]") == table(intake_output, "[intake]")
    assert "[intake] tampered / 01_rnn: Your file had changed the tags of 'conv_output_size'" \
        in parallel_output
    for noise in NOISE:
        assert noise not in parallel_output


def test_the_raw_nbgrader_log_keeps_the_demoted_message_at_debug_level(course, intake_output):
    """Not lost: `--log-level=DEBUG` shows what was demoted."""
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force", "--student",
         "correct", "--CourseDirectory.submitted_directory=staged", "--log-level=DEBUG"],
        cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[AutogradeApp | DEBUG] Attribute 'checksum' for cell conv_output_size" in result.stderr
    assert "SAWarning" not in result.stderr
