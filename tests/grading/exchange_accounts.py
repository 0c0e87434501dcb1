"""Real student accounts for the exchange tests: useradd, and nbgrader steps run as them.

Each student is a real Unix account (``useradd``, removed afterwards) with their own HOME,
nbgrader cache and working folder, so every file they put into the exchange is owned by
them, as on a shared machine or a JupyterHub. A step (``ExchangeSubmit``, a hand-made
inbound entry, ...) runs in a child of this process forked after nbgrader is imported,
which drops to the student's uid and gid first: the same code `nbgrader submit` runs,
without paying nbgrader's imports once per step on a loaded machine. Needs root.
"""
import os
import pwd
import shutil
import subprocess
import tempfile
import traceback
from pathlib import Path

import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from autograder.instructor.config import REPO_ROOT

COURSE_ID = "rnn-course"


def require_root():
    if os.geteuid() != 0:
        pytest.skip("needs root: creates student accounts (useradd) and collects as the grader")


def world_reachable_base(prefix):
    """A fresh folder under /tmp that every account can traverse (pytest's tmp_path is
    0700 under /tmp/pytest-of-root, out of the students' reach)."""
    base = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    base.chmod(0o755)
    return base


def add_account(name, home):
    """A real account ``name`` with its own group and an empty HOME; returns its pwd entry."""
    subprocess.run(["userdel", "-r", name], capture_output=True)  # left over by a killed run
    home.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["useradd", "-M", "-d", str(home), "-s", "/bin/sh", "-U", name],
                   check=True, capture_output=True)
    entry = pwd.getpwnam(name)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    return entry


def remove_account(name):
    subprocess.run(["userdel", name], capture_output=True)
    subprocess.run(["groupdel", name], capture_output=True)


def run_as(entry, function, *args):
    """Call ``function(*args)`` in a forked child running as the account ``entry``; fails
    the test with the child's traceback if it raises."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        code = 1
        try:
            os.setgroups([])
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            os.umask(0o022)
            os.environ.update(HOME=entry.pw_dir, USER=entry.pw_name, LOGNAME=entry.pw_name)
            os.chdir(entry.pw_dir)
            function(*args)
            code = 0
        except BaseException:
            os.write(write_end, traceback.format_exc().encode())
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        error = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"as {entry.pw_name}: {function.__name__} failed:\n{error}"


class StudentAccount:
    """One student's account, HOME, nbgrader cache and working folder, and their nbgrader
    config: the student-side deploy/jupyterhub/nbgrader_config.py, plus
    ``CourseDirectory.student_id`` when they submit under another name (what `--student`
    sets)."""

    def __init__(self, base, exchange, name, assignment, student_id=None):
        self.name = name
        self.home = base / "home" / name
        self.entry = add_account(name, self.home)
        config_dir = self.home / ".jupyter"
        self.work = self.home / "work"
        self.cache = self.home / ".local/share/jupyter/nbgrader_cache"
        for folder in (config_dir, self.work, self.cache):
            folder.mkdir(parents=True)
        config = (REPO_ROOT / "deploy" / "jupyterhub" / "nbgrader_config.py").read_text()
        (config_dir / "nbgrader_config.py").write_text(
            config + f"\nc.CourseDirectory.student_id = {(student_id or name)!r}\n")
        for folder, dirs, files in os.walk(self.home):  # all of HOME is theirs
            for path in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(path, self.entry.pw_uid, self.entry.pw_gid)
        with pytest.MonkeyPatch.context() as env:
            env.setenv("NBGRADER_EXCHANGE", str(exchange))
            self.config = PyFileConfigLoader("nbgrader_config.py", path=str(config_dir)).load_config()
        # What nbgrader derives from HOME and the working directory in a student's process.
        self.config.Exchange.cache = str(self.cache)
        self.config.Exchange.assignment_dir = str(self.work)
        self.config.CourseDirectory.assignment_id = assignment
        self.assignment = assignment

    def run(self, step):
        """Run one exchange step (ExchangeFetchAssignment, ExchangeSubmit, ...) as this
        student's account."""
        run_as(self.entry, self._run_step, step)

    def _run_step(self, step):
        coursedir = CourseDirectory(config=self.config)
        step(coursedir=coursedir, authenticator=Authenticator(config=self.config),
             config=self.config).start()

    def do(self, function, *args):
        """Anything else, as this student (a hand-made inbound entry, a symlink, ...)."""
        run_as(self.entry, function, *args)

    @property
    def notebook_path(self):
        return self.work / self.assignment / f"{self.assignment}.ipynb"

    def remove(self):
        remove_account(self.name)


def remove_base(base):
    shutil.rmtree(base, ignore_errors=True)
