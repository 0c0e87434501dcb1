"""The student library per assignment (``autograder.grading.student_library``): rule 9, nothing a
student can import while working on assignment N computes a graded item of N or later.

``test_no_callable_of_a_view_stands_in_for_a_graded_item`` imports every public callable
of the view of N (functions and classes defined in the view, and callables held in its
module-level dicts and tuples) from a staged copy, and tries each one against every
FunctionProblem of N and the later assignments, on the problem's own seeded hidden cases
and with its own judge: called as it is and through the one-line wrappers of
``tests/autograder/library_leaks.py`` (parameter dicts, one step as a sequence, a
backward fed its cache or its forward's, two directions, embedded ids, list <-> dict,
counting the arrays of an initialiser). It fails if any passes.

ValueProblems: the numeric ones are tried against every callable of the view at a simple
point (no argument, 0, 1, -1), which is how ``d_sigmoid(0)`` gave 03's sigmoid_max. The
04 parameter counts (``lstm_param_count(D, H)``, ``gru_param_count``) are FunctionProblems
of plain ints; they are covered by the initialiser wrappers above: a public callable of
views 01-04 that, given (rng, D, H) and a number of gates (or {"gates": G}), returns arrays
whose sizes add up to the count fails the test (``init_recurrent`` did; it is released
with 05). The trainer of 03/04 builds its parameters inside its own body (no callable to
import) and reports no parameter count (04's practice counts with the student's
functions). What stays possible in 04, by design of its practice: the course LSTM is
trained there, so a student who instruments a training run can read its arrays' shapes;
that is no one-line wrapper. The other ValueProblems (a choice, a gate's name, roles of weights, sizes of
a bottleneck) are knowledge no library callable computes.

Run against the library as it was before the split (commit b53e287, every module in every
view), the search finds 15 items (33 points) and this test fails for views 01 to 06: 01
rnn_step_forward, rnn_forward; 02 rnn_step_backward, rnn_backward; 03 clip_grad_norm,
clip_grads_global, lstm_forward, lstm_backward, sigmoid_max; 04 lstm_param_count,
gru_param_count; 05 bidirectional_rnn_forward; 06 embedding_lookup, and the two accepted
overlaps below (06 rnn_encode, encode_one_hot).

``ACCEPTED_OVERLAPS`` are the only passes allowed, each with its reason; the test also
fails when one of them no longer passes, so the list cannot go stale.
"""
import os
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder.grading import student_library
from autograder.instructor.notebook_run import execute
from autograder.items import PROBLEMS
from tests.autograder.library_leaks import (function_leaks, import_view, public_callables,
                                            value_leaks)
from tests.conftest import REPO_ROOT, assignments


ASSIGNMENTS = student_library.assignments()
RNN_FORWARD_REUSED = (
    "the course's RNN forward (01's item, released from 02 because 02's gradient checks "
    "and 05's simple_rnn helper need it) run on 06's embedded inputs from a zero state; 06 "
    "grades the reuse of 01's forward, which every student also has in their own 01 "
    "notebook. Closing it needs a change to the 06 items, not to the library.")
