"""`make lab` and `make formgrader` start their JupyterLab server, as root too (issue 16).

Jupyter refuses to run as root without --allow-root, while the README's grading steps run
as root; the Makefile passes it exactly when `id -u` is 0. Each test runs the real make
target (with LAB_ARGS for a loopback port, a token and no browser), waits for
GET /api/status to answer, then stops the server's whole process group.
"""
import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from autograder.instructor.config import REPO_ROOT
from tests.browser.lab_session import free_port

pytestmark = pytest.mark.nbgrader  # starts a JupyterLab server with nbgrader's extensions

STAMP = ".venv/.installed"


def _lab_args(port, token):
    return (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
            "--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")


def _make(target, lab_args, *extra):
    # -o: never rebuild the virtual environment from inside a test
    return ["make", "--no-print-directory", "-o", STAMP, target, f"LAB_ARGS={lab_args}", *extra]


@pytest.mark.parametrize("target", ["lab", "formgrader"])
def test_the_make_target_passes_allow_root_exactly_when_run_as_root(target):
    dry = subprocess.run(_make(target, "", "-n"), cwd=REPO_ROOT, capture_output=True,
                         text=True, check=True).stdout
    command = dry.strip().splitlines()[-1]
    assert "jupyter lab" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0), command


@pytest.mark.parametrize("target, profile", [("lab", "jupyter/student"),
                                             ("formgrader", "jupyter/instructor")])
def test_the_make_target_starts_jupyterlab(target, profile, tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    for name in ("settings", "workspaces", "runtime"):
        (tmp_path / name).mkdir()
    env.update(JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    env.pop("JUPYTER_CONFIG_PATH", None)
    log_path = tmp_path / "lab.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(_make(target, _lab_args(port, token)), cwd=REPO_ROOT,
                                   env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            status = None
            deadline = time.monotonic() + 90
            while status is None:
                assert process.poll() is None, (f"make {target} exited {process.returncode}:\n"
                                                f"{log_path.read_text()[-3000:]}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}",
                                                timeout=2) as response:
                        status = json.load(response)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    assert time.monotonic() < deadline, (f"make {target}: no answer in 90 s:\n"
                                                         f"{log_path.read_text()[-3000:]}")
                    time.sleep(0.3)
            assert "started" in status
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    text = log_path.read_text()
    assert "Running as root is not recommended" not in text
    # the server ran with the target's profile (jupyter/student or jupyter/instructor)
    assert f'JUPYTER_CONFIG_PATH="{REPO_ROOT}/{profile}"' in text, text[:2000]
