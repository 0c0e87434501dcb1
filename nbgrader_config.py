"""nbgrader settings of the RNN course (read by every stock `nbgrader` command run here).

The course root is the directory nbgrader runs in (the repo root, or a copy of this file
in any course directory with the standard layout: source/, submitted/, autograded/, ...).
"""
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearMarkScheme,
                                    ClearOutput, DeduplicateIds, IgnorePattern,
                                    IncludeHeaderFooter, LimitOutput, LockCells, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades)

from autograder.nbgrader_ext import KeepStderrOutOfGrading, RestoreDeletedGradeCells
from autograder.trusted.execute import TrustedExecute

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "rnn-course"

# The exchange folder (nbgrader release_assignment, fetch_assignment, submit, collect,
# release_feedback, fetch_feedback). On a JupyterHub every server's environment sets
# NBGRADER_EXCHANGE to the shared folder (deploy/README.md); without it, the folder
# exchange/ beside this file, created here, so one account can try the whole round trip
# without root (nbgrader's own default, /usr/local/share/nbgrader/exchange, needs root).
if os.environ.get("NBGRADER_EXCHANGE"):
    c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
else:
    c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")
    os.makedirs(c.Exchange.root, exist_ok=True)
# Late submissions (after the due date set with `nbgrader db assignment add A --duedate=...`)
# are flagged in the gradebook and the feedback; "zero" would also score them 0.
c.LateSubmissionPlugin.penalty_method = "none"
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
# (`nbgrader validate`, which students run, uses Execute.)
c.Execute.skip_cells_with_tag = "practice"
c.Execute.timeout = 60
c.Execute.startup_timeout = 60

# Trusted grading (autograder/trusted): the student's kernel runs sandboxed and only
# computes; hidden checks draw their inputs from a secret seed and are judged outside the
# kernel. A cell that times out or kills the kernel fails alone; the grader restarts the
# kernel and carries on.
c.TrustedExecute.skip_cells_with_tag = "practice"
c.TrustedExecute.timeout = 60          # per cell; graded cells take well under a second
c.TrustedExecute.memory_mb = 2048      # address-space limit of the kernel
c.TrustedExecute.cpu_seconds = 600     # CPU time of the whole kernel
c.TrustedExecute.max_processes = 64
c.TrustedExecute.file_size_mb = 64
c.TrustedExecute.sandbox_user = "nobody"
# Other students' work is out of the kernel's reach too: the exchange (every inbound
# submission), and submitted/ and staged/ whichever of them this run grades from.
c.TrustedExecute.extra_hidden_paths = [
    c.Exchange.root,
    *(os.path.join(os.path.dirname(os.path.abspath(__file__)), d) for d in ("submitted", "staged")),
]
# Isolation needs root and permission to create namespaces; where the probe fails the
# grader falls back to resource limits alone and logs a warning.

# Deleted or de-tagged test cells are put back before nbgrader restores cell contents.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreDeletedGradeCells,
    OverwriteCells,
    CheckCellMetadata,
]
# A numpy RuntimeWarning printed to stderr must not zero a correct answer: stock nbgrader
# fails any graded cell with stderr output. KeepStderrOutOfGrading relabels stderr in
# graded cells so it stays visible in the feedback but is not scored.
c.Autograde.autograde_preprocessors = [
    TrustedExecute,
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
