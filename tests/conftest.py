import os
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.instructor.build import authored_sources

REPO_ROOT = Path(__file__).resolve().parent.parent

# nbgrader's Gradebook runs the `alembic` command by name when it creates a database, also
# in-process; `make test` starts `.venv/bin/python -m pytest` without the venv on PATH.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
# `make test` runs two workers on two cores, each starting kernels: with OpenBLAS's default
# of one thread per core they wait for each other's time slices (04's solution notebook:
# 17 s alone, 226 s beside another worker). Kernels started by the tests get one BLAS
# thread each, as a student's notebook has the machine to itself.
for _blas in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_blas, "1")


def assignments():
    """Every assignment with an authored source (source/NN_topic/NN_topic.py).

    ONLY_ASSIGNMENTS="06_seq2seq 08_attention" restricts the suites to those (the grading
    fixtures grade every assignment at once, so ``-k`` alone does not save that time).
    """
    found = sorted(authored_sources(REPO_ROOT))
    only = os.environ.get("ONLY_ASSIGNMENTS", "").split()
    unknown = set(only) - set(found)
    if unknown:
        raise ValueError(f"ONLY_ASSIGNMENTS names unknown assignments {sorted(unknown)}; "
                         f"known: {found}")
    return [name for name in found if name in only] if only else found


@pytest.fixture
def repo_root():
    return REPO_ROOT


def grad_error(a, b):
    """Relative error of two gradients as wholes (robust to tiny single elements)."""
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)


# --- tests marked by cost ------------------------------------------------------------------
# `make test-fast` deselects these markers; `make test` runs everything. A test without one
# of them must start no process (no nbgrader, no kernel, no sandbox, no server): the guard
# below fails it if it does, naming the marker to add, so the fast set stays fast.
COSTLY_MARKERS = ("nbgrader", "kernel", "training", "slow", "browser", "jupyterhub")


class StartsAProcess(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _unmarked_tests_start_no_process(request, monkeypatch):
    if any(request.node.get_closest_marker(name) for name in COSTLY_MARKERS):
        yield
        return
    import subprocess

    def refuse(self, args, *rest, **kwargs):
        raise StartsAProcess(f"{request.node.nodeid} starts a process ({str(args)[:120]}): mark "
                             f"it with one of {', '.join(COSTLY_MARKERS)} (pyproject.toml)")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    yield
