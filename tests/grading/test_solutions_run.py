"""Every solution notebook of both editions runs top to bottom, practice included, cleanly
and in time (a Japanese plot label without the Japanese font warns of a missing glyph)."""
import pytest

from autograder.instructor.notebook_run import execute
from tests.conftest import REPO_ROOT, assignments

pytestmark = pytest.mark.nbgrader

# 90 s each (make bench's bound): 01, 03, 04 and 05 train their practice from 5 seeds, so
# that a claim is shown over seeds, not on one run (benchmarks/practice_claims.py)
TIME_LIMIT = {name: 90 for name in assignments()}


EDITIONS = {"en": "", "ja": "ja/"}  # the folder prefix of each language edition
RUNS = [(language, name) for name in assignments() for language in EDITIONS]


@pytest.fixture(scope="module", params=RUNS, ids=[f"{n}-{lang}" for lang, n in RUNS])
def solution_run(request):
    language, name = request.param
    return execute(REPO_ROOT / f"{EDITIONS[language]}solutions" / name / f"{name}.ipynb")


def test_solution_runs_without_errors_or_warnings(solution_run):
    assert solution_run.errors == []
    assert solution_run.warnings == []


def test_solution_runs_in_time(solution_run):
    limit = TIME_LIMIT[solution_run.path.stem]
    assert solution_run.seconds < limit, f"{solution_run.path.stem}: {solution_run.seconds:.0f} s"


def test_solution_draws_its_plots_with_titles_labels_and_legends(solution_run):
    assert solution_run.figures >= 1
    assert solution_run.figure_problems == []


def test_solution_shows_a_progress_bar_in_every_cell_that_computes_for_seconds(solution_run):
    """A cell whose kernel computes for more than SLOW_CELL_SECONDS (CPU time of its main
    thread, so a loaded machine does not count) shows a tqdm bar (``tqdm.auto``)."""
    assert solution_run.slow_cells_without_progress == [], (
        f"{solution_run.path.stem}: loops without a progress bar: "
        f"{solution_run.slow_cells_without_progress}")


@pytest.mark.parametrize("language", EDITIONS)
@pytest.mark.parametrize("name", assignments())
def test_a_blank_student_notebook_first_fails_at_a_blank(name, language):
    """Run top to bottom untouched, the student version's first error is the
    NotImplementedError of a blank (or a readable visible-test failure), never an obscure
    traceback from library code."""
    run = execute(REPO_ROOT / f"{EDITIONS[language]}notebooks" / name / f"{name}.ipynb")
    assert run.first_error in ("NotImplementedError", "VisibleTestFailure"), run.errors[:3]
