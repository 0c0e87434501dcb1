"""The real `nbgrader autograde` on real notebooks: every scenario gets its exact score.

One course per assignment holds every scenario as a student, so a single autograde run
grades them all (one kernel per notebook, as for a class).
"""
import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.testkit.course import Course
from autograder.testkit.scenarios import registry_scenarios
from tests.conftest import assignments

pytestmark = pytest.mark.nbgrader

CASES = [(a, s.name) for a in assignments() for s in registry_scenarios(a)]


def _grade_one(root, assignment):
    course = Course.create(root, [assignment])
    scenarios = {s.name: s for s in registry_scenarios(assignment)}
    checksums = {}
    for name, scenario in scenarios.items():
        path = course.submit(name, assignment, scenario.notebook)
        checksums[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    course.autograde(assignment)
    return course, scenarios, course.scores(assignment), checksums


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{assignment: (course, {student: scenario}, scores, checksums before grading)}.

    Each assignment is its own course, graded by its own `nbgrader autograde` process,
    two at a time (the machine has two cores).
    """
    names = assignments()
    roots = [tmp_path_factory.mktemp(name) / "course" for name in names]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_grade_one, roots, names))
    return dict(zip(names, results))


@pytest.mark.parametrize("assignment,student", CASES)
def test_each_scenario_gets_its_expected_score_on_every_item(graded, assignment, student):
    _, scenarios, scores, _ = graded[assignment]
    scenario = scenarios[student]
    got = {cell: scores[student][cell][0] for cell in scenario.expected}
    assert got == scenario.expected, scenario.description


@pytest.mark.parametrize("assignment", assignments())
def test_every_autograded_item_is_scored_for_every_student(graded, assignment):
    _, scenarios, scores, _ = graded[assignment]
    assert set(scores) == set(scenarios)
    correct = scores["submitted-correct"]
    assert all(set(items) == set(correct) for items in scores.values())


@pytest.mark.parametrize("assignment", assignments())
def test_submitted_files_are_not_modified_by_grading(graded, assignment):
    _, _, _, checksums = graded[assignment]
    for path, digest in checksums.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path


@pytest.mark.parametrize("assignment", assignments())
def test_feedback_shows_the_misconception_hint(graded, assignment):
    course, scenarios, _, _ = graded[assignment]
    course.generate_feedback(assignment)
    for name, scenario in scenarios.items():
        if name.startswith("submitted-misconception-"):
            hint = scenario.description.split(": ", 1)[1]
            html = (course.root / "feedback" / name / assignment / f"{assignment}.html").read_text()
            # a choice item's hint is a whole sentence ("Hint: choice (b) computes ...")
            assert ("Hint: this is what happens when" in html
                    or f"Hint: {_html_escaped(hint)}" in html), name
            assert _html_escaped(hint) in html, name


def _html_escaped(text):
    import html
    return html.escape(text, quote=False)


def test_stock_nbgrader_would_zero_the_stderr_scenario_and_ours_does_not(tmp_path):
    """Pins why KeepStderrOutOfGrading is configured: without it, stderr costs the item."""
    assignment = assignments()[0]
    scenario = next(s for s in registry_scenarios(assignment) if s.name.endswith("stderr-noise"))
    course = Course.create(tmp_path / "course", [assignment])
    course.submit(scenario.name, assignment, scenario.notebook)
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text().replace("    KeepStderrOutOfGrading,\n", ""))
    course.autograde(assignment)
    stock = course.scores(assignment)[scenario.name]
    assert any(stock[cell][0] == 0.0 for cell in scenario.expected)


@pytest.mark.parametrize("assignment", assignments())
def test_reports_carry_scores_misconceptions_and_lms_columns(graded, assignment):
    import csv
    import subprocess
    import sys

    from autograder.instructor.config import tool_env

    course, scenarios, scores, _ = graded[assignment]
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.reports", assignment],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    out = course.root / "reports"
    with open(out / f"{assignment}-items.csv") as f:
        rows = list(csv.DictReader(f))
    by_key = {(r["student_id"], r["item"]): r for r in rows}
    for name, scenario in scenarios.items():
        for cell, expected in scenario.expected.items():
            assert float(by_key[(name, cell)]["score"]) == expected
        if name.startswith("submitted-misconception-"):
            grade_id, hint = scenario.description.split(": ", 1)
            row = by_key[(name, grade_id.split(".", 1)[1])]
            assert row["misconception"] == hint
            assert row["misconception_key"] == name.rsplit("-", 1)[1]
    assert not any(r["misconception"] for r in rows if r["student_id"] == "submitted-correct")
    with open(out / "canvas.csv") as f:
        header = next(csv.reader(f))
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert assignment in header
    report = (out / f"{assignment}-report.html").read_text()
    assert "students with full marks" in report and "data:image/png;base64," in report


# The step each loop of 01 and 03 calls: a notebook whose only mistake is in it keeps full
# marks on every item that calls it, and the loop's feedback says it was judged without it.
BROKEN_STEP = {"01_rnn": ("rnn_step_forward", "rnn_forward"),
               "03_lstm": ("lstm_step_forward", "lstm_forward")}


@pytest.mark.parametrize("assignment", [a for a in BROKEN_STEP if a in assignments()])
def test_items_calling_a_broken_step_keep_full_marks_and_say_they_were_judged_without_it(
        graded, assignment):
    import nbformat

    from autograder.items import get_problem, problems_for

    course, scenarios, scores, _ = graded[assignment]
    step, loop = (get_problem(f"{assignment}.{name}") for name in BROKEN_STEP[assignment])
    callers = [p for p in problems_for(assignment) if step.grade_id in p.depends_on]
    assert loop in callers
    prefix = f"submitted-misconception-{step.cell_id.replace('_', '-')}-"
    students = [n for n in scenarios if n.startswith(prefix)]
    assert students
    for student in students:
        assert scores[student][step.cell_id][0] == 0.0
        for caller in callers:
            assert scores[student][caller.cell_id] == (caller.points, caller.points), caller.grade_id
        nb = nbformat.read(course.root / "autograded" / student / assignment / f"{assignment}.ipynb",
                           as_version=4)
        cell = next(c for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == loop.cell_id)
        verdict = next(o.metadata["rnn_course_verdict"] for o in cell.outputs
                       if "rnn_course_verdict" in o.get("metadata", {}))
        assert verdict["passed"] and verdict["judged_without"] == [step.grade_id]
        text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert "judged on its own logic" in text and step.student_object in text
