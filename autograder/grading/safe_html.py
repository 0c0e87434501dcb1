"""Student notebooks rendered inert in formgrader and the feedback pages (DESIGN.md rule 10).

Both pages are nbconvert's HTMLExporter with nbgrader's templates (`formgrade`, `feedback`);
nbgrader_config.py configures that exporter for both (formgrader reads the course's
nbgrader_config.py too), so the student's content is treated alike:

* `InertNotebook` (an exporter preprocessor): outputs keep only the MIME types the pages
  show as data (text, HTML/markdown to be sanitised, LaTeX, PNG/JPEG/GIF with plain base64)
  and numeric image sizes; JavaScript, SVG, widgets, PDFs, `filenames` and `isolated`
  metadata are dropped; execution counts must be integers; nbgrader ids that are not plain
  names are neutralised; notebook metadata keeps only the kernel and language info, cell
  metadata only nbgrader's and tags (nothing hides a cell's source from the grader).
* `markdown2html` and `clean_html` (Jinja filters replacing nbconvert's): markdown is
  rendered as nbconvert does (math left for MathJax), then everything goes through one
  bleach allow-list (`clean`): markdown's tags, no `<script>`, no `on*` handlers, no
  `style`, no `id` (a student element must not stand in for formgrader's score boxes), no
  iframes/objects/forms, links only to http(s)/mailto/#, images only embedded
  `data:image/png|jpeg|gif` (the course's markdown has no image links). Anything else is
  shown escaped, as text.
  (nbconvert's own sanitising, `HTMLExporter.sanitize_html` / `SanitizeHTML`, uses bleach
  too, but nbgrader's templates render markdown cells without it, and its tag list has no
  `<p>`, headings or images, which it would show as escaped text.)
* `inert_head` (a filter called by the templates' `mathjax()` macro, overridden in
  autograder/templates/{formgrade,feedback}/mathjax.html.j2): MathJax 2.7 configured by a
  `window.MathJax` object (no inline `text/x-mathjax-config`, which MathJax would `eval`)
  and inlined from the jupyter-server-mathjax package (the page typesets its math without
  a network; MathJax renders to the browser's MathML and fetches nothing), then a
  Content-Security-Policy `<meta>`: from there on only the hashes of those MathJax scripts
  and of the templates' own inline scripts run; no inline script, event handler,
  `javascript:` URL, plugin or frame of the student's. The page head above it (nbgrader's
  own scripts) is untouched; formgrader also sends the policy as an HTTP header with the
  hashes of those head scripts (autograder/grading/formgrader_csp.py). A `<style>` after it wraps
  long output lines (hints).
* The feedback page's index names each item by its grade id
  (autograder/templates/feedback/index.html.j2, nbgrader's with that one change).
"""
import base64
import functools
import hashlib
import html
import re
from pathlib import Path

import bleach
import nbformat
from jinja2 import pass_context
from nbconvert.preprocessors import Preprocessor

TEMPLATES = Path(__file__).resolve().parent / "templates"
# MathJax 2.7 from the jupyter-server-mathjax package, inlined into every page (see
# mathjax_scripts): the pages typeset their math without a network
MATHJAX_FILES = ("MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "extensions/Safe.js")

# ---------------------------------------------------------------- HTML sanitising

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "tt", "u", "ul", "var",
})
PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*", re.I)
_NUMBER = re.compile(r"\d{1,5}(\.\d{1,3})?(px|%)?")
_TABLE_ATTRS = {"align", "colspan", "rowspan"}


def _allowed_attribute(tag, name, value):
    value = value.strip()
    if name == "class":
        return True
    if name == "title":
        return True
    if tag == "a" and name == "href":
        # absolute web links and anchors: no path into the instructor's Jupyter server
        return value.lower().startswith(("http://", "https://", "mailto:", "#"))
    if tag == "img":
        if name == "src":
            # embedded images only (outputs, attachments): the page fetches nothing a
            # student names, neither from the instructor's server nor from elsewhere
            return bool(_DATA_IMAGE.fullmatch(value))
        if name in ("width", "height"):
            return bool(_NUMBER.fullmatch(value))
        return name == "alt"
    if tag in ("td", "th", "col", "colgroup"):
        return name in _TABLE_ATTRS and bool(re.fullmatch(r"[A-Za-z0-9]{1,10}", value))
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


_CLEANER = bleach.sanitizer.Cleaner(tags=TAGS, attributes=_allowed_attribute,
                                    protocols=PROTOCOLS, strip=False, strip_comments=True)


def clean(fragment):
    """An HTML fragment with only the allow-listed tags and attributes (others escaped)."""
    fragment = fragment.decode() if isinstance(fragment, bytes) else str(fragment)
    return _CLEANER.clean(fragment)


def clean_html(fragment):
    """Jinja filter replacing nbconvert's `clean_html` (outputs, SVG, raw cells)."""
    return clean(fragment)


