"""A course directory driven by the stock nbgrader commands (used by the demo and the tests).

    course = Course.create(tmp_path / "course", assignments=["01_rnn"])
    course.submit("alice", "01_rnn", notebook)
    course.autograde("01_rnn")
    course.scores("01_rnn")   # {"alice": {"rnn_forward": (3.0, 3.0), ...}}
"""
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.grading.language import FOLDERS
from autograder.instructor.config import REPO_ROOT, gradebook_url, run_nbgrader


@dataclass
class Course:
    root: Path

    @classmethod
    def create(cls, root, assignments, repo_root=REPO_ROOT, from_authored=False, register=True,
               language="en", editions=None):
        """A fresh course at ``root`` with the repo's nbgrader_config.py.

        from_authored: copy the authored ``source/NAME/NAME.py`` files and build the
            notebooks from them (as `make build` does); otherwise copy the committed source
            notebooks (faster; the authored files are then absent).
        register: run `nbgrader generate_assignment`, so the gradebook knows each
            assignment and its edition's release folder holds its release.
        language: the class's language, set in the course's nbgrader_config.py as the
            README says (the one line ``use_edition(c, ...)``).
        editions: with from_authored, the language editions to build (default: the
            class's own)."""
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        config = Path(repo_root, "nbgrader_config.py").read_text()
        line = 'use_edition(c, "en")'
        if line not in config:
            raise ValueError(f"{repo_root}/nbgrader_config.py has no line {line!r}")
        (root / "nbgrader_config.py").write_text(
            config.replace(line, f"use_edition(c, {language!r})".replace("'", '"')))
        course = cls(root)
        edition_source = FOLDERS[language]["source_directory"]
        for name in assignments:
            if from_authored:
                dst = root / "source" / name
                dst.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(repo_root, "source", name, f"{name}.py"), dst)
            else:
                shutil.copytree(Path(repo_root, edition_source, name),
                                root / edition_source / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("*.py"))
        if from_authored:
            from autograder.instructor.build import build

            build(root, list(assignments), languages=tuple(editions or (language,)))
        if register:
            for name in assignments:
                course.nbgrader("generate_assignment", name, "--force")
        return course

    def nbgrader(self, *args, check=True):
        """Run one stock nbgrader command in the course root; returns the CompletedProcess."""
        return run_nbgrader(self.root, *args, check=check)

    def submission_path(self, student, assignment):
        return self.root / "submitted" / student / assignment / f"{assignment}.ipynb"

    def submit(self, student, assignment, notebook):
        """Place a notebook as the student's submission, read-only like a collected file."""
        path = self.submission_path(student, assignment)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        nbformat.write(notebook, path)
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        return path

    def autograde(self, assignment, *extra):
        return self.nbgrader("autograde", assignment, "--create", *extra)

    def generate_feedback(self, assignment):
        return self.nbgrader("generate_feedback", assignment, "--force")

    def export(self, csv_path="grades.csv"):
        return self.nbgrader("export", f"--to={csv_path}")

    def scores(self, assignment, db_url=None):
        """{student: {cell grade_id: (score, max_score)}} of the autograded cells
        (from the course's configured gradebook, or the gradebook at ``db_url``)."""
        from autograder.instructor.gradebook_results import autograded_scores

        return autograded_scores(db_url or gradebook_url(self.root), assignment)
