"""Grade a class on the workers of a Dask cluster: `parallel ASSIGNMENT --scheduler ADDRESS`.

    dask scheduler                                   # on one machine (prints tcp://HOST:8786)
    dask worker tcp://HOST:8786 --nthreads 1 --nworkers 4     # on each grading machine
    python -m autograder.instructor.parallel 01_rnn --scheduler tcp://HOST:8786

Or any Dask deployment (dask-jobqueue on SLURM, Dask Gateway, dask-kubernetes): pass its
scheduler address, or a ``distributed.Client`` to ``grade_class(..., scheduler=client)``.

What goes where
---------------
* **The course travels with the job, not on a shared filesystem.** The parent packs a
  *course kit*: nbgrader_config.py, the grading secret, ``source/ASSIGNMENT/`` of each
  assignment graded, and a SQLite copy of the gradebook's assignment definitions (no
  students). A worker plugin (Dask's ``WorkerPlugin``, registered with
  ``Client.register_plugin``) writes it once into each worker's local directory, also on
  workers that join later, and removes it when the run ends. Every task then carries one
  staged submission (the parent runs the intake, so its findings are the ones local
  grading gives) and brings back the results as plain data and the autograded folder.
  A worker needs the course's Python environment (this repository installed with the same
  pins, bubblewrap for the sandbox) and nothing of the course directory.
* **Sandboxed exactly as local grading**: a worker grades the kit's course with
  nbgrader's own ``NbGraderAPI.autograde`` and the kit's nbgrader_config.py, so the same
  TrustedExecute runs each kernel in the same sandbox; the kernel sees none of the kit.
* **One writer, whatever the gradebook.** The worker grades into a private SQLite copy of
  the kit's gradebook; the parent applies each result to the course gradebook (SQLite or
  PostgreSQL) in one transaction, writes the autograded folder, and only then records the
  submission in the ledger. Workers need no database access, and a result is applied at
  most once: Dask delivers each task's result once.
* **A lost worker loses nothing.** When a worker dies, the scheduler runs its tasks again
  on the others (up to ``distributed.scheduler.allowed-failures`` times, then the
  submission is reported and left for the next run); a task that raised is retried once
  (``retries=1``). Nothing is written until a result arrives, so no submission is graded
  twice into the gradebook and none is lost.
"""
import hashlib
import importlib.metadata
import os
import re
import shutil
import threading
import time
import traceback
import warnings
from fnmatch import fnmatch
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

PLUGIN_PREFIX = "autograder-course-kit-"
ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|ucx)://)?\[?[\w.:-]+\]?:\d{1,5}$")
CONNECT_SECONDS = 20
WAIT_FOR_WORKERS_SECONDS = 300
TEMPLATE = "gradebook-template.db"
# what a worker's gradebook copy keeps of the course gradebook: the assignment definitions
DEFINITION_TABLES = ("course", "assignment", "notebook", "base_cell", "source_cell",
                     "grade_cells", "solution_cells", "task_cells")


class ClusterProblem(RuntimeError):
    """The cluster cannot grade (unreachable, no workers, other code): a one-line message."""


def _start_hint(address):
    return (f"start one with `dask scheduler` and its workers with `dask worker {address} "
            "--nthreads 1`, or check the address")


def connect(address, timeout=CONNECT_SECONDS):
    """A ``distributed.Client`` on the scheduler at ``address``, or ClusterProblem."""
    from distributed import Client

    if not ADDRESS.match(address):
        raise ClusterProblem(f"{address!r} is not a Dask scheduler address: give tcp://HOST:PORT "
                             "(what `dask scheduler` prints as 'Scheduler at:')")
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterProblem(f"cannot reach the Dask scheduler at {address} ({reason}): "
                             f"{_start_hint(address)}") from None


# --- what the worker needs: the course kit ----------------------------------------------------

def code_fingerprint():
    """The grading code a machine runs: the course packages' sources and the versions of
    nbgrader and Dask. Two machines with the same fingerprint grade alike."""
    import autograder
    import rnnlib

    digest = hashlib.sha256()
    for package in (autograder, rnnlib):
        folder = Path(package.__file__).parent
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for name in ("nbgrader", "distributed"):
        digest.update(f"{name}=={importlib.metadata.version(name)}".encode())
    return digest.hexdigest()[:16]


