"""Check every submission before grading and stage a gradable copy of it.

    python -m autograder.intake ASSIGNMENT            # check, stage, then nbgrader autograde
    python -m autograder.intake ASSIGNMENT --check    # only report

Stock `nbgrader autograde` stops on a file it cannot read (that student gets no record
and the command exits 1) and silently skips renamed or extra notebooks. This wrapper
reads each `submitted/<student>/<assignment>/` without modifying it and writes a
gradable copy to `staged/<student>/<assignment>/`:

* a readable notebook of this assignment is copied as it is;
* a notebook that is not valid JSON / nbformat, belongs to another assignment, is too
  large, or is missing, is replaced by the blank released notebook (so every item
  scores 0 and the student still gets a record and feedback);
* a single renamed notebook (``01_rnn (1).ipynb``) is graded under its expected name;
* extra notebooks are listed and ignored; another kernel spec is noted (nbgrader
  replaces it);
* only plain files are read: a symbolic link, a folder, a fifo, socket or device in the
  submission is noted and ignored, never followed or opened (files are opened with
  O_NOFOLLOW and checked once open).

Each finding is printed to the log and added at the top of that student's notebook as a
"Grading note", so it appears in the feedback; every file name and message in it is
escaped (autograder.safe_text.escape_markdown), so a file named as HTML stays text. Then the stock `nbgrader autograde` runs
on the staged copies (trusted grading included) and this command exits 0 unless nbgrader
itself failed.
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import tool_env
from .safe_text import escape_markdown

MAX_BYTES = 50_000_000
STAGED = "staged"
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFDIR: "a folder", stat.S_IFIFO: "a fifo",
          stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


@dataclass
class Intake:
    student: str
    notes: list = field(default_factory=list)
    blank: bool = False
    renamed: Path = None  # a renamed notebook graded in place of the expected one


def _grade_ids(nb):
    """The grade ids of the graded cells (tests and manually graded answers)."""
    return {c.metadata["nbgrader"].get("grade_id") for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")} - {None}


def _belongs(nb, source_ids):
    """A notebook of this assignment carries at least half of its graded cells."""
    return len(_grade_ids(nb) & source_ids) * 2 >= len(source_ids)


def shown(name):
    """A student-chosen file name for a log line and a note: non-printable characters
    escaped (the note is escaped for markdown as a whole when it is written)."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(name))


def plain_files(folder):
    """({name: Path} of the plain files directly in ``folder``, [sentences about anything
    else there]); decided with lstat, so nothing is followed or opened."""
    files, notes = {}, []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        kind = stat.S_IFMT(entry.stat(follow_symlinks=False).st_mode)
        if kind == stat.S_IFREG:
            files[entry.name] = Path(folder, entry.name)
        elif kind != stat.S_IFDIR or entry.name.endswith(".ipynb"):
            notes.append(f"{shown(entry.name)} is {_KINDS.get(kind, 'not a plain file')}; it was ignored")
    return files, notes


def read_plain(path, limit):
    """The bytes of the plain file ``path`` (at most ``limit`` + 1 of them), opened without
    following a link and checked once open; raises OSError for anything else."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{shown(path.name)} is not a plain file")
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read(limit + 1)
    finally:
        os.close(fd)


def _read(path):
    """(notebook, None) or (None, why it cannot be read). Only plain files are opened."""
    try:
        data = read_plain(path, MAX_BYTES)
    except OSError as exc:
        return None, f"{shown(path.name)} could not be read ({exc.strerror or exc})"
    if len(data) > MAX_BYTES:
        return None, f"{shown(path.name)} is over the {MAX_BYTES / 1e6:.0f} MB limit"
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
        return nb, None
    except json.JSONDecodeError as exc:
        return None, f"{shown(path.name)} is not valid JSON ({exc.msg}, line {exc.lineno}); was it saved completely?"
    except Exception as exc:  # nbformat's own errors, encodings, ...
        return None, f"{shown(path.name)} is not a readable notebook ({type(exc).__name__}: {shown(str(exc)[:200])})"


def check_submission(folder, name, source_ids, assignment):
    """Intake of one student's folder for one notebook ``name`` of the assignment."""
    intake = Intake(folder.parent.name)
    expected = folder / f"{name}.ipynb"
    files, odd = plain_files(folder)
    intake.notes.extend(odd)
    others = sorted(p for n, p in files.items() if n.endswith(".ipynb") and n != expected.name)
    chosen = None
    if expected.name in files:
        chosen = expected
    else:
        readable = [p for p in others if _read(p)[0] is not None and _belongs(_read(p)[0], source_ids)]
        if len(readable) == 1:
            chosen = readable[0]
            intake.notes.append(f"{expected.name} was missing; {shown(chosen.name)} was graded in its place")
            intake.renamed = chosen
            others.remove(chosen)
        else:
            intake.notes.append(f"{expected.name} is missing from the submission")
            intake.blank = True
    for extra in others:
        intake.notes.append(f"extra notebook {shown(extra.name)} was ignored (only {expected.name} is graded)")
    nb = None
    if chosen is not None:
        nb, why = _read(chosen)
        if nb is None:
            intake.notes.append(why)
            intake.blank = True
        elif not _belongs(nb, source_ids):
            intake.notes.append(f"{shown(chosen.name)} has none of the cells of {assignment}: is it the "
                                "notebook of another assignment?")
            intake.blank, nb = True, None
        elif nb.metadata.get("kernelspec", {}).get("name") not in (None, "python3"):
            intake.notes.append(f"{shown(chosen.name)} asked for the kernel "
                                f"{shown(nb.metadata['kernelspec'].get('name'))}; it was graded with Python 3")
    return intake, nb


