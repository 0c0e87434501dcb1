"""Every solution notebook runs top to bottom, practice included, cleanly and in time."""
import pytest

from autograder.notebook_run import execute
from tests.conftest import REPO_ROOT, assignments

pytestmark = pytest.mark.nbgrader

TIME_LIMIT = {name: (60 if name < "05" else 90) for name in assignments()}


@pytest.fixture(scope="module", params=assignments())
def solution_run(request):
    return execute(REPO_ROOT / "solutions" / request.param / f"{request.param}.ipynb")


def test_solution_runs_without_errors_or_warnings(solution_run):
    assert solution_run.errors == []
    assert solution_run.warnings == []


def test_solution_runs_in_time(solution_run):
    limit = TIME_LIMIT[solution_run.path.stem]
    assert solution_run.seconds < limit, f"{solution_run.path.stem}: {solution_run.seconds:.0f} s"


def test_solution_draws_its_plots(solution_run):
    assert solution_run.figures >= 1
