"""nbgrader settings of the RNN course (read by every stock `nbgrader` command run here).

The course root is the directory nbgrader runs in (the repo root, or a copy of this file
in any course directory with the standard layout: source/, submitted/, autograded/, ...).
"""
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearMarkScheme,
                                    ClearOutput, Execute, IgnorePattern, IncludeHeaderFooter,
                                    LimitOutput, LockCells, SaveAutoGrades)

from autograder.nbgrader_ext import KeepStderrOutOfGrading

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "rnn-course"
# nbgrader itself writes the student and solution versions into the repo's folders.
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.solution_directory = "solutions"
# The authored jupytext sources (source/NN_topic/NN_topic.py) hold the solutions: never
# copy them into a release or an autograded folder. The course ships no other .py files
# per assignment (shared code lives in the rnnlib package).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Cells tagged "practice" train networks for the student to look at; they define nothing
# that graded cells use, so grading skips them (the graded run stays well under 60 s).
c.Execute.skip_cells_with_tag = "practice"
# One cell's budget: the slowest graded cell takes well under a second; 60 s leaves room
# for a loaded machine without letting an endless loop hold a whole class's grading.
c.Execute.timeout = 60
c.Execute.startup_timeout = 60

# A numpy RuntimeWarning printed to stderr must not zero a correct answer: stock nbgrader
# fails any graded cell with stderr output. The preprocessor below, run after Execute,
# relabels stderr in graded cells so it stays visible in the feedback but is not scored.
c.Autograde.autograde_preprocessors = [
    Execute,
    KeepStderrOutOfGrading,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Solutions are committed without outputs (deterministic); CI executes them in the tests.
c.GenerateSolution.preprocessors = [
    IncludeHeaderFooter,
    LockCells,
    ClearOutput,
    ClearMarkScheme,
]