ACCEPTED_OVERLAPS = {
    ("06_seq2seq.rnn_encode", "rnn_layer.rnn_layer_forward"): RNN_FORWARD_REUSED,
    ("06_seq2seq.encode_one_hot", "rnn_layer.rnn_layer_forward"): RNN_FORWARD_REUSED,
}


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """{assignment: directory holding its rnnlib/ view}."""
    return {a: student_library.stage(a, tmp_path_factory.mktemp(a)) for a in ASSIGNMENTS}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_callable_of_a_view_stands_in_for_a_graded_item(assignment, staged, tmp_path,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a callable writes lands here
    callables = public_callables(import_view(staged[assignment], assignment))
    assert callables, f"no public callable found in the view of {assignment}"
    problems = [p for p in PROBLEMS.values() if p.assignment >= assignment]
    leaks = function_leaks(callables, problems) + value_leaks(callables, problems)
    found = {(leak.grade_id, leak.callable_name) for leak in leaks}
    expected = {key for key in ACCEPTED_OVERLAPS if key[0].split(".")[0] >= assignment
                and assignment >= student_library.RELEASED_WITH[key[1].split(".")[0]]}
    unexpected = [str(leak) for leak in leaks
                  if (leak.grade_id, leak.callable_name) not in ACCEPTED_OVERLAPS]
    assert unexpected == [], (f"the view of {assignment} computes graded items: {unexpected}")
    assert found == expected, f"accepted overlaps that no longer occur: {expected - found}"


def test_the_search_finds_a_stand_in_when_there_is_one(tmp_path):
    """The search is not vacuous: a view holding a course layer and a clipping function
    as they were before the split is caught on the items they answer."""
    package = tmp_path / "rnnlib"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "layers.py").write_text(
        (REPO_ROOT / "rnnlib" / "rnn_layer.py").read_text()
        + "\n\ndef clip_global_norm(grads, max_norm):\n"
          "    norm = np.sqrt(sum(float(np.sum(g**2)) for g in grads.values()))\n"
          "    if norm > max_norm:\n"
          "        return {k: g * (max_norm / norm) for k, g in grads.items()}\n"
          "    return grads\n")
    callables = public_callables(import_view(tmp_path, "planted"))
    leaks = {leak.grade_id for leak in function_leaks(callables, PROBLEMS.values())}
    assert {"01_rnn.rnn_forward", "01_rnn.rnn_step_forward", "03_lstm.clip_grad_norm",
            "03_lstm.clip_grads_global"} <= leaks


def test_every_rnnlib_module_is_released_with_exactly_one_assignment():
    on_disk = {p.stem for p in (REPO_ROOT / "rnnlib").glob("*.py")}
    assert set(student_library.RELEASED_WITH) == on_disk
    assert set(student_library.RELEASED_WITH.values()) <= set(ASSIGNMENTS)
    assert ASSIGNMENTS == [a for a in sorted(os.listdir(REPO_ROOT / "source"))
                           if (REPO_ROOT / "source" / a / f"{a}.py").exists()]


def test_views_grow_with_the_assignments_and_start_with_the_package():
    previous = []
    for assignment in ASSIGNMENTS:
        modules = student_library.modules_for(assignment)
        assert modules[0] == "__init__"
        assert set(previous) <= set(modules)
        previous = modules
    assert "lstm_layer" not in student_library.modules_for("03_lstm")
    assert "rnn_layer_backward" not in student_library.modules_for("02_bptt")
    assert "embedding_lookup" not in student_library.modules_for("06_seq2seq")


def test_an_unknown_assignment_fails_loudly_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="unknown assignment '09_nothing'.*01_rnn"):
        student_library.stage("09_nothing", tmp_path)
    with pytest.raises(ValueError, match="unknown assignment"):
        student_library.modules_for("rnn")
    assert list(tmp_path.iterdir()) == []


def test_staging_is_deterministic_and_ships_weights_only_with_their_module(tmp_path):
    def snapshot(root):
        return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime)
                for p in sorted(root.rglob("*")) if p.is_file()}

    first = student_library.stage("06_seq2seq", tmp_path / "a")
    (first / "rnnlib" / "stale.py").write_text("left over")
    again = student_library.stage("06_seq2seq", tmp_path / "a")
    other = student_library.stage("06_seq2seq", tmp_path / "b")
    assert snapshot(again) == snapshot(other)
    assert "rnnlib/weights/addition_baseline.npz" in snapshot(other)
    assert not (student_library.stage("05_bidirectional", tmp_path / "c") / "rnnlib" /
                "weights").exists()


def test_staging_refuses_to_replace_the_library_itself():
    with pytest.raises(ValueError, match="the library itself"):
        student_library.stage("01_rnn", REPO_ROOT)


