"""Hostile and faulty submissions, graded by the real `nbgrader autograde` with the trusted,
sandboxed setup: each gets exactly its expected score, nothing escapes the sandbox, the
run exits 0, and grading twice gives the same scores."""
import hashlib
import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.testkit.course import Course
from autograder.testkit.hostile import GRADER_ENV_SECRET, LEFT_BEHIND, hostile_scenarios, target_problem
from autograder.testkit.submissions import append_to_answer, filled_in
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
    # A secret in the grader's environment (a database password, say) that no kernel may see.
    name, value = GRADER_ENV_SECRET
    os.environ[name] = value
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
def test_the_graders_environment_never_reaches_a_kernel(graded, assignment):
    course = graded[assignment][0]
    secret = GRADER_ENV_SECRET[1]
    for path in (course.root / "autograded").rglob("*.ipynb"):
        outputs = [o for c in json.loads(path.read_text())["cells"] for o in c.get("outputs", [])]
        assert secret not in json.dumps(outputs), path


@pytest.mark.parametrize("assignment", assignments())
def test_files_a_kernel_writes_to_tmp_or_shm_are_gone_after_grading(graded, assignment):
    left = [p for where in ("/tmp", "/var/tmp", "/dev/shm")
            for p in Path(where).glob(f"**/{LEFT_BEHIND}-{assignment}")]
    assert left == []


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


# --- the grader itself: forged metadata, values it cannot compare, stalls, oracle feedback --

FORGED = ["submitted-cheat-practice-tag", "submitted-cheat-grade-flag-off",
          "submitted-cheat-test-cell-retyped"]


def _autograded(course, student, assignment):
    return course.root / "autograded" / student / assignment / f"{assignment}.ipynb"


def _cells(course, student, assignment):
    return nbformat.read(_autograded(course, student, assignment), as_version=4).cells


def _feedback_page(course, student, assignment):
    return course.root / "feedback" / student / assignment / f"{assignment}.html"


@pytest.fixture(scope="module")
def feedback(graded):
    """The feedback pages of every graded hostile submission (generate_feedback once)."""
    for assignment, (course, *_) in graded.items():
        course.generate_feedback(assignment)
    return graded


@pytest.mark.parametrize("assignment", assignments())
@pytest.mark.parametrize("student", FORGED)
def test_forged_metadata_is_named_in_the_feedback(feedback, assignment, student):
    course = feedback[assignment][0]
    note = _cells(course, student, assignment)[0]
    assert note.source.startswith("**Grading note.**")
    assert target_problem(assignment).cell_id in note.source
    assert "Grading note" in _feedback_page(course, student, assignment).read_text()


@pytest.mark.parametrize("assignment", assignments())
def test_a_30mb_answer_leaves_an_autograded_notebook_and_a_feedback_page_under_1mb(feedback,
                                                                                   assignment):
    course = feedback[assignment][0]
    for path in (_autograded(course, "submitted-30mb-answer", assignment),
                 _feedback_page(course, "submitted-30mb-answer", assignment)):
        assert path.stat().st_size < 1_000_000, path


def test_cells_that_sleep_and_die_after_the_last_test_cost_no_time(graded):
    """Every death used to re-run every earlier cell (the sleeping one too): minutes."""
    assignment = assignments()[0]
    course = graded[assignment][0]
    start = time.monotonic()
    course.autograde(assignment, "--student", "submitted-sleep-and-die", "--force")
    assert time.monotonic() - start < 60
    outputs = [o for c in _cells(course, "submitted-sleep-and-die", assignment)
               for o in c.get("outputs", [])]
    assert any("cannot change the score" in o.get("text", "") for o in outputs)


BUDGET = 20  # s: the notebook budget of the course below


def test_a_notebook_over_its_budget_or_its_restarts_stops_and_fails_the_items_left(tmp_path):
    assignment = assignments()[0]
    course = Course.create(tmp_path / "course", [assignment])
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text() + f"\nc.TrustedExecute.timeout = {CELL_TIMEOUT}\n"
                      f"c.TrustedExecute.notebook_timeout = {BUDGET}\n"
                      "c.TrustedExecute.max_kernel_restarts = 2\n")
    p = target_problem(assignment)
    slow, dying = filled_in(assignment), filled_in(assignment)
    position = next(i for i, c in enumerate(slow.cells)
                    if c.metadata.get("nbgrader", {}).get("grade_id") == p.cell_id)
    for _ in range(4):
        sleep = f"import time\ntime.sleep({CELL_TIMEOUT - 2})"
        slow.cells.insert(position, nbformat.v4.new_code_cell(sleep))
        dying.cells.insert(position, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    course.submit("slow", assignment, slow)
    course.submit("dying", assignment, dying)
    start = time.monotonic()
    result = course.autograde(assignment)
    assert result.returncode == 0
    assert time.monotonic() - start < 2 * BUDGET + 60  # two notebooks, plus nbgrader's start
    scores = course.scores(assignment)
    reasons = {"slow": f"budget of {BUDGET} s", "dying": "restarts a notebook gets"}
    for student, reason in reasons.items():
        assert scores[student][p.cell_id][0] == 0.0, student
        cell = next(c for c in _cells(course, student, assignment)
                    if c.metadata.get("nbgrader", {}).get("grade_id") == p.cell_id)
        assert any(reason in o.get("evalue", "") for o in cell.outputs), (student, cell.outputs)


RECORDER = """
_seen_cases = []
_real_conv_output_size = conv_output_size
def conv_output_size(H, FH, stride, pad):
    _seen_cases.append([H, FH, stride, pad])
    return _real_conv_output_size(H, FH, stride, pad)
"""


def test_a_lookup_table_from_one_attempt_fails_the_next(tmp_path):
    """Attempt 1 records the hidden inputs it was called on and prints them; attempt 2 answers
    from a table of those inputs. Fresh cases per attempt: 0. Regrading: the same scores."""
    if "01_rnn" not in assignments():
        pytest.skip("uses 01_rnn's conv_output_size")
    from autograder.items.rnn import conv_output_size_reference

    assignment = "01_rnn"
    course = Course.create(tmp_path / "course", [assignment])
    spy = append_to_answer(filled_in(assignment), "conv_output_size", RECORDER)
    position = 1 + next(i for i, c in enumerate(spy.cells)
                        if c.metadata.get("nbgrader", {}).get("grade_id") == "conv_output_size")
    spy.cells.insert(position, nbformat.v4.new_code_cell(
        'import json\nprint("SEEN", json.dumps(_seen_cases))'))
    course.submit("looker", assignment, spy)
    course.autograde(assignment)
    printed = "".join(o.get("text", "") for c in _cells(course, "looker", assignment)
                      for o in c.get("outputs", []))
    seen = json.loads(printed.split("SEEN ", 1)[1].split("\n", 1)[0])
    table = {tuple(args): conv_output_size_reference(*args) for args in seen}
    assert len(table) >= 8
    lookup = append_to_answer(filled_in(assignment), "conv_output_size", f"""
        _TABLE = {table!r}
        def conv_output_size(H, FH, stride, pad):
            return _TABLE.get((H, FH, stride, pad), -1)
        """)
    course.submit("looker", assignment, lookup)
    course.autograde(assignment, "--force")
    attempt_2 = course.scores(assignment)["looker"]
    assert attempt_2["conv_output_size"][0] == 0.0
    course.autograde(assignment, "--force")
    assert course.scores(assignment)["looker"] == attempt_2
