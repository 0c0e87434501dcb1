"""formgrader shows a hostile submission without running any of it (issue 11 class 5).

The instructor's server as `make formgrader` starts it (JupyterLab at the course root,
jupyter/instructor profile, the course's nbgrader_config.py), a submission autograded by the
real `nbgrader autograde` whose written answers and outputs carry scripts, on* handlers,
javascript: links, iframes and forms (tests.grading.test_inert_html.py). Over HTTP
the submission page has a script-blocking Content-Security-Policy header and no runnable
student markup; in headless chromium none of the payloads (each sets document.title) runs,
nothing violates the policy (so formgrader's own scripts all run), and formgrader still
shows the scores and typesets the math with the MathJax inlined into the page (nothing is
fetched from outside the server).
"""
import time
import urllib.request

import pytest

from autograder.instructor.config import REPO_ROOT
from autograder.testkit.course import Course
from tests.browser.lab_session import chromium_page, running_lab
from tests.grading.test_inert_html import (ASSIGNMENT, MARK, STUDENT, assert_inert,
                                                   hostile_notebook)

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

ARTEFACTS = REPO_ROOT / "build" / "test-artifacts" / "formgrader-inert"
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("formgrader-inert") / "course", [ASSIGNMENT])
    # roster names as an LMS import may bring them (students edit their own profile there)
    course.nbgrader("db", "student", "add", STUDENT,
                    f"--first-name=<img src=x onerror=\"document.title='{MARK}-name'\">",
                    "--last-name=<b>Mallory</b>")
    course.submit(STUDENT, ASSIGNMENT, hostile_notebook())
    course.autograde(ASSIGNMENT)
    return course


def submission_id(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        return gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, STUDENT).id


def test_formgrader_runs_nothing_of_the_students(course):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = f"formgrader/submissions/{submission_id(course)}/"
    with running_lab(course.root, course.root.parent / "formgrader.log", instructor=True) as lab:
        # 1. in chromium: no payload runs, no policy violation, formgrader's scripts work
        with chromium_page() as page:
            violations, errors = [], []
            page.on("console", lambda m: violations.append(m.text)
                    if "Content Security Policy" in m.text else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            outside = []  # MathJax is inlined: nothing but the server is asked for
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:"))
                    else None)
            # log in (the token in the URL of a page sets the cookie formgrader's API needs)
            page.goto(lab.url("formgrader"), wait_until="domcontentloaded")
            page.goto(lab.url(path), wait_until="domcontentloaded")
            # formgrade.js shows each autograded score in its box, from the gradebook through
            # the API (polled with evaluate: wait_for_function evals a string, which the
            # policy forbids)
            deadline = time.monotonic() + WAIT_MS / 1000
            while not page.evaluate("() => [...document.querySelectorAll('input.score')]"
                                    ".some(i => (i.placeholder || '') !== '')"):
                assert time.monotonic() < deadline, "formgrader never filled in the scores"
                page.wait_for_timeout(200)
            for element in page.locator("b", has_text="hover").all():
                element.dispatch_event("mouseover")  # the pointer could be under an overlay
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTEFACTS / "submission.png"), full_page=True)
            title = page.title()
            # the inlined MathJax ran (allowed by hash) and typeset the notebook's math
            typeset = page.evaluate("() => document.querySelectorAll('.MathJax_MathML').length")
            scripts_run = page.evaluate(
                f"[...document.scripts].filter(s => s.text.includes({MARK!r})).length")
        assert not title.startswith(MARK), f"a student's script ran: document.title = {title!r}"
        assert scripts_run == 0
        assert not violations, f"the policy blocked something of formgrader's: {violations}"
        assert not errors, errors
        assert typeset > 0, "the math was not typeset"
        assert not outside, f"the page fetched from outside the server: {outside}"

        # 2. over HTTP: the policy header, and nothing runnable of the student's in the page
        with urllib.request.urlopen(lab.url(path), timeout=60) as response:
            policy = response.headers.get("Content-Security-Policy", "")
            body = response.read().decode()
        script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
        assert script_src, f"no script-src in the Content-Security-Policy header: {policy!r}"
        assert "'unsafe-inline'" not in script_src and "*" not in script_src.split()
        assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
        assert_inert(body, "formgrader")
        assert "&lt;b&gt;Mallory&lt;/b&gt;" in body  # the roster name, shown as text
