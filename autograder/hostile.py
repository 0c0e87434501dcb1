"""Hostile and faulty submissions built from the real notebooks, with the exact score
each must get under trusted grading (see tests/grading/test_hostile.py).

Each scenario targets one item, ``target``: the last function item of the notebook that
no other item calls. "wrong" is the target's first known misconception.
"""
import copy
import textwrap

import nbformat

from .course import REPO_ROOT
from .hostile_grader import grader_scenarios
from .problems import FunctionProblem, problems_for
from .scenarios import Scenario, dependents, expected_scores
from .submissions import append_to_answer, filled_in, with_replacements


def target_problem(assignment):
    functions = [p for p in problems_for(assignment) if isinstance(p, FunctionProblem)]
    leaves = [p for p in functions if not dependents(assignment, p.grade_id)]
    return leaves[-1]


def first_function(assignment):
    return next(p for p in problems_for(assignment) if isinstance(p, FunctionProblem))


def _add_cell(nb, code):
    nb = copy.deepcopy(nb)
    nb.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(code).strip() + "\n"))
    return nb


def _test_cell_index(nb, cell_id):
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == cell_id)


def hostile_scenarios(assignment):
    p = target_problem(assignment)
    name, ref_name = p.student_object, p.reference.__name__
    module_file = REPO_ROOT / "autograder" / "problems" / (p.reference.__module__.rsplit(".", 1)[1] + ".py")
    wrong = next(iter(p.misconceptions.values()))
    wrong_nb = with_replacements(assignment, {name: wrong})
    correct = filled_in(assignment)
    zero = expected_scores(assignment, zero=[p.cell_id])
    full = expected_scores(assignment)
    first = first_function(assignment)
    scenarios = grader_scenarios(assignment, p)  # forged metadata, crashing values, stalls

    def add(label, nb, expected, description):
        scenarios.append(Scenario(f"submitted-{label}", nb, expected, description))

    add("cheat-patched-numpy", append_to_answer(wrong_nb, name, """
        np.allclose = lambda *args, **kwargs: True
        np.testing.assert_allclose = lambda *args, **kwargs: None
        np.array_equal = lambda *args, **kwargs: True
        import rnnlib.testing as _testing
        _testing.describe_mismatch = lambda *args, **kwargs: None
        """), zero, "a wrong answer with numpy and the test helpers patched to always agree")
    add("cheat-fake-checker", append_to_answer(wrong_nb, name, """
        def check(*args, **kwargs):
            print("all hidden cases pass")
        try:
            import autograder
            import autograder.check
            autograder.check = autograder.check.check = check
        except Exception:
            pass
        """), zero, "a wrong answer with the hidden check() replaced")
    add("cheat-always-equal", append_to_answer(correct, name, f"""
        class _AlwaysEqual:
            shape = property(lambda self: None)
            def __eq__(self, other):
                return True
            def __array__(self, *args, **kwargs):
                raise TypeError("no")
        def {name}(*args, **kwargs):
            return _AlwaysEqual()
        """), zero, "returns an object whose == is always true")
    add("cheat-read-disk", append_to_answer(wrong_nb, name, f"""
        _wrong_{name} = {name}
        def {name}(*args, **kwargs):
            try:
                namespace = {{}}
                exec(open({str(module_file)!r}).read(), namespace)
                open({str(REPO_ROOT / 'gradebook.db')!r}, 'rb').read(1)
                return namespace[{ref_name!r}](*args, **kwargs)
            except Exception:
                return _wrong_{name}(*args, **kwargs)
        """), zero, "reads the hidden reference and the gradebook from disk")
    add("cheat-read-memory", append_to_answer(wrong_nb, name, f"""
        _wrong_{name} = {name}
        def {name}(*args, **kwargs):
            import gc, sys
            for module in list(sys.modules.values()):
                if hasattr(module, {ref_name!r}):
                    return getattr(module, {ref_name!r})(*args, **kwargs)
            for obj in gc.get_objects():
                if callable(obj) and getattr(obj, "__name__", "") == {ref_name!r}:
                    return obj(*args, **kwargs)
            return _wrong_{name}(*args, **kwargs)
        """), zero, "searches the kernel's memory for the reference")
    add("cheat-import-grader", append_to_answer(wrong_nb, name, f"""
        try:
            from {p.reference.__module__} import {ref_name} as {name}
        except Exception:
            pass
        """), zero, "imports the reference from the grader's package")
    add("kernel-death-early", append_to_answer(correct, first.student_object, "import os\nos._exit(1)"),
        expected_scores(assignment, zero=[first.cell_id]),
        f"os._exit(1) in the answer cell of {first.student_object}, the first function item")
    add("kernel-death-midway", append_to_answer(correct, name, "import os\nos._exit(3)"),
        zero, f"os._exit(3) in the answer cell of {name}")
    add("kernel-segfault", append_to_answer(correct, name, "import ctypes\nctypes.string_at(0)"),
        zero, f"a segmentation fault in the answer cell of {name}")
    add("kernel-death-after-last-test", _add_cell(correct, "import os\nos._exit(1)"), full,
        "os._exit(1) in a cell after the last test")
    add("endless-loop", append_to_answer(correct, name, f"""
        def {name}(*args, **kwargs):
            while True:
                pass
        """), zero, f"{name} never returns")
    add("memory-exhaustion", append_to_answer(correct, name, f"""
        _fine_{name} = {name}
        def {name}(*args, **kwargs):
            hog = np.ones((1 << 31,))  # 16 GiB
            return _fine_{name}(*args, **kwargs)
        """), zero, f"{name} allocates 16 GiB")
    add("spawns-processes", append_to_answer(correct, name, """
        import subprocess as _subprocess
        for _ in range(3):
            _subprocess.Popen(["sleep", "987"])
        """), full, "starts background processes (they must not survive grading)")
    add("output-flood", append_to_answer(correct, name, 'print("x" * 5_000_000)'), full,
        "prints 5 MB")
    edited = copy.deepcopy(correct)
    edited.cells[_test_cell_index(edited, p.cell_id)].source = "pass  # tests removed"
    add("edited-test-cell", edited, full, f"the test cell of {name} emptied (restored and graded)")
    deleted = copy.deepcopy(correct)
    del deleted.cells[_test_cell_index(deleted, p.cell_id)]
    add("deleted-test-cell", deleted, full, f"the test cell of {name} deleted (restored and graded)")
    deleted_wrong = copy.deepcopy(wrong_nb)
    del deleted_wrong.cells[_test_cell_index(deleted_wrong, p.cell_id)]
    add("deleted-test-cell-wrong", deleted_wrong, zero,
        f"a wrong {name} with its test cell deleted (still graded: 0)")
    return scenarios