@pass_context
def markdown2html(context, source):
    """Jinja filter replacing HTMLExporter.markdown2html: nbconvert's rendering, sanitised.

    A missing or broken attachment shows no image instead of stopping the page; markdown
    the renderer chokes on is shown as escaped text."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class Renderer(IPythonRenderer):
        def _embed_image_or_attachment(self, src):
            try:
                return super()._embed_image_or_attachment(src)
            except Exception:  # noqa: BLE001 (missing, empty or broken attachment)
                return ""

    cell = context.get("cell", {}) or {}
    attachments = cell.get("attachments", {}) if hasattr(cell, "get") else {}
    path = context.get("resources", {}).get("metadata", {}).get("path", "")
    renderer = Renderer(escape=False, attachments=attachments if isinstance(attachments, dict)
                        else {}, embed_images=False, path=path, anchor_link_text="",
                        exclude_anchor_links=True)
    try:
        rendered = MarkdownWithMath(renderer=renderer).render(str(source))
    except Exception:  # noqa: BLE001 (the page must still show the rest of the notebook)
        rendered = f"<pre>{html.escape(str(source))}</pre>"
    return clean(rendered)


# ---------------------------------------------------------------- the notebook itself

CELL_METADATA = ("nbgrader", "tags")
RAW_CELL_METADATA = ("raw_mimetype", "format")
SHOWN_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex",
               "image/png", "image/jpeg", "image/gif")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
_GRADE_ID = re.compile(r"[A-Za-z0-9_\-]{1,200}")
_SIZE_KEYS = ("width", "height")


def _plain_base64(value):
    return isinstance(value, str) and bool(_BASE64.fullmatch(value))


def _image_metadata(meta):
    """Only numeric width/height survive (nbconvert writes them unquoted into <img>)."""
    if not isinstance(meta, dict):
        return {}
    out = {}
    for key in _SIZE_KEYS:
        value = meta.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 10**5:
            out[key] = value
    return out


class InertNotebook(Preprocessor):
    """Keep only what the pages show as data; drop anything that could run or inject."""

    def preprocess(self, nb, resources):
        # formgrader writes the student's id and roster names into its page unescaped (a
        # roster from an LMS where students edit their own names)
        for key in ("student", "first_name", "last_name"):
            if isinstance(resources, dict) and isinstance(resources.get(key), str):
                resources[key] = html.escape(resources[key])
        kept = {key: nb.metadata[key] for key in ("kernelspec", "language_info", "nbgrader")
                if key in nb.metadata}
        nb.metadata.clear()
        nb.metadata.update(kept)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        # Cell metadata keeps nbgrader's (restored from the source notebook when grading)
        # and tags; the rest could hide the student's code from the grader
        # (`transient.remove_source`, `jupyter.source_hidden`) or pick a highlighter.
        kept = CELL_METADATA + (RAW_CELL_METADATA if cell.cell_type == "raw" else ())
        meta = {key: cell.metadata[key] for key in kept if key in cell.get("metadata", {})}
        cell.metadata = nbformat.from_dict(meta)
        grading = meta.get("nbgrader")
        if isinstance(grading, dict) and "grade_id" in grading:
            grade_id = grading["grade_id"]
            if not (isinstance(grade_id, str) and _GRADE_ID.fullmatch(grade_id)):
                digest = hashlib.sha256(str(grade_id).encode()).hexdigest()[:12]
                grading["grade_id"] = "invalid-id-" + digest
        if isinstance(grading, dict) and "points" in grading:
            try:
                grading["points"] = float(grading["points"])
            except (TypeError, ValueError):
                grading["points"] = 0.0
        if "execution_count" in cell and not _is_count(cell.execution_count):
            cell.execution_count = None
        if cell.cell_type == "markdown" and "attachments" in cell:
            images = {name: {m: d for m, d in bundle.items()
                             if m in ("image/png", "image/jpeg", "image/gif") and _plain_base64(d)}
                      for name, bundle in cell.attachments.items() if isinstance(bundle, dict)}
            cell.attachments = {name: bundle for name, bundle in images.items() if bundle}
        if cell.cell_type == "code":
            cell.outputs = [o for o in (self._output(o) for o in cell.get("outputs", [])) if o]
        return cell, resources

    @staticmethod
    def _output(output):
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name") not in ("stdout", "stderr"):
                output["name"] = "stdout"
            if not isinstance(output.get("text"), str):
                output["text"] = str(output.get("text", ""))
            return output
        if kind == "error":
            output["traceback"] = [str(line) for line in output.get("traceback", [])]
            output["ename"] = str(output.get("ename", ""))
            output["evalue"] = str(output.get("evalue", ""))
            return output
        if kind not in ("display_data", "execute_result"):
            return None
        data = output.get("data", {})
        kept = {}
        for mime in SHOWN_TYPES:
            value = data.get(mime)
            if isinstance(value, list):
                value = "".join(map(str, value))
            if not isinstance(value, str):
                continue
            if mime.startswith("image/") and not _plain_base64(value):
                continue
            kept[mime] = value
        if not kept:
            return None
        output["data"] = kept
        old = output.get("metadata", {}) if isinstance(output.get("metadata"), dict) else {}
        output["metadata"] = {mime: _image_metadata(old.get(mime)) for mime in kept
                              if mime.startswith("image/") and _image_metadata(old.get(mime))}
        if kind == "execute_result" and not _is_count(output.get("execution_count")):
            output["execution_count"] = None
        return output


def _is_count(value):
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


# ---------------------------------------------------------------- MathJax and the policy

MATHJAX_CONFIG = (
    'window.MathJax = {'
    'TeX: {equationNumbers: {autoNumber: "AMS", useLabelIds: true}}, '
    'tex2jax: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], '
    'displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]], '
    'processEscapes: true, processEnvironments: true}, '
    'displayAlign: "center", messageStyle: "none", '
    # everything MathJax needs is inlined below: nothing is fetched (`root` names no real
    # place, and the policy would block it); the output is the browser's own MathML
    # (HTML-CSS would need web fonts), typesetting waits for the inlined files
    'root: "mathjax-inlined", config: ["TeX-AMS-MML_HTMLorMML-full.js"], '
    'extensions: ["Safe.js"], delayStartupUntil: "onload", '
    'menuSettings: {renderer: "NativeMML", FastPreview: false, locale: "en"}, '
    'MathMenu: {showRenderer: false}, '
    # no fonts for HTML-CSS (the combined configuration's choice for Chrome): it would fetch them
    '"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: null, imageFont: null}};'
)

# the page's CSS (no student style survives the sanitiser): long output lines (hints,
# tracebacks) wrap instead of running off the right edge
PAGE_STYLE = ("div.output_area pre, div.output_subarea pre, div.output_text pre {"
              " white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; }")


@functools.lru_cache(maxsize=1)
def mathjax_scripts():
    """MathJax 2.7's loader, its combined TeX configuration and the Safe extension, as the
    texts of inline <script>s (the policy allows exactly these, by hash)."""
    import jupyter_server_mathjax

    static = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
    texts = tuple((static / name).read_text(encoding="utf-8") for name in MATHJAX_FILES)
    if any("</script" in text.lower() for text in texts):  # would end the <script> early
        raise RuntimeError(f"{static}: a MathJax file contains </script; it cannot be inlined")
    return texts


def script_hash(text):
    """The CSP source expression that allows an inline <script> whose content is `text`."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@functools.lru_cache(maxsize=1)
