"""Feedback on submit: grade every submission as it arrives in the exchange (issue 15).

    python -m autograder.instructor.on_submit --course-root DIR
        [--max-attempts 5 --per 3600] [--counts last|best] [--interval 2] [--gather 5]
        [--workers N | --scheduler tcp://HOST:PORT] [--once] [--grade-existing]

Run as root in the course directory (the grading sandbox needs it, as for the intake), by
hand, from systemd, or as a JupyterHub managed service (deploy/jupyterhub/jupyterhub_config.py).
Every ``--interval`` seconds it lists the exchange's ``inbound/`` folder of the course and,
for every new entry that `nbgrader submit` has finished writing, runs the course's own
steps for that one student, in process, with the course's nbgrader_config.py:

1. **attempt limit**: at most ``--max-attempts`` graded attempts per student and assignment
   in any ``--per`` seconds (the exchange's arrival times). An attempt over the limit is not
   graded; the student's Assignment List offers a feedback page that says when the next
   attempt opens, the service log says it too, and the entry is moved out of inbound/ (to
   ``.on_submit/refused/``) so that no later `nbgrader collect` takes it;
2. **collect**: `nbgrader collect --update --student S` (the course's SafeCollect: owner,
   links, the exchange's own time), then a copy of the collected folder is kept in
   ``.on_submit/archive/`` (the ``best`` setting grades it again when a later attempt
   scores less);
3. **grade**: ``autograder.instructor.parallel.grade_class`` for the students of the batch
   (intake staging, trusted grading, the single-writer gradebook), so 30 submissions in the
   same minute are graded on every core, or on a Dask cluster's workers (``--scheduler``);
4. **feedback**: `nbgrader generate_feedback` and `nbgrader release_feedback` for that
   student (ReleaseFeedbackUnderSubmittedNames); the page starts with a short note on the
   attempt (its number, its autograded points, which attempt counts, when the next opens).

Which grade counts (``--counts``): ``last``, the latest graded attempt (nbgrader's own
rule, so a later `nbgrader collect`/`autograde` by the instructor gives the same grades),
or ``best``, the attempt with the most autograded points (ties: the later one). With
``best`` an attempt that scores less than an earlier one is graded and its feedback
released, then the best attempt is put back into ``submitted/`` and graded again: the
hidden cases are drawn from the submission's digest (grading/execute.py case_seed), so it
gets the same cases and the same points, and the gradebook, autograded/ and feedback/
hold the attempt that counts. Every changed submission gets fresh hidden cases.

The attempt ledger ``.on_submit/attempts.json`` (in the course root, out of the kernels'
and the students' reach) records every inbound entry seen and every attempt with its
times, points and status; it is written atomically (write, then rename) after each step,
and an attempt is recorded only once its feedback is released, so a service stopped at
any point grades the unfinished ones again when it starts. On its first start it records
the entries already in inbound/ without grading them (``--grade-existing`` grades them).

Why polling: the exchange is often a network filesystem (NFS on Zero to JupyterHub), where
inotify does not see other machines' writes, and a submission is only complete once
`nbgrader submit` stops writing, which needs a settle time whatever tells us it started.
One directory listing every two seconds costs nothing measurable.
"""
import argparse
import datetime
import html
import json
import os
import pwd
import re
import shutil
import signal
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.instructor.config import gradebook_url, nbgrader_config, tool_env

WORK_DIR = ".on_submit"
LEDGER_NAME = "attempts.json"
COUNTS = ("last", "best")
SECRET_NAME = "submission_secret.txt"
UNFINISHED_AFTER = 30.0   # seconds: an entry still without its secret by then was not made by submit
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,99}$")  # student and assignment ids we act on
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


# --- times: naive UTC, as nbgrader and SafeCollect store them --------------------------------

def utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def iso(moment):
    return moment.isoformat(timespec="seconds")


