"""A course directory driven by the stock nbgrader commands (used by the demo and the tests).

    course = Course.create(tmp_path / "course", assignments=["01_rnn"])
    course.submit("alice", "01_rnn", notebook)
    course.autograde("01_rnn")
    course.scores("01_rnn")   # {"alice": {"rnn_forward": (3.0, 3.0), ...}}
"""
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent


class NbgraderCommandFailed(RuntimeError):
    pass


def tool_env():
    """Environment for nbgrader subprocesses: this interpreter's bin/ first on PATH
    (nbgrader runs the ``alembic`` command by name) and the repo importable."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@dataclass
class Course:
    root: Path

    @classmethod
    def create(cls, root, assignments, repo_root=REPO_ROOT):
        """A fresh course: the repo's nbgrader_config.py and source notebooks, assignments
        generated (so the gradebook knows them). Authored .py sources are not copied."""
        root = Path(root)
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(repo_root, "nbgrader_config.py"), root / "nbgrader_config.py")
        course = cls(root)
        for name in assignments:
            src = Path(repo_root, "source", name)
            dst = root / "source" / name
            shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.py"))
            course.nbgrader("generate_assignment", name, "--force")
        return course

    def nbgrader(self, *args, check=True):
        """Run one stock nbgrader command in the course root; returns the CompletedProcess."""
        result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root, env=tool_env(),
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            raise NbgraderCommandFailed(f"nbgrader {' '.join(args)} exited {result.returncode}:\n"
                                        f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result

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
        (from the course's gradebook.db, or the gradebook at ``db_url``)."""
        from .gradebook_results import autograded_scores

        return autograded_scores(db_url or f"sqlite:///{self.root / 'gradebook.db'}", assignment)