def _template_script_hashes():
    """Hashes of the inline scripts and handlers (the name tooltips and show/hide-name
    buttons) nbgrader's formgrade template puts into <body>, after the policy: they must
    still run. Handlers need 'unsafe-hashes' (only these exact handler texts run)."""
    import nbgrader.server_extensions.formgrader.handlers as handlers

    macros = Path(handlers.template_path, "formgrade", "formgrade_macros.html.j2")
    try:
        text = macros.read_text()
    except OSError:
        return ()
    nav = text[text.find("{% macro nav"):] if "{% macro nav" in text else ""
    scripts = re.findall(r"<script type=\"text/javascript\">(.*?)</script>", nav, re.S)
    handlers_ = re.findall(r"\son[a-z]+='([^']*)'", nav) + re.findall(r'\son[a-z]+="([^"]*)"', nav)
    fixed = [s for s in scripts + handlers_ if "{{" not in s and "{%" not in s]
    return tuple((["'unsafe-hashes'"] if handlers_ else []) + sorted({script_hash(s) for s in fixed}))


def policy(script_sources=()):
    """The Content-Security-Policy of a rendered submission (meta and formgrader header)."""
    scripts = " ".join([script_hash(MATHJAX_CONFIG), *map(script_hash, mathjax_scripts()),
                        *_template_script_hashes(), *script_sources])
    return (f"script-src {scripts}; object-src 'none'; base-uri 'none'; frame-src 'none'; "
            "child-src 'none'; form-action 'none'")


def inert_head(_url=None):
    """Jinja filter for the `mathjax()` macro: MathJax (inlined), then the policy as a
    <meta>, then the page's CSS."""
    mathjax = "".join(f"<script>{text}</script>\n" for text in mathjax_scripts())
    return (f"<script>{MATHJAX_CONFIG}</script>\n{mathjax}"
            f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy())}">\n'
            f"<style>{PAGE_STYLE}</style>\n")


def nbgrader_template_dir():
    import nbgrader.server_extensions.formgrader.handlers as handlers

    return handlers.template_path


def configure(c):
    """The HTMLExporter settings (nbgrader_config.py calls this: formgrader and feedback)."""
    c.HTMLExporter.sanitize_html = True
    c.HTMLExporter.preprocessors = ["autograder.grading.safe_html.InertNotebook"]
    c.HTMLExporter.filters = {"markdown2html": "autograder.grading.safe_html.markdown2html",
                              "clean_html": "autograder.grading.safe_html.clean_html",
                              "inert_head": "autograder.grading.safe_html.inert_head"}
    # our mathjax.html.j2 first, then nbgrader's formgrade/feedback templates
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), nbgrader_template_dir()]
