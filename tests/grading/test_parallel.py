"""`python -m autograder.instructor.parallel`: a class graded on two workers gets exactly the scores
of sequential grading, a re-run grades nothing, a changed submission alone is graded
again, a bad file is reported while the others are graded, and submissions stay as
they were."""
import hashlib
import shutil
import sqlite3
import subprocess
import sys

import pytest

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.testkit.scenarios import registry_scenarios

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "02_bptt"
BROKEN = "submitted-broken-json"
BAD_TIMESTAMP = "submitted-bad-timestamp"
CHANGED = "submitted-correct"
SEQUENTIAL_SAMPLE = 5  # scenarios also graded by the sequential command, for comparison


def _parallel(course, *args):
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.parallel", ASSIGNMENT,
                             "--workers", "2", *args],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _checksums(course):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (course.root / "submitted").rglob("*") if p.is_file()}


def _mtimes(course):
    return {p: p.stat().st_mtime_ns for p in (course.root / "autograded").rglob("*.ipynb")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three runs on one course: first, again unchanged, again after one change."""
    course = Course.create(tmp_path_factory.mktemp("parallel") / "course", [ASSIGNMENT])
    scenarios = {s.name: s for s in registry_scenarios(ASSIGNMENT)}
    for name, scenario in scenarios.items():
        course.submit(name, ASSIGNMENT, scenario.notebook)
    broken = course.submission_path(BROKEN, ASSIGNMENT)
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [')
    course.submit(BAD_TIMESTAMP, ASSIGNMENT, scenarios["submitted-correct"].notebook)
    timestamp = course.root / "submitted" / BAD_TIMESTAMP / ASSIGNMENT / "timestamp.txt"
    timestamp.write_text("last Tuesday\n")
    before = _checksums(course)

    first = _parallel(course)
    after_first = course.scores(ASSIGNMENT)
    checksums_after_first = _checksums(course)
    mtimes = _mtimes(course)

    second = _parallel(course)
    after_second = course.scores(ASSIGNMENT)
    mtimes_after_second = _mtimes(course)

    wrong = next(s for s in scenarios.values() if s.name.startswith("submitted-misconception-"))
    course.submit(CHANGED, ASSIGNMENT, wrong.notebook)
    third = _parallel(course)
    return dict(course=course, scenarios=scenarios, wrong=wrong, before=before,
                first=first, after_first=after_first, checksums_after_first=checksums_after_first,
                mtimes=mtimes, second=second, after_second=after_second,
                mtimes_after_second=mtimes_after_second, third=third,
                after_third=course.scores(ASSIGNMENT))


def test_every_scenario_gets_its_expected_score_in_parallel(runs):
    scores = runs["after_first"]
    for name, scenario in runs["scenarios"].items():
        got = {cell: scores[name][cell][0] for cell in scenario.expected}
        assert got == scenario.expected, (name, scenario.description)


def test_parallel_scores_equal_sequential_grading_item_by_item(runs, tmp_path):
    """The same submissions graded by the sequential command (intake + nbgrader autograde)
    in a course with the same grading secret get the same score on every item."""
    sample = list(runs["scenarios"].values())[:SEQUENTIAL_SAMPLE]
    course = Course.create(tmp_path / "sequential", [ASSIGNMENT])
    shutil.copy2(runs["course"].root / ".autograder_secret", course.root / ".autograder_secret")
    for scenario in sample:
        course.submit(scenario.name, ASSIGNMENT, scenario.notebook)
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.intake", ASSIGNMENT],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    sequential = course.scores(ASSIGNMENT)
    assert {s.name: runs["after_first"][s.name] for s in sample} == sequential


def test_each_student_has_one_submission_and_one_grade_per_item(runs):
    course = runs["course"]
    with sqlite3.connect(course.root / "gradebook.db") as db:
        per_student = dict(db.execute(
            "SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id").fetchall())
        duplicates = db.execute(
            "SELECT notebook_id, cell_id, COUNT(*) FROM grade GROUP BY notebook_id, cell_id "
            "HAVING COUNT(*) > 1").fetchall()
    graded = set(runs["scenarios"]) | {BROKEN}
    assert {s: n for s, n in per_student.items() if s in graded} == {s: 1 for s in graded}
    assert duplicates == []
    items = set(runs["after_first"]["submitted-correct"])
    assert all(set(runs["after_first"][s]) == items for s in graded)


def test_a_broken_file_is_reported_and_graded_as_blank_while_the_others_are_graded(runs):
    note = f"[intake] {BROKEN} / {ASSIGNMENT}: {ASSIGNMENT}.ipynb is not a readable notebook"
    assert note in runs["first"]
    assert all(score == 0.0 for score, _ in runs["after_first"][BROKEN].values())


def test_a_submission_nbgrader_cannot_grade_is_named_with_the_reason_and_retried(runs):
    first, second = runs["first"], runs["second"]
    assert f"COULD NOT GRADE {BAD_TIMESTAMP} / {ASSIGNMENT}: " in first
    reason = first.split(f"COULD NOT GRADE {BAD_TIMESTAMP}", 1)[1].splitlines()[0]
    assert "Unknown string format: last Tuesday" in reason
    graded = len(runs["scenarios"]) + 1  # every scenario and the broken file
    assert (f"{graded} submissions graded, 0 unchanged (already graded), "
            "1 could not be graded") in first
    assert f"COULD NOT GRADE {BAD_TIMESTAMP}" in second  # not recorded as graded: tried again


def test_a_rerun_grades_nothing_and_changes_nothing(runs):
    graded = len(runs["scenarios"]) + 1
    assert f"0 submissions graded, {graded} unchanged (already graded)" in runs["second"]
    assert runs["after_second"] == runs["after_first"]
    assert runs["mtimes_after_second"] == runs["mtimes"]


def test_changing_one_submission_regrades_only_that_one(runs):
    graded = len(runs["scenarios"]) + 1
    assert f"1 submissions graded, {graded - 1} unchanged (already graded)" in runs["third"]
    after, before = runs["after_third"], runs["after_first"]
    wrong = runs["wrong"]
    assert {cell: after[CHANGED][cell][0] for cell in wrong.expected} == wrong.expected
    assert {s: v for s, v in after.items() if s != CHANGED} == {s: v for s, v in before.items()
                                                                if s != CHANGED}


def test_grading_never_modifies_a_submission(runs):
    assert runs["checksums_after_first"] == runs["before"]
