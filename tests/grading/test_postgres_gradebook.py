"""A PostgreSQL gradebook (the production option): a real server, started by this test in
a temporary directory on a free port, takes the grades of a class graded by two workers
writing at once; every score is its expected score, with no row missing or duplicated."""
import subprocess
import sys
import time

import pytest

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.testkit.scenarios import registry_scenarios

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "05_bidirectional"


@pytest.fixture(scope="module")
def graded(postgres_url, tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("postgres") / "course", [ASSIGNMENT])
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text() + f'\nc.CourseDirectory.db_url = "{postgres_url}"\n')
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")  # registers it in PostgreSQL
    scenarios = {s.name: s for s in registry_scenarios(ASSIGNMENT)}
    for name, scenario in scenarios.items():
        course.submit(name, ASSIGNMENT, scenario.notebook)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.parallel", ASSIGNMENT,
                             "--workers", "2"],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return course, scenarios, result.stdout, postgres_url, time.perf_counter() - start


def test_the_course_gradebook_is_the_postgres_server(graded):
    course, _, _, _, _ = graded
    local = course.root / "gradebook.db"  # made by Course.create, before the config named PostgreSQL
    assert not local.exists() or course.scores(ASSIGNMENT, db_url=f"sqlite:///{local}") == {}


def test_every_score_in_postgres_equals_its_expected_score(graded):
    course, scenarios, output, url, _ = graded
    assert f"{len(scenarios)} submissions graded" in output and "0 could not be graded" in output
    scores = course.scores(ASSIGNMENT, db_url=url)
    assert set(scores) == set(scenarios)
    for name, scenario in scenarios.items():
        got = {cell: scores[name][cell][0] for cell in scenario.expected}
        assert got == scenario.expected, (name, scenario.description)


def test_no_submission_or_grade_row_is_duplicated_or_missing(graded):
    import psycopg2

    course, scenarios, _, url, _ = graded
    items = set(course.scores(ASSIGNMENT, db_url=url)["submitted-correct"])
    connection = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id")
        assert dict(cursor.fetchall()) == {name: 1 for name in scenarios}
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT (notebook_id, cell_id)) FROM grade")
        rows, distinct = cursor.fetchone()
    connection.close()
    assert rows == distinct >= len(scenarios) * len(items)


def test_a_rerun_against_postgres_grades_nothing(graded):
    course, scenarios, _, url, _ = graded
    before = course.scores(ASSIGNMENT, db_url=url)
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.parallel", ASSIGNMENT],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert f"0 submissions graded, {len(scenarios)} unchanged" in result.stdout
    assert course.scores(ASSIGNMENT, db_url=url) == before


def test_the_reports_read_the_postgres_gradebook_the_course_is_configured_with(graded):
    """`python -m autograder.instructor.reports` in the course root, whose nbgrader_config.py
    points at PostgreSQL: every expected score and recognised misconception is in the CSV
    (a reader of a local sqlite file would find an empty gradebook)."""
    import csv

    course, scenarios, _, _, _ = graded
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.reports", ASSIGNMENT],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with open(course.root / "reports" / f"{ASSIGNMENT}-items.csv", newline="") as f:
        rows = {(r["student_id"], r["item"]): r for r in csv.DictReader(f)}
    for name, scenario in scenarios.items():
        for cell, expected in scenario.expected.items():
            assert float(rows[(name, cell)]["score"]) == expected, (name, cell)
        if name.startswith("submitted-misconception-"):
            grade_id, hint = scenario.description.split(": ", 1)
            assert rows[(name, grade_id.split(".", 1)[1])]["misconception"] == hint
