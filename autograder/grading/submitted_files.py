"""Reading a student's submitted folder without trusting it.

Shared by intake (autograder/instructor/intake.py), which stages a gradable copy, by the
grader, which hands the submission's data files to the sandbox, and by release_feedback
(autograder/grading/exchange.py), which must know which notebook was graded under which
name. Only plain files are read: a symbolic link, a folder, a fifo, socket or device is
noted and ignored, never followed or opened (files are opened with O_NOFOLLOW and checked
once open).

Every note is in ``language`` (the class's, passed on by intake: "en" or "ja"); a file name
the student chose appears as it is (escaped for markdown with the rest of the note).
"""
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from rnnlib.language import say

MAX_BYTES = 50_000_000
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFDIR: "a folder", stat.S_IFIFO: "a fifo",
          stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}
_KINDS_JA = {stat.S_IFLNK: "シンボリックリンク", stat.S_IFDIR: "フォルダ",
             stat.S_IFIFO: "FIFO", stat.S_IFSOCK: "ソケット",
             stat.S_IFCHR: "キャラクタデバイス", stat.S_IFBLK: "ブロックデバイス"}


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


def _ignored(name, kind, language):
    """The note on an entry that is not a plain file (``kind``: its S_IFMT)."""
    if language == "ja":
        what = f"{_KINDS_JA[kind]}である" if kind in _KINDS_JA else "通常のファイルではない"
        return f"{shown(name)} は{what}ため、無視しました"
    return f"{shown(name)} is {_KINDS.get(kind, 'not a plain file')}; it was ignored"


def plain_files(folder, language="en"):
    """({name: Path} of the plain files directly in ``folder``, [sentences about anything
    else there, in ``language``]); decided with lstat, so nothing is followed or opened."""
    files, notes = {}, []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        kind = stat.S_IFMT(entry.stat(follow_symlinks=False).st_mode)
        if kind == stat.S_IFREG:
            files[entry.name] = Path(folder, entry.name)
        elif kind != stat.S_IFDIR or entry.name.endswith(".ipynb"):
            notes.append(_ignored(entry.name, kind, language))
    return files, notes


def read_plain(path, limit, language="en"):
    """The bytes of the plain file ``path`` (at most ``limit`` + 1 of them), opened without
    following a link and checked once open; raises OSError for anything else (its message
    in ``language`` when the file turns out not to be plain)."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(say(f"{shown(path.name)} is not a plain file",
                              f"{shown(path.name)} は通常のファイルではありません", language))
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read(limit + 1)
    finally:
        os.close(fd)


def _read(path, language="en"):
    """(notebook, None) or (None, why it cannot be read, in ``language``). Only plain files
    are opened."""
    name = shown(path.name)
    try:
        data = read_plain(path, MAX_BYTES, language)
    except OSError as exc:
        return None, say(f"{name} could not be read ({exc.strerror or exc})",
                         f"{name} を読み込めませんでした ({exc.strerror or exc})", language)
    if len(data) > MAX_BYTES:
        return None, say(f"{name} is over the {MAX_BYTES / 1e6:.0f} MB limit",
                         f"{name} は上限の {MAX_BYTES / 1e6:.0f} MB を超えています", language)
    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
        return nb, None
    except json.JSONDecodeError as exc:
        return None, say(f"{name} is not valid JSON ({exc.msg}, line {exc.lineno}); "
                         "was it saved completely?",
                         f"{name} は正しい JSON ではありません ({exc.msg}, {exc.lineno} 行目)。"
                         "最後まで保存されていましたか？", language)
    except Exception as exc:  # nbformat's own errors, encodings, ...
        detail = f"{type(exc).__name__}: {shown(str(exc)[:200])}"
        return None, say(f"{name} is not a readable notebook ({detail})",
                         f"{name} はノートブックとして読み込めません ({detail})", language)


def check_submission(folder, name, source_ids, assignment, language="en"):
    """Intake of one student's folder for one notebook ``name`` of the assignment (its notes
    in ``language``, the class's: "en" or "ja")."""
    intake = Intake(folder.parent.name)
    expected = folder / f"{name}.ipynb"
    files, odd = plain_files(folder, language)
    intake.notes.extend(odd)
    others = sorted(p for n, p in files.items() if n.endswith(".ipynb") and n != expected.name)
    chosen = None
    if expected.name in files:
        chosen = expected
    else:
        readable = [p for p in others if _read(p)[0] is not None and _belongs(_read(p)[0], source_ids)]
        if len(readable) == 1:
            chosen = readable[0]
            intake.notes.append(say(
                f"{expected.name} was missing; {shown(chosen.name)} was graded in its place",
                f"{expected.name} がなかったため、代わりに {shown(chosen.name)} を採点しました",
                language))
            intake.renamed = chosen
            others.remove(chosen)
        else:
            intake.notes.append(say(f"{expected.name} is missing from the submission",
                                    f"提出物に {expected.name} がありません", language))
            intake.blank = True
    for extra in others:
        intake.notes.append(say(
            f"extra notebook {shown(extra.name)} was ignored (only {expected.name} is graded)",
            f"余分なノートブック {shown(extra.name)} は無視しました "
            f"(採点するのは {expected.name} だけです)",
            language))
    nb = None
    if chosen is not None:
        nb, why = _read(chosen, language)
        if nb is None:
            intake.notes.append(why)
            intake.blank = True
        elif not _belongs(nb, source_ids):
            intake.notes.append(say(
                f"{shown(chosen.name)} has none of the cells of {assignment}: is it the "
                "notebook of another assignment?",
                f"{shown(chosen.name)} には {assignment} のセルがありません。"
                "別の課題のノートブックではありませんか？", language))
            intake.blank, nb = True, None
        elif nb.metadata.get("kernelspec", {}).get("name") not in (None, "python3"):
            kernel = shown(nb.metadata["kernelspec"].get("name"))
            intake.notes.append(say(
                f"{shown(chosen.name)} asked for the kernel {kernel}; it was graded with Python 3",
                f"{shown(chosen.name)} はカーネル {kernel} を指定していましたが、"
                "Python 3 で採点しました", language))
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
