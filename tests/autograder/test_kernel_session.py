"""A sandboxed kernel session (autograder/grading/kernel.py) driven cell by cell: a cell
that runs too long is interrupted and the next cell runs in the same kernel."""
from autograder.grading.execute import library_view
from autograder.grading.kernel import KernelSession
from autograder.grading.sandbox import SandboxSettings
import pytest

pytestmark = pytest.mark.kernel


def _text(result):
    return "".join(o.get("text", "") for o in result.outputs)


def test_after_a_timed_out_cell_the_next_cell_runs_with_the_state_before():
    with KernelSession(SandboxSettings(), library_view("01_rnn")) as kernel:
        assert kernel.run("x = 1", 30).status == "ok"
        assert kernel.run("while True:\n    pass", 2).status == "timeout"
        after_loop = kernel.run("print(x + 1)", 30)
        assert (after_loop.status, _text(after_loop)) == ("ok", "2\n")
        assert kernel.run("import time\ntime.sleep(100)", 2).status == "timeout"
        after_sleep = kernel.run("print('alive')", 30)
        assert (after_sleep.status, _text(after_sleep)) == ("ok", "alive\n")
