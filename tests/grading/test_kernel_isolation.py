"""Classmates graded at the same time cannot reach each other: a spy submission graded by
`python -m autograder.instructor.parallel` beside three honest ones looks for their kernels'
connection files and sockets, connects, patches their numpy and copies their answers, and
fills /tmp and /dev/shm; the honest ones keep full marks, the spy reaches nothing, and
nothing a kernel wrote is left on the machine."""
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.testkit.hostile import target_problem
from autograder.testkit.scenarios import expected_scores
from autograder.testkit.submissions import append_to_answer, filled_in

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "01_rnn"
SPY = "submitted-a-spy"  # graded first: its search overlaps the others' grading
VICTIMS = [f"submitted-victim-{n}" for n in range(1, 6)]
MARK = f"rnn-spy-left-this-{uuid.uuid4().hex[:8]}"  # this run's own


def _spy_notebook():
    name = target_problem(ASSIGNMENT).student_object
    return append_to_answer(filled_in(ASSIGNMENT), name, f"""
        import glob as _glob, json as _json, os as _os, time as _time
        _reached, _tried = [], {{}}
        for _where in ("/tmp", "/dev/shm", "/var/tmp"):
            try:
                with open(_os.path.join(_where, "{MARK}"), "wb") as _f:
                    _f.write(b"x" * 50_000_000)
            except OSError:
                pass
        _end = _time.monotonic() + 30
        while _time.monotonic() < _end and not _reached:
            _found = set()
            for _where in ("/tmp", "/dev/shm", "/var/tmp", "/run/user/*/jupyter",
                           "/root/.local/share/jupyter/runtime"):
                for _depth in ("", "*/", "*/*/"):
                    _found.update(_glob.glob(f"{{_where}}/{{_depth}}*.json"))
            _own = _os.path.realpath(_os.getcwd())
            for _path in sorted(_found):
                if _os.path.realpath(_os.path.dirname(_path)) == _own or "/proc/" in _path:
                    continue
                try:
                    _info = _json.load(open(_path))
                    _info["key"]
                except Exception as _exc:
                    _tried[_path] = repr(_exc)[:80]
                    continue
                try:
                    from jupyter_client import BlockingKernelClient
                    _client = BlockingKernelClient(connection_file=_path)
                    _client.load_connection_file()
                    _client.start_channels()
                    _client.wait_for_ready(timeout=3)
                    _client.execute("import numpy as np\\nnp.tanh = lambda x: 0 * x")
                    _reached.append(_path)
                except Exception as _exc:
                    _tried[_path] = repr(_exc)[:80]
            _time.sleep(0.5)
        print("spy tried", len(_tried), [kv for kv in sorted(_tried.items())
                                         if "connection" in kv[0] and "/proc/" not in kv[0]][:5])
        if _reached:
            def {name}(*args, **kwargs):
                raise RuntimeError(f"reached other kernels: {{_reached}}")
        """)


def _leftovers():
    return sorted(str(p) for where in ("/tmp", "/dev/shm", "/var/tmp")
                  for p in Path(where).glob(f"**/{MARK}"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("isolation") / "course", [ASSIGNMENT])
    course.submit(SPY, ASSIGNMENT, _spy_notebook())
    for victim in VICTIMS:
        course.submit(victim, ASSIGNMENT, filled_in(ASSIGNMENT))
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.parallel", ASSIGNMENT,
                             "--workers", "2"], cwd=course.root, env=tool_env(),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return course, course.scores(ASSIGNMENT)


def test_classmates_graded_beside_a_spy_keep_full_marks(graded):
    _, scores = graded
    full = expected_scores(ASSIGNMENT)
    for victim in VICTIMS:
        assert {cell: scores[victim][cell][0] for cell in full} == full, victim


def test_the_spy_reaches_no_other_kernel(graded):
    _, scores = graded
    full = expected_scores(ASSIGNMENT)
    assert {cell: scores[SPY][cell][0] for cell in full} == full


def test_nothing_a_kernel_wrote_to_tmp_or_shm_is_left_on_the_machine(graded):
    assert _leftovers() == []
