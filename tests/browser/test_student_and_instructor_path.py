"""The student's and the instructor's path through JupyterLab, in a real headless chromium.

Student (JupyterLab as `make lab` starts it: the release folder, student settings): open
the released 01_rnn, run all cells, read the failing blank's error and a failing visible
test's message on the page, type a correct answer into the editor, re-run, validate with
nbgrader's toolbar button and see success.
Instructor (JupyterLab at the course root, as `make formgrader` starts it): submit and
autograde that notebook, open formgrader from JupyterLab's Nbgrader menu, find the
submission, type points for a manually graded answer, and find them in the gradebook.

Screenshots of every step go to build/test-artifacts/browser/ (look at them).
"""
import re
import time

import nbformat
import pytest

from autograder.instructor.config import REPO_ROOT
from autograder.testkit.course import Course
from autograder.testkit.submissions import filled_in
from tests.browser.lab_session import chromium_page, running_lab

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

ASSIGNMENT = "01_rnn"
STUDENT = "hanako"
ARTEFACTS = REPO_ROOT / "build" / "test-artifacts" / "browser"
RELEASE = "notebooks"  # the course's release folder, what `make lab` serves to students
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
FIRST_BLANK = "conv_output_size_code"
WRONG_ANSWER = '''def conv_output_size(H, FH, stride, pad):
    """Output height of a convolution (forgets the padding)."""
    return (H - FH) // stride + 1'''
RIGHT_ANSWER = '''def conv_output_size(H, FH, stride, pad):
    """Output height of a convolution."""
    return (H + 2 * pad - FH) // stride + 1'''
MANUAL_ITEM = "recurrent_weight_answer"  # a [manual] answer worth 2 points
WAIT_MS = 60_000


class Steps:
    """Numbered screenshots of the page, one per step of the path."""

    def __init__(self, folder):
        self.page, self.folder, self.count = None, folder, 0
        self.start = time.monotonic()
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def shot(self, name, full_page=False):
        self.count += 1
        path = self.folder / f"{self.count:02d}_{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        print(f"{time.monotonic() - self.start:5.1f} s  {path.name}")
        return path


def student_notebook_with_first_blank_left():
    """The released notebook with every answer filled in except the first blank: the
    student has done the rest and now works on the first item in the browser."""
    nb = filled_in(ASSIGNMENT)
    blank = nbformat.read(REPO_ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    blank_cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in blank.cells}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == FIRST_BLANK:
            cell.source = blank_cells[FIRST_BLANK].source
    return nb


@pytest.fixture
def course(tmp_path):
    course = Course.create(tmp_path / "course", assignments=[ASSIGNMENT])
    nbformat.write(student_notebook_with_first_blank_left(), course.root / RELEASE / NOTEBOOK)
    return course


# --- JupyterLab page helpers -------------------------------------------------------------

def open_notebook(page, lab, path):
    page.goto(lab.url(f"lab/tree/{path}"))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=WAIT_MS)
    # the kernel is up when the status bar says Idle
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=WAIT_MS)


def menu(page, top, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel",
                 has_text=re.compile(f"^{re.escape(item)}$")).click()


def code_cell(page, first_line):
    return page.locator(".jp-CodeCell").filter(
        has=page.locator(".cm-content", has_text=first_line)).first


