"""Execute a notebook top to bottom with nbclient and report what a reader would see.

Shared by the tests (solutions run without errors or warnings) and by
``benchmarks/notebook_times.py``.
"""
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient


AUDIT_MARK = "FIGURE-AUDIT:"
# Run before the notebook: every figure shown must have a title, labelled axes, and a
# legend when it draws more than one labelled line.
FIGURE_AUDIT = """
import json as _audit_json
import matplotlib.pyplot as _audit_plt
_audit_problems = []
_audit_show = _audit_plt.show


def _audited_show(*args, **kwargs):
    for number in _audit_plt.get_fignums():
        for axes in _audit_plt.figure(number).axes:
            name = repr(axes.get_title()) if axes.get_title() else "untitled axes"
            if not axes.get_title():
                _audit_problems.append(f"figure {number}: an axes has no title")
            if not axes.get_xlabel() or not axes.get_ylabel():
                _audit_problems.append(f"figure {number}, {name}: an axis has no label")
            lines = [l for l in axes.get_lines() if not l.get_label().startswith("_")]
            if len(lines) > 1 and axes.get_legend() is None:
                _audit_problems.append(f"figure {number}, {name}: {len(lines)} lines, no legend")
    return _audit_show(*args, **kwargs)


_audit_plt.show = _audited_show
"""


@dataclass
class NotebookRun:
    path: Path
    seconds: float
    errors: list  # "cell N: Ename: value"
    warnings: list  # stderr text mentioning a Warning
    figures: int  # image/png outputs
    figure_problems: list  # from FIGURE_AUDIT: figures without title, labels or legend
    first_error: str | None = None  # the ename of the first error output


def execute(path, skip_tag=None, timeout=300):
    """Run a copy of ``path`` in a scratch directory (the original is not touched).

    skip_tag: cells with this tag are not executed (``"practice"`` is what grading skips).
    """
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, path.name)
        shutil.copy2(path, copy)
        nb = nbformat.read(copy, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(FIGURE_AUDIT))
        nb.cells.append(nbformat.v4.new_code_cell(
            f"print({AUDIT_MARK!r} + _audit_json.dumps(_audit_problems))"))
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": tmp}},
                                skip_cells_with_tag=skip_tag or "skip-execution")
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    audit_cell = nb.cells.pop()
    nb.cells.pop(0)
    problems = []
    for output in audit_cell.get("outputs", []):
        if output.get("output_type") == "stream" and AUDIT_MARK in output.get("text", ""):
            problems = json.loads(output["text"].split(AUDIT_MARK, 1)[1])
    errors, warnings, figures, first_error = [], [], 0, None
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                first_error = first_error or output["ename"]
                errors.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            elif kind == "stream" and output.get("name") == "stderr" and "Warning" in output["text"]:
                warnings.append(f"cell {index}: {output['text'].strip()[:300]}")
            elif kind in ("display_data", "execute_result") and "image/png" in output.get("data", {}):
                figures += 1
    return NotebookRun(path, seconds, errors, warnings, figures, problems, first_error)
