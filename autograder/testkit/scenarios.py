"""Submissions with the score each must get, built from the registry and the real notebooks.

``registry_scenarios`` is what CI grades (correct, blank, every misconception, every
alternative correct form, stderr noise); ``demo_scenarios`` are the three students of the
instructor demo. ``expected`` maps a test cell's grade_id to its score, for every item:
an item that calls a broken earlier item's code keeps full marks (it is judged with correct
stand-ins for the broken function, autograder/grading/evaluation.py StandIns).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.language import FOLDERS
from autograder.items import FunctionProblem, problems_for
from autograder.instructor.config import REPO_ROOT
from autograder.testkit.submissions import append_to_answer, filled_in, read_notebook, with_replacements


@dataclass
class Scenario:
    name: str  # also the student id: "submitted-correct", ...
    notebook: object
    expected: dict = field(default_factory=dict)
    description: str = ""


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]


def full_marks(assignment):
    return {p.cell_id: float(p.points) for p in problems_for(assignment)}


def dependents(assignment, grade_id):
    """Grade ids whose student code calls ``grade_id``'s object, directly or not."""
    found, frontier = set(), {grade_id}
    while frontier:
        frontier = {p.grade_id for p in problems_for(assignment)
                    if set(p.depends_on) & frontier and p.grade_id not in found}
        found |= frontier
    return found


def expected_scores(assignment, zero=()):
    """Full marks, except 0 on the items in ``zero``: every other item is judged on its own
    logic, so one that calls a zeroed item's function keeps its marks."""
    return {cell: (0.0 if cell in zero else points)
            for cell, points in full_marks(assignment).items()}


def registry_scenarios(assignment):
    problems = problems_for(assignment)
    full = full_marks(assignment)
    scenarios = [
        Scenario("submitted-correct", filled_in(assignment), full, "every answer from the solution"),
        Scenario("submitted-blank", read_notebook("notebooks", assignment),
                 {cell: 0.0 for cell in full}, "the released notebook, untouched"),
    ]
    for problem in problems:
        expected = expected_scores(assignment, zero=[problem.cell_id])
        for misconception in problem.misconceptions:
            scenarios.append(Scenario(
                f"submitted-misconception-{_slug(problem.cell_id)}-{misconception.key}",
                with_replacements(assignment, {problem.student_object: misconception.wrong}),
                expected, f"{problem.grade_id}: {misconception.hint}"))
    n_forms = max((len(p.alternatives) for p in problems), default=0)
    for k in range(n_forms):
        forms = {p.student_object: p.alternatives[k] for p in problems if len(p.alternatives) > k}
        scenarios.append(Scenario(f"submitted-alternative-forms-{k}",
                                  with_replacements(assignment, forms), full,
                                  f"alternative correct form #{k + 1} of every item"))
    function_problems = [p for p in problems if isinstance(p, FunctionProblem)]
    if function_problems:
        target = function_problems[-1].student_object
        noisy = append_to_answer(filled_in(assignment), target, f'''
            import sys as _sys
            _quiet_{target} = {target}
            def {target}(*args, **kwargs):
                print("debug: called", file=_sys.stderr)
                np.log(np.zeros(1))  # RuntimeWarning: divide by zero, printed on stderr
                return _quiet_{target}(*args, **kwargs)
            ''')
        scenarios.append(Scenario("submitted-correct-stderr-noise", noisy, full,
                                  f"correct, but {target} prints to stderr and warns"))
    return scenarios


def edition_root(root, language="en"):
    """The folder that holds ``language``'s edition's notebooks/ and solutions/ under the
    course (or repository) ``root``: ``root`` itself for English, root/ja for Japanese
    (autograder.grading.language.FOLDERS)."""
    release = Path(FOLDERS[language]["release_directory"])
    solution = Path(FOLDERS[language]["solution_directory"])
    if (release.name, solution.name) != ("notebooks", "solutions") or release.parent != solution.parent:
        raise ValueError(f"the {language} edition's folders are not <folder>/notebooks and "
                         f"<folder>/solutions: {release}, {solution}")
    return Path(root) / release.parent


def demo_scenarios(assignment, root=REPO_ROOT, language="en"):
    """Three students: all correct; some wrong answers; one whose code raises errors. Their
    notebooks are made from ``language``'s edition of the notebooks under ``root``."""
    root = edition_root(root, language)
    problems = problems_for(assignment)
    full = full_marks(assignment)
    functions = [p for p in problems if isinstance(p, FunctionProblem)]
    # Every other item that has a misconception (and calls no other item) gets it wrong.
    candidates = [p for p in problems if p.misconceptions and not p.depends_on]
    some_wrong = {p.student_object: p.misconceptions[0].wrong for p in candidates[::2]}
    # the items that call a wrong one keep their marks (judged with correct stand-ins)
    some_wrong_ids = {p.cell_id for p in candidates[::2]}

    def raises(*args):
        return args[0][len(args[0]) + 1]  # IndexError on every call

    erroring = with_replacements(assignment, {p.student_object: raises for p in functions}, root)
    error_ids = {p.cell_id for p in functions}
    return [
        Scenario("alice", filled_in(assignment, root), full, "all answers correct"),
        Scenario("bob", with_replacements(assignment, some_wrong, root),
                 {c: (0.0 if c in some_wrong_ids else v) for c, v in full.items()},
                 "some answers carry known misconceptions"),
        Scenario("carol", erroring, {c: (0.0 if c in error_ids else v) for c, v in full.items()},
                 "every function raises an IndexError"),
    ]
