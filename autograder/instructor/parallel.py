"""Grade a whole class on every core, resumably, without losing or duplicating a grade.

    python -m autograder.instructor.parallel 01_rnn 02_bptt [--workers N] [--force] [--root DIR]
    python -m autograder.instructor.parallel 01_rnn --scheduler tcp://HOST:8786   # a Dask cluster

Run in the course root (after `nbgrader generate_assignment` and collecting submissions
into submitted/<student>/<assignment>/). Shows a progress bar with an ETA, prints the
intake findings and a summary, names every submission it could not grade and why, ends
with the per-student, per-item score table of each assignment (as the intake does), and
exits 0. Running it again grades only what is new or changed (see grading_ledger.py);
``--force`` grades everything again.

Design
------
* **Work unit**: one (assignment, student). A pool of worker processes (default: one per
  core) each runs the stock `nbgrader autograde` *in-process* (nbgrader's own
  ``NbGraderAPI.autograde``, with the course's nbgrader_config.py, so TrustedExecute and
  every other configured preprocessor grade exactly as the command does), so nbgrader is
  imported once per worker instead of once per student. A worker process that dies
  costs only its submission (retried once in a fresh pool, then reported). (Workers are
  not recycled with ``max_tasks_per_child``: on Python 3.11 the pool hangs when the
  first workers retire, CPython gh-115634.)
* **Intake**: before grading, a worker stages the submission with
  ``autograder.instructor.intake.stage_student`` (the same checks as `python -m autograder.instructor.intake`)
  and grades the staged copy; submitted/ is only ever read. Findings (unreadable, renamed,
  missing notebooks, ...) are reported and put in the feedback; the student still gets a
  record.
* **SQLite gradebook** (nbgrader's default): SQLite serialises writers with a file lock
  and answers "database is locked" to the others, and nbgrader opens and commits the
  gradebook several times per submission. So workers never write it: each worker grades
  into a private SQLite gradebook, a fresh copy of a template holding the course's
  assignments (no students), and sends back the submission's results as plain data
  (``gradebook_results.read_results``). The parent process is the **single writer**: it
  applies each result to the course gradebook in one transaction
  (``gradebook_results.write_results``, the same changes autograde makes) and only then
  records the submission in the ledger. Grading (the slow part: kernels) runs fully in
  parallel; writing a result takes milliseconds.
* **PostgreSQL gradebook** (``c.CourseDirectory.db_url = "postgresql+psycopg://..."``):
  the server takes concurrent writers, so workers run nbgrader against it directly.
  Each submission is one worker's, and the parent creates every student row before the
  workers start, so no two workers insert the same row.
* **Resumable and exact**: a submission is recorded in the ledger only after its grades
  are committed; a failure or an interrupted run leaves it unrecorded, so the next run
  grades it again. Re-grading overwrites (nbgrader's update-or-create), never adds a row.
* The kernel sandbox also hides ``submitted/`` (other students' files) and this
  module's working folder ``.parallel/`` (private gradebooks, ledger).
* **Across machines** (``--scheduler ADDRESS``): the same plan, ledger and single writer;
  the submissions are graded on the workers of a Dask cluster instead of the local pool
  (autograder/instructor/distributed.py).
"""
import argparse
import os
import re
import shutil
import signal
import sqlite3
import sys
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from autograder.instructor.config import (gradebook_url, is_sqlite, nbgrader_config,
                                          sqlite_path, tool_env)
from autograder.instructor.gradebook_results import print_score_tables
from autograder.instructor.grading_ledger import Ledger, folder_checksum, grading_material_checksum

WORK_DIR = ".parallel"


# --- configuration, shared by the parent and the workers ---------------------------------

def course_config(root, private_db=None):
    """The course's nbgrader config, grading intake's staged copies (and, in a worker
    with a SQLite gradebook, writing to its private copy)."""
    return nbgrader_config(root, graded_directory="staged",
                           db_url=f"sqlite:///{private_db}" if private_db is not None else None)


