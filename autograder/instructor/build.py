"""Build the notebooks from the authored sources, deterministically.

    python -m autograder.instructor.build [--root DIR] [ASSIGNMENT ...]

For each ``source/NN_topic/NN_topic.py`` (jupytext py:percent, nbgrader metadata in the
cell headers) this writes ``source/NN_topic/NN_topic.ipynb`` (the nbgrader source), then
runs the stock ``nbgrader generate_assignment`` (student version into ``notebooks/``) and
``nbgrader generate_solution`` (into ``solutions/``). A throw-away gradebook is used, so
building never touches the instructor's ``gradebook.db``.

An autograded item is defined once, in the registry (autograder/items/). Its test cell in
the authored file names it by grade_id and holds only the visible test; the build fills in
the item's points and writes the hidden block that calls ``check`` on the item's student
object. A graded code cell without an item, an item without a test cell, or points or a
hidden block typed into a test cell stop the build with a message naming the item.
"""
import argparse
import re
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

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


def source_notebook(py_path):
    """The nbgrader source notebook built from one authored py:percent file, its test cells
    filled in from the item registry."""
    nb = jupytext.read(py_path, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["language_info"] = {"name": "python"}
    items = {p.cell_id: p for p in problems_for(py_path.stem)}
    seen = set()
    for index, cell in enumerate(nb.cells):
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


def _nbgrader(root, db, *args):
    try:
        run_nbgrader(root, *args, "--force", f"--db={db}")
    except NbgraderCommandFailed as exc:
        raise BuildError(str(exc)) from None


def build(root=".", assignments=None):
    """Regenerate source notebooks, notebooks/ and solutions/ for the given assignments."""
    root = Path(root).resolve()
    built = []
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp, 'build-gradebook.db')}"
        for name, py_path in authored_sources(root, assignments).items():
            nb = source_notebook(py_path)
            target = py_path.with_suffix(".ipynb")
            text = nbformat.writes(nb) + "\n"
            if not target.exists() or target.read_text() != text:
                target.write_text(text)
            _nbgrader(root, db, "generate_assignment", name)
            _nbgrader(root, db, "generate_solution", name)
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