def _template_gradebook(db_url, path):
    """A SQLite gradebook at ``path`` with the assignment definitions of ``db_url`` (SQLite
    or PostgreSQL): notebooks, cells, points, checksums, due dates; no student."""
    from nbgrader.api import Base, Gradebook

    from autograder.instructor.config import tool_env

    path.unlink(missing_ok=True)
    path_before = os.environ.get("PATH", "")
    os.environ["PATH"] = tool_env()["PATH"]  # a new gradebook runs `alembic` by name
    try:
        with Gradebook(db_url) as source, Gradebook(f"sqlite:///{path}") as copy:
            for table in Base.metadata.sorted_tables:
                if table.name in DEFINITION_TABLES:
                    rows = [dict(row) for row in source.db.execute(table.select()).mappings()]
                    copy.db.execute(table.delete())  # the course row a new gradebook makes
                    if rows:
                        copy.db.execute(table.insert(), rows)
            copy.db.commit()
    finally:
        os.environ["PATH"] = path_before


def course_kit(root, assignments, db_url):
    """{relative path: bytes} of everything a worker needs to grade ``assignments``."""
    from nbgrader.coursedir import CourseDirectory

    from autograder.grading.execute import SECRET_FILE, course_secret
    from autograder.instructor.parallel import WORK_DIR, course_config

    root = Path(root)
    config = course_config(root)
    ignore = list(config.CourseDirectory.ignore)
    files = {"nbgrader_config.py": (root / "nbgrader_config.py").read_bytes(),
             SECRET_FILE: course_secret(root)}
    for assignment in assignments:
        folder = root / CourseDirectory(config=config).source_directory / assignment
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if path.is_file() and not any(fnmatch(p, pattern) for p in parts for pattern in ignore):
                files[str(path.relative_to(root))] = path.read_bytes()
    template = root / WORK_DIR / TEMPLATE
    template.parent.mkdir(parents=True, exist_ok=True)
    _template_gradebook(db_url, template)
    files[TEMPLATE] = template.read_bytes()
    template.unlink()
    return files


def kit_digest(files):
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:16]


class CourseKit(WorkerPlugin):
    """Writes the course kit into the worker's local directory (0700) when the worker
    starts or joins, and removes it when the plugin is unregistered or the worker stops.
    It also compares the worker's grading code with the parent's, at that moment."""

    def __init__(self, files, fingerprint):
        self.files = files
        self.fingerprint = fingerprint
        self.name = PLUGIN_PREFIX + kit_digest(files)
        self.path = None
        self.other_code = None  # set on a worker whose grading code differs

    def setup(self, worker):
        from autograder.instructor.config import tool_env

        os.environ.update(tool_env())  # nbgrader runs `alembic` by name
        warnings.filterwarnings("ignore")  # nbgrader's SQLAlchemy notices
        path = Path(worker.local_directory, self.name)
        shutil.rmtree(path, ignore_errors=True)
        for name, data in self.files.items():
            target = path / name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            target.write_bytes(data)
            target.chmod(0o600)
        path.chmod(0o700)
        self.path = path
        mine = code_fingerprint()
        if mine != self.fingerprint:
            self.other_code = (f"worker {worker.address} runs other grading code than this "
                               f"machine ({mine} vs {self.fingerprint}): install the same commit "
                               "of the course and the same pins on every worker")

    def teardown(self, worker):
        _graders.pop(self.name, None)
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


# --- the worker side ----------------------------------------------------------------------------

_graders = {}                 # kit name -> NbGraderAPI on the kit's course, per worker process
_grading = threading.Lock()   # one submission at a time per worker process (--nthreads 1)


