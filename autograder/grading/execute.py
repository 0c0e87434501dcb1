"""The trusted grading step of `nbgrader autograde` (replaces nbgrader's Execute).

For every notebook it starts the student's kernel in a sandbox (autograder.grading.kernel)
and runs the code cells in order, except the cells tagged "practice". A graded test cell
names its item by its grade_id in the cell's nbgrader metadata (restored from the source
notebook by RestoreSourceMetadata, so a student cannot change it); it is split in two:

* its hidden block (written by the build) never runs in the kernel. The grader draws the
  inputs from a seed the student cannot know (an HMAC of the course's secret, the student
  and the item), the kernel only applies the student's object (the item's
  ``student_object``) to them and sends back plain data, and the grader compares with the
  hidden reference and writes the verdict as the cell's output: the message, with the
  verdict as data in the output's metadata (``VERDICT_KEY``: item, passed, misconception
  key and hint), and an error output when it fails, which nbgrader scores 0;
* its visible part runs in the kernel as usual.

A cell that times out fails; a cell that kills the kernel (exit, crash, out of memory)
fails, the kernel is restarted and the cells that had run are run again, and grading
goes on: only the items that depend on the broken code lose points.

Everything the grader writes (verdicts, hints, timeouts, kernel deaths) is in the class's
language, ``Edition.language`` of nbgrader_config.py (``use_edition(c, "ja")``), read from
the grader's own configuration, never from the submission or the kernel.
"""
import atexit
import hashlib
import hmac
import inspect
import json
import math
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import Bool, Integer, Unicode

from autograder.grading import protocol
from autograder.grading.evaluation import StandIns, read_outcomes, request_text, result_count
from autograder.grading.language import class_language
from autograder.items import PROBLEMS, FunctionProblem, Outcome
from autograder.items.base import clip
from autograder.grading.kernel import KernelSession
from autograder.grading.sandbox import NONE, USER, SandboxSettings
from rnnlib.language import say as _say

SECRET_FILE = ".autograder_secret"
BOOTSTRAP_NAME = "__rnn_grader"
VERDICT_KEY = "rnn_course_verdict"  # output metadata key of a hidden test's verdict
AFTER_LAST_GRADED = ("[not run by the grader: no graded cell comes after this one, so it cannot "
                     "change the score]")
AFTER_LAST_GRADED_JA = ("[採点では実行されていません: このセルより後に採点されるセルがないため、"
                        "得点に影響しません]")


def course_secret(root):
    """The course's grading secret (created on first use, readable by its owner only)."""
    path = Path(root, SECRET_FILE)
    if not path.exists():
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def case_seed(secret, student, grade_id, attempt=""):
    """The seed of one item's hidden cases: secret, student, item and the submission's
    digest, so every changed submission (a new graded attempt) gets fresh cases while
    grading the same submission again draws the same ones."""
    message = f"{student}/{grade_id}/{attempt}".encode()
    return int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")


def submission_digest(nb):
    """A digest of everything the student wrote: the type and text of every cell, in order."""
    cells = [[cell.cell_type, cell.source] for cell in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def last_graded_code_cell(nb):
    """Index of the last graded code cell (-1 if none): later cells cannot earn points."""
    graded = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and utils.is_grade(cell)]
    return graded[-1] if graded else -1


def has_grading_role(cell):
    """A cell nbgrader grades, keeps or restores (graded, answer or locked): never skipped."""
    return utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)


def public_files(folder, max_bytes=50_000_000, max_files=64):
    """{name: path} of the submission's own data files the kernel may read: regular files
    only (never a symlink, device or folder, never followed), not notebooks, not huge, and
    not more than ``max_files`` of them (each one is an argument of the sandbox)."""
    from autograder.grading.submitted_files import plain_files

    files = {}
    for name, path in plain_files(folder)[0].items():
        if path.suffix != ".ipynb" and path.lstat().st_size < max_bytes:
            files[name] = path
        if len(files) == max_files:
            break
    return files


_WARNED_OPEN = set()  # course roots already warned about, once per grading process


_LIBRARY_VIEWS = {}


def library_view(assignment):
    """The folder holding the student library as released with ``assignment`` (staged once
    per grading process, world-readable so the kernel's own user can read it)."""
    from autograder.grading import student_library

    if assignment not in _LIBRARY_VIEWS:
        parent = Path(tempfile.mkdtemp(prefix="rnn-library-"))
        atexit.register(shutil.rmtree, parent, True)
        view = parent / "view"
        view.mkdir(mode=0o755)
        os.chmod(view, 0o755)
        student_library.stage(assignment, view)
        for folder, dirs, names in os.walk(view):
            for name in dirs:
                os.chmod(Path(folder, name), 0o755)
            for name in names:
                os.chmod(Path(folder, name), 0o644)
        _LIBRARY_VIEWS[assignment] = view
    return _LIBRARY_VIEWS[assignment]


