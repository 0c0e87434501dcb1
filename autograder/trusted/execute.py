"""The trusted grading step of `nbgrader autograde` (replaces nbgrader's Execute).

For every notebook it starts the student's kernel in a sandbox (autograder.trusted.kernel)
and runs the code cells in order, except the cells tagged "practice". A graded test cell
is split in two:

* its hidden ``check(grade_id, obj)`` calls never run in the kernel. The grader draws the
  inputs from a seed the student cannot know (an HMAC of the course's secret, the student
  and the item), the kernel only applies the student's object to them and sends back
  plain data, and the grader compares with the hidden reference and writes the verdict
  as the cell's output (an error output when it fails, which nbgrader scores 0);
* its visible part runs in the kernel as usual.

A cell that times out fails; a cell that kills the kernel (exit, crash, out of memory)
fails, the kernel is restarted and the cells that had run are run again, and grading
goes on: only the items that depend on the broken code lose points.
"""
import ast
import hashlib
import hmac
import inspect
import json
import secrets
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from ..course import REPO_ROOT
from ..plain import NotPlainData, to_plain
from ..problems import FunctionProblem, Outcome, get_problem
from . import protocol
from .kernel import KernelSession, SandboxSettings

SECRET_FILE = ".autograder_secret"
BOOTSTRAP_NAME = "__rnn_grader"