# --- the worker side ------------------------------------------------------------------------

_worker = {}


def _start_worker(root, template):
    """Runs once in every worker process: load nbgrader and the course config."""
    os.environ.update(tool_env())
    os.chdir(root)
    # Ctrl-C is the parent's to handle; on terminate, unwind so the kernel is shut down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    warnings.filterwarnings("ignore")  # nbgrader's SQLAlchemy warnings would garble the bar
    from nbgrader.apps.api import NbGraderAPI

    private_db = None
    if template is not None:
        private_db = Path(root, WORK_DIR, "work", f"gradebook-{os.getpid()}.db")
        private_db.parent.mkdir(parents=True, exist_ok=True)
    api = NbGraderAPI(config=course_config(root, private_db))
    api.log.setLevel("ERROR")  # the log of each submission is captured and kept
    _worker.update(root=Path(root), template=template, private_db=private_db, api=api)


EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Exit)\b.*)$")


def _failure_reason(result):
    """The exceptions named in nbgrader's log (its own summary line says only "see the
    traceback above"), else its first error line, else the last line of the traceback."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    matches = [EXCEPTION_LINE.match(line) for line in text.splitlines()]
    causes = list(dict.fromkeys(m.group(1).strip() for m in matches if m))
    if causes:
        return "; ".join(causes)[:600]
    errors = [line[len("[ERROR] "):] for line in text.splitlines() if line.startswith("[ERROR]")]
    return (errors[0] if errors else text.strip().splitlines()[-1] if text.strip()
            else "nbgrader autograde failed")[:600]


def grade_submission(assignment, student):
    """Stage, autograde and (SQLite) read back one submission. Never raises: returns
    {"ok", "notes", "results", "reason", "log"}."""
    from autograder.instructor.gradebook_results import read_results
    from autograder.instructor.intake import stage_student
    from autograder.grading.preprocessors import grading_notes

    root, private_db = _worker["root"], _worker["private_db"]
    outcome = {"ok": False, "notes": [], "results": None, "reason": "", "log": ""}
    try:
        outcome["notes"] = stage_student(root, assignment, student)
        if private_db is not None:
            shutil.copyfile(_worker["template"], private_db)
        result = _worker["api"].autograde(assignment, student, force=True, create=True)
        outcome["log"] = (result.get("log") or "")[-20_000:]
        if not result["success"]:
            outcome["reason"] = _failure_reason(result)
            return outcome
        outcome["notes"] += grading_notes(Path(root, "autograded", student, assignment))
        if private_db is not None:
            outcome["results"] = read_results(f"sqlite:///{private_db}", assignment, student)
        outcome["ok"] = True
    except Exception as exc:
        outcome["reason"] = f"{type(exc).__name__}: {exc}"
        outcome["log"] += traceback.format_exc()[-5000:]
    return outcome


# --- the parent side ------------------------------------------------------------------------

@dataclass
class Summary:
    graded: list = field(default_factory=list)      # (assignment, student)
    unchanged: list = field(default_factory=list)   # (assignment, student), skipped
    failed: dict = field(default_factory=dict)      # (assignment, student) -> reason
    findings: dict = field(default_factory=dict)    # (assignment, student) -> [notes]
    seconds: float = 0.0
    interrupted: bool = False
    cluster: list = field(default_factory=list)     # lines about the Dask cluster, if one graded

    def lines(self):
        out = [f"[parallel] {len(self.graded)} submissions graded, {len(self.unchanged)} unchanged "
               f"(already graded), {len(self.failed)} could not be graded, "
               f"{len(self.findings)} with intake findings; {self.seconds:.1f} s"]
        if self.graded and self.seconds:
            rate = len(self.graded) / self.seconds * 60
            out.append(f"[parallel] {rate:.1f} notebooks per minute")
        out += self.cluster
        if self.interrupted:
            out.append("[parallel] INTERRUPTED: the grades above are saved; run the same command "
                       "again to grade the rest")
        for (assignment, student), reason in sorted(self.failed.items()):
            out.append(f"[parallel] COULD NOT GRADE {student} / {assignment}: {reason}")
        return out


def _make_template(db_url, root):
    """A copy of the course gradebook without students: assignments, notebooks, cells."""
    from nbgrader.api import Gradebook

    template = Path(root, WORK_DIR, "template.db")
    template.parent.mkdir(parents=True, exist_ok=True)
    template.unlink(missing_ok=True)
    with sqlite3.connect(sqlite_path(db_url)) as source, sqlite3.connect(template) as copy:
        source.backup(copy)  # consistent even while formgrader has the gradebook open
    with Gradebook(f"sqlite:///{template}") as gb:
        for student in list(gb.students):
            gb.remove_student(student.id)
    with sqlite3.connect(template) as small:
        small.execute("VACUUM")  # copied once per submission: keep it as small as the course
    return template


def _plan(root, assignments, db_url, ledger, force, students, summary):
    """The (assignment, student, submission checksum, material checksum) to grade."""
    from nbgrader.api import Gradebook, MissingEntry

    tasks = []
    with Gradebook(db_url) as gb:
        for assignment in assignments:
            folders = sorted(p for p in Path(root, "submitted").glob(f"*/{assignment}")
                             if p.is_dir())
            folders = [f for f in folders if students is None or f.parent.name in students]
            try:
                graded = {s.student.id for s in gb.assignment_submissions(assignment)}
            except MissingEntry:
                for folder in folders:
                    summary.failed[(assignment, folder.parent.name)] = (
                        f"{assignment} is not in the gradebook: run `nbgrader generate_assignment "
                        f"{assignment}` first")
                continue
            material = grading_material_checksum(root, assignment)
            for folder in folders:
                student, checksum = folder.parent.name, folder_checksum(folder)
                if (not force and student in graded
                        and ledger.is_current(assignment, student, checksum, material)):
                    summary.unchanged.append((assignment, student))
                else:
                    tasks.append((assignment, student, checksum, material))
    return tasks


def _run_pool(tasks, workers, root, template, on_done, progress):
    """Grade ``tasks`` in a pool; returns the tasks whose worker process died."""
    context = get_context("spawn")
    died = []
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(tasks))), mp_context=context,
                               initializer=_start_worker, initargs=(str(root), template))
    try:
        futures = {pool.submit(grade_submission, t[0], t[1]): t for t in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except BrokenProcessPool:
                died.append(task)
                continue
            on_done(task, outcome)
            progress.update(1)
    except KeyboardInterrupt:  # what is recorded stays; the rest is graded next time
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return died


def grade_class(root, assignments, workers=None, force=False, students=None, show_progress=True,
                scheduler=None):
    """Grade every new or changed submission of ``assignments``; returns a Summary.

    scheduler: a Dask scheduler address (tcp://HOST:PORT) or a ``distributed.Client``:
    grade on that cluster's workers instead of a local pool (``workers`` is then unused).
    Raises distributed.ClusterProblem when the cluster cannot grade."""
    from nbgrader.api import Gradebook
    from tqdm.auto import tqdm

    from autograder.instructor.gradebook_results import write_results
    from autograder.grading.execute import course_secret

    start = time.perf_counter()
    root = Path(root).resolve()
    workers = workers or len(os.sched_getaffinity(0))
    summary = Summary()
    cluster = None
    if scheduler is not None:
        from autograder.instructor.distributed import ClusterRun

        cluster = ClusterRun(scheduler)  # fails fast on a bad address or a silent scheduler
    db_url = gradebook_url(root)
    course_secret(root)  # created once here, not raced by the workers
    ledger = Ledger(root / WORK_DIR / "ledger.json")
    tasks = _plan(root, assignments, db_url, ledger, force, students, summary)
    template = None  # (on a cluster, the workers grade into copies of the course kit)
    if tasks and cluster is None and is_sqlite(db_url):
        template = str(_make_template(db_url, root))
    elif tasks and cluster is None:
        with Gradebook(db_url) as gb:  # every student row exists before workers start
            for student in sorted({t[1] for t in tasks}):
                gb.update_or_create_student(student)

    progress = tqdm(total=len(tasks), unit="notebook", desc="grading",
                    disable=not (show_progress and tasks), dynamic_ncols=True)

    def on_done(task, outcome):
        assignment, student, checksum, material = task
        key = (assignment, student)
        for note in outcome["notes"]:
            progress.write(f"[intake] {student} / {assignment}: {note}")
        if outcome["notes"]:
            summary.findings[key] = outcome["notes"]
        if not outcome["ok"]:
            summary.failed[key] = outcome["reason"]
            _keep_log(root, assignment, student, outcome["log"])
            return
        try:
            if outcome["results"] is not None:  # SQLite or a cluster: the only writer is here
                write_results(db_url, assignment, student, outcome["results"])
        except Exception as exc:
            summary.failed[key] = f"the grade could not be saved ({type(exc).__name__}: {exc})"
            return
        ledger.record(assignment, student, checksum, material)
        summary.failed.pop(key, None)
        summary.graded.append(key)

    try:
        if cluster is not None:
            try:
                if tasks:
                    cluster.grade(root, tasks, db_url, on_done, progress)
            finally:
                progress.close()
                cluster.close()
                summary.cluster = cluster.lines()
        died = _run_pool(tasks, workers, root, template, on_done, progress) if (
            tasks and cluster is None) else []
        for task in died:  # a worker process died: retry those alone, one pool each
            if _run_pool([task], 1, root, template, on_done, progress):
                summary.failed[(task[0], task[1])] = ("the grading process died twice on this "
                                                      "submission (out of memory?)")
                progress.update(1)
    except KeyboardInterrupt:
        summary.interrupted = True
    progress.close()
    if template is not None:
        shutil.rmtree(root / WORK_DIR / "work", ignore_errors=True)
        Path(template).unlink(missing_ok=True)
    summary.seconds = time.perf_counter() - start
    return summary


def _keep_log(root, assignment, student, log):
    path = Path(root, WORK_DIR, "logs", assignment, f"{student}.log")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(log)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="+", metavar="ASSIGNMENT")
    parser.add_argument("--workers", type=int, default=None,
                        help="parallel grading processes (default: one per core)")
    parser.add_argument("--force", action="store_true", help="grade every submission again")
    parser.add_argument("--student", action="append", dest="students",
                        help="grade only this student (repeatable)")
    parser.add_argument("--root", default=".", help="course root (default: here)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="grade on the workers of the Dask cluster whose scheduler is at "
                             "ADDRESS (tcp://HOST:PORT) instead of this machine's cores")
    args = parser.parse_args(argv)
    cluster_problem = ()  # what a Dask cluster that cannot grade raises (a one-line message)
    if args.scheduler:
        from autograder.instructor.distributed import ClusterProblem as cluster_problem
    try:
        summary = grade_class(args.root, args.assignments, args.workers, args.force,
                              set(args.students) if args.students else None,
                              scheduler=args.scheduler)
    except cluster_problem as exc:
        print(f"[parallel] {exc}", file=sys.stderr, flush=True)
        return 2
    for line in summary.lines():
        print(line, flush=True)
    print_score_tables(gradebook_url(args.root), args.assignments, prefix="[parallel] ")
    if summary.failed:
        print(f"[parallel] logs of the failed submissions: {Path(args.root, WORK_DIR, 'logs')}; "
              "run again to retry them", flush=True)
    return 0


if __name__ == "__main__":
    from autograder.instructor.parallel import main as _main  # the importable module, for the workers

    sys.exit(_main())
