"""nbgrader settings of the RNN course (read by every stock `nbgrader` command run here).

The course root is the directory nbgrader runs in (the repo root, or a copy of this file
in any course directory with the standard layout: source/, submitted/, autograded/, ...).
"""
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearMarkScheme,
                                    ClearOutput, DeduplicateIds, GetGrades, IgnorePattern,
                                    IncludeHeaderFooter, LimitOutput, LockCells, OverwriteCells,
                                    OverwriteKernelspec, SaveAutoGrades)

from autograder.grading.language import use_edition
from autograder.grading.lateness import ShowLateness
from autograder.grading.preprocessors import KeepStderrOutOfGrading, RestoreSourceMetadata
from autograder.grading.execute import TrustedExecute

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "rnn-course"

# The class's language: "en" (the English edition: source/, notebooks/, solutions/) or "ja"
# (the Japanese edition: ja/source/, ja/notebooks/, ja/solutions/). It picks the notebooks
# nbgrader releases and grades, the "YOUR CODE HERE" stubs, and the language of the
# feedback, hints and reports (README "The class's language").
use_edition(c, "en")

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
# `nbgrader collect` believes nothing a student put into the exchange (autograder/grading/exchange.py):
# an inbound entry is refused (logged, left in place) unless it and every file in it belong
# to the account of the student it names, and it holds only plain files and folders (no
# symbolic or hard links, fifos, devices); the submission time is the exchange's own
# (latest ctime of the entry), not the student's timestamp.txt. One account submitting
# for every student (a tutorial, a laptop) is an explicit setting: uncomment the line
# below or export AUTOGRADER_SINGLE_ACCOUNT=1 (links and forged times are still refused).
c.ExchangeFactory.collect = "autograder.grading.exchange.SafeCollect"
# `nbgrader release_feedback` also releases a renamed notebook's feedback under the name
# the student submitted (intake graded `01_rnn-Copy1.ipynb` as 01_rnn.ipynb; the student's
# fetch_feedback looks for the names they submitted) and says so in its log.
c.ExchangeFactory.release_feedback = "autograder.grading.exchange.ReleaseFeedbackUnderSubmittedNames"
# c.SafeCollect.single_account = True
# Late submissions (after the due date set with `nbgrader db assignment add A --duedate=...`)
# are flagged in the gradebook and the feedback; "zero" would also score them 0.
c.LateSubmissionPlugin.penalty_method = "none"
# A late submission's feedback page says so at the top ("submitted 2 h 13 min after the
# due date"), and grades.csv has a column seconds_late (autograder/grading/lateness.py).
c.GenerateFeedback.preprocessors = [GetGrades, ShowLateness, CSSHTMLHeaderPreprocessor]
# nbgrader itself writes the student and solution versions into the edition's folders
# (use_edition above).
# The authored jupytext sources (source/NN_topic/NN_topic.py) hold the solutions: never
# copy them into a release or an autograded folder. The course ships no other .py files
# per assignment (shared code lives in the rnnlib package).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]

# (The stubs that replace solutions, "# YOUR CODE HERE" / "YOUR ANSWER HERE", come with
# the edition: use_edition above.)

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
c.TrustedExecute.notebook_timeout = 300  # per notebook, re-runs after kernel deaths included
c.TrustedExecute.max_kernel_restarts = 10
c.TrustedExecute.memory_mb = 2048      # address-space limit of the kernel
c.TrustedExecute.cpu_seconds = 600     # CPU time of the whole kernel
c.TrustedExecute.max_processes = 64
c.TrustedExecute.file_size_mb = 64
c.TrustedExecute.scratch_mb = 64        # each private tmpfs: /tmp, /var/tmp, /dev/shm, home
# The kernel sees an allow-list (autograder/grading/sandbox.py, bubblewrap): the Python
# installation and the student library of the assignment, read-only; its own size-limited
# /tmp, /var/tmp, /dev/shm and home; no network; nothing of this course directory, the
# repository, the exchange or other kernels. As root each kernel also gets a user id of its
# own (leased from 2,000,000 up: sandbox_uid_base, sandbox_uid_count). Without root it runs
# under the grader's id where user namespaces work, else only the limits apply (a warning).

# Nothing in a submission but the answers is trusted: RestoreSourceMetadata puts the source
# notebook's tags, flags, ids, points and cell types back (and deleted graded cells), names
# each change in a Grading note, and runs before nbgrader's own steps see the metadata.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    RestoreSourceMetadata,
    DeduplicateIds,
    OverwriteKernelspec,
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

# Student HTML is inert where people look (DESIGN.md rule 10, autograder/grading/safe_html.py).
# formgrader (which reads this file too) and generate_feedback render student markdown and
# outputs through one bleach allow-list (no script, on* handler, javascript: URL, iframe,
# object or form), drop script-capable outputs (JavaScript, SVG, widgets) and put a
# script-blocking Content-Security-Policy <meta> into the page head.
# `nbgrader export` writes grades.csv quoted, no cell starting a formula (a roster name "=...").
from autograder.grading.safe_html import configure as _make_student_html_inert  # noqa: E402

_make_student_html_inert(c)
c.ExportApp.plugin_class = "autograder.grading.safe_export.SafeCsvExportPlugin"