def item_of(cell, assignment):
    """The registry item a graded code cell tests, from its nbgrader grade_id (None for a
    cell that is not an item's test cell)."""
    if cell.cell_type != "code" or not utils.is_grade(cell):
        return None
    return PROBLEMS.get(f"{assignment}.{cell.metadata['nbgrader'].get('grade_id')}")


def visible_code(cell):
    """The test cell's code without its hidden block (nbgrader's own delimiters)."""
    copy = cell.copy()
    ClearHiddenTests()._remove_hidden_test_region(copy)
    return copy.source


def _error_output(name, message):
    return new_output("error", ename=name, evalue=message,
                      traceback=[f"\x1b[0;31m{name}\x1b[0m: {message}"])


def _stdout(text):
    return new_output("stream", name="stdout", text=text if text.endswith("\n") else text + "\n")


def verdict_outputs(verdict):
    """The outputs of a hidden test: its message, carrying the verdict as data in the
    output's metadata, then (when it failed) the error output nbgrader scores 0 (both in
    the verdict's language)."""
    outputs = [new_output("display_data", data={"text/plain": verdict.message},
                          metadata={VERDICT_KEY: verdict.as_data()})]
    if not verdict.passed:
        outputs.append(_error_output("HiddenTestFailure", _say(
            f"{verdict.grade_id} failed its hidden test (see above)",
            f"{verdict.grade_id} は隠しテストに不合格でした (上を参照)", verdict.language)))
    return outputs


