"""A JupyterLab server on loopback and Debian's chromium, for the browser tests.

    with running_lab(course_root) as lab:            # lab.url("lab/tree/x.ipynb")
        with chromium_page(artefacts) as page: ...

Nothing is downloaded: the browser is the system's `chromium` package (installed by
scripts/system_deps.sh), driven by Playwright through `executable_path`.
"""
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from autograder.instructor.config import tool_env

CHROMIUM = Path("/usr/bin/chromium")
STUDENT_CONFIG = Path(__file__).resolve().parents[2] / "jupyter" / "student"
INSTRUCTOR_CONFIG = Path(__file__).resolve().parents[2] / "jupyter" / "instructor"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    port: int
    token: str
    log_path: Path
    process: subprocess.Popen
    startup_timeout: float
    started: float
    up: bool = False

    def url(self, path=""):
        """The URL of ``path`` with the token; waits until the server answers."""
        self.wait_until_up()
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{sep}token={self.token}"

    def wait_until_up(self):
        while not self.up:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/status?token="
                                       f"{self.token}", timeout=2).read()
                self.up = True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() - self.started > self.startup_timeout:
                    raise RuntimeError(f"jupyter lab did not answer within "
                                       f"{self.startup_timeout} s:\n{self.log_tail()}")
                time.sleep(0.2)

    def log_tail(self, chars=3000):
        return self.log_path.read_text(errors="replace")[-chars:]


def _lab_command(root_dir, port, token):
    return [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            # no calls to the internet: no news feed, no update check
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]


# JupyterLab user settings of the test session: every cell stays in the page (by default
# cells scrolled out of view are taken out of the DOM) and no "get Jupyter news?" pop-up.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


def _write_lab_settings(folder):
    for name, values in LAB_SETTINGS.items():
        path = Path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@contextlib.contextmanager
def running_lab(course_root, log_path, serve="", student=False, instructor=False,
                startup_timeout=60):
    """JupyterLab started in ``course_root`` (so nbgrader's server extensions read its
    nbgrader_config.py) serving ``course_root/serve``; ``student``: with the student
    settings of `make lab` (jupyter/student: no formgrader, no create-assignment);
    ``instructor``: with those of `make formgrader` (jupyter/instructor: CSP header).
    User settings and workspaces live in a scratch folder, so ~/.jupyter does not leak in.
    Yields as soon as the server is started (two can start side by side); ``lab.url()``
    waits until it answers."""
    course_root, log_path = Path(course_root), Path(log_path)
    port, token = free_port(), secrets.token_hex(16)
    scratch = Path(tempfile.mkdtemp(prefix="lab-state-"))
    env = tool_env()
    env.update(JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(scratch / "runtime"))
    if student:
        env["JUPYTER_CONFIG_PATH"] = str(STUDENT_CONFIG)
    elif instructor:
        env["JUPYTER_CONFIG_PATH"] = str(INSTRUCTOR_CONFIG)
    _write_lab_settings(scratch / "settings")
    log = open(log_path, "w")
    process = subprocess.Popen(_lab_command(course_root / serve, port, token), cwd=course_root,
                               env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(port, token, log_path, process, startup_timeout, time.monotonic())
    try:
        yield lab  # starting; lab.url() waits until it answers
    finally:
        # the server and the kernels it started share its session: stop them together
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def chromium_page(viewport=(1400, 900), extra_args=()):
    """A page of a headless Debian chromium with a fresh profile (`extra_args`: more
    command-line flags)."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found: run scripts/system_deps.sh as root "
                           "(apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), headless=True,
                args=CHROMIUM_FLAGS + list(extra_args),
                viewport={"width": viewport[0], "height": viewport[1]})
            try:
                yield context.pages[0] if context.pages else context.new_page()
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
