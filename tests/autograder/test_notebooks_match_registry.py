"""Every autograded test cell is backed by one registry problem with the same points."""
import re

import nbformat
import pytest

from autograder.items import PROBLEMS, problems_for
from tests.conftest import REPO_ROOT, assignments


def graded_code_cells(assignment):
    nb = nbformat.read(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


@pytest.mark.parametrize("assignment", assignments())
def test_each_test_cell_calls_check_for_its_own_problem(assignment):
    cells = graded_code_cells(assignment)
    assert set(cells) == {p.cell_id for p in problems_for(assignment)}
    for cell_id, cell in cells.items():
        problem = PROBLEMS[f"{assignment}.{cell_id}"]
        calls = re.findall(r'check\("([^"]+)", (\w+)\)', cell.source)
        assert calls == [(problem.grade_id, problem.student_object)], cell_id
        assert cell.metadata["nbgrader"]["points"] == problem.points, cell_id


@pytest.mark.parametrize("assignment", assignments())
def test_dependencies_name_items_of_the_same_assignment(assignment):
    for problem in problems_for(assignment):
        for dep in problem.depends_on:
            assert dep in PROBLEMS and PROBLEMS[dep].assignment == assignment
