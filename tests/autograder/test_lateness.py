"""Lateness in the feedback page and grades.csv under the course's policy "none" (issue 16,
item 9), on a gradebook made here (no grading run: seconds). The whole path through the
exchange, graded, is tests/grading/test_exchange.py
(test_lateness_is_in_the_late_student_s_feedback_and_the_export_only)."""
import csv
import datetime

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading.lateness import CELL_ID, ShowLateness, duration
from autograder.grading.safe_export import SafeCsvExportPlugin

pytestmark = pytest.mark.nbgrader

DUE = datetime.datetime(2027, 1, 15, 22, 59)
LATE = 2 * 3600 + 13 * 60 + 5  # 2 h 13 min after the due date


@pytest.fixture
def gradebook_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("01_rnn", duedate=DUE)
        gb.add_notebook("01_rnn", "01_rnn")
        for student, seconds in (("late", LATE), ("ontime", -600)):
            gb.add_student(student)
            gb.add_submission("01_rnn", student,
                              timestamp=DUE + datetime.timedelta(seconds=seconds))
        gb.add_student("absent")
    return url


def feedback_notebook(url, student):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 RNN")])
    resources = {"nbgrader": {"db_url": url, "assignment": "01_rnn", "student": student,
                              "notebook": "01_rnn"}}
    return ShowLateness().preprocess(nb, resources)[0]


def test_duration_reads_as_a_person_would_say_it():
    assert duration(LATE) == "2 h 13 min"
    assert duration(45) == "45 s" and duration(90) == "1 min 30 s" and duration(3600) == "1 h"
    assert duration(3 * 86400 + 4 * 3600 + 59) == "3 d 4 h" and duration(0.2) == "less than 1 s"


def test_a_late_submission_s_feedback_says_how_late_without_penalty(gradebook_url):
    nb = feedback_notebook(gradebook_url, "late")
    first = nb.cells[0]
    assert first.id == CELL_ID and first.cell_type == "markdown"
    assert first.source == ("**Late submission:** submitted 2 h 13 min after the due date "
                            "(2027-01-15 22:59 UTC) (no penalty in this course).")
    assert nb.cells[1].source == "# 01 RNN"


def test_an_on_time_submission_s_feedback_says_nothing(gradebook_url):
    nb = feedback_notebook(gradebook_url, "ontime")
    assert [c.source for c in nb.cells] == ["# 01 RNN"]


def test_the_export_has_the_seconds_late(gradebook_url, tmp_path):
    dest = tmp_path / "grades.csv"
    with Gradebook(gradebook_url) as gb:
        SafeCsvExportPlugin(to=str(dest)).export(gb)
    with open(dest, newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert float(rows["late"]["seconds_late"]) == LATE
    assert float(rows["late"]["late_submission_penalty"]) == 0.0  # policy "none"
    assert float(rows["ontime"]["seconds_late"]) == 0
    assert rows["absent"]["seconds_late"] == ""
