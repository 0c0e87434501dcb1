"""release_feedback reaches a student who submitted a renamed notebook (issue 16, item 1).

nbgrader's exchange classes in this process on a course folder made here, as intake and
generate_feedback leave it (seconds, no grading; the round trip with real accounts and
real grading is tests/grading/test_exchange.py
test_a_renamed_notebook_s_feedback_reaches_its_student_and_the_instructor_is_told)."""
import logging
import shutil

import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeFetchFeedback
from traitlets.config import Config

from autograder.instructor.config import REPO_ROOT
from autograder.grading.exchange import ReleaseFeedbackUnderSubmittedNames
from autograder.grading.submitted_files import submitted_names_of

A = "05_bidirectional"
STAMP = "2026-11-30 10:00:00.000000 UTC"
SECRET = "0123456789abcdef"


def config(tmp_path, **extra):
    c = Config()
    c.CourseDirectory.root = str(tmp_path / "course")
    c.CourseDirectory.course_id = "rnn-course"
    c.CourseDirectory.assignment_id = A
    c.Exchange.root = str(tmp_path / "exchange")
    for key, value in extra.items():
        section, name = key.split("__")
        setattr(getattr(c, section), name, value)
    return c


def run(step, c):
    step(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c).start()


@pytest.fixture
def course(tmp_path):
    """fay submitted only 05_bidirectional-Copy1.ipynb plus extra.ipynb (not a notebook of
    this assignment: ignored); intake graded the copy as 05_bidirectional.ipynb."""
    root = tmp_path / "course"
    (tmp_path / "exchange").mkdir()
    source = REPO_ROOT / "source" / A / f"{A}.ipynb"
    (root / "source" / A).mkdir(parents=True)
    shutil.copy(source, root / "source" / A)
    submitted = root / "submitted" / "fay" / A
    submitted.mkdir(parents=True)
    shutil.copy(source, submitted / f"{A}-Copy1.ipynb")
    (submitted / "extra.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    feedback = root / "feedback" / "fay" / A
    feedback.mkdir(parents=True)
    (feedback / f"{A}.html").write_text("<p>fay's feedback</p>")
    (feedback / "timestamp.txt").write_text(STAMP)
    (feedback / "submission_secret.txt").write_text(SECRET)
    # fay's own nbgrader cache: her submission as she sent it
    entry = tmp_path / "cache" / "rnn-course" / f"fay+{A}+{STAMP}"
    entry.mkdir(parents=True)
    for name in (f"{A}-Copy1.ipynb", "extra.ipynb", "submission_secret.txt"):
        shutil.copy(submitted / name if name != "submission_secret.txt" else feedback / name, entry)
    return tmp_path


def test_intake_says_which_renamed_notebook_was_graded(course):
    submitted = course / "course" / "submitted" / "fay" / A
    assert submitted_names_of(submitted, course / "course" / "source" / A, A) == (f"{A}-Copy1", ["extra"])


def test_the_renamed_notebook_s_student_fetches_her_feedback(course, caplog):
    with caplog.at_level(logging.INFO):
        run(ReleaseFeedbackUnderSubmittedNames, config(course))
    log = caplog.text
    assert f"Student 'fay' submitted {A}-Copy1.ipynb, not {A}.ipynb" in log
    assert "Student 'fay' submitted extra.ipynb" in log and "Could not find feedback" in log
    run(ExchangeFetchFeedback, config(course, CourseDirectory__student_id="fay",
                                      Exchange__cache=str(course / "cache"),
                                      Exchange__assignment_dir=str(course / "work")))
    fetched = sorted((course / "work" / A / "feedback").glob("*/*.html"))
    assert [p.name for p in fetched] == [f"{A}-Copy1.html"]
    assert fetched[0].read_text() == "<p>fay's feedback</p>"
