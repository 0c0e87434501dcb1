"""Reading a student's submitted folder without trusting it.

Shared by intake (autograder/instructor/intake.py), which stages a gradable copy, by the
grader, which hands the submission's data files to the sandbox, and by release_feedback
(autograder/grading/exchange.py), which must know which notebook was graded under which
name. Only plain files are read: a symbolic link, a folder, a fifo, socket or device is
noted and ignored, never followed or opened (files are opened with O_NOFOLLOW and checked
once open).
"""
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MAX_BYTES = 50_000_000
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFDIR: "a folder", stat.S_IFIFO: "a fifo",
          stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


@dataclass
class Intake:
    student: str
    notes: list = field(default_factory=list)
    blank: bool = False
    renamed: Path = None  # a renamed notebook graded in place of the expected one


def grade_ids(nb):
    """The grade ids of the graded cells (tests and manually graded answers)."""
    return {c.metadata["nbgrader"].get("grade_id") for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")} - {None}


def _belongs(nb, source_ids):
    """A notebook of this assignment carries at least half of its graded cells."""
    return len(grade_ids(nb) & source_ids) * 2 >= len(source_ids)


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
    """For release_feedback (autograder/grading/exchange.py): (the stem of the renamed notebook that
    was graded as ``notebook_id``, or None; the stems of submitted notebooks that were graded
    as nothing, listed with the assignment's first notebook only). Decided by the same
    check as staging, on ``submitted/<student>/<assignment>/``, which is only read."""
    folder, source_dir = Path(folder), Path(source_dir)
    names = sorted(p.stem for p in source_dir.glob("*.ipynb"))
    graded = {}
    for name in names:
        source_ids = grade_ids(nbformat.read(source_dir / f"{name}.ipynb", as_version=4))
        intake, nb = check_submission(folder, name, source_ids, source_dir.name)
        if intake.renamed is not None and nb is not None and not intake.blank:
            graded[name] = intake.renamed.stem
    submitted = sorted(Path(n).stem for n in plain_files(folder)[0] if n.endswith(".ipynb"))
    ignored = [s for s in submitted if s not in names and s not in graded.values()]
    return graded.get(notebook_id), (ignored if names and notebook_id == names[0] else [])
