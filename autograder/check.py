"""``check(grade_id, obj)``: the one-line hidden test in each notebook's test cells.

When a notebook is simply executed (CI running the solutions, an instructor trying a
notebook), this runs all three steps (make cases, evaluate, judge) in that kernel. Under
``nbgrader autograde`` the call never reaches the kernel: ``autograder.trusted.execute``
reads it from the test cell, runs only ``evaluate`` in the sandboxed student kernel and
keeps the other two steps on the grader's side. Problems and notebooks are the same in
both cases.
"""
import os

DEFAULT_SEED = 20261123
SEED_VARIABLE = "AUTOGRADER_SEED"


class HiddenTestFailure(AssertionError):
    """A hidden test failed; the message names the item, the case and what is wrong."""

    def _render_traceback_(self):
        # IPython shows this message alone, not a traceback through the grader's code.
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def grading_seed():
    """The seed the hidden cases are drawn from (AUTOGRADER_SEED, else a fixed default)."""
    return int(os.environ.get(SEED_VARIABLE, DEFAULT_SEED))


def run_check(grade_id, obj, seed=None):
    """Grade ``obj`` for ``grade_id`` and return the Verdict (never raises for student bugs)."""
    from .problems import get_problem

    problem = get_problem(grade_id)
    cases = problem.cases(grading_seed() if seed is None else seed)
    outcomes = problem.evaluate(obj, cases)
    return problem.judge(cases, outcomes)


def check(grade_id, obj):
    """Raise HiddenTestFailure unless ``obj`` passes the hidden cases of ``grade_id``."""
    verdict = run_check(grade_id, obj)
    if not verdict.passed:
        raise HiddenTestFailure(verdict.message)
    print(verdict.message)