def submitted_names_of(folder, source_dir, notebook_id):
    """For release_feedback (autograder/exchange.py): (the stem of the renamed notebook that
    was graded as ``notebook_id``, or None; the stems of submitted notebooks that were graded
    as nothing, listed with the assignment's first notebook only). Decided by the same
    check as staging, on ``submitted/<student>/<assignment>/``, which is only read."""
    folder, source_dir = Path(folder), Path(source_dir)
    names = sorted(p.stem for p in source_dir.glob("*.ipynb"))
    graded = {}
    for name in names:
        source_ids = _grade_ids(nbformat.read(source_dir / f"{name}.ipynb", as_version=4))
        intake, nb = check_submission(folder, name, source_ids, source_dir.name)
        if intake.renamed is not None and nb is not None and not intake.blank:
            graded[name] = intake.renamed.stem
    submitted = sorted(Path(n).stem for n in plain_files(folder)[0] if n.endswith(".ipynb"))
    ignored = [s for s in submitted if s not in names and s not in graded.values()]
    return graded.get(notebook_id), (ignored if names and notebook_id == names[0] else [])


def stage_student(root, assignment, student, release_directory="notebooks"):
    """Stage one student's submission of ``assignment`` into staged/; returns the findings
    (a list of sentences, empty when the submission is fine). The submission is only read."""
    root = Path(root)
    source_dir = root / "source" / assignment
    names = sorted(p.stem for p in source_dir.glob("*.ipynb"))
    folder = root / "submitted" / student / assignment
    target = root / STAGED / student / assignment
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for file_name, extra_file in plain_files(folder)[0].items():  # timestamps and data files
        if extra_file.suffix != ".ipynb":
            try:
                (target / file_name).write_bytes(read_plain(extra_file, MAX_BYTES)[:MAX_BYTES])
            except OSError:
                pass  # changed since it was listed: not staged (plain_files noted nothing)
    notes = []
    for name in names:
        source_ids = _grade_ids(nbformat.read(source_dir / f"{name}.ipynb", as_version=4))
        intake, nb = check_submission(folder, name, source_ids, assignment)
        if intake.blank or nb is None:
            nb = nbformat.read(root / release_directory / assignment / f"{name}.ipynb", as_version=4)
        if intake.notes:
            # every note names files the student chose: escaped as a whole, shown literally
            text = "**Grading note.** " + escape_markdown(
                " ".join(f"{n}." if not n.endswith(".") else n for n in intake.notes))
            if intake.blank:
                text += " It was graded as the blank notebook (0 on every item); ask your instructor."
            note = nbformat.v4.new_markdown_cell(text)
            note.id = "grading-note"
            nb.cells.insert(0, note)
        nbformat.write(nb, target / f"{name}.ipynb")
        notes += intake.notes
    return notes


def stage(root, assignment, release_directory="notebooks"):
    """Stage every student's submission; returns {student: findings}."""
    return {folder.parent.name: stage_student(root, assignment, folder.parent.name, release_directory)
            for folder in sorted(Path(root, "submitted").glob(f"*/{assignment}"))}


def main(argv=None):
    parser = argparse.ArgumentParser(description="check, stage and autograde an assignment")
    parser.add_argument("assignment")
    parser.add_argument("--check", action="store_true", help="only report, do not grade")
    parser.add_argument("--root", default=".")
    parser.add_argument("nbgrader_args", nargs="*", help="passed on to nbgrader autograde")
    args = parser.parse_args(argv)
    results = stage(args.root, args.assignment)
    for student, notes in results.items():
        for note in notes:
            print(f"[intake] {student}: {note}", flush=True)
    print(f"[intake] {len(results)} submissions staged, "
          f"{sum(1 for n in results.values() if n)} with findings", flush=True)
    if args.check:
        return 0
    cmd = [sys.executable, "-m", "nbgrader", "autograde", args.assignment, "--create",
           f"--CourseDirectory.submitted_directory={STAGED}", *args.nbgrader_args]
    code = subprocess.run(cmd, cwd=args.root, env=tool_env()).returncode
    print_graded(args.root, args.assignment, results)
    return code


def print_graded(root, assignment, results):
    """After grading: one line per Grading note the grader added (cells whose metadata or
    text the student had changed), then the per-student, per-item score table."""
    from .gradebook_results import print_score_tables
    from .nbgrader_ext import grading_notes
    from .parallel import gradebook_url

    for student in results:
        for note in grading_notes(Path(root, "autograded", student, assignment)):
            print(f"[intake] {student}: {note}", flush=True)
    print_score_tables(gradebook_url(root), [assignment], prefix="[intake] ")


if __name__ == "__main__":
    sys.exit(main())