def replace_cell_source(page, cell, text):
    """Click into the cell's CodeMirror editor, select all, type the new source."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    # insert_text types as one input event: no auto-indent or bracket closing doubling up
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")


def wait_for_output(cell, text, what):
    output = cell.locator(".jp-OutputArea-output", has_text=text)
    try:
        output.first.wait_for(timeout=WAIT_MS)
    except Exception as exc:
        shown = cell.locator(".jp-OutputArea").inner_text()
        raise AssertionError(f"{what}: expected {text!r} in the cell's output, the page "
                             f"shows:\n{shown[:2000]}") from exc
    return output.first.inner_text()


def run_all(page):
    menu(page, "Run", "Run All Cells")


def run_cell_and_the_next(page):
    """Shift+Enter twice from the selected cell: the answer, then its test cell (what a
    student does after editing an answer)."""
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")


# --- the test ------------------------------------------------------------------------------

def test_student_validates_and_instructor_grades_in_jupyterlab(course):
    start = time.monotonic()
    steps = Steps(ARTEFACTS)
    logs = course.root.parent
    # both servers start side by side: the instructor's is up by the time it is needed
    with running_lab(course.root, logs / "student-lab.log", serve=RELEASE,
                     student=True) as student_lab, \
            running_lab(course.root, logs / "instructor-lab.log",
                        instructor=True) as instructor_lab:
        in_browser(steps, student_lab, student_path)
        saved = nbformat.read(course.root / RELEASE / NOTEBOOK, 4)
        course.submit(STUDENT, ASSIGNMENT, saved)
        course.autograde(ASSIGNMENT)
        scores = course.scores(ASSIGNMENT)[STUDENT]
        assert all(score == top for score, top in scores.values()), scores
        in_browser(steps, instructor_lab, instructor_path)

    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        grade = gb.find_grade(MANUAL_ITEM, ASSIGNMENT, ASSIGNMENT, STUDENT)
        assert grade.manual_score == 1.5, (grade.manual_score, grade.auto_score)
    print(f"student and instructor path: {time.monotonic() - start:.0f} s")


def in_browser(steps, lab, path):
    """Walk ``path(page, lab, steps)`` in a fresh chromium; on failure, say where."""
    with chromium_page() as page:
        page.set_default_timeout(WAIT_MS)
        steps.page = page
        try:
            path(page, lab, steps)
        except Exception as exc:
            shot = steps.shot("FAILED_here", full_page=True)
            raise AssertionError(f"{exc}\n(page at failure: {shot}; JupyterLab log:\n"
                                 f"{lab.log_tail(1500)})") from exc


def student_path(page, lab, steps):
    # 1. the student opens the notebook and runs everything: the first blank raises
    open_notebook(page, lab, NOTEBOOK)
    steps.shot("student_opens_01_rnn")
    run_all(page)
    blank = code_cell(page, "def conv_output_size(H, FH, stride, pad):")
    test_cell = code_cell(page, "assert_close(conv_output_size(28, 5, 1, 0)")
    message = wait_for_output(test_cell, "NotImplementedError", "the untouched first blank")
    assert "raise NotImplementedError()" in message, message
    blank.scroll_into_view_if_needed()
    steps.shot("first_blank_raises_NotImplementedError")

    # 2. a wrong answer: the visible test under it says what is wrong, readably
    replace_cell_source(page, blank, WRONG_ANSWER)
    run_cell_and_the_next(page)
    message = wait_for_output(test_cell, "VisibleTestFailure", "a wrong first answer")
    assert "'same' padding keeps the size" in message, message
    assert "Traceback" not in message and "site-packages" not in message, message
    blank.scroll_into_view_if_needed()
    steps.shot("visible_test_message_for_a_wrong_answer")

    # 3. the correct answer: the visible test passes
    replace_cell_source(page, blank, RIGHT_ANSWER)
    run_cell_and_the_next(page)
    wait_for_output(test_cell, "'same' padding keeps the size: OK", "the correct first answer")
    assert "Error" not in test_cell.locator(".jp-OutputArea").inner_text()
    blank.scroll_into_view_if_needed()
    steps.shot("correct_answer_passes_the_visible_test")

    # 4. nbgrader's Validate button (saves, then validates on the server)
    page.locator(".jp-NotebookPanel-toolbar jp-button.validate-button").click()
    verdict = page.locator(".jp-Dialog .validation-success, .jp-Dialog .validation-failed, "
                           ".jp-Dialog:has-text('Validation failed')")
    verdict.first.wait_for(timeout=WAIT_MS * 2)
    steps.shot("validate_reports_success")
    text = page.locator(".jp-Dialog").inner_text()
    assert "Success! Your notebook passes all the tests." in text, text
    page.locator(".jp-Dialog button", has_text="OK").click()

    # 5. students get the assignment list and Validate, not the instructor's tools
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).click()
    items = page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel").all_inner_texts()
    steps.shot("student_nbgrader_menu")
    page.keyboard.press("Escape")
    assert "Assignment List" in items and "Formgrader" not in items, items


def instructor_path(page, lab, steps):
    # 5. formgrader, opened from JupyterLab's Nbgrader menu, lists the submission
    page.goto(lab.url("lab"))
    menu(page, "Nbgrader", "Formgrader")
    grader = page.frame_locator("iframe[src*='formgrader']")
    grader.locator("a", has_text=ASSIGNMENT).first.wait_for(timeout=WAIT_MS)
    steps.shot("formgrader_lists_01_rnn")

    # 6. the assignment's grading page lists the submission; open it, score a written answer
    page.goto(lab.url(f"formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}"))
    submission = page.locator("a[href*='/formgrader/submissions/']:visible").first
    submission.wait_for(timeout=WAIT_MS)
    steps.shot("formgrader_lists_the_submission")
    submission.click()
    score_box = page.locator(f"input.score#{MANUAL_ITEM}")
    score_box.wait_for(timeout=WAIT_MS)
    score_box.scroll_into_view_if_needed()
    steps.shot("formgrader_shows_the_manual_answer")
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                              and r.request.method == "PUT", timeout=WAIT_MS) as saved:
        score_box.fill("1.5")
        score_box.press("Tab")  # formgrader saves a score when its box loses focus
    assert saved.value.ok, saved.value.status
    steps.shot("instructor_scored_the_manual_answer")