def view_only(view):
    """Python that makes ``rnnlib`` and its modules importable from ``view`` alone: a
    finder ahead of all others answers every ``rnnlib`` import from the view or raises
    ModuleNotFoundError (the repository's editable install would otherwise supply a
    module the view lacks), as in the LMS zip, where the view is all there is."""
    return (
        "import sys as _view_sys\n"
        "from importlib.machinery import PathFinder as _ViewPathFinder\n\n\n"
        "class _ViewOnly:\n"
        "    @staticmethod\n"
        "    def find_spec(name, path=None, target=None):\n"
        "        if name != 'rnnlib' and not name.startswith('rnnlib.'):\n"
        "            return None\n"
        f"        where = [{str(view)!r}] if name == 'rnnlib' else path\n"
        "        spec = _ViewPathFinder.find_spec(name, where)\n"
        "        if spec is None:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r} in the view',\n"
        "                                      name=name)\n"
        "        return spec\n\n\n"
        "_view_sys.meta_path.insert(0, _ViewOnly)\n"
        "import rnnlib\n"
        f"assert rnnlib.__file__.startswith({str(view)!r}), rnnlib.__file__\n")


@pytest.mark.kernel
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_view_imports_on_its_own(assignment, staged, tmp_path):
    """Every module of the view imports with only the view to import rnnlib from, so no
    released module needs one released later."""
    view = staged[assignment]
    modules = [m for m in student_library.modules_for(assignment) if m != "__init__"]
    code = (view_only(view) + "import importlib\n"
            f"for m in {modules!r}: importlib.import_module('rnnlib.' + m)\n")
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.kernel
def test_a_module_missing_from_the_view_is_not_found(staged, tmp_path):
    code = view_only(staged["04_gru"]) + "import rnnlib.tagger\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert "No module named 'rnnlib.tagger' in the view" in result.stderr


def _with_view_check(notebook, view, tmp_path):
    """A copy of ``notebook`` whose first cell limits rnnlib to ``view``."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(view_only(view)))
    copy = tmp_path / notebook.name
    nbformat.write(nb, copy)
    return copy


@pytest.mark.nbgrader
@pytest.mark.parametrize("assignment", assignments())
def test_each_solution_notebook_runs_on_the_view_of_its_own_assignment(assignment, staged,
                                                                       tmp_path):
    """Practice included: what the LMS zip of N carries is enough for the whole notebook."""
    view = staged[assignment]
    notebook = REPO_ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    run = execute(_with_view_check(notebook, view, tmp_path))
    assert run.errors == [], f"{assignment} on its own view: {run.errors[:3]}"


def test_the_lms_zip_carries_the_view_of_its_assignment(tmp_path):
    from autograder.instructor import lms
    path = lms.release("03_lstm", root=REPO_ROOT, out=tmp_path)
    with zipfile.ZipFile(path) as archive:
        # the modules of rnnlib/ itself (its folders, weights/ and diagrams/, are package data)
        modules = {name.split("/")[-1].removesuffix(".py") for name in archive.namelist()
                   if name.startswith("03_lstm/rnnlib/") and name.endswith(".py")
                   and name.count("/") == 2}
    assert modules == set(student_library.modules_for("03_lstm"))


@pytest.mark.nbgrader
@pytest.mark.parametrize("assignment", assignments())
def test_each_blank_student_notebook_first_fails_at_a_blank_on_its_view(assignment, staged,
                                                                      tmp_path):
    """The released notebook, untouched, with only its view: the first error is still the
    NotImplementedError of a blank (no missing rnnlib module before it)."""
    notebook = REPO_ROOT / "notebooks" / assignment / f"{assignment}.ipynb"
    run = execute(_with_view_check(notebook, staged[assignment], tmp_path))
    assert run.first_error in ("NotImplementedError", "VisibleTestFailure"), run.errors[:3]
    assert not any("ModuleNotFoundError" in error for error in run.errors), run.errors