def clock(moment):
    """A moment as students read it: '2026-11-30 17:42:05 UTC'."""
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def minutes(seconds):
    return f"{seconds / 60:g} min" if seconds % 60 == 0 else f"{seconds:g} s"


# --- the policy: how many attempts, and which one counts --------------------------------------

@dataclass(frozen=True)
class Policy:
    max_attempts: int = 5    # graded attempts per student and assignment in any `per` seconds; 0: no limit
    per: float = 3600.0
    counts: str = "last"     # "last" or "best"

    def __post_init__(self):
        if self.counts not in COUNTS:
            raise ValueError(f"--counts must be one of {', '.join(COUNTS)}, not {self.counts!r}")
        if self.max_attempts < 0 or self.per <= 0:
            raise ValueError("--max-attempts must be 0 (no limit) or more, --per more than 0 seconds")

    def describe(self):
        limit = (f"{self.max_attempts} graded attempts per {minutes(self.per)}"
                 if self.max_attempts else "no attempt limit")
        return f"{limit}; the {self.counts} graded attempt counts"


def allowance(graded_at, now, policy):
    """(used, next_open) for one student and assignment: the graded attempts (their arrival
    times) within the window of ``policy.per`` seconds ending ``now``, and the moment the
    next attempt opens, or None when one is open now."""
    recent = sorted(t for t in graded_at if t > now - datetime.timedelta(seconds=policy.per))
    if not policy.max_attempts or len(recent) < policy.max_attempts:
        return len(recent), None
    # the window must lose len - max + 1 attempts: it does when the (len - max)-th oldest leaves
    return len(recent), recent[len(recent) - policy.max_attempts] + datetime.timedelta(seconds=policy.per)


def counting_attempt(attempts, counts):
    """The graded attempt whose grade counts (a ledger record), or None."""
    graded = [a for a in attempts if a["status"] == "graded"]
    if not graded:
        return None
    order = {id(a): i for i, a in enumerate(graded)}  # recorded later: later (same second)
    if counts == "last":
        return max(graded, key=lambda a: (a["received"], order[id(a)]))
    return max(graded, key=lambda a: (a["score"], a["received"], order[id(a)]))


# --- the ledger ----------------------------------------------------------------------------------

class AttemptLedger:
    """Every inbound entry seen and every attempt, in ``.on_submit/attempts.json``.

    ``entries``: {entry name: {"status", "at"}}; ``attempts``: {assignment: {student:
    [{"entry", "received", "status", ...}]}} with status "graded" (then "score",
    "max_score", "released", "seconds"), "refused" ("next_open"), "failed" ("reason")."""

    def __init__(self, path):
        self.path = Path(path)
        self.existed = self.path.exists()
        data = json.loads(self.path.read_text()) if self.existed else {}
        self.entries = data.get("entries", {})
        self.attempts = data.get("attempts", {})

    def seen(self, entry):
        return entry in self.entries

    def note(self, entry, status):
        self.entries[entry] = {"status": status, "at": iso(utcnow())}

    def of(self, assignment, student):
        return self.attempts.get(assignment, {}).get(student, [])

    def graded_times(self, assignment, student):
        return [datetime.datetime.fromisoformat(a["received"])
                for a in self.of(assignment, student) if a["status"] == "graded"]

    def add(self, assignment, student, record):
        self.attempts.setdefault(assignment, {}).setdefault(student, []).append(record)
        self.note(record["entry"], record["status"])

    def save(self):
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        partial.write_text(json.dumps({"entries": self.entries, "attempts": self.attempts},
                                      indent=1, sort_keys=True))
        os.replace(partial, self.path)


# --- inbound entries -------------------------------------------------------------------------------

@dataclass
class Arrival:
    """A finished inbound entry: who and what it names, when the exchange received it."""
    entry: str
    path: Path
    student: str
    assignment: str
    arrived: datetime.datetime
    problems: list = field(default_factory=list)


