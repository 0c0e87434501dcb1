"""One course configuration for every instructor command.

Build, intake, parallel grading, reports, the LMS bridge and the test kit's scratch course
all ask this module where the course is, which gradebook it uses (whatever
``nbgrader_config.py`` says: SQLite by default, PostgreSQL for a class graded in
parallel) and how to run a stock ``nbgrader`` command in it.
"""
import functools
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


class NbgraderCommandFailed(RuntimeError):
    """A stock nbgrader command exited non-zero; the message holds the end of its output."""


def tool_env():
    """Environment for nbgrader subprocesses: this interpreter's bin/ first on PATH
    (nbgrader runs the ``alembic`` command by name) and the repo importable."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def nbgrader_config(root, graded_directory=None, db_url=None):
    """The traitlets config stock ``nbgrader`` would load in ``root`` (its
    nbgrader_config.py), with the course root made absolute and, when given, another
    submitted directory (intake's staged copies) or gradebook."""
    from nbgrader.apps.baseapp import NbGrader

    root = Path(root).resolve()
    cwd = os.getcwd()
    os.chdir(root)  # nbgrader reads nbgrader_config.py from the working directory
    try:
        app = NbGrader()
        app.load_config_file()
        config = app.config
    finally:
        os.chdir(cwd)
    config.CourseDirectory.root = str(root)
    if graded_directory is not None:
        config.CourseDirectory.submitted_directory = graded_directory
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    return config


def gradebook_url(root):
    """The database URL of the course's gradebook, as nbgrader_config.py sets it."""
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=nbgrader_config(root)).db_url


def course_folder(root, kind):
    """The course's ``kind`` folder ("source", "release", "solution", "submitted",
    "autograded", "feedback") as nbgrader_config.py sets it: the class's edition picks
    source/ or ja/source/ (autograder/grading/language.py). Read once per course root and
    process (a grading run does not change its configuration)."""
    root = Path(root).resolve()
    return root / _course_folders(str(root))[kind]


def class_language_of(root):
    """The class's language ("en" or "ja") as the course's nbgrader_config.py sets it
    (``use_edition``); read once per course root and process, like course_folder."""
    return _course_folders(str(Path(root).resolve()))["language"]


@functools.lru_cache(maxsize=16)
def _course_folders(root):
    """The course's folders and language from its nbgrader_config.py, read once."""
    from nbgrader.coursedir import CourseDirectory

    from autograder.grading.language import class_language

    config = nbgrader_config(root)
    coursedir = CourseDirectory(config=config)
    settings = {kind: getattr(coursedir, f"{kind}_directory") for kind in
                ("source", "release", "solution", "submitted", "autograded", "feedback")}
    settings["language"] = class_language(config)
    return settings


def is_sqlite(db_url):
    return db_url.startswith("sqlite")


def sqlite_path(db_url):
    return Path(db_url.split(":///", 1)[1])


def run_nbgrader(root, *args, capture=True, check=True):
    """Run one stock nbgrader command in the course ``root`` with this interpreter.

    capture: keep the output (returned, and quoted in NbgraderCommandFailed) instead of
    letting it reach the terminal. check: raise NbgraderCommandFailed on a non-zero exit.
    Returns the CompletedProcess."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=tool_env(),
                            capture_output=capture, text=True)
    if check and result.returncode != 0:
        output = f"\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}" if capture else ""
        raise NbgraderCommandFailed(f"nbgrader {' '.join(args)} exited {result.returncode}{output}")
    return result
