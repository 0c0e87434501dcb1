"""Hostile submissions aimed at the grader itself rather than at an item (issue 11, classes
1 and 7): forged cell metadata, values the judge cannot compare, huge answers, and cells
that wait and kill the kernel. Each has the exact score it must get; they are part of
``autograder.testkit.hostile.hostile_scenarios`` and graded by tests/grading/test_hostile.py.
"""
import copy

import nbformat
from nbgrader import utils

from autograder.items import ValueProblem, problems_for
from autograder.testkit.scenarios import Scenario, expected_scores, full_marks
from autograder.testkit.submissions import append_to_answer, filled_in, read_notebook, with_replacements

HUGE_INT = "10 ** 400"  # beyond the float range: float(HUGE_INT) raises OverflowError
HUGE_TEXT = '"x" * 30_000_000'  # a 30 MB string
SLEEP_SECONDS = 2
DEATHS_AFTER_THE_LAST_TEST = 20


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _value_problems(assignment):
    return [p for p in problems_for(assignment) if isinstance(p, ValueProblem)]


def _returning(nb, name, expression):
    """``nb`` with ``name`` redefined at the end of its answer cell to return ``expression``."""
    return append_to_answer(nb, name, f"def {name}(*args, **kwargs):\n    return {expression}\n")


def metadata_scenarios(assignment, target):
    """Submissions whose cell metadata is forged; the source's metadata must win."""
    name, cell_id = target.student_object, target.cell_id
    wrong_nb = with_replacements(assignment, {name: target.misconceptions[0].wrong})
    zero, full = expected_scores(assignment, zero=[cell_id]), expected_scores(assignment)
    scenarios = []

    def add(label, nb, expected, description):
        scenarios.append(Scenario(f"submitted-{label}", nb, expected, description))

    practice = read_notebook("notebooks", assignment)
    for cell in practice.cells:
        if utils.is_grade(cell):
            cell.metadata["tags"] = ["practice"]
    add("cheat-practice-tag", practice, {cell: 0.0 for cell in full_marks(assignment)},
        "the blank notebook with every graded cell tagged practice (graded anyway: 0)")

    flag_off = copy.deepcopy(wrong_nb)
    _cell(flag_off, cell_id).metadata.nbgrader.update(grade=False, solution=True, points=0)
    add("cheat-grade-flag-off", flag_off, zero,
        f"a wrong {name} whose test cell has grade off, solution on and 0 points")

    retyped = copy.deepcopy(wrong_nb)
    test_cell = _cell(retyped, cell_id)
    test_cell.cell_type = "markdown"
    del test_cell["outputs"], test_cell["execution_count"]
    other = next(p for p in problems_for(assignment) if p.cell_id != cell_id)
    stripped = _cell(retyped, other.cell_id)
    del stripped.metadata["nbgrader"]
    stripped["id"] = "my-own-cell"
    add("cheat-test-cell-retyped", retyped, zero,
        f"a wrong {name} whose test cell is now markdown, and another test cell with its "
        "nbgrader metadata and cell id removed (both restored from the source)")

    claimed = filled_in(assignment)
    real = _cell(claimed, cell_id)
    fake = nbformat.v4.new_code_cell("pass")
    fake.metadata["nbgrader"] = copy.deepcopy(real.metadata["nbgrader"])
    real.metadata.nbgrader.update(grade_id="extra_points", points=100)
    claimed.cells.insert(0, fake)
    add("cheat-grade-id-claimed", claimed, full,
        f"a new first cell claims the grade_id of {name}'s test cell, which is renamed and "
        "given 100 points (the real cell is graded, out of its source points)")

    retagged = filled_in(assignment)
    for cell in retagged.cells:
        role = utils.is_solution(cell) or utils.is_locked(cell)
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and role and not utils.is_grade(cell):
            cell.metadata["tags"] = ["practice"]
        elif "practice" in tags:
            cell.metadata["tags"] = [t for t in tags if t != "practice"]
    add("practice-tags-moved", retagged, full,
        "a correct notebook with the practice tag on every answer and set-up cell and taken "
        "off the practice cells (the source's tags are used: full marks, practice skipped)")
    return scenarios


def grader_bound_scenarios(assignment, target):
    """Values and cells that crashed, flooded or stalled the grader; each gets a verdict."""
    name, cell_id = target.student_object, target.cell_id
    correct = filled_in(assignment)
    values = _value_problems(assignment)
    scenarios = []

    def add(label, nb, expected, description):
        scenarios.append(Scenario(f"submitted-{label}", nb, expected, description))

    huge = _returning(correct, name, HUGE_INT)
    for problem in values:
        name_ = problem.student_object
        huge = append_to_answer(huge, name_, f"{name_} = {HUGE_INT}")
    add("huge-int", huge,
        expected_scores(assignment, zero=[cell_id, *(p.cell_id for p in values)]),
        f"10**400 (beyond the float range) as {name}'s result and as every answer variable")

    if values:
        big_item, big = values[0], append_to_answer(
            correct, values[0].student_object, f"{values[0].student_object} = {HUGE_TEXT}")
    else:
        big_item, big = target, _returning(correct, name, HUGE_TEXT)
    add("30mb-answer", big, expected_scores(assignment, zero=[big_item.cell_id]),
        f"a 30 MB string as the answer of {big_item.cell_id}")

    first = next(p for p in problems_for(assignment) if not isinstance(p, ValueProblem))
    sleepy = append_to_answer(correct, first.student_object,
                              f"import time as _time\n_time.sleep({SLEEP_SECONDS})")
    for _ in range(DEATHS_AFTER_THE_LAST_TEST):
        sleepy.cells.append(nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    add("sleep-and-die", sleepy, expected_scores(assignment),
        f"sleeps {SLEEP_SECONDS} s early on, then {DEATHS_AFTER_THE_LAST_TEST} cells after the "
        "last test each kill the kernel (every death used to re-run every earlier cell)")
    return scenarios


def grader_scenarios(assignment, target):
    return metadata_scenarios(assignment, target) + grader_bound_scenarios(assignment, target)