def read_secret(folder):
    """The submission secret `nbgrader submit` wrote into an entry, or None (never follows
    a link, never blocks)."""
    try:
        fd = os.open(Path(folder, SECRET_NAME), _READ_FLAGS)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, 1024).decode("ascii", "replace")
    finally:
        os.close(fd)


def notebook_ids(folder):
    """The notebooks (plain files, top level) of an entry, by name without .ipynb."""
    names = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".ipynb") and stat.S_ISREG(os.lstat(Path(folder, name)).st_mode):
            names.append(name[:-len(".ipynb")])
    return names


def scan(inbound, ledger, assignments, owner_of, settle, max_bytes=None, now=None):
    """(ready, pending): the new inbound entries that are complete (the exchange received
    nothing for ``settle`` seconds and the entry holds its submission secret), checked as
    SafeCollect checks them, and the number still being written. Entries naming an
    unknown assignment or an odd id are noted in the ledger and left alone."""
    from autograder.grading.exchange import inspect_entry

    now = time.time() if now is None else now
    ready, pending = [], 0
    for name in sorted(os.listdir(inbound)):
        if ledger.seen(name):
            continue
        parts = name.split("+")
        if len(parts) not in (3, 4) or not NAME.match(parts[0]) or parts[1] not in assignments:
            ledger.note(name, "ignored")
            log(f"inbound entry {name!r} names no assignment of this course (or an odd student "
                "id): left for the instructor")
            continue
        student, assignment = parts[0], parts[1]
        missing = None
        try:
            uid = owner_of(student)
        except KeyError:
            uid, missing = None, f"names {student!r}, but there is no account of that name"
        verdict = inspect_entry(Path(inbound, name), uid, max_bytes)
        age = now - verdict.arrived.replace(tzinfo=datetime.UTC).timestamp()
        complete = read_secret(Path(inbound, name)) is not None
        if age < settle or (not complete and age < UNFINISHED_AFTER and not verdict.problems):
            pending += 1
            continue
        problems = ([missing] if missing else []) + verdict.problems
        if not complete:
            problems.append(f"holds no {SECRET_NAME} (not made by `nbgrader submit`)")
        ready.append(Arrival(name, Path(inbound, name), student, assignment, verdict.arrived, problems))
    return ready, pending


