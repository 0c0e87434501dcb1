"""``check(grade_id, obj)``: the one-line hidden test in each notebook's test cells.

The build writes this call into each test cell's hidden block (autograder/instructor/build.py)
from the item registry. When a notebook is simply executed (CI running the solutions, an
instructor trying a notebook), it draws the cases, applies the object and judges, all in
that kernel. Under ``nbgrader autograde`` the hidden block never reaches the kernel:
``autograder.grading.execute`` takes the item from the cell's metadata, has only the
object applied in the sandboxed student kernel and keeps the rest on the grader's side.
Both ways use the same request and payload (autograder.grading.evaluation).

Run this way (never under ``nbgrader autograde``), the messages follow the notebook's own
language (rnnlib.language: the Japanese edition's imports cell sets "ja"); the grader
writes in the class's language from nbgrader_config.py instead.
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


def run_check(grade_id, obj, seed=None, language=None):
    """Grade ``obj`` for ``grade_id`` and return the Verdict (never raises for student bugs);
    ``language``: of the messages (default: this kernel's, rnnlib.language)."""
    from autograder.grading.evaluation import evaluate_here
    from autograder.items import get_problem
    from rnnlib.language import check_language, current_language

    language = check_language(language or current_language())
    problem = get_problem(grade_id)
    cases = problem.cases(grading_seed() if seed is None else seed)
    return problem.verdict(cases, evaluate_here(problem, obj, cases, language=language),
                           language=language)


def check(grade_id, obj, language=None):
    """Raise HiddenTestFailure unless ``obj`` passes the hidden cases of ``grade_id``."""
    verdict = run_check(grade_id, obj, language=language)
    if not verdict.passed:
        raise HiddenTestFailure(verdict.message)
    print(verdict.message)
