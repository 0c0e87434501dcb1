"""Hostile and faulty submissions, graded by the real `nbgrader autograde` with the trusted,
sandboxed setup: each gets exactly its expected score, nothing escapes the sandbox, the
run exits 0, and grading twice gives the same scores."""
import hashlib
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.course import Course
from autograder.hostile import hostile_scenarios
from tests.conftest import assignments

pytestmark = pytest.mark.nbgrader

CELL_TIMEOUT = 8  # seconds; the endless loop costs this much, not the default minute
CASES = [(a, s.name) for a in assignments() for s in hostile_scenarios(a)]


def _grade(root, assignment):
    course = Course.create(root, [assignment])
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.TrustedExecute.timeout = {CELL_TIMEOUT}\n")
    scenarios = {s.name: s for s in hostile_scenarios(assignment)}
    checksums = {}
    for name, scenario in scenarios.items():
        path = course.submit(name, assignment, scenario.notebook)
        checksums[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    result = course.autograde(assignment)
    first = course.scores(assignment)
    return course, scenarios, first, checksums, result


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    names = assignments()
    roots = [tmp_path_factory.mktemp(f"hostile-{name}") / "course" for name in names]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(names, pool.map(_grade, roots, names)))


@pytest.mark.parametrize("assignment,student", CASES)
def test_each_hostile_submission_gets_its_exact_score(graded, assignment, student):
    _, scenarios, scores, _, _ = graded[assignment]
    scenario = scenarios[student]
    got = {cell: scores[student][cell][0] for cell in scenario.expected}
    assert got == scenario.expected, scenario.description


@pytest.mark.parametrize("assignment", assignments())
def test_the_autograde_run_exits_0_and_leaves_submissions_untouched(graded, assignment):
    _, _, _, checksums, result = graded[assignment]
    assert result.returncode == 0
    for path, digest in checksums.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path


@pytest.mark.parametrize("assignment", assignments())
def test_no_process_started_by_a_submission_survives_grading(graded, assignment):
    found = subprocess.run(["pgrep", "-f", "sleep 987"], capture_output=True, text=True)
    assert found.stdout.strip() == ""


@pytest.mark.parametrize("assignment", assignments())
def test_an_output_flood_is_cut(graded, assignment):
    course, _, _, _, _ = graded[assignment]
    path = course.root / "autograded" / "submitted-output-flood" / assignment / f"{assignment}.ipynb"
    assert path.stat().st_size < 500_000
    assert "output cut" in path.read_text()


@pytest.mark.parametrize("assignment", assignments()[:1])  # one notebook: a re-run costs as much
def test_grading_the_same_submissions_again_gives_the_same_scores(graded, assignment):
    course, _, first, _, _ = graded[assignment]
    course.autograde(assignment, "--force")
    assert course.scores(assignment) == first


@pytest.mark.parametrize("assignment", assignments())
def test_kernel_deaths_are_explained_in_the_feedback(graded, assignment):
    course, _, _, _, _ = graded[assignment]
    path = course.root / "autograded" / "submitted-kernel-death-midway" / assignment / f"{assignment}.ipynb"
    outputs = [o for c in json.loads(path.read_text())["cells"] for o in c.get("outputs", [])]
    assert any(o.get("ename") == "KernelDied" for o in outputs)


def test_without_isolation_grading_still_works_and_says_it_is_not_isolated(tmp_path):
    """The fallback for a grader that is not root: resource limits only, a clear warning."""
    assignment = assignments()[0]
    course = Course.create(tmp_path / "course", [assignment])
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.TrustedExecute.isolate = False\n")
    scenarios = {s.name: s for s in hostile_scenarios(assignment)
                 if s.name in ("submitted-cheat-patched-numpy", "submitted-kernel-death-midway",
                               "submitted-memory-exhaustion")}
    for name, scenario in scenarios.items():
        course.submit(name, assignment, scenario.notebook)
    result = course.autograde(assignment)
    assert "NOT isolated" in result.stderr
    scores = course.scores(assignment)
    for name, scenario in scenarios.items():
        assert {c: scores[name][c][0] for c in scenario.expected} == scenario.expected, name