# --- pages for the student ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 46em; margin: 3em auto; line-height: 1.5 }}
.attempts {{ border-left: 4px solid #c60; background: #fff6ec; padding: .6em 1em }}</style>
</head><body><h1>{title}</h1><div class="attempts">{body}</div></body></html>
"""

BANNER_STYLE = ("margin: 1em auto; max-width: 60em; border-left: 4px solid #2a6; "
                "background: #eef8f1; padding: .6em 1em; font-family: sans-serif")


def paragraphs(sentences):
    return "".join(f"<p>{html.escape(s)}</p>" for s in sentences)


def with_banner(page, sentences):
    """A feedback page with the attempt note at the top of its body."""
    banner = f'<div class="attempts" style="{BANNER_STYLE}">{paragraphs(sentences)}</div>'
    at = page.find("<body")
    if at < 0:
        return banner + page
    end = page.find(">", at) + 1
    return page[:end] + "\n" + banner + page[end:]


# --- the service -------------------------------------------------------------------------------------

def log(message):
    print(f"[on-submit {datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


class OnSubmit:
    """The watcher of one course: ``poll()`` grades what has arrived, ``run()`` loops."""

    def __init__(self, root, policy=Policy(), workers=None, settle=1.0, interval=2.0,
                 scheduler=None, gather=5.0):
        from nbgrader.apps.api import NbGraderAPI

        from autograder.grading.exchange import SafeCollect

        self.root = Path(root).resolve()
        self.policy, self.workers, self.settle, self.interval = policy, workers, settle, interval
        self.gather = gather
        self.engine = {"workers": workers} if scheduler is None else {"scheduler": scheduler}
        os.environ.update(tool_env())
        self.config = nbgrader_config(self.root)
        self.api = NbGraderAPI(config=self.config)
        self.api.log.setLevel("ERROR")  # each step's log is captured and shown when it fails
        self.coursedir = self.api.coursedir
        self.db_url = gradebook_url(self.root)
        course_id = self.coursedir.course_id
        exchange_root = self.config.Exchange.get("root")
        if not course_id or not isinstance(exchange_root, str):
            raise SystemExit(f"{self.root / 'nbgrader_config.py'} must set "
                             "c.CourseDirectory.course_id and c.Exchange.root")
        self.exchange = Path(exchange_root, course_id)
        self.inbound = self.exchange / "inbound"
        self.single_account = SafeCollect(coursedir=self.coursedir, config=self.config).single_account
        self.work = self.root / WORK_DIR
        self.ledger = AttemptLedger(self.work / LEDGER_NAME)
        self.stopping = False
        self.started_at = time.time()

    # -- the loop ----------------------------------------------------------------------------

    def assignments(self):
        source = self.root / self.coursedir.source_directory
        return {p.name for p in source.iterdir() if p.is_dir()} if source.is_dir() else set()

    def owner_of(self, student):
        """The uid an entry of ``student`` must belong to (None: any single owner)."""
        return None if self.single_account else pwd.getpwnam(student).pw_uid

    def start(self, grade_existing=False):
        """Before the first poll: without a ledger, record what is already in inbound/."""
        log(f"watching {self.inbound} for {self.root} ({self.policy.describe()}; every "
            f"{self.interval:g} s)")
        if not self.inbound.is_dir():  # a hub starts the service before the first release
            log(f"{self.inbound} does not exist yet: waiting for the first "
                "`nbgrader release_assignment`")
            while not self.inbound.is_dir():
                time.sleep(max(self.interval, 5.0))
        if not self.ledger.existed and not grade_existing:  # what arrived before this process
            existing = sorted(name for name in os.listdir(self.inbound)
                              if os.lstat(self.inbound / name).st_ctime < self.started_at)
            for name in existing:
                self.ledger.note(name, "existing")
            self.ledger.save()
            if existing:
                log(f"{len(existing)} entries were in inbound/ before the service started: not "
                    "graded (collect them as usual, or start with --grade-existing)")

    def run(self, once=False):
        """Poll until stopped (SIGTERM, Ctrl-C); ``once``: until nothing new is left."""
        while not self.stopping:
            ready, pending = self.poll()
            if once and not ready and not pending:
                return
            if not ready:
                time.sleep(self.interval)

    def poll(self):
        """Grade every complete new entry; returns (entries handled, entries still arriving).
        Entries still being written when others are ready join the batch if they finish
        within ``gather`` seconds: students submitting together share one grading run
        instead of the later ones waiting for the first one's."""
        ready, pending = self._scan()
        deadline = time.monotonic() + self.gather
        while ready and pending and time.monotonic() < deadline:
            time.sleep(0.2)
            ready, pending = self._scan()  # the ready ones are still unseen: found again
        if ready:
            self.handle(ready)
        return ready, pending

    def _scan(self):
        return scan(self.inbound, self.ledger, self.assignments(), self.owner_of, self.settle,
                    self._max_bytes())

    def _max_bytes(self):
        size = self.coursedir.max_dir_size
        return 1000 * size if size else None

    # -- one batch ---------------------------------------------------------------------------

    def handle(self, arrivals):
        """Sort a batch into invalid, superseded, refused and accepted entries; grade the
        accepted ones (the latest of each student and assignment)."""
        latest = {}
        for arrival in sorted(arrivals, key=lambda a: a.arrived):
            if arrival.problems:
                log(f"{arrival.student} / {arrival.assignment}: entry {arrival.entry!r} not graded, "
                    f"the course's collect refuses it: {'; '.join(arrival.problems[:3])}")
                self.ledger.note(arrival.entry, "invalid")
                continue
            older = latest.get((arrival.assignment, arrival.student))
            if older is not None:
                self._superseded(older, arrival)
            latest[(arrival.assignment, arrival.student)] = arrival
        accepted = {}
        for (assignment, student), arrival in latest.items():
            used, next_open = allowance(self.ledger.graded_times(assignment, student),
                                        utcnow(), self.policy)
            if next_open is not None:
                self._refuse(arrival, used, next_open)
            else:
                accepted.setdefault(assignment, []).append(arrival)
        self.ledger.save()
        for assignment, group in sorted(accepted.items()):
            self._grade(assignment, group)

    def _superseded(self, older, newer):
        log(f"{older.student} / {older.assignment}: entry {older.entry!r} not graded: the same "
            f"student submitted again at {clock(newer.arrived)}, which is graded instead")
        self._notice(older, f"{older.assignment}: not graded", [
            (f"You submitted {older.assignment} again at {clock(newer.arrived)} before this "
            f"submission (received {clock(older.arrived)}) was graded; the later one is graded "
            "instead. Fetch its feedback (it does not use up an attempt for this one).")])
        self.ledger.note(older.entry, "superseded")

    def _refuse(self, arrival, used, next_open):
        wait = max(0, round((next_open - utcnow()).total_seconds() / 60))
        counted = counting_attempt(self.ledger.of(arrival.assignment, arrival.student),
                                   self.policy.counts)
        log(f"{arrival.student} / {arrival.assignment}: attempt refused ({used} of "
            f"{self.policy.max_attempts} graded in the last {minutes(self.policy.per)}); the next "
            f"opens at {clock(next_open)}")
        sentences = [
            (f"This submission of {arrival.assignment} (received {clock(arrival.arrived)}) was not "
            f"graded: you have used {used} of your {self.policy.max_attempts} graded attempts per "
            f"{minutes(self.policy.per)}."),
            (f"Your next attempt opens at {clock(next_open)} (in about {wait} min). Submit "
            "again after that time to have it graded.")]
        if counted:
            sentences.append(f"Your grade is still that of your {self.policy.counts} graded attempt "
                             f"(received {clock(datetime.datetime.fromisoformat(counted['received']))}"
                             f"): {counted['score']:g} of {counted['max_score']:g} autograded points.")
        self._notice(arrival, f"{arrival.assignment}: attempt not graded", sentences)
        target = self.work / "refused" / arrival.entry
        target.parent.mkdir(parents=True, exist_ok=True)
        try:  # out of inbound/, so a later `nbgrader collect --update` does not take it
            os.rename(arrival.path, target)
        except OSError:
            shutil.copytree(arrival.path, target, symlinks=True)
            shutil.rmtree(arrival.path)
        self.ledger.add(arrival.assignment, arrival.student, {
            "entry": arrival.entry, "received": iso(arrival.arrived), "status": "refused",
            "next_open": iso(next_open)})

    def _notice(self, arrival, title, sentences):
        """A page the student's fetch_feedback finds for this entry (named, as nbgrader's
        release_feedback names pages, after the entry's secret and each of its notebooks)."""
        from nbgrader.utils import notebook_hash

        secret = read_secret(arrival.path)
        names = notebook_ids(arrival.path) if secret else []
        feedback = self.exchange / "feedback"
        if not feedback.is_dir():
            feedback.mkdir(mode=0o711)
            feedback.chmod(0o711)
        page = PAGE.format(title=html.escape(title), body=paragraphs(sentences))
        for name in names:
            target = feedback / f"{notebook_hash(secret=secret, notebook_id=name)}.html"
            partial = target.with_name(target.name + ".partial")
            partial.write_text(page)
            partial.chmod(0o644)
            os.replace(partial, target)

    # -- grading the accepted entries of one assignment ------------------------------------------

    def _grade(self, assignment, arrivals):
        from autograder.instructor.parallel import grade_class

        start = time.perf_counter()
        collected = [a for a in arrivals if self._collect(a)]
        if not collected:
            return
        students = {a.student for a in collected}
        log(f"grading {assignment} of {', '.join(sorted(students))}")
        try:
            summary = grade_class(self.root, [assignment], force=True, students=students,
                                  show_progress=False, **self.engine)
        except Exception as exc:  # noqa: BLE001 (the engine itself, a Dask cluster gone: retry)
            log(f"the grading engine failed ({type(exc).__name__}: {exc}); these submissions "
                "are tried again in 30 s")
            for arrival in collected:
                self.ledger.entries.pop(arrival.entry, None)
            time.sleep(30)
            return
        for (_, student), notes in sorted(summary.findings.items()):
            for note in notes:
                log(f"[intake] {student} / {assignment}: {note}")
        if summary.interrupted:
            self.stopping = True
            return
        graded_in = time.perf_counter() - start
        graded = []
        for arrival in collected:
            reason = summary.failed.get((assignment, arrival.student))
            if reason:
                self._failed(arrival, f"grading failed: {reason}")
            else:
                graded.append(arrival)
        restore = self._release(assignment, graded) if graded else []
        if restore:
            self._restore_best(assignment, restore)
        self.give_back([assignment], students)
        log(f"batch of {len(collected)} {assignment} submissions done in "
            f"{time.perf_counter() - start:.1f} s (collected and graded in {graded_in:.1f} s)")

    def _collect(self, arrival):
        """`nbgrader collect --update --student S` (SafeCollect); True when submitted/ now
        holds this very entry (its secret), and a copy of it is archived."""
        from nbgrader.utils import temp_attrs

        with temp_attrs(self.coursedir, student_id=arrival.student):
            result = self.api.collect(arrival.assignment, update=True)
        folder = self.root / "submitted" / arrival.student / arrival.assignment
        if not result["success"]:
            self._failed(arrival, "collect failed: " + (result.get("error") or "")[-500:])
            return False
        if read_secret(folder) != read_secret(arrival.path):
            # a newer entry of this student arrived meanwhile (or this one was refused):
            # the next poll grades the newer one
            log(f"{arrival.student} / {arrival.assignment}: entry {arrival.entry!r} was not the "
                "one collected (a later submission or a refusal, see the collect log):\n"
                + (result.get("log") or "")[-1500:])
            self.ledger.note(arrival.entry, "superseded")
            self.ledger.save()
            return False
        archive = self._archive(arrival.assignment, arrival.student, arrival.entry)
        if archive.exists():
            shutil.rmtree(archive)
        shutil.copytree(folder, archive, symlinks=True)
        return True

    def _archive(self, assignment, student, entry):
        return self.work / "archive" / assignment / student / entry

    def _release(self, assignment, arrivals):
        """Generate the feedback of the graded ``arrivals`` (one nbgrader run for the batch),
        put the attempt note on each page, release them (one run), record the attempts.
        Returns the students whose counting attempt is an earlier one (best)."""
        ok = self._each_or_all("generate_feedback", assignment, arrivals,
                               lambda s: self.api.generate_feedback(assignment, s, force=True))
        records, restore = {}, []
        for arrival in ok:
            student = arrival.student
            score, max_score = autograded_points(self.db_url, assignment, student)
            record = {"entry": arrival.entry, "received": iso(arrival.arrived),
                      "status": "graded", "score": score, "max_score": max_score}
            counted = counting_attempt(self.ledger.of(assignment, student) + [record],
                                       self.policy.counts)
            used, next_open = allowance(self.ledger.graded_times(assignment, student)
                                        + [arrival.arrived], utcnow(), self.policy)
            sentences = self._attempt_note(arrival, score, max_score, used, next_open, counted, record)
            for page in (self.root / "feedback" / student / assignment).glob("*.html"):
                page.write_text(with_banner(page.read_text(), sentences))
            records[student] = (record, used, next_open)
            if counted is not record:
                restore.append(student)
        released = self._each_or_all("release_feedback", assignment, ok,
                                     lambda s: self.api.release_feedback(assignment, s))
        for arrival in released:
            record, used, next_open = records[arrival.student]
            seconds = (utcnow() - arrival.arrived).total_seconds()
            record.update(released=iso(utcnow()), seconds=round(seconds, 1))
            self.ledger.add(assignment, arrival.student, record)
            log(f"{arrival.student} / {assignment}: attempt {used} graded, {record['score']:g} / "
                f"{record['max_score']:g} points, feedback released {seconds:.1f} s after it "
                "arrived" + (f"; next attempt opens at {clock(next_open)}" if next_open else ""))
        self.ledger.save()
        return [s for s in restore if s in {a.student for a in released}]

    def _each_or_all(self, step, assignment, arrivals, one):
        """Run an nbgrader step for the students of ``arrivals`` in one run (the others in
        autograded/ excluded); when that fails, student by student. Returns the arrivals
        it succeeded for; the others are recorded as failed."""
        from nbgrader.utils import temp_attrs

        if not arrivals:
            return []
        batch = {a.student for a in arrivals}
        others = sorted(p.name for p in (self.root / "autograded").iterdir()
                        if p.is_dir() and p.name not in batch)
        with temp_attrs(self.coursedir, student_id_exclude=",".join(others)):
            result = one(None)
        if result["success"]:
            return list(arrivals)
        done = []
        for arrival in arrivals:
            result = one(arrival.student)
            if result["success"]:
                done.append(arrival)
            else:
                self._failed(arrival, f"{step} failed: " + (result.get("error") or "")[-500:])
        return done

    def _attempt_note(self, arrival, score, max_score, used, next_open, counted, record):
        policy = self.policy
        limit = (f"attempt {used} of the {policy.max_attempts} graded attempts you have per "
                 f"{minutes(policy.per)}" if policy.max_attempts else f"attempt {used}")
        sentences = [(f"{arrival.assignment}, {limit} (received {clock(arrival.arrived)}): "
                     f"{score:g} of {max_score:g} autograded points.")]
        if policy.counts == "last":
            sentences.append("Your last graded attempt counts: this one, until you submit again.")
        elif counted is record:
            sentences.append("Your best graded attempt counts: this one.")
        else:
            sentences.append(
                f"Your best graded attempt counts: the one received "
                f"{clock(datetime.datetime.fromisoformat(counted['received']))}, with "
                f"{counted['score']:g} points; this one does not change your grade.")
        sentences.append(f"Your next attempt opens at {clock(next_open)}." if next_open else
                         "You may submit again now; each graded attempt gets new hidden test cases.")
        return sentences

    def _restore_best(self, assignment, students):
        """``best``: put each student's best attempt back into submitted/ and grade it
        again (the same cases: same digest), so the course's records hold it."""
        from autograder.instructor.parallel import grade_class

        for student in students:
            best = counting_attempt(self.ledger.of(assignment, student), "best")
            folder = self.root / "submitted" / student / assignment
            shutil.rmtree(folder)
            shutil.copytree(self._archive(assignment, student, best["entry"]), folder, symlinks=True)
            log(f"{student} / {assignment}: the best attempt (received {best['received']}, "
                f"{best['score']:g} points) is put back and graded again")
        summary = grade_class(self.root, [assignment], force=True, students=set(students),
                              show_progress=False, **self.engine)
        for student in students:
            reason = summary.failed.get((assignment, student))
            if reason:
                log(f"{student} / {assignment}: grading the best attempt again FAILED: {reason}; "
                    f"run `python -m autograder.instructor.parallel {assignment} --student "
                    f"{student} --force`")
                continue
            self.api.generate_feedback(assignment, student, force=True)

    def _failed(self, arrival, reason):
        log(f"{arrival.student} / {arrival.assignment}: entry {arrival.entry!r} COULD NOT BE "
            f"GRADED: {reason}")
        self._notice(arrival, f"{arrival.assignment}: not graded yet", [
            (f"Your submission of {arrival.assignment} (received {clock(arrival.arrived)}) could "
            "not be graded automatically; your instructor has been told. It does not use up "
            "one of your attempts.")])
        self.ledger.add(arrival.assignment, arrival.student, {
            "entry": arrival.entry, "received": iso(arrival.arrived), "status": "failed",
            "reason": reason[:2000]})
        self.ledger.save()

    def give_back(self, assignments, students):
        """Running as root for a course folder another account owns (the hub's grader):
        give what this batch wrote back to that account, so its formgrader can write."""
        owner = self.root.stat()
        if os.geteuid() != 0 or owner.st_uid == 0:
            return
        tops = [self.root / top for top in ("submitted", "staged", "autograded", "feedback")]
        whole = [self.root / "gradebook.db", self.root / ".autograder_secret", self.work,
                 self.root / ".parallel"] + [top / s for top in tops for s in students]
        for path in tops + whole:  # the top folders alone (made by root when new), the rest whole
            if not path.exists():
                continue
            os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)
            if path in whole and path.is_dir() and not path.is_symlink():
                for folder, dirs, files in os.walk(path):
                    for name in dirs + files:
                        os.chown(os.path.join(folder, name), owner.st_uid, owner.st_gid,
                                 follow_symlinks=False)

def autograded_points(db_url, assignment, student):
    """(points, out of) of the autograded items of one submission in the gradebook."""
    from nbgrader.api import Gradebook

    got = out_of = 0.0
    with Gradebook(db_url) as gb:
        for notebook in gb.find_submission(assignment, student).notebooks:
            for grade in notebook.grades:
                if grade.cell.cell_type == "code" and grade.auto_score is not None:
                    got += float(grade.score)
                    out_of += float(grade.max_score)
    return got, out_of


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--course-root", default=".", help="the course directory (default: here)")
    parser.add_argument("--max-attempts", type=int, default=5,
                        help="graded attempts per student and assignment in any --per seconds "
                             "(default 5; 0: no limit)")
    parser.add_argument("--per", type=float, default=3600, help="the window in seconds (default 3600)")
    parser.add_argument("--counts", choices=COUNTS, default="last",
                        help="the attempt whose grade counts (default: last)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds an entry must be unchanged before it is graded")
    parser.add_argument("--gather", type=float, default=5.0,
                        help="seconds a batch waits for entries still being written (default 5)")
    parser.add_argument("--workers", type=int, default=None,
                        help="grading processes (default: one per core)")
    parser.add_argument("--scheduler", default=None,
                        help="grade on the workers of this Dask cluster (tcp://HOST:PORT), as "
                             "`autograder.instructor.parallel --scheduler` does")
    parser.add_argument("--once", action="store_true",
                        help="grade what has arrived, then exit (for cron, or to catch up)")
    parser.add_argument("--grade-existing", action="store_true",
                        help="on the first start, grade the entries already in inbound/ too")
    args = parser.parse_args(argv)
    try:
        policy = Policy(args.max_attempts, args.per, args.counts)
    except ValueError as exc:
        parser.error(str(exc))
    service = OnSubmit(args.course_root, policy, args.workers, args.settle, args.interval,
                       args.scheduler, args.gather)

    def stop(*_):
        service.stopping = True
        raise KeyboardInterrupt  # grade_class saves what it graded and stops
    signal.signal(signal.SIGTERM, stop)
    service.start(args.grade_existing)
    try:
        service.run(once=args.once)
    except KeyboardInterrupt:
        pass
    log("stopped; entries not yet released are graded at the next start")
    return 0


if __name__ == "__main__":
    sys.exit(main())
