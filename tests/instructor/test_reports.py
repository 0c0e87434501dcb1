"""The class report's statistics and page (autograder.instructor.item_statistics and
.class_report) on small hand-made tables: no gradebook, no grading, no process. The report
over a real graded class is checked in tests/grading/test_autograde.py; over a gradebook
made here (due date, late and manual grades) in the one nbgrader-marked test at the end."""
import datetime
import math
from html.parser import HTMLParser

import numpy as np
import pytest

from autograder.instructor import item_statistics as stats
from autograder.instructor.class_report import (
    SECTIONS,
    ClassData,
    GradeRecord,
    ItemInfo,
    StudentRecord,
    render,
)

HOSTILE = "<img src=x onerror=alert(1)>"


def test_difficulty_is_the_share_with_full_marks():
    assert stats.difficulty([2, 2, 0, 1, 2], 2) == pytest.approx(0.6)
    assert stats.difficulty([0, 0], 3) == 0 and stats.difficulty([], 3) is None


def test_point_biserial_matches_the_hand_computed_value_and_pearson():
    # totals 10 8 6 4 2, full marks for the first three: M1 = 8, M0 = 3, s = sqrt(8),
    # p = 0.6: r = 5 / sqrt(8) * sqrt(0.24) = 5 sqrt(0.03) = sqrt(3) / 2
    scores, totals = [2, 2, 2, 0, 0], [10, 8, 6, 4, 2]
    r = stats.point_biserial(scores, 2, totals)
    assert r == pytest.approx(math.sqrt(3) / 2, abs=1e-12)
    assert r == pytest.approx(np.corrcoef([1, 1, 1, 0, 0], totals)[0, 1], abs=1e-12)
    # an item the weaker students got right discriminates the wrong way
    assert stats.point_biserial([0, 0, 2, 2, 2], 2, totals) == pytest.approx(-r)
    assert stats.discrimination_label(-r) == "negative: check the item"
    assert stats.discrimination_label(r) == "very good"
    assert stats.discrimination_label(0.25) == "marginal"


def test_a_constant_item_or_constant_totals_have_no_discrimination_and_no_division_by_zero():
    assert stats.point_biserial([3, 3, 3], 3, [9, 5, 1]) is None  # everyone full marks
    assert stats.point_biserial([0, 0, 0], 3, [9, 5, 1]) is None  # nobody
    assert stats.point_biserial([3, 0, 3], 3, [4, 4, 4]) is None  # every total the same
    assert stats.point_biserial([3], 3, [4]) is None
    assert stats.discrimination_label(None) == "no spread"
    with pytest.raises(ValueError):
        stats.point_biserial([3, 0], 3, [1])


def test_item_statistics_leave_out_answers_not_yet_graded():
    s = stats.item_statistics("essay", 2, {"a": 2.0, "b": None, "c": 1.0, "d": 0.0},
                              {"a": 9, "b": 7, "c": 5, "d": 1})
    assert (s.n, s.n_full, s.difficulty) == (3, 1, pytest.approx(1 / 3))
    assert s.distribution == [(0.0, 1), (1.0, 1), (2.0, 1)]
    assert s.discrimination == pytest.approx(np.corrcoef([1, 0, 0], [9, 5, 1])[0, 1])