def course_secret(root):
    """The course's grading secret (created on first use, readable by its owner only)."""
    path = Path(root, SECRET_FILE)
    if not path.exists():
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def case_seed(secret, student, grade_id):
    digest = hmac.new(secret, f"{student}/{grade_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def split_test_cell(source):
    """(checks, visible_code): the check(grade_id, expression) calls of a test cell and the
    rest of its code, with the checks and `from autograder import ...` lines removed."""
    tree = ast.parse(source)
    lines = source.split("\n")
    checks, drop = [], set()
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        is_check = (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id == "check" and len(call.args) == 2
                    and isinstance(call.args[0], ast.Constant))
        if is_check:
            checks.append((call.args[0].value, ast.get_source_segment(source, call.args[1])))
        if is_check or (isinstance(node, ast.ImportFrom) and node.module
                        and node.module.split(".")[0] == "autograder"):
            drop.update(range(node.lineno - 1, node.end_lineno))
    visible = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return checks, visible


def _error_output(name, message):
    return new_output("error", ename=name, evalue=message,
                      traceback=[f"\x1b[0;31m{name}\x1b[0m: {message}"])


def _stdout(text):
    return new_output("stream", name="stdout", text=text if text.endswith("\n") else text + "\n")


class TrustedExecute(NbGraderPreprocessor):
    """Run a submission in a sandboxed kernel and judge hidden checks outside it."""

    timeout = Integer(60, help="Seconds a cell may run before it is stopped.").tag(config=True)
    startup_timeout = Integer(60, help="Seconds the kernel may take to start.").tag(config=True)
    skip_cells_with_tag = Unicode("practice", help="Cells with this tag are not run.").tag(config=True)
    memory_mb = Integer(2048, help="Address-space limit of the kernel (MiB).").tag(config=True)
    cpu_seconds = Integer(600, help="CPU-time limit of the kernel (s).").tag(config=True)
    max_processes = Integer(64, help="Process limit of the sandbox user.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file the kernel may write (MiB).").tag(config=True)
    max_output_chars = Integer(20_000, help="Output kept per cell.").tag(config=True)
    sandbox_user = Unicode("nobody", help="Unprivileged user of the kernel (when root).").tag(config=True)
    isolate = Bool(True, help="Namespaces and user switch when running as root.").tag(config=True)
    extra_hidden_paths = List(Unicode(), help="More paths the kernel must not read.").tag(config=True)

    def _course_root(self):
        return Path(CourseDirectory(parent=self).root).resolve()

    def _hidden_paths(self, root):
        import autograder
        course = CourseDirectory(parent=self)
        candidates = [root / "gradebook.db", root / SECRET_FILE, root / "nbgrader_config.py",
                      root / course.source_directory, root / course.solution_directory,
                      root / course.submitted_directory, root / course.autograded_directory,
                      root / course.feedback_directory, Path(autograder.__file__).parent,
                      REPO_ROOT / "source", REPO_ROOT / "solutions", REPO_ROOT / "tests",
                      *map(Path, self.extra_hidden_paths)]
        return sorted({str(p) for p in candidates if p.exists()})

    def _settings(self, root):
        return SandboxSettings(memory_mb=self.memory_mb, cpu_seconds=self.cpu_seconds,
                               max_processes=self.max_processes, file_size_mb=self.file_size_mb,
                               max_output_chars=self.max_output_chars, user=self.sandbox_user,
                               isolate=self.isolate, hidden_paths=self._hidden_paths(root))

    def preprocess(self, nb, resources):
        root = self._course_root()
        settings = self._settings(root)
        if not settings.isolated:
            self.log.warning("Grading kernel NOT isolated (not root, no unshare, or isolate=False): "
                             "only resource limits apply; the kernel can read what this user can.")
        self._secret = course_secret(root)
        self._student = resources.get("nbgrader", {}).get("student", "")
        folder = Path(resources.get("metadata", {}).get("path", "."))
        public = {p.name: p.read_bytes() for p in folder.iterdir()
                  if p.is_file() and p.suffix != ".ipynb" and p.stat().st_size < 50_000_000}
        with KernelSession(settings, public, self.startup_timeout) as kernel:
            self._kernel, self._replay = kernel, []
            self._bootstrap()
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                if self.skip_cells_with_tag in cell.metadata.get("tags", []):
                    continue
                cell.outputs = []
                cell.execution_count = None
                if utils.is_grade(cell) and "check(" in cell.source:
                    self._run_test_cell(cell)
                else:
                    self._run_code(cell, cell.source, replayable=True)
        return nb, resources

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
        """Restart the kernel and run again the cells that had run without error."""
        self._kernel.restart()
        self._bootstrap()
        kept = []
        for source in self._replay:
            result = self._kernel.run(source, self.timeout)
            if result.status == "died":
                self._kernel.restart()
                self._bootstrap()
                continue
            if result.status == "ok":
                kept.append(source)
        self._replay = kept

    def _run_code(self, cell, source, replayable):
        result = self._kernel.run(source, self.timeout)
        cell.outputs.extend(result.outputs)
        if result.status == "ok" and replayable:
            self._replay.append(source)
        elif result.status == "timeout":
            cell.outputs.append(_error_output(
                "CellTimeoutError", f"this cell ran longer than {self.timeout} s and was stopped"))
        elif result.status == "died":
            cell.outputs.append(_error_output(
                "KernelDied", "the kernel stopped while running this cell (it exited, crashed or "
                "ran out of memory); the grader restarted it and re-ran the cells before"))
            self._restart()
        return result.status

    # --- graded test cells ---------------------------------------------------------------

    def _run_test_cell(self, cell):
        checks, visible = split_test_cell(cell.source)
        for grade_id, expression in checks:
            verdict = self._judge(grade_id, expression)
            if not verdict.passed:
                cell.outputs.append(_error_output("HiddenTestFailure", verdict.message))
                return
            cell.outputs.append(_stdout(verdict.message))
        if visible.strip():
            self._run_code(cell, visible, replayable=False)

    def _judge(self, grade_id, expression):
        problem = get_problem(grade_id)
        cases = problem.cases(case_seed(self._secret, self._student, grade_id))
        if isinstance(problem, FunctionProblem):
            request = {"mode": "call", "cases": [list(case.args) for case in cases]}
        else:
            request = {"mode": "value"}
        code = f"{BOOTSTRAP_NAME}.evaluate({expression}, {protocol.dumps(request)!r})"
        result = self._kernel.run(code, self.timeout)
        return problem.judge(cases, self._outcomes(result, len(cases) if request["mode"] == "call" else 1))

    def _outcomes(self, result, n):
        if result.status == "died":
            self._restart()
            return [Outcome(error="the kernel died while running your code on this case "
                                  "(exit, crash or out of memory)")] * n
        if result.status == "timeout":
            return [Outcome(error=f"your code took longer than {self.timeout} s")] * n
        if not result.payloads:
            errors = [o for o in result.outputs if o.get("output_type") == "error"]
            text = f"{errors[-1]['ename']}: {errors[-1]['evalue']}" if errors else "no result"
            return [Outcome(error=text)] * n
        try:
            items = json.loads(result.payloads[-1])
        except (TypeError, ValueError):
            return [Outcome(error="the result could not be read")] * n
        outcomes = []
        for item in items if isinstance(items, list) else []:
            try:
                if isinstance(item, dict) and "error" in item:
                    outcomes.append(Outcome(error=str(item["error"])[:2000]))
                else:
                    outcomes.append(Outcome(value=to_plain(protocol.decode(item["value"]))))
            except NotPlainData as exc:
                outcomes.append(Outcome(error=str(exc)))
            except Exception:
                outcomes.append(Outcome(error="the result could not be read as plain data"))
        return outcomes
