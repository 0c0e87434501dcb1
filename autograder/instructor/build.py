"""Build the notebooks from the authored sources, deterministically.

    python -m autograder.instructor.build [--root DIR] [ASSIGNMENT ...]

For each ``source/NN_topic/NN_topic.py`` (jupytext py:percent, nbgrader metadata in the
cell headers) and each language edition this writes the nbgrader source notebook, then
runs the stock ``nbgrader generate_assignment`` (the student version) and ``nbgrader
generate_solution``: the English edition into ``source/NN_topic/NN_topic.ipynb``,
``notebooks/`` and ``solutions/``, the Japanese one into ``ja/source/``, ``ja/notebooks/``
and ``ja/solutions/`` (autograder/grading/language.py). A throw-away gradebook is used, so
building never touches the instructor's ``gradebook.db``.

Both languages live in one authored file: a cell whose header says ``lang="en"`` is in
the English edition only, ``lang="ja"`` in the Japanese one only, a cell without ``lang``
in both. The two editions must be the same notebook but for their words: the same cells
in the same order, the same nbgrader metadata and tags, and code that differs only in
strings and comments (so both grade alike); the build stops, naming the cell, otherwise.
A markdown image ``![...](attachment:NAME.png)`` gets the course diagram NAME
(rnnlib.diagrams) drawn in the edition's language as the cell's attachment.

An autograded item is defined once, in the registry (autograder/items/). Its test cell in
the authored file names it by grade_id and holds only the visible test; the build fills in
the item's points and writes the hidden block that calls ``check`` on the item's student
object. A graded code cell without an item, an item without a test cell, or points or a
hidden block typed into a test cell stop the build with a message naming the item.
"""
import argparse
import base64
import io
import re
import sys
import tempfile
import tokenize
from pathlib import Path

import jupytext
import nbformat

from autograder.grading.language import FOLDERS, command_line
from autograder.instructor.config import NbgraderCommandFailed, run_nbgrader
from autograder.items import problems_for

NBGRADER_DEFAULTS = {"grade": False, "locked": False, "solution": False, "task": False,
                     "schema_version": 3}
HIDDEN_BLOCK = ("### BEGIN HIDDEN TESTS\n"
                "from autograder import check\n"
                "check(\"{grade_id}\", {student_object})\n"
                "### END HIDDEN TESTS\n")


class BuildError(RuntimeError):
    pass


def authored_sources(root, assignments=None):
    """{assignment: path of its authored .py} for source/NN_topic/NN_topic.py files."""
    found = {}
    for path in sorted(Path(root, "source").glob("*/*.py")):
        if path.stem == path.parent.name and (not assignments or path.stem in assignments):
            found[path.stem] = path
    missing = set(assignments or ()) - set(found)
    if missing:
        raise BuildError(f"no authored source for {sorted(missing)} "
                         "(expected source/NAME/NAME.py)")
    return found


def fill_in_item(py_path, cell, meta, items):
    """Give an autograded test cell its item's points and hidden block (from the registry)."""
    grade_id = meta["grade_id"]
    item = items.get(grade_id)
    if item is None:
        raise BuildError(f"{py_path}: the graded code cell {grade_id!r} has no item "
                         f"{py_path.stem}.{grade_id} in the registry: define it in "
                         "autograder/items/<topic>.py (or make the cell a manually graded answer)")
    if "points" in meta:
        raise BuildError(f"{py_path}: test cell {grade_id!r} sets points; they come from the "
                         f"registry ({item.grade_id} has {item.points}): remove \"points\" from "
                         "the cell header")
    if "BEGIN HIDDEN TESTS" in cell.source or re.search(r"(?<![\w.])check\(", cell.source):
        raise BuildError(f"{py_path}: test cell {grade_id!r} has its own hidden test or check() "
                         "call; the build writes it from the registry: keep only the visible test")
    meta["points"] = item.points
    cell.source = HIDDEN_BLOCK.format(grade_id=item.grade_id,
                                      student_object=item.student_object) + cell.source


