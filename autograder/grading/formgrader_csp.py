"""Jupyter server extension: formgrader's submission pages carry a script-blocking
Content-Security-Policy header (DESIGN.md rule 10).

A submission page shows the student's notebook inside the instructor's Jupyter origin: a
script there could use the contents and kernels API as the instructor. The page itself is
sanitised (autograder/grading/safe_html.py, configured in nbgrader_config.py) and has the policy as a
`<meta>` after nbgrader's own head scripts; this header adds the same policy for the whole
page. Scripts allowed: formgrader's static files, the inlined MathJax, and nbgrader's
own inline scripts above the policy `<meta>` (their SHA-256 hashes; everything the student
controls comes after it). Other pages of the server (JupyterLab itself) are untouched.

Enabled by jupyter/instructor/jupyter_server_config.json (`make formgrader`, the hub's
formgrader service):  JUPYTER_CONFIG_PATH=<repo>/jupyter/instructor jupyter lab
"""
import re

from tornado.web import OutputTransform

from autograder.grading.safe_html import policy, script_hash

SUBMISSION_PAGE = re.compile(r"^(?P<base>.*/)formgrader/submissions/[^/]+/?$")
_META = re.compile(r"<meta\b[^>]*http-equiv=\"Content-Security-Policy\"[^>]*>", re.I)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.I | re.S)


def header_policy(body, static_url):
    """The header for a rendered submission page `body` (str)."""
    meta = _META.search(body)
    head = body[:meta.start()] if meta else ""
    hashes = [script_hash(text) for text in _INLINE_SCRIPT.findall(head)]
    return policy([static_url, *hashes]) + "; frame-ancestors 'self'"


class SubmissionPagePolicy(OutputTransform):
    """Sets Content-Security-Policy on formgrader's /formgrader/submissions/<id>/ pages."""

    def __init__(self, request):
        super().__init__(request)
        self.request = request
        self.match = SUBMISSION_PAGE.match(request.path)

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        if self.match and headers.get("Content-Type", "").startswith("text/html"):
            # no scheme: matches the page's own (https behind a hub's TLS proxy)
            static = f"{self.request.host}{self.match.group('base')}formgrader/static/"
            body = chunk.decode("utf-8", "replace") if finishing else ""
            headers["Content-Security-Policy"] = header_policy(body, static)
        return status_code, headers, chunk


def _jupyter_server_extension_points():
    return [{"module": "autograder.grading.formgrader_csp"}]


def _load_jupyter_server_extension(serverapp):
    # first, so it sees the page before any compression
    serverapp.web_app.transforms.insert(0, SubmissionPagePolicy)
    serverapp.log.info("autograder.grading.formgrader_csp: Content-Security-Policy on formgrader "
                       "submission pages")