class TrustedExecute(NbGraderPreprocessor):
    """Run a submission in a sandboxed kernel and judge hidden checks outside it."""

    timeout = Integer(60, help="Seconds a cell may run before it is stopped.").tag(config=True)
    startup_timeout = Integer(60, help="Seconds the kernel may take to start.").tag(config=True)
    skip_cells_with_tag = Unicode("practice", help="Cells with this tag are not run (never a "
                                  "graded, answer or locked cell).").tag(config=True)
    notebook_timeout = Integer(300, help="Wall-clock seconds one notebook may take in all, restarts "
                               "and re-runs included; then its remaining cells are not run and "
                               "its remaining items fail.").tag(config=True)
    max_kernel_restarts = Integer(10, help="Kernel deaths one notebook may cause; after that its "
                                  "remaining cells are not run.").tag(config=True)
    memory_mb = Integer(2048, help="Address-space limit of the kernel (MiB).").tag(config=True)
    cpu_seconds = Integer(600, help="CPU-time limit of the kernel (s).").tag(config=True)
    max_processes = Integer(64, help="Process limit of the sandbox user.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file the kernel may write (MiB).").tag(config=True)
    max_output_chars = Integer(20_000, help="Output kept per cell.").tag(config=True)
    scratch_mb = Integer(64, help="Size of each private tmpfs of the kernel: /tmp, /var/tmp, "
                         "/dev/shm and its home folder (MiB).").tag(config=True)
    sandbox_uid_base = Integer(2_000_000, help="First of the user ids leased to kernels, one "
                               "each, when grading as root.").tag(config=True)
    sandbox_uid_count = Integer(1000, help="How many user ids to lease from.").tag(config=True)
    isolate = Bool(True, help="Sandbox the kernel (bubblewrap) where the machine allows "
                   "it.").tag(config=True)

    _language = "en"  # set from the configuration by preprocess

    def _course_root(self):
        return Path(CourseDirectory(parent=self).root).resolve()

    @property
    def language(self):
        """The class's language (nbgrader_config.py: ``use_edition(c, ...)``)."""
        return class_language(self.config)

    def _say(self, en, ja):
        return _say(en, ja, self._language)

    def _settings(self):
        return SandboxSettings(memory_mb=self.memory_mb, cpu_seconds=self.cpu_seconds,
                               max_processes=self.max_processes, file_size_mb=self.file_size_mb,
                               scratch_mb=self.scratch_mb, max_output_chars=self.max_output_chars,
                               uid_base=self.sandbox_uid_base, uid_count=self.sandbox_uid_count,
                               isolate=self.isolate)

    def preprocess(self, nb, resources):
        root = self._course_root()
        settings = self._settings()
        if settings.mode == NONE:
            self.log.warning("Grading kernel NOT isolated (no bubblewrap, no user namespaces, or "
                             "isolate=False): only resource limits apply; the kernel can read "
                             "what this user can.")
        elif settings.mode == USER:
            self.log.warning("Grading kernel isolated without root: it runs under this user's "
                             "id, with no per-kernel process limit; grade as root for both.")
        if root.stat().st_mode & 0o007 and root not in _WARNED_OPEN:
            _WARNED_OPEN.add(root)
            self.log.warning("The course directory %s is open to other users (mode %o): students "
                             "on this machine can read the solutions, the gradebook and the "
                             "exports. `chmod 700 %s` (the kernels never see it either way).",
                             root, root.stat().st_mode & 0o777, root)
        self._secret = course_secret(root)
        self._language = self.language
        self._student = resources.get("nbgrader", {}).get("student", "")
        folder = Path(resources.get("metadata", {}).get("path", "."))
        assignment = resources.get("nbgrader", {}).get("assignment", "")
        self._assignment = assignment
        with KernelSession(settings, library_view(assignment), public_files(folder),
                           self.startup_timeout, language=self._language) as kernel:
            self._kernel = kernel
            self._run_cells(nb)
        return nb, resources

    # --- the notebook run, within its budget -----------------------------------------------

    def _run_cells(self, nb):
        """Run the code cells in order: skip practice cells, stop at the last graded cell,
        and stop running (failing the items left) once the notebook's budget is spent."""
        self._replay, self._restarts, self._stopped = [], 0, None
        self._passed = {}  # grade_id -> did the item pass (items judged so far)
        self._deadline = time.monotonic() + self.notebook_timeout
        self._attempt = submission_digest(nb)
        self._bootstrap()
        last = last_graded_code_cell(nb)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or self._skipped(cell):
                continue
            cell.outputs = []
            cell.execution_count = None
            if index > last:
                cell.outputs.append(_stdout(self._say(AFTER_LAST_GRADED, AFTER_LAST_GRADED_JA)))
            elif self._out_of_budget():
                cell.outputs.append(self._not_run_output(cell))
            elif item_of(cell, self._assignment) is not None:
                self._run_test_cell(cell, item_of(cell, self._assignment))
            else:
                self._run_code(cell, cell.source, replayable=True)

    def _skipped(self, cell):
        """Skipped: tagged for skipping (tags restored from the source notebook by
        RestoreSourceMetadata) and not a graded, answer or locked cell."""
        return (self.skip_cells_with_tag in cell.metadata.get("tags", [])
                and not has_grading_role(cell))

    def _out_of_budget(self):
        if self._stopped is None and time.monotonic() >= self._deadline:
            self._stopped = self._say(
                f"grading this notebook took its whole budget of "
                f"{self.notebook_timeout} s (cells that wait or loop, or kernel "
                "deaths that made the grader re-run the cells before)",
                f"このノートブックの採点に使える時間 {self.notebook_timeout} 秒をすべて使い"
                "切りました (待ち続けるかループするセル、またはカーネルが止まって前のセルを"
                "採点システムが再実行したため)")
        return self._stopped is not None

    def _not_run_output(self, cell):
        text = self._say(f"not run: {self._stopped}", f"実行されていません: {self._stopped}")
        if utils.is_grade(cell):
            return _error_output("NotGraded", self._say(
                f"{text}; this item gets 0 points. Make the cells "
                "before it finish quickly and without ending the kernel.",
                f"{text}。この項目は 0 点です。これより前のセルが、カーネルを終了させずに"
                "すぐ終わるようにしてください。"))
        return _stdout(f"[{text}]")

    def _cell_timeout(self):
        """The per-cell timeout, cut to what is left of the notebook's budget."""
        return max(1, min(self.timeout, math.ceil(self._deadline - time.monotonic())))

    # --- kernel housekeeping -------------------------------------------------------------

    def _bootstrap(self):
        """Define the wire-format helpers in the kernel (a module object, not a global)."""
        code = ("import types as _t\n"
                f"{BOOTSTRAP_NAME} = _t.ModuleType('{BOOTSTRAP_NAME}')\n"
                f"exec({inspect.getsource(protocol)!r}, {BOOTSTRAP_NAME}.__dict__)\n"
                "del _t")
        result = self._kernel.run(code, self.timeout)
        if result.status != "ok":
            raise RuntimeError(f"could not prepare the grading kernel: {result.outputs}")

    def _restart(self):
        """Restart the kernel and run again the cells that had run without error, within
        the notebook's budget and its limit on restarts (past either, stop the notebook)."""
        if not self._fresh_kernel():
            return
        kept = []
        for source in self._replay:
            result = self._kernel.run(source, self._cell_timeout())
            if result.status == "ok":
                kept.append(source)
            elif result.status == "died" and not self._fresh_kernel():
                break
        self._replay = kept

    def _fresh_kernel(self):
        """Restart the kernel, unless the notebook is out of budget or of restarts."""
        if self._out_of_budget():
            return False
        self._restarts += 1
        if self._restarts > self.max_kernel_restarts:
            self._stopped = self._say(
                f"the kernel died {self._restarts} times, more than the "
                f"{self.max_kernel_restarts} restarts a notebook gets",
                f"カーネルが {self._restarts} 回止まりました。1 つのノートブックで再起動できる"
                f"のは {self.max_kernel_restarts} 回までです")
            return False
        self._kernel.restart()
        self._bootstrap()
        return True

    def _run_code(self, cell, source, replayable):
        if self._out_of_budget():
            cell.outputs.append(self._not_run_output(cell))
            return "stopped"
        timeout = self._cell_timeout()
        result = self._kernel.run(source, timeout)
        cell.outputs.extend(result.outputs)
        if result.status == "ok" and replayable:
            self._replay.append(source)
        elif result.status == "timeout":
            cell.outputs.append(_error_output("CellTimeoutError", self._say(
                f"this cell ran longer than {timeout} s and was stopped",
                f"このセルは {timeout} 秒より長くかかったため止められました")))
        elif result.status == "died":
            cell.outputs.append(_error_output("KernelDied", self._say(
                "the kernel stopped while running this cell (it exited, crashed or "
                "ran out of memory); the grader restarted it and re-ran the cells before",
                "このセルの実行中にカーネルが止まりました (終了、クラッシュ、またはメモリ不足)。"
                "採点システムがカーネルを再起動し、前のセルを実行し直しました")))
            self._restart()
        return result.status

    # --- graded test cells ---------------------------------------------------------------

    def _run_test_cell(self, cell, problem):
        failed = self._failed_dependencies(problem)
        verdict = self._judge(problem, failed)
        self._passed[problem.grade_id] = verdict.passed
        cell.outputs.extend(verdict_outputs(verdict))
        visible = visible_code(cell)
        if verdict.passed and failed and visible.strip():
            # the visible test may call the student's broken earlier function: not run
            names = ", ".join(p.student_object for p in failed)
            cell.outputs.append(_stdout(self._say(
                f"[the visible test was not run by the grader: it may "
                f"call your {names}, which fails its own test]",
                f"[表示されているテストは採点では実行されていません: 自身のテストに不合格の"
                f"あなたの {names} を呼び出すかもしれないため]")))
        elif verdict.passed and visible.strip():
            self._run_code(cell, visible, replayable=False)

    def _judge(self, problem, failed=()):
        """The item's verdict; ``failed``: earlier items (this one calls their functions)
        whose student function failed, answered by correct stand-ins while it runs."""
        cases = problem.cases(case_seed(self._secret, self._student, problem.grade_id,
                                        self._attempt))
        count = result_count(problem, cases)
        language = self._language
        if self._out_of_budget():
            error = self._say(f"not run: {self._stopped}", f"実行されていません: {self._stopped}")
            return problem.verdict(cases, [Outcome(error=error)] * count, language=language)
        stand_ins = StandIns(failed, language=language) if failed else None
        code = (f"{BOOTSTRAP_NAME}.evaluate({problem.student_object}, "
                f"{request_text(problem, cases, stand_ins, language)!r})")
        timeout = self._cell_timeout()
        result = self._kernel.run(code, timeout, answer=stand_ins)
        verdict = problem.verdict(cases, self._outcomes(result, count, timeout), language=language)
        return verdict.with_stand_ins(failed) if stand_ins and stand_ins.calls else verdict

    def _failed_dependencies(self, problem):
        """The earlier function items this item's code calls (directly or through another
        one) that failed their own test in this run: the item is judged with correct
        stand-ins for them (DESIGN.md: each item judged on its own logic)."""
        seen, frontier = set(), list(problem.depends_on)
        while frontier:
            grade_id = frontier.pop()
            if grade_id not in seen and grade_id in PROBLEMS:
                seen.add(grade_id)
                frontier.extend(PROBLEMS[grade_id].depends_on)
        return [PROBLEMS[g] for g in sorted(seen) if self._passed.get(g) is False
                and isinstance(PROBLEMS[g], FunctionProblem)]

    def _outcomes(self, result, n, timeout):
        if result.status == "died":
            self._restart()
            return [Outcome(error=self._say(
                "the kernel died while running your code on this case "
                "(exit, crash or out of memory)",
                "このケースであなたのコードを実行中にカーネルが止まりました (終了、クラッシュ、"
                "またはメモリ不足)"))] * n
        if result.status == "timeout":
            return [Outcome(error=self._say(f"your code took longer than {timeout} s",
                                            f"あなたのコードは {timeout} 秒より長くかかりました"))] * n
        if not result.payloads:
            errors = [o for o in result.outputs if o.get("output_type") == "error"]
            text = (f"{errors[-1]['ename']}: {errors[-1]['evalue']}" if errors
                    else self._say("no result", "結果がありません"))
            return [Outcome(error=clip(text, protocol.ERROR_LIMIT, self._language))] * n
        return read_outcomes(result.payloads[-1], n, self._language)