LANGUAGES = tuple(FOLDERS)  # ("en", "ja"): every build writes every edition
ATTACHED_DIAGRAM = re.compile(r"\(attachment:([A-Za-z0-9_]+)\.png\)")


def edition_cells(cells, language):
    """The cells of ``language``'s edition: those marked for it and those without ``lang``."""
    return [cell for cell in cells if cell.metadata.get("lang", language) == language]


def code_without_words(source):
    """A code cell's tokens without its strings and comments (what grading depends on)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source
    words = {tokenize.STRING, tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE}
    words |= {getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE",
                                                    "FSTRING_END") if hasattr(tokenize, name)}
    return [token.string for token in tokens if token.type not in words]


def check_editions_match(py_path, cells):
    """Stop the build unless the editions are the same notebook but for their words."""
    for cell in cells:
        language = cell.metadata.get("lang")
        if language is not None and language not in LANGUAGES:
            raise BuildError(f"{py_path}: a cell has lang={language!r}; use one of "
                             f"{', '.join(LANGUAGES)} (or no lang for a cell in every edition)")
    first, *others = LANGUAGES
    reference = edition_cells(cells, first)
    for language in others:
        edition = edition_cells(cells, language)
        for number, (a, b) in enumerate(zip(reference, edition), start=1):
            where = (f"{py_path}: cell {number} of the editions ({a.cell_type} "
                     f"{a.metadata.get('nbgrader', {}).get('grade_id', '')!s}"
                     f"{' starting ' + repr(a.source[:40]) if a.source else ''})")
            if a.cell_type != b.cell_type:
                raise BuildError(f"{where} is a {b.cell_type} cell in the {language!r} edition")
            for key in ("nbgrader", "tags"):
                if a.metadata.get(key) != b.metadata.get(key):
                    raise BuildError(f"{where}: its {key} differ between the {first!r} and "
                                     f"{language!r} editions ({a.metadata.get(key)} vs "
                                     f"{b.metadata.get(key)}): twins carry the same metadata")
            if a.cell_type == "code" and code_without_words(a.source) != code_without_words(
                    b.source):
                raise BuildError(f"{where}: the {language!r} twin's code differs from the "
                                 f"{first!r} one beyond strings and comments; the editions "
                                 "must run the same code")
        if len(reference) != len(edition):
            raise BuildError(f"{py_path}: the {first!r} edition has {len(reference)} cells, "
                             f"the {language!r} edition {len(edition)}: give every cell marked "
                             "lang=... its twin in the other language")


_CJK = "[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
_ENDS_CJK = re.compile(_CJK + "$")
_STARTS_CJK = re.compile(r"\s*" + _CJK)


def join_japanese_lines(text):
    """Markdown with each line break between two Japanese characters of a paragraph
    removed: a browser shows such a break as a space, which Japanese text has none of
    (headings, fenced code and lines that start a block are left as they are)."""
    out, in_fence = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif out and not in_fence and _ENDS_CJK.search(out[-1]):
            quoted = out[-1].startswith(">") and line.startswith(">")
            rest = line[1:] if quoted else line
            if _STARTS_CJK.match(rest) and not out[-1].lstrip().startswith(("#", "|")) and (
                    quoted or not out[-1].startswith(">")):
                out[-1] += rest.lstrip()
                continue
        out.append(line)
    return "\n".join(out)


def attach_diagrams(py_path, cell, language):
    """Draw the course diagrams a markdown cell shows as attachments, in ``language``."""
    names = ATTACHED_DIAGRAM.findall(cell.source)
    if not names:
        return
    from rnnlib import diagrams

    unknown = sorted(set(names) - set(diagrams.NAMES))
    if unknown:
        raise BuildError(f"{py_path}: attachment {unknown} is not a course diagram "
                         f"(rnnlib.diagrams.NAMES: {', '.join(diagrams.NAMES)})")
    cell["attachments"] = {
        f"{name}.png": {"image/png": base64.b64encode(
            diagrams.png_bytes(name, language)).decode("ascii")}
        for name in sorted(set(names))}


def source_notebook(py_path, language="en"):
    """The nbgrader source notebook of ``language``'s edition built from one authored
    py:percent file, its test cells filled in from the item registry."""
    nb = jupytext.read(py_path, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["language_info"] = {"name": "python"}
    check_editions_match(py_path, nb.cells)
    nb.cells = edition_cells(nb.cells, language)
    if language != "en":
        nb.metadata["language"] = language
    items = {p.cell_id: p for p in problems_for(py_path.stem)}
    seen = set()
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("lang", None)
        if cell.cell_type == "markdown":
            attach_diagrams(py_path, cell, language)
            if language == "ja":
                cell.source = join_japanese_lines(cell.source)
        meta = cell.metadata.get("nbgrader")
        if meta is not None:
            full = {**NBGRADER_DEFAULTS, **meta}
            if "grade_id" not in full:
                raise BuildError(f"{py_path}: cell {index} has nbgrader metadata but no grade_id")
            if full["grade"] and cell.cell_type == "code":
                fill_in_item(py_path, cell, full, items)
            elif full["grade_id"] in items:
                raise BuildError(f"{py_path}: cell {full['grade_id']!r} is the item "
                                 f"{items[full['grade_id']].grade_id} of the registry but not a "
                                 "graded code cell: give it \"grade\": true, \"locked\": true")
            if full["grade"] and "points" not in full:
                raise BuildError(f"{py_path}: graded cell {full['grade_id']!r} has no points")
            if full["grade_id"] in seen:
                raise BuildError(f"{py_path}: duplicate grade_id {full['grade_id']!r}")
            seen.add(full["grade_id"])
            cell.metadata["nbgrader"] = dict(sorted(full.items()))
            cell.id = full["grade_id"].replace("_", "-")
        else:
            cell.id = f"{cell.cell_type}-{index:03d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    orphans = sorted(items[cell_id].grade_id for cell_id in set(items) - seen)
    if orphans:
        raise BuildError(f"{py_path}: the registry defines {', '.join(orphans)} but no cell of "
                         "this notebook tests it: add its test cell (nbgrader grade_id = the part "
                         "after the dot, \"grade\": true, \"locked\": true) or remove the item")
    nbformat.validate(nb)
    return nb


def _nbgrader(root, db, language, *args):
    try:
        run_nbgrader(root, *args, "--force", f"--db={db}", *command_line(language))
    except NbgraderCommandFailed as exc:
        raise BuildError(str(exc)) from None


def edition_source_path(root, name, language):
    """Where ``language``'s edition keeps the nbgrader source notebook of ``name``."""
    return Path(root, FOLDERS[language]["source_directory"], name, f"{name}.ipynb")


def build(root=".", assignments=None, languages=LANGUAGES):
    """Regenerate both editions' source notebooks, student notebooks and solutions for the
    given assignments."""
    root = Path(root).resolve()
    built = []
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp, 'build-gradebook.db')}"
        for name, py_path in authored_sources(root, assignments).items():
            for language in languages:
                nb = source_notebook(py_path, language)
                target = edition_source_path(root, name, language)
                target.parent.mkdir(parents=True, exist_ok=True)
                text = nbformat.writes(nb) + "\n"
                if not target.exists() or target.read_text() != text:
                    target.write_text(text)
                _nbgrader(root, db, language, "generate_assignment", name)
                _nbgrader(root, db, language, "generate_solution", name)
            built.append(name)
    return built


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every source/NN_topic")
    parser.add_argument("--root", default=".", help="course root (default: current directory)")
    args = parser.parse_args(argv)
    try:
        built = build(args.root, args.assignments or None)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print("built " + ", ".join(built))
    return 0


if __name__ == "__main__":
    sys.exit(main())
