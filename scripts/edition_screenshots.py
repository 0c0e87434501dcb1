"""Screenshots of the Japanese edition as a reader sees it (headless chromium).

    .venv/bin/python scripts/edition_screenshots.py [--course build/demo-ja/course]

Writes to ``--out`` (default build/screenshots/):
* ``notebook-ja.png``: the top of a Japanese solution notebook (``--notebook``, default
  ja/solutions/03_lstm/03_lstm.ipynb) rendered to HTML by nbconvert, as JupyterLab shows
  the text; ``notebook-figure-ja.png``: the part of it that shows its first diagram;
* ``feedback-ja.png``: the first hint (ヒント) of a student's feedback page in a course
  graded in Japanese (``--course``: the demo's, made by
  ``python -m autograder.testkit.demo --language ja --out build/demo-ja``; the student is
  ``--student``, default bob, whose answers carry known misconceptions);
* ``<diagram>-ja.png``: one course diagram as the build attaches it (``--diagram``).
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def notebook_html(notebook, target):
    """nbconvert's HTML of ``notebook`` (markdown attachments inlined) at ``target``."""
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html",
                    "--output", target.stem, "--output-dir", str(target.parent), str(notebook)],
                   check=True, capture_output=True)
    return target


def shoot(page, out, selector=None, text=None):
    """A screenshot of the viewport, scrolled to the first element matching ``selector``
    (and containing ``text``) when given."""
    if selector:
        element = page.locator(selector, has_text=text).first if text else page.locator(
            selector).first
        element.scroll_into_view_if_needed()
        box = element.bounding_box()
        page.evaluate(f"window.scrollTo(0, {max(0, box['y'] + page.evaluate('window.scrollY') - 120)})")
    page.screenshot(path=str(out))
    print(f"screenshot: {out}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path,
                        default=ROOT / "ja" / "solutions" / "03_lstm" / "03_lstm.ipynb")
    parser.add_argument("--course", type=Path, default=ROOT / "build" / "demo-ja" / "course")
    parser.add_argument("--assignment", default="01_rnn")
    parser.add_argument("--student", default="bob")
    parser.add_argument("--diagram", default="lstm_cell")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from rnnlib import diagrams
    from tests.browser.lab_session import chromium_page

    figure = args.out / f"{args.diagram}-ja.png"
    figure.write_bytes(diagrams.png_bytes(args.diagram, "ja"))
    print(f"diagram: {figure}")
    with tempfile.TemporaryDirectory() as scratch, chromium_page(viewport=(1200, 1100)) as page:
        html = notebook_html(args.notebook, Path(scratch, "notebook.html"))
        page.goto(html.resolve().as_uri())
        shoot(page, args.out / "notebook-ja.png")
        shoot(page, args.out / "notebook-figure-ja.png", "img")
        feedback = args.course / "feedback" / args.student / args.assignment / (
            f"{args.assignment}.html")
        if feedback.exists():
            page.goto(feedback.resolve().as_uri())
            page.wait_for_timeout(1500)  # MathJax typesets the page's math
            shoot(page, args.out / "feedback-ja.png", "pre", "ヒント")
        else:
            print(f"no feedback page at {feedback}: run the Japanese demo first "
                  "(python -m autograder.testkit.demo --language ja --out build/demo-ja)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
