"""Assignments through an LMS (Canvas, Moodle) instead of the nbgrader exchange.

    python -m autograder.instructor.lms release ASSIGNMENT               # build/lms/ASSIGNMENT.zip
    python -m autograder.instructor.lms collect ASSIGNMENT DOWNLOAD.zip --lms canvas|moodle

``release`` zips what a student needs to work outside the course's JupyterHub: the
released (student) notebook from ``notebooks/ASSIGNMENT/`` and, beside it, the view of
the student library ``rnnlib/`` released for that assignment
(``autograder.grading.student_library``: none of its modules computes a graded item of this
assignment or a later one), plus a requirements.txt with the pinned versions of what
rnnlib imports and of JupyterLab. No source, solution, hidden test or grader file.

``collect`` puts the "download all submissions" archive of the LMS into nbgrader's
``downloaded/ASSIGNMENT/archive/`` and runs the stock ``nbgrader zip_collect`` with a
``FileNameCollectorPlugin`` regular expression for that LMS's file names, so each
student's notebook lands in ``submitted/<student>/ASSIGNMENT/ASSIGNMENT.ipynb``:

* Canvas names each file ``<name>_[late_]<user id>_<submission id>_<file name>``, where
  <name> is the student's sortable name in lower case without spaces (``smithjane``) and
  a re-uploaded file may get ``-1``, ``-2`` before its extension. The student id is
  <name>.
* Moodle puts each student's files in a folder ``<Full Name>_<participant id>_
  assignsubmission_file_`` (or, without "download submissions in folders", prefixes
  each file name with it). The student id is the participant id.

The same regular expressions work with ``nbgrader zip_collect`` directly:
``--FileNameCollectorPlugin.named_regexp='<CANVAS_REGEXP>'``.
"""
import argparse
import re
import shutil
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from autograder.grading import student_library
from autograder.instructor.config import REPO_ROOT, course_folder, run_nbgrader

CANVAS_REGEXP = (r".*/(?P<student_id>[a-z0-9]+)_(?:late_|LATE_)?\d+_\d+_"
                 r"(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb$")
MOODLE_REGEXP = (r".*/[^/_]+_(?P<student_id>\d+)_assignsubmission_file_/?"
                 r"(?P<file_id>[^/]+?)\.ipynb$")
REGEXPS = {"canvas": CANVAS_REGEXP, "moodle": MOODLE_REGEXP}
# What rnnlib imports besides the standard library, and JupyterLab to open the notebook
# (pinned as in pyproject.toml).
STUDENT_REQUIREMENTS = ("numpy", "matplotlib", "tqdm", "jupyterlab")


def _requirements(repo_root):
    pins = tomllib.loads(Path(repo_root, "pyproject.toml").read_text())["project"]["dependencies"]
    wanted = [p for p in pins if re.split(r"[=<>!~ ]", p, maxsplit=1)[0] in STUDENT_REQUIREMENTS]
    return "\n".join(wanted) + "\n"


def release(assignment, root=".", out="build/lms", repo_root=REPO_ROOT):
    """Write ``<out>/<assignment>.zip``; returns its path."""
    root = Path(root)
    released = course_folder(root, "release") / assignment
    notebooks = sorted(released.glob("*.ipynb"))
    if not notebooks:
        raise SystemExit(f"[lms] no released notebook in {released}: run "
                         f"`nbgrader generate_assignment {assignment}` (or `make build`) first")
    target = root / out / f"{assignment}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        view = student_library.stage(assignment, Path(scratch),
                                     library=Path(repo_root, "rnnlib")) / "rnnlib"
        for path in sorted(released.rglob("*")):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                archive.write(path, f"{assignment}/{path.relative_to(released)}")
        for path in sorted(view.rglob("*")):
            if path.is_file():
                archive.write(path, f"{assignment}/rnnlib/{path.relative_to(view)}")
        archive.writestr(f"{assignment}/requirements.txt", _requirements(repo_root))
    return target


def collect(assignment, download, lms, root="."):
    """Stage ``download`` for ``nbgrader zip_collect`` and run it; returns its exit code."""
    root, download = Path(root), Path(download)
    if lms not in REGEXPS:
        raise SystemExit(f"[lms] unknown LMS {lms!r}: use one of {', '.join(REGEXPS)}")
    if not download.is_file():
        raise SystemExit(f"[lms] {download} not found: give the zip the LMS downloaded")
    archive = root / "downloaded" / assignment / "archive"
    # A new download holds every submission: it replaces the previous one.
    for old in (archive, root / "downloaded" / assignment / "extracted"):
        if old.exists():
            shutil.rmtree(old)
    archive.mkdir(parents=True)
    shutil.copy2(download, archive / download.name)
    returncode = run_nbgrader(root, "zip_collect", assignment, "--force",
                              "--ZipCollectApp.collector_plugin=nbgrader.plugins.FileNameCollectorPlugin",
                              f"--FileNameCollectorPlugin.named_regexp={REGEXPS[lms]}",
                              capture=False, check=False).returncode
    _drop_archive_modes(root / "downloaded" / assignment / "extracted",
                        *root.glob(f"submitted/*/{assignment}"))
    return returncode


def _drop_archive_modes(*folders):
    """Plain modes (at most rw-r--r--) on what zip_collect extracted and collected.

    The extraction (setuptools' unpack_archive) never makes a link: a zip's symbolic-link
    entry becomes a plain file holding the link's text, a tar's links to anything outside
    the archive are skipped. But it applies the archive's own mode bits, and zip_collect
    copies them on, so a student's zip could leave a set-uid or world-writable file owned
    by the grader in submitted/. Nothing here follows a link."""
    import os
    import stat

    for folder in folders:
        for dirpath, _, filenames in os.walk(folder):
            for name in filenames:
                path = os.path.join(dirpath, name)
                mode = os.lstat(path).st_mode
                if stat.S_ISREG(mode) and stat.S_IMODE(mode) & ~0o644:
                    os.chmod(path, stat.S_IMODE(mode) & 0o644)


def main(argv=None):
    parser = argparse.ArgumentParser(description="release to / collect from an LMS")
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="zip the student notebook and its view of rnnlib")
    rel.add_argument("assignment")
    rel.add_argument("--out", default="build/lms")
    col = sub.add_parser("collect", help="nbgrader zip_collect of an LMS download")
    col.add_argument("assignment")
    col.add_argument("download", help="the zip of all submissions, as the LMS gave it")
    col.add_argument("--lms", required=True, choices=sorted(REGEXPS))
    for p in (rel, col):
        p.add_argument("--root", default=".", help="course directory (default: here)")
    args = parser.parse_args(argv)
    if args.command == "release":
        print(f"[lms] wrote {release(args.assignment, args.root, args.out)}")
        return 0
    return collect(args.assignment, args.download, args.lms, args.root)


if __name__ == "__main__":
    sys.exit(main())
