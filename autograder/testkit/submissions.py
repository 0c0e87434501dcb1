"""Submissions made from the real notebooks: filled in, or with one object replaced.

Used by the tests (misconceptions, alternative correct forms) and by the instructor demo.
A replacement is either a function (its source, renamed to the student's name, replaces
the student's ``def``) or a value (``name = repr(value)`` replaces the assignment).
"""
import ast
import copy
import inspect
import re
import textwrap
from pathlib import Path

import nbformat

from autograder.instructor.config import REPO_ROOT


def read_notebook(kind, assignment, repo_root=REPO_ROOT):
    """The committed student ('notebooks') or solution ('solutions') version."""
    return nbformat.read(Path(repo_root, kind, assignment, f"{assignment}.ipynb"), as_version=4)


def _is_solution_cell(cell):
    return cell.metadata.get("nbgrader", {}).get("solution", False)


def as_student_answer(cell):
    """What a student would have typed: the solution without nbgrader's markers and,
    in a written answer, without the rubric (which starts at a line "**Rubric" or, in the
    Japanese edition, "**採点基準")."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION",
               "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->")
    lines = [line for line in cell.source.split("\n") if line.strip() not in markers]
    if cell.cell_type == "markdown":
        rubric = next((i for i, line in enumerate(lines)
                       if line.startswith(("**Rubric", "**採点基準"))), None)
        lines = lines[:rubric] if rubric is not None else lines
        lines = [line.replace("**Model answer.** ", "").replace("**模範解答。** ", "")
                 for line in lines]
    return "\n".join(lines).strip("\n")


def filled_in(assignment, repo_root=REPO_ROOT):
    """The student notebook with every answer cell filled in from the solution version."""
    student = read_notebook("notebooks", assignment, repo_root)
    solution = read_notebook("solutions", assignment, repo_root)
    answers = {c.metadata["nbgrader"]["grade_id"]: as_student_answer(c) for c in solution.cells
               if _is_solution_cell(c)}
    for cell in student.cells:
        if _is_solution_cell(cell):
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    return student


def function_source(func, name):
    """Source of ``func`` as a top-level ``def name(...)`` (recursive calls renamed too)."""
    source = textwrap.dedent(inspect.getsource(func))
    return re.sub(rf"\b{re.escape(func.__name__)}\b", name, source)


def _replace_lines(cell, first, last, new_text):
    lines = cell.source.split("\n")
    cell.source = "\n".join(lines[: first - 1] + new_text.rstrip("\n").split("\n") + lines[last:])


def replace_object(notebook, name, replacement):
    """A copy of ``notebook`` whose answer cells define ``name`` as ``replacement``."""
    nb = copy.deepcopy(notebook)
    for cell in nb.cells:
        if cell.cell_type != "code" or not _is_solution_cell(cell):
            continue
        tree = ast.parse(cell.source)
        for node in tree.body:
            if callable(replacement) and isinstance(node, ast.FunctionDef) and node.name == name:
                _replace_lines(cell, node.lineno, node.end_lineno, function_source(replacement, name))
                return nb
            if (not callable(replacement) and isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)):
                _replace_lines(cell, node.lineno, node.end_lineno, f"{name} = {replacement!r}")
                return nb
    raise LookupError(f"no answer cell defines {name!r}")


def with_replacements(assignment, replacements, repo_root=REPO_ROOT):
    """The filled-in notebook with {student_object: function or value} replaced."""
    nb = filled_in(assignment, repo_root)
    for name, replacement in replacements.items():
        nb = replace_object(nb, name, replacement)
    return nb


def append_to_answer(notebook, name, code):
    """A copy with ``code`` appended to the answer cell that defines ``name``."""
    nb = copy.deepcopy(notebook)
    for cell in nb.cells:
        if cell.cell_type == "code" and _is_solution_cell(cell) and re.search(
                rf"^(def {re.escape(name)}\(|{re.escape(name)} =)", cell.source, re.M):
            cell.source = cell.source.rstrip("\n") + "\n\n" + textwrap.dedent(code).strip() + "\n"
            return nb
    raise LookupError(f"no answer cell defines {name!r}")
