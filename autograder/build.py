"""Build the notebooks from the authored sources, deterministically.

    python -m autograder.build [--root DIR] [ASSIGNMENT ...]

For each ``source/NN_topic/NN_topic.py`` (jupytext py:percent, nbgrader metadata in the
cell headers) this writes ``source/NN_topic/NN_topic.ipynb`` (the nbgrader source), then
runs the stock ``nbgrader generate_assignment`` (student version into ``notebooks/``) and
``nbgrader generate_solution`` (into ``solutions/``). A throw-away gradebook is used, so
building never touches the instructor's ``gradebook.db``.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

from .course import tool_env

NBGRADER_DEFAULTS = {"grade": False, "locked": False, "solution": False, "task": False,
                     "schema_version": 3}


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


def source_notebook(py_path):
    """The nbgrader source notebook built from one authored py:percent file."""
    nb = jupytext.read(py_path, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["language_info"] = {"name": "python"}
    seen = set()
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if meta is not None:
            full = {**NBGRADER_DEFAULTS, **meta}
            if "grade_id" not in full:
                raise BuildError(f"{py_path}: cell {index} has nbgrader metadata but no grade_id")
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
    nbformat.validate(nb)
    return nb


def _nbgrader(root, db, *args):
    cmd = [sys.executable, "-m", "nbgrader", *args, "--force", f"--db={db}"]
    result = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=tool_env())
    if result.returncode != 0:
        raise BuildError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


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
