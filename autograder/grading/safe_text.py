"""Student-controlled text made inert where people look (DESIGN.md rule 10).

    escape_markdown(text)  a string (a file name, a hint, a student id) that shows as
                           literal text inside a markdown cell: no HTML element, no
                           link, no emphasis, no math, no heading or list;
    escape_html(text)      the same for HTML (text and attribute values);
    csv_cell(value)        a CSV cell a spreadsheet never reads as a formula (OWASP
                           "CSV injection": a text cell that starts with = + - @, a tab
                           or a carriage return gets a leading ').

Markdown cells are rendered by nbconvert (mistune) in formgrader and the feedback, and by
JupyterLab (marked) in the notebook; both pass raw HTML through, so the characters that
open an HTML tag or entity are written as entities and the other markdown punctuation is
backslash-escaped (CommonMark: a backslash before any ASCII punctuation is literal).
Do not put the result inside a code span (`...`), where backslashes show.
"""
import html
import re

__all__ = ["escape_markdown", "escape_html", "csv_cell"]

# HTML first (so the entities' own & and ; are not touched afterwards), then every other
# ASCII punctuation character that markdown or MathJax gives a meaning.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_MARKDOWN_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$=:^%])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_html(text) -> str:
    """`text` as HTML text or a quoted attribute value: shows literally, runs nothing."""
    return html.escape(str(text), quote=True)


def escape_markdown(text) -> str:
    """`text` for a markdown cell: shows literally, one line, no HTML, link, math or markup.

    Line breaks become spaces (a name must not start a new block: a heading, a list, a
    raw HTML block); other control characters are dropped.
    """
    text = str(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    text = _CONTROL.sub("", text)
    out = []
    for ch in text:
        if ch in _HTML:
            out.append(_HTML[ch])
        elif _MARKDOWN_PUNCT.fullmatch(ch):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def csv_cell(value):
    """`value` for a CSV cell: text starting with = + - @ tab or CR gets a leading '.

    Numbers and None are returned as they are (a negative number is data, not a formula);
    csv.writer quotes separators, quotes and line breaks itself.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(row):
    """A dict or sequence of CSV cells with csv_cell applied to every value."""
    if isinstance(row, dict):
        return {key: csv_cell(value) for key, value in row.items()}
    return [csv_cell(value) for value in row]
