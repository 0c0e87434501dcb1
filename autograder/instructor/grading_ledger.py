"""What has been graded, and from which files: the memory that makes grading resumable.

The ledger (``.parallel/ledger.json`` in the course root, out of the students' reach)
records, per assignment and student, the checksum of ``submitted/<student>/<assignment>/``
and of the grading material (the assignment's source notebooks and nbgrader_config.py)
at the moment the grades were safely in the gradebook. A submission needs grading when
it is new, when either checksum changed since, or when the gradebook has no record of it.
Only the process that writes the gradebook writes the ledger, after the gradebook
committed, so a run stopped at any point loses nothing: what it did not record is graded
again next time.
"""
import hashlib
import json
import os
import stat
from pathlib import Path


def folder_checksum(folder):
    """sha256 over the relative path and bytes of every plain file under ``folder`` (read
    only). A symbolic link or special file counts by its name and kind alone: it is never
    followed or opened (the intake ignores it and notes it)."""
    digest = hashlib.sha256()
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISDIR(mode):
            continue
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        if not stat.S_ISREG(mode):
            digest.update(f"not a plain file: {stat.S_IFMT(mode):o}".encode() + b"\0")
            continue
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def grading_material_checksum(root, assignment):
    """Changes when the assignment's source notebooks or the grading settings change."""
    digest = hashlib.sha256()
    root = Path(root)
    for path in [*sorted(root.glob(f"source/{assignment}/*.ipynb")), root / "nbgrader_config.py"]:
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Ledger:
    def __init__(self, path):
        self.path = Path(path)
        self.entries = json.loads(self.path.read_text()) if self.path.exists() else {}

    def is_current(self, assignment, student, submission_sum, material_sum):
        entry = self.entries.get(assignment, {}).get(student)
        return entry == {"submission": submission_sum, "material": material_sum}

    def record(self, assignment, student, submission_sum, material_sum):
        """Remember a graded submission and save at once (atomically: write, then rename)."""
        self.entries.setdefault(assignment, {})[student] = {"submission": submission_sum,
                                                            "material": material_sum}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        partial.write_text(json.dumps(self.entries, indent=1, sort_keys=True))
        os.replace(partial, self.path)
