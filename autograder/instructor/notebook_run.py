"""Execute a notebook top to bottom with nbclient and report what a reader would see.

Shared by the tests (solutions run without errors or warnings) and by
``benchmarks/notebook_times.py``.
"""
import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient


AUDIT_MARK = "FIGURE-AUDIT:"
# Run before the notebook: every figure shown must have a title, labelled axes, and a
# legend when it draws more than one labelled line; a colorbar needs its label.
FIGURE_AUDIT = """
import json as _audit_json
import matplotlib.pyplot as _audit_plt
_audit_problems = []
_audit_show = _audit_plt.show


def _audited_show(*args, **kwargs):
    for number in _audit_plt.get_fignums():
        for axes in _audit_plt.figure(number).axes:
            if getattr(axes, "_colorbar", None) is not None:  # a colorbar needs a label only
                if not (axes.get_ylabel() or axes.get_xlabel()):
                    _audit_problems.append(f"figure {number}: a colorbar has no label")
                continue
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
TIMER_MARK = "CELL-CPU-SECONDS:"
# Run before the notebook too: the CPU time of the kernel's main thread in each cell, keyed by
# execution count. Unlike wall time it hardly grows when other processes share the cores, so
# "this loop is slow enough to need a progress bar" does not depend on the machine's load.
CELL_TIMER = """
import time as _audit_time
_audit_cpu, _audit_started = {}, [None]


def _audit_cell_started(info):
    _audit_started[0] = _audit_time.thread_time()


def _audit_cell_finished(result):
    if _audit_started[0] is not None and result.execution_count is not None:
        _audit_cpu[result.execution_count] = _audit_time.thread_time() - _audit_started[0]


get_ipython().events.register("pre_run_cell", _audit_cell_started)
get_ipython().events.register("post_run_cell", _audit_cell_finished)
"""


SLOW_CELL_SECONDS = 3.0
# tqdm's bar text ("name:  40%|####      | 4/10 [...]", or "12it [...]" without a total): the
# text/plain of its widget (tqdm.auto in a kernel with ipywidgets) or a line on stderr, or
# on stdout (rnnlib.progress without ipywidgets).
TQDM_BAR = re.compile(r"\d+%\||\d+it \[")


def wall_seconds(cell):
    """Wall time of an executed code cell from nbclient's timing metadata (None if not run)."""
    timing = cell.get("metadata", {}).get("execution", {})
    begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (begin and end):
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(begin)).total_seconds()


def shows_progress_bar(cell):
    """True when the cell displayed a tqdm bar (widget, or text on stderr or stdout)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            text = output.get("text", "")
        elif output.get("output_type") in ("display_data", "update_display_data"):
            text = output.get("data", {}).get("text/plain", "")
        else:
            continue
        if TQDM_BAR.search(text):
            return True
    return False


@dataclass
class NotebookRun:
    path: Path
    seconds: float
    errors: list  # "cell N: Ename: value"
    warnings: list  # stderr text mentioning a Warning
    figures: int  # image/png outputs
    figure_problems: list  # from FIGURE_AUDIT: figures without title, labels or legend
    first_error: str | None = None  # the ename of the first error output
    # "cell N (S s CPU)": code cells whose main thread spent more than SLOW_CELL_SECONDS of
    # CPU time (wall time where unknown) and that showed no tqdm bar
    slow_cells_without_progress: list = None


def execute(path, skip_tag=None, timeout=300, slow_seconds=SLOW_CELL_SECONDS):
    """Run a copy of ``path`` in a scratch directory (the original is not touched).

    skip_tag: cells with this tag are not executed (``"practice"`` is what grading skips).
    slow_seconds: a cell using more CPU time than this must show a progress bar.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, path.name)
        shutil.copy2(path, copy)
        nb = nbformat.read(copy, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(FIGURE_AUDIT + CELL_TIMER))
        nb.cells.append(nbformat.v4.new_code_cell(
            f"print({AUDIT_MARK!r} + _audit_json.dumps(_audit_problems))\n"
            f"print({TIMER_MARK!r} + _audit_json.dumps(_audit_cpu))"))
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": tmp}},
                                skip_cells_with_tag=skip_tag or "skip-execution")
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    audit_cell = nb.cells.pop()
    nb.cells.pop(0)
    problems, cpu_seconds = [], {}
    for output in audit_cell.get("outputs", []):
        for line in output.get("text", "").splitlines() if output.get("output_type") == "stream" else []:
            if line.startswith(AUDIT_MARK):
                problems = json.loads(line[len(AUDIT_MARK):])
            elif line.startswith(TIMER_MARK):
                cpu_seconds = json.loads(line[len(TIMER_MARK):])
    errors, warnings, figures, first_error, silent_slow = [], [], 0, None, []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and not shows_progress_bar(cell):
            cpu, wall = cpu_seconds.get(str(cell.get("execution_count"))), wall_seconds(cell)
            took = cpu if cpu is not None else wall
            if took and took > slow_seconds:
                silent_slow.append(f"cell {index} ({took:.1f} s {'CPU' if cpu is not None else 'wall'}"
                                   f", {wall or 0:.1f} s wall): {cell.source[:80]!r}")
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                first_error = first_error or output["ename"]
                errors.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            elif kind == "stream" and output.get("name") == "stderr" and "Warning" in output["text"]:
                warnings.append(f"cell {index}: {output['text'].strip()[:300]}")
            elif kind in ("display_data", "execute_result") and "image/png" in output.get("data", {}):
                figures += 1
    return NotebookRun(path, seconds, errors, warnings, figures, problems, first_error,
                       silent_slow)
