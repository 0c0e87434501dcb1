"""Execute a notebook top to bottom with nbclient and report what a reader would see.

Shared by the tests (solutions run without errors or warnings) and by
``benchmarks/notebook_times.py``.
"""
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient


@dataclass
class NotebookRun:
    path: Path
    seconds: float
    errors: list  # "cell N: Ename: value"
    warnings: list  # stderr text mentioning a Warning
    figures: int  # image/png outputs


def execute(path, skip_tag=None, timeout=300):
    """Run a copy of ``path`` in a scratch directory (the original is not touched).

    skip_tag: cells with this tag are not executed (``"practice"`` is what grading skips).
    """
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, path.name)
        shutil.copy2(path, copy)
        nb = nbformat.read(copy, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": tmp}},
                                skip_cells_with_tag=skip_tag or "skip-execution")
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    errors, warnings, figures = [], [], 0
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                errors.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            elif kind == "stream" and output.get("name") == "stderr" and "Warning" in output["text"]:
                warnings.append(f"cell {index}: {output['text'].strip()[:300]}")
            elif kind in ("display_data", "execute_result") and "image/png" in output.get("data", {}):
                figures += 1
    return NotebookRun(path, seconds, errors, warnings, figures)
