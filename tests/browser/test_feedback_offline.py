"""A feedback page typesets its math with no network, and still runs nothing of the
student's (issue 16 item 7).

The page `nbgrader generate_feedback` wrote for the hostile 01_rnn submission of
tests/grading/test_inert_html.py, opened from file:// in headless chromium whose network is
unreachable (every request goes to a proxy on a closed port; the page itself may ask for
nothing but file:// and data: URLs): MathJax, inlined into the page, turns the course's
`$...$` and `$$...$$` into MathML, no `$$` is left in the text, none of the student's
payloads runs and nothing violates the page's Content-Security-Policy. A screenshot is kept in
build/test-artifacts/feedback-offline/.
"""
import pytest

from autograder.instructor.config import REPO_ROOT
from tests.browser.lab_session import chromium_page
from tests.grading.test_inert_html import ASSIGNMENT, MARK, STUDENT, graded  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]

ARTEFACTS = REPO_ROOT / "build" / "test-artifacts" / "feedback-offline"
NO_NETWORK = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
WAIT_MS = 30_000


def test_the_feedback_page_typesets_its_math_offline(graded):  # noqa: F811
    page_file = graded.root / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html"
    body = page_file.read_text().split("<body", 1)[1]
    assert "$$" in body, "the notebook has no display math to typeset"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(extra_args=NO_NETWORK) as page:
        requests, violations, errors = [], [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri(), wait_until="load")
        typeset = 0
        for _ in range(WAIT_MS // 200):
            typeset = page.evaluate(
                "() => document.querySelectorAll('.MathJax_MathML math').length")
            if typeset and not page.evaluate("() => MathJax.Hub.queue.pending"):
                break
            page.wait_for_timeout(200)
        page.wait_for_timeout(500)
        for element in page.locator("b", has_text="hover").all():
            element.dispatch_event("mouseover")
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTEFACTS / "feedback.png"), full_page=True)
        text = page.evaluate("() => document.body.innerText")
        title = page.title()
        scripts_run = page.evaluate(
            f"[...document.scripts].filter(s => s.text.includes({MARK!r})).length")
    assert typeset >= 5, f"only {typeset} formulas typeset"
    assert "$$" not in text, "raw $$ left in the page"
    assert not title.startswith(MARK), f"a student's script ran: document.title = {title!r}"
    assert scripts_run == 0
    assert not violations, violations
    assert not errors, errors
    elsewhere = [url for url in requests if not url.startswith(("file://", "data:"))]
    assert not elsewhere, f"the page asked the network for {elsewhere}"