def _read_folder(folder):
    """{relative path: (mode, bytes)} of the files under ``folder``."""
    return {str(p.relative_to(folder)): (p.stat().st_mode & 0o777, p.read_bytes())
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


def grade_on_worker(kit_name, assignment, student, staged):
    """Grade one staged submission ({file name: bytes}) in this worker's copy of the course.
    Never raises for a submission nbgrader cannot grade: returns {"ok", "notes", "results",
    "reason", "log", "autograded", "worker", "sandbox", "seconds"}."""
    from distributed import get_worker

    from autograder.grading.preprocessors import grading_notes
    from autograder.grading.sandbox import isolation_mode
    from autograder.instructor.gradebook_results import read_results
    from autograder.instructor.parallel import _failure_reason, course_config

    worker = get_worker()
    plugin = worker.plugins.get(kit_name)
    if plugin is None or plugin.path is None:
        raise RuntimeError(f"the course kit {kit_name} is not on worker {worker.address}")
    outcome = {"ok": False, "notes": [], "results": None, "reason": "", "log": "",
               "autograded": None, "worker": worker.address, "sandbox": None, "seconds": 0.0}
    if plugin.other_code:
        outcome["reason"] = plugin.other_code
        return outcome
    root = plugin.path
    private_db = root / "work" / "gradebook.db"
    with _grading:
        start = time.perf_counter()
        cwd = os.getcwd()
        os.chdir(root)
        try:
            if kit_name not in _graders:
                from nbgrader.apps.api import NbGraderAPI

                private_db.parent.mkdir(exist_ok=True)
                api = NbGraderAPI(config=course_config(root, private_db))
                api.log.setLevel("ERROR")
                _graders[kit_name] = api
            folder = root / "staged" / student / assignment
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for name, data in staged.items():
                (folder / Path(name).name).write_bytes(data)
            shutil.copyfile(root / TEMPLATE, private_db)
            outcome["sandbox"] = isolation_mode()
            result = _graders[kit_name].autograde(assignment, student, force=True, create=True)
            outcome["log"] = (result.get("log") or "")[-20_000:]
            if not result["success"]:
                outcome["reason"] = _failure_reason(result)
                return outcome
            graded = root / "autograded" / student / assignment
            outcome["notes"] = grading_notes(graded)
            outcome["results"] = read_results(f"sqlite:///{private_db}", assignment, student)
            outcome["autograded"] = _read_folder(graded)
            outcome["ok"] = True
        except Exception as exc:
            outcome["reason"] = f"{type(exc).__name__}: {exc}"
            outcome["log"] += traceback.format_exc()[-5000:]
        finally:
            for kind in ("staged", "autograded"):  # nothing of a student stays on the worker
                shutil.rmtree(root / kind / student, ignore_errors=True)
            os.chdir(cwd)
            outcome["seconds"] = time.perf_counter() - start
    return outcome


def _worker_facts():
    from autograder.grading.sandbox import isolation_mode

    return {"fingerprint": code_fingerprint(), "sandbox": isolation_mode()}


# --- the parent side ----------------------------------------------------------------------------

def _staged_files(root, assignment, student):
    from autograder.instructor.intake import STAGED, stage_student

    notes = stage_student(root, assignment, student)
    folder = Path(root, STAGED, student, assignment)
    return notes, {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def write_autograded(root, assignment, student, files):
    """Replace autograded/<student>/<assignment>/ with the worker's files (all at once:
    written beside it, then renamed into place)."""
    target = Path(root, "autograded", student, assignment)
    incoming = target.with_name(f".{assignment}.incoming")
    old = target.with_name(f".{assignment}.old")
    for leftover in (incoming, old):
        shutil.rmtree(leftover, ignore_errors=True)
    for name, (mode, data) in files.items():
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ValueError(f"unexpected file name from the worker: {name!r}")
        path = incoming / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(mode)
    incoming.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(old)
    incoming.rename(target)
    shutil.rmtree(old, ignore_errors=True)


class ClusterRun:
    """One grading run on a cluster: the client, the kit on its workers, the figures."""

    def __init__(self, scheduler):
        if isinstance(scheduler, str):
            self.address, self.client, self.own_client = scheduler, connect(scheduler), True
        else:
            self.client, self.own_client = scheduler, False
            self.address = scheduler.scheduler.address
        self.kit_bytes = self.sent = self.received = 0
        self.staging_seconds = 0.0   # the parent's intake and packing of the submissions
        self.staged = 0
        self.grading_seconds = []    # each submission's time on its worker
        self.workers, self.sandboxes = set(), set()

    def close(self):
        if self.own_client:
            self.client.close()

    def lines(self):
        if not self.workers:
            return []
        workers = f"{len(self.workers)} Dask worker{'s' if len(self.workers) > 1 else ''}"
        count, staged = max(len(self.grading_seconds), 1), max(self.staged, 1)
        return [f"[distributed] graded on {workers} of {self.address} "
                f"(kernel sandbox: {', '.join(sorted(map(str, self.sandboxes)))})",
                f"[distributed] shipped: course kit {self.kit_bytes / 1e3:.0f} kB once per worker; "
                f"per submission {self.sent / 1e3 / staged:.0f} kB out, "
                f"{self.received / 1e3 / count:.0f} kB back; intake and packing here "
                f"{self.staging_seconds / staged * 1e3:.0f} ms, grading on a worker "
                f"{sum(self.grading_seconds) / count:.1f} s"]

    def _check_workers(self, fingerprint):
        client = self.client
        if not client.scheduler_info(n_workers=-1)["workers"]:
            print(f"[distributed] waiting for a worker to join {self.address} ...", flush=True)
            try:
                client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_SECONDS)
            except TimeoutError:
                raise ClusterProblem(f"no Dask worker joined {self.address} within "
                                     f"{WAIT_FOR_WORKERS_SECONDS} s: start workers with "
                                     f"`dask worker {self.address} --nthreads 1`") from None
        facts = client.run(_worker_facts)
        other = sorted(w for w, f in facts.items() if f["fingerprint"] != fingerprint)
        if other:
            raise ClusterProblem(f"the Dask workers {', '.join(other)} run other grading code than "
                                 "this machine: install the same commit of the course and the "
                                 "same pins there (or stop them), then run again")

    def grade(self, root, tasks, db_url, on_done, progress):
        """Grade ``tasks`` ((assignment, student, checksum, material)) on the cluster; calls
        ``on_done(task, outcome)`` in this process for each, as results arrive."""
        from distributed import as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        fingerprint = code_fingerprint()
        self._check_workers(fingerprint)
        kit = CourseKit(course_kit(root, sorted({t[0] for t in tasks}), db_url), fingerprint)
        self.kit_bytes = sum(len(data) for data in kit.files.values())
        self.client.register_plugin(kit)
        futures, notes = {}, {}
        try:
            for task in tasks:
                assignment, student = task[0], task[1]
                start = time.perf_counter()
                notes[task], staged = _staged_files(root, assignment, student)
                self.staging_seconds += time.perf_counter() - start
                self.staged += 1
                self.sent += sum(len(data) for data in staged.values())
                future = self.client.submit(grade_on_worker, kit.name, assignment, student,
                                            staged, key=f"grade-{assignment}-{student}-"
                                            f"{task[2][:8]}-{time.time_ns()}", retries=1,
                                            pure=False)
                futures[future] = task
            for future in as_completed(futures, loop=self.client.loop):
                task = futures[future]
                try:
                    outcome = future.result()
                except KilledWorker:
                    outcome = {"ok": False, "notes": [], "log": "", "reason": (
                        "every Dask worker that graded it died (distributed.scheduler."
                        "allowed-failures times): out of memory? see the workers' logs")}
                except FutureCancelledError:
                    raise ClusterProblem(f"lost the Dask scheduler at {self.address}: the grades "
                                         "saved so far are kept; run the same command again "
                                         "to grade the rest") from None
                except Exception as exc:
                    outcome = {"ok": False, "notes": [], "log": traceback.format_exc()[-5000:],
                               "reason": f"{type(exc).__name__}: {exc}"}
                self._received(root, task, outcome)
                outcome["notes"] = notes[task] + outcome["notes"]
                on_done(task, outcome)
                progress.update(1)
        finally:
            self.client.cancel(list(futures))
            try:
                self.client.unregister_worker_plugin(kit.name)
            except Exception:  # the scheduler is gone: its workers forgot the kit with it
                pass

    def _received(self, root, task, outcome):
        if outcome.get("worker"):
            self.workers.add(outcome["worker"])
            self.sandboxes.add(outcome["sandbox"])
            self.grading_seconds.append(outcome["seconds"])
        files = outcome.get("autograded")
        if not outcome["ok"] or files is None:
            return
        self.received += sum(len(data) for _, data in files.values())
        try:
            write_autograded(root, task[0], task[1], files)
        except (OSError, ValueError) as exc:
            outcome.update(ok=False, reason=f"the autograded notebook could not be saved "
                                            f"({type(exc).__name__}: {exc})")
