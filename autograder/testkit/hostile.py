"""Hostile and faulty submissions built from the real notebooks, with the exact score
each must get under trusted grading (see tests/grading/test_hostile.py).

Each scenario targets one item, ``target``: the last function item of the notebook that
no other item calls. "wrong" is the target's first known misconception.
"""
import copy
import textwrap
import uuid

import nbformat

from autograder.instructor.config import REPO_ROOT
from autograder.testkit.hostile_grader import grader_scenarios
from autograder.items import FunctionProblem, problems_for
from autograder.testkit.scenarios import Scenario, dependents, expected_scores
from autograder.testkit.submissions import append_to_answer, filled_in, with_replacements


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
    module_file = REPO_ROOT / "autograder" / "items" / (p.reference.__module__.rsplit(".", 1)[1] + ".py")
    wrong = p.misconceptions[0].wrong
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
            import autograder.grading.check
            autograder.grading.check = autograder.grading.check.check = check
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
    return scenarios + escape_scenarios(assignment)


# --- escapes from the sandbox (DESIGN.md rule 8) -------------------------------------------
# A wrong answer that turns into the right one when the kernel can reach the grader's side:
# each must still score 0 on the target.

GRADER_ENV_SECRET = ("RNN_COURSE_DB_PASSWORD", "hunter2-not-for-students")
# Names the files a kernel leaves behind, so that one run never sees another run's files.
LEFT_BEHIND = f"rnn-left-behind-{uuid.uuid4().hex[:8]}"


def escape_scenarios(assignment, course_root=None):
    """Submissions that look for the solutions, the references and the grader's secrets
    wherever the kernel can reach: the repository (``git show``), any folder on the machine,
    the grader's environment; and leave files behind for the next kernel."""
    p = target_problem(assignment)
    name = p.student_object
    wrong_nb = with_replacements(assignment, {name: p.misconceptions[0].wrong})
    zero = expected_scores(assignment, zero=[p.cell_id])
    # Where a course and its repository usually live (the whole of / costs minutes).
    roots = [str(REPO_ROOT), *([str(course_root)] if course_root else []),
             "/tmp", "/var/tmp", "/dev/shm", "/home", "/root", "/srv", "/opt", "/work", "/var"]
    env_name, env_value = GRADER_ENV_SECRET
    # Shared by the scenarios: run the solution's definition of the target when found.
    use_solution = f"""
        _wrong_{name} = {name}
        def _from_solution(text):
            import json, re
            try:
                cells = json.loads(text)["cells"]
            except Exception:
                return None
            for cell in cells:
                code = "".join(cell.get("source", ""))
                if re.search(r"^def {name}\\(", code, re.M):
                    namespace = dict(globals())
                    try:
                        exec(code.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""),
                             namespace)
                        return namespace[{name!r}]
                    except Exception:
                        return None
            return None
        """
    correct, full = filled_in(assignment), expected_scores(assignment)
    scenarios = []

    def add(label, code, description, base=None):
        """Wrong unless the escape works (base None); or correct unless it works."""
        if base is None:
            nb, expected = append_to_answer(wrong_nb, name, use_solution + code), zero
        else:
            nb, expected = append_to_answer(base, name, code), full
        scenarios.append(Scenario(f"submitted-{label}", nb, expected, description))

    add("cheat-git-show", f"""
        import subprocess as _sp
        for _root in {roots!r}:
            _out = _sp.run(["git", "-c", "safe.directory=*", "-C", _root, "show",
                            "HEAD:solutions/{assignment}/{assignment}.ipynb"],
                           capture_output=True, text=True)
            _found = _from_solution(_out.stdout) if _out.returncode == 0 else None
            if _found:
                {name} = _found
                break
        """, "git show HEAD:solutions/... on the course repository")
    add("cheat-search-filesystem", f"""
        import os as _os, time as _time
        _deadline = _time.monotonic() + 10
        for _root in {roots!r}:
            for _folder, _dirs, _files in _os.walk(_root):
                _dirs[:] = [d for d in _dirs if d not in ("proc", "sys")]
                if _time.monotonic() > _deadline:
                    break
                for _file in _files:
                    if _file.endswith(".ipynb") and "{assignment}" in _file:
                        try:
                            _text = open(_os.path.join(_folder, _file)).read()
                        except Exception:
                            continue
                        if "BEGIN SOLUTION" in _text and _from_solution(_text):
                            {name} = _from_solution(_text)
                            break
        """, "walks every folder it can see for a solution or source notebook")
    add("cheat-import-installed-reference", f"""
        import importlib as _il, pkgutil as _pk, sys as _sys
        for _where in list(_sys.path) + {roots!r}:
            _sys.path.append(_where)
        try:
            _module = _il.import_module({p.reference.__module__!r})
            _reference = getattr(_module, {p.reference.__name__!r})
            def {name}(*args, **kwargs):
                return _reference(*args, **kwargs)
        except Exception:
            pass
        """, "imports the hidden reference from wherever the grader's package is installed")
    add("cheat-grader-environment", f"""
        import os as _os
        print(dict(_os.environ))
        if _os.environ.get({env_name!r}) == {env_value!r}:
            def {name}(*args, **kwargs):
                raise RuntimeError("the grader's environment leaked into the kernel")
        """, "prints the grader's environment (a password set there must not appear)", correct)
    add("leaves-files-behind", f"""
        import os as _os
        for _where in ("/tmp", "/var/tmp", "/dev/shm", _os.path.expanduser("~")):
            try:
                with open(_os.path.join(_where, "{LEFT_BEHIND}-{assignment}"), "wb") as _f:
                    _f.write(b"x" * 1024)
            except OSError:
                pass
        """, "writes files into /tmp, /var/tmp, /dev/shm and its home for the next kernel",
        correct)
    add("reads-files-left-behind", f"""
        import os as _os
        for _where in ("/tmp", "/var/tmp", "/dev/shm"):
            if _os.path.exists(_os.path.join(_where, "{LEFT_BEHIND}-{assignment}")):
                def {name}(*args, **kwargs):
                    raise RuntimeError("found a file another kernel left behind")
        """, "looks for the files an earlier kernel left (must find none)", correct)
    return scenarios