def test_summary_has_mean_and_median():
    assert stats.summary([1, 2, 10]) == {"n": 3, "mean": pytest.approx(13 / 3), "median": 2,
                                         "min": 1, "max": 10}
    assert stats.summary([])["mean"] is None


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text of style elements."""

    def __init__(self, page):
        super().__init__()
        self.tags = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def hand_made_class():
    due = datetime.datetime(2027, 1, 15, 22, 59)
    items = [ItemInfo("rnn_step_forward", 2), ItemInfo("rnn_forward", 3),
             ItemInfo("recurrent_weight_answer", 2, manual=True)]
    wrong = {"key": "tanh_missing", "hint": "the <b>tanh</b> is missing"}
    students = [
        StudentRecord("alice", 7, {"rnn_step_forward": GradeRecord(2), "rnn_forward":
                                   GradeRecord(3), "recurrent_weight_answer": GradeRecord(2)},
                      timestamp=due - datetime.timedelta(hours=1), seconds_late=-3600),
        StudentRecord(HOSTILE, 2, {"rnn_step_forward": GradeRecord(2), "rnn_forward":
                                   GradeRecord(0, misconception=wrong),
                                   "recurrent_weight_answer": GradeRecord(None)},
                      timestamp=due + datetime.timedelta(seconds=8000), seconds_late=8000),
        StudentRecord("carol", 0, {"rnn_step_forward": GradeRecord(0), "rnn_forward":
                                   GradeRecord(0, misconception=wrong),
                                   "recurrent_weight_answer": GradeRecord(0, blank=True)},
                      timestamp=due, seconds_late=0),
    ]
    return ClassData("01_rnn", items, students, due)


def test_the_page_has_every_section_and_shows_a_hostile_student_id_as_text():
    links = {HOSTILE: "../feedback/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/01_rnn/01_rnn.html",
             "alice": "../feedback/alice/01_rnn/01_rnn.html"}
    page = render(hand_made_class(), links)
    for key, heading in SECTIONS:
        assert f"<section id='{key}'><h2>{heading}</h2>" in page
    assert "students with full marks" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and HOSTILE not in page
    assert "the &lt;b&gt;tanh&lt;/b&gt; is missing" in page  # hints are shown as text too
    tags = Tags(page).tags
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)
    assert not any(tag in ("script", "iframe", "object", "embed") for tag, _ in tags)
    images = [attrs["src"] for tag, attrs in tags if tag == "img"]
    assert len(images) == 1 and images[0].startswith("data:image/png;base64,")
    hrefs = [attrs["href"] for tag, attrs in tags if tag == "a" and "id" in attrs.get("class", "")]
    assert links[HOSTILE] in hrefs and links["alice"] in hrefs
    assert "carol</span>" in page  # no feedback page: shown, not linked
    # the numbers a teacher reads: mean 3 and median 2 of 7, one late (2 h 13 min), one
    # answer waiting, misconception M1 hit by two students
    assert "<div class='value'>3</div><div class='label'>mean (of 7)</div>" in page
    assert "<div class='value'>2</div><div class='label'>median</div>" in page
    assert "<div class='value'>1</div><div class='label'>late submissions</div>" in page
    assert "<div class='value'>1</div><div class='label'>answers to grade by hand</div>" in page
    assert "2 h 13 min" in page and "<div class='count'>2</div>" in page
    assert page.count(">M1</td>") == 2  # the two heat map cells of the misconception


def test_a_class_without_due_date_misconceptions_or_manual_items_says_so():
    data = ClassData("02_bptt", [ItemInfo("bptt", 2)],
                     [StudentRecord("a", 2, {"bptt": GradeRecord(2)}),
                      StudentRecord("b", 2, {"bptt": GradeRecord(2)})])
    page = render(data)
    assert "No due date is set" in page and "no known misconception" in page
    assert "no manually graded item" in page and "no spread" in page
    empty = render(ClassData("03_lstm", [ItemInfo("lstm", 2)], [], datetime.datetime(2027, 1, 1)))
    assert "no submissions yet" in empty and "no grades yet" in empty


# --- the command over a gradebook made here (no grading run: seconds) ----------------------

def small_course(root):
    """A course folder with a source notebook of one test cell (rnn_forward, 3 points) and
    one written answer (why_tanh, 2 points), a due date, and three submissions: alice
    (full marks, written answer graded, on time, feedback page), the hostile id (a
    recognised misconception, answer not yet graded, 2 h 13 min late, feedback page) and
    carol (test failed, answer left blank)."""
    import json

    import nbformat
    from nbgrader.api import Gradebook

    due = datetime.datetime(2027, 1, 15, 22, 59)
    test = nbformat.v4.new_code_cell("check('rnn_forward', rnn_forward)", metadata={
        "nbgrader": {"grade": True, "solution": False, "grade_id": "rnn_forward", "points": 3}})
    answer = nbformat.v4.new_markdown_cell("YOUR ANSWER HERE", metadata={
        "nbgrader": {"grade": True, "solution": True, "grade_id": "why_tanh", "points": 2}})
    source = root / "source" / "01_rnn" / "01_rnn.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[test, answer]), source)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    verdict = {"item": "01_rnn.rnn_forward", "passed": False, "judged_without": [],
               "misconception": {"key": "no_tanh", "hint": "the <b>tanh</b> is missing"}}
    autograded = root / "autograded" / HOSTILE / "01_rnn" / "01_rnn.ipynb"
    autograded.parent.mkdir(parents=True)
    autograded.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": test.metadata,
        "outputs": [{"output_type": "display_data", "data": {"text/plain": "failed"},
                     "metadata": {"rnn_course_verdict": verdict}}]}]}))
    for student in ("alice", HOSTILE):
        page = root / "feedback" / student / "01_rnn" / "01_rnn.html"
        page.parent.mkdir(parents=True)
        page.write_text("<html></html>")
    grades = {"alice": ((3, None), (None, 2), -600), HOSTILE: ((0, None), (None, None), 8000),
              "carol": ((0, None), (0, None), 0)}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.add_assignment("01_rnn", duedate=due)
        gb.add_notebook("01_rnn", "01_rnn")
        gb.add_grade_cell("rnn_forward", "01_rnn", "01_rnn", max_score=3, cell_type="code")
        gb.add_grade_cell("why_tanh", "01_rnn", "01_rnn", max_score=2, cell_type="markdown")
        gb.add_solution_cell("why_tanh", "01_rnn", "01_rnn")
        for student, (test_grade, answer_grade, late) in grades.items():
            gb.add_student(student)
            gb.add_submission("01_rnn", student, timestamp=due + datetime.timedelta(seconds=late))
            for cell, (auto, manual) in (("rnn_forward", test_grade), ("why_tanh", answer_grade)):
                grade = gb.find_grade(cell, "01_rnn", "01_rnn", student)
                grade.auto_score, grade.manual_score = auto, manual
        gb.db.commit()


@pytest.mark.nbgrader
def test_the_command_reports_a_gradebook_with_late_manual_and_hostile_submissions(tmp_path):
    import csv

    from autograder.instructor import reports

    small_course(tmp_path)
    assert reports.main(["01_rnn", "--root", str(tmp_path), "--out", "reports"]) == 0
    with open(tmp_path / "reports" / "01_rnn-items.csv", newline="") as f:
        rows = {(r["student_id"], r["item"]): r for r in csv.DictReader(f)}
    assert rows[("alice", "why_tanh")]["kind"] == "manual"
    assert rows[("carol", "why_tanh")]["kind"] == "manual"  # left blank: still a written answer
    assert rows[(HOSTILE, "why_tanh")]["score"] == ""  # not yet graded
    assert rows[(HOSTILE, "rnn_forward")]["misconception_key"] == "no_tanh"
    page = (tmp_path / "reports" / "01_rnn-report.html").read_text()
    for key, heading in SECTIONS:
        assert f"<section id='{key}'><h2>{heading}</h2>" in page
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    hrefs = [attrs.get("href") for tag, attrs in Tags(page).tags if tag == "a"]
    assert "../feedback/alice/01_rnn/01_rnn.html" in hrefs
    assert ("../feedback/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/01_rnn/01_rnn.html"
            in hrefs)
    assert not any(h and "carol" in h for h in hrefs)  # no feedback page, no link
    assert "Due 2027-01-15 22:59 UTC. 1 of 3 submissions" in page and "2 h 13 min" in page
    # why_tanh: answered by alice and the hostile id, graded once, waiting once, one blank
    assert ("<td class='num'>2</td><td class='num'>1</td><td class='waiting'>"
            "<div class='count bad'>1</div>" in page)
