"""Feedback on submit (issue 15, part 2): autograder.instructor.on_submit with a real exchange.

The plain command runs in the background as root in a temporary course, as an instructor
without a hub would run it; the students are real accounts (tests/grading/exchange_accounts.py)
running nbgrader's own exchange classes. Three students submit at the same moment and each
fetches their feedback; alice's worse second attempt does not lower her grade (``best``),
her third is refused with the time the next one opens, an entry in her name made by
another account is not counted; the instructor's `nbgrader collect` / `autograde` agree;
the unmarked tests check the attempt rules (last and best), the fresh cases and the hub
config without starting a process.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import threading
import time

import nbformat
import pytest

from autograder.instructor.on_submit import (
    AttemptLedger,
    Policy,
    allowance,
    clock,
    counting_attempt,
    with_banner,
)

ASSIGNMENT = "05_bidirectional"  # the smallest graded notebook
STUDENTS = ("alice", "bob", "carol")
T0 = datetime.datetime(2026, 11, 30, 16, 0, 0)


def minutes_after(n):
    return T0 + datetime.timedelta(minutes=n)


# --- the rules, without a process ------------------------------------------------------------

def test_the_attempt_limit_opens_again_when_the_oldest_attempt_leaves_the_window():
    policy = Policy(max_attempts=3, per=3600)
    times = [minutes_after(0), minutes_after(10), minutes_after(20)]
    assert allowance(times[:2], minutes_after(25), policy) == (2, None)
    assert allowance(times, minutes_after(25), policy) == (3, minutes_after(60))
    assert allowance(times, minutes_after(61), policy) == (2, None)  # the first has left
    # five in the window, limit three: open again when three are left, i.e. after the third leaves
    five = [minutes_after(m) for m in (0, 5, 10, 15, 20)]
    assert allowance(five, minutes_after(30), policy) == (5, minutes_after(70))
    assert allowance(five, minutes_after(30), Policy(max_attempts=0)) == (5, None)  # no limit


def test_last_counts_the_latest_graded_attempt_and_best_the_highest_scoring_one():
    attempts = [
        {"entry": "a", "received": "2026-11-30T16:00:00", "status": "graded", "score": 4.0},
        {"entry": "b", "received": "2026-11-30T16:10:00", "status": "graded", "score": 5.0},
        {"entry": "c", "received": "2026-11-30T16:20:00", "status": "graded", "score": 2.0},
        {"entry": "d", "received": "2026-11-30T16:30:00", "status": "refused"},
        {"entry": "e", "received": "2026-11-30T16:40:00", "status": "failed"},
    ]
    assert counting_attempt(attempts, "last")["entry"] == "c"
    assert counting_attempt(attempts, "best")["entry"] == "b"
    tie = attempts + [{"entry": "f", "received": "2026-11-30T16:50:00", "status": "graded", "score": 5.0}]
    assert counting_attempt(tie, "best")["entry"] == "f"  # a tie: the later one
    assert counting_attempt(attempts[3:], "last") is None
    with pytest.raises(ValueError, match="--counts"):
        Policy(counts="first")


def test_the_ledger_is_written_atomically_and_read_back(tmp_path):
    ledger = AttemptLedger(tmp_path / ".on_submit" / "attempts.json")
    assert not ledger.existed
    ledger.add(ASSIGNMENT, "alice", {"entry": "alice+x+1", "received": "2026-11-30T16:00:00",
                                     "status": "graded", "score": 1.0, "max_score": 5.0})
    ledger.note("mallory+x+2", "invalid")
    ledger.save()
    assert not list(tmp_path.glob(".on_submit/*.partial"))
    again = AttemptLedger(tmp_path / ".on_submit" / "attempts.json")
    assert again.existed and again.seen("alice+x+1") and again.seen("mallory+x+2")
    assert again.graded_times(ASSIGNMENT, "alice") == [T0]
    assert oct((tmp_path / ".on_submit").stat().st_mode & 0o777) == oct(0o700)


def test_the_attempt_note_is_text_at_the_top_of_the_page():
    page = "<html><head></head><body class='x'>\n<h4>05 (Score: 1 / 5)</h4></body></html>"
    noted = with_banner(page, ["<script>alert(1)</script> & more"])
    assert noted.index("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more") < noted.index("<h4>")
    assert "<script>" not in noted


def test_a_changed_submission_draws_new_hidden_cases_and_the_same_one_the_same():
    """Each graded attempt gets fresh cases: the seed is an HMAC of the course secret,
    the student, the item and the submission's digest (grading/execute.py)."""
    from autograder.grading.execute import case_seed, submission_digest
    from autograder.items import problems_for
    from autograder.testkit.submissions import filled_in

    first = filled_in(ASSIGNMENT)
    second = nbformat.from_dict(json.loads(json.dumps(first)))
    answer = next(c for c in second.cells if c.cell_type == "code"
                  and c.metadata.get("nbgrader", {}).get("solution"))
    answer.source += "\n# tidied up"
    secret = b"s" * 32
    problem = next(p for p in problems_for(ASSIGNMENT) if p.cases(1)[0].args)  # random inputs

    def cases(nb):
        return repr(problem.cases(case_seed(secret, "alice", problem.grade_id, submission_digest(nb))))

    assert submission_digest(first) != submission_digest(second)
    assert cases(first) != cases(second)
    assert cases(first) == cases(nbformat.from_dict(json.loads(json.dumps(first))))


# --- the service with a real exchange and real accounts ----------------------------------------

@pytest.fixture(scope="module")
def service_run():
    from .exchange_accounts import remove_base, require_root, world_reachable_base

    require_root()
    base = world_reachable_base("on-submit-")
    accounts, saved = {}, os.environ.get("NBGRADER_EXCHANGE")
    run = None
    try:
        run = Run(base, accounts)
        yield run
    finally:
        if run is not None and run.process is not None and run.process.poll() is None:
            run.stop()
        for account in accounts.values():
            account.remove()
        if saved is None:
            os.environ.pop("NBGRADER_EXCHANGE", None)
        else:
            os.environ["NBGRADER_EXCHANGE"] = saved
        remove_base(base)


class Run:
    """A course, an exchange, student accounts and the on-submit service as a process."""

    def __init__(self, base, accounts):
        from autograder.testkit.course import Course

        from .exchange_accounts import StudentAccount

        self.base, self.accounts = base, accounts
        self.exchange = base / "exchange"
        self.exchange.mkdir()
        self.exchange.chmod(0o1777)
        os.environ["NBGRADER_EXCHANGE"] = str(self.exchange)  # the course's config reads it
        self.course = Course.create(base / "course", [ASSIGNMENT])
        self.course.root.chmod(0o700)
        self.course.nbgrader("release_assignment", ASSIGNMENT)
        (self.exchange / "rnn-course" / "inbound").chmod(0o1733)
        for name in (*STUDENTS, "mallory"):
            accounts[name] = StudentAccount(base, self.exchange, name, ASSIGNMENT)
        self.process, self.log_path = None, base / "service.log"
        self.ledger_path = self.course.root / ".on_submit" / "attempts.json"

    def start(self, *options):
        from autograder.instructor.config import tool_env

        env = tool_env()
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "autograder.instructor.on_submit", "--course-root",
                 str(self.course.root), "--interval", "0.5", *options],
                cwd=self.course.root, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.wait(lambda: "watching" in self.log().split("stopped;")[-1], 60, "the service to start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)

    def log(self):
        return self.log_path.read_text()

    def ledger(self):
        return json.loads(self.ledger_path.read_text()) if self.ledger_path.exists() else {}

    def attempts(self, student):
        return self.ledger().get("attempts", {}).get(ASSIGNMENT, {}).get(student, [])

    def wait(self, ready, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.3)
        pytest.fail(f"waited {timeout} s for {what}; service log:\n{self.log()[-5000:]}")

    def submit(self, name, notebook):
        from nbgrader.exchange.default import ExchangeSubmit

        account = self.accounts[name]
        account.do(nbformat.write, notebook, str(account.notebook_path))
        account.run(ExchangeSubmit)

    def fetch_feedback(self, name):
        """The student's fetch_feedback; their pages, oldest submission first."""
        from nbgrader.exchange.default import ExchangeFetchFeedback

        account = self.accounts[name]
        account.run(ExchangeFetchFeedback)
        return [p.read_text() for p in sorted((account.work / ASSIGNMENT / "feedback").glob("*/*.html"))]

    def points(self, student):
        return sum(score for score, _ in self.course.scores(ASSIGNMENT)[student].values())


def returns_nothing(*args):
    return None


def _one_item_wrong():
    """The solution with its first answer function replaced by one that returns None."""
    from autograder.items import problems_for
    from autograder.testkit.submissions import filled_in, replace_object

    for problem in problems_for(ASSIGNMENT):
        try:
            return replace_object(filled_in(ASSIGNMENT), problem.student_object, returns_nothing)
        except LookupError:  # an answer variable, not a function
            continue
    raise AssertionError(f"{ASSIGNMENT} has no answer function")


def _blank():
    from autograder.testkit.submissions import read_notebook
    return read_notebook("notebooks", ASSIGNMENT)


@pytest.fixture(scope="module")
def graded(service_run):
    """Three students submit at the same moment (alice the solution, bob the blank notebook,
    carol a misconception); the service, limited to 2 attempts an hour, best counts."""
    from nbgrader.exchange.default import ExchangeFetchAssignment

    from autograder.testkit.submissions import filled_in

    run = service_run
    for account in run.accounts.values():
        account.run(ExchangeFetchAssignment)
    run.start("--max-attempts", "2", "--per", "3600", "--counts", "best")
    notebooks = {"alice": filled_in(ASSIGNMENT), "bob": _blank(), "carol": _one_item_wrong()}
    for name, nb in notebooks.items():  # written first, so the submits themselves are instant
        run.accounts[name].do(nbformat.write, nb, str(run.accounts[name].notebook_path))
    from nbgrader.exchange.default import ExchangeSubmit

    start = time.monotonic()
    threads = [threading.Thread(target=run.accounts[n].run, args=(ExchangeSubmit,)) for n in STUDENTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.wait(lambda: all(run.attempts(n) for n in STUDENTS), 240, "feedback for all three")
    seconds = {n: run.attempts(n)[0]["seconds"] for n in STUDENTS}
    print(f"\nthree submissions at once: feedback released {seconds} s after arrival; all done "
          f"{time.monotonic() - start:.1f} s after the submits (shared, loaded machine)")
    return run


@pytest.mark.nbgrader
@pytest.mark.kernel
def test_three_students_submitting_at_once_each_fetch_their_own_feedback(graded):
    run = graded
    full = run.attempts("alice")[0]["max_score"]
    carol = run.attempts("carol")[0]["score"]
    assert 0 < carol < full  # one item wrong
    expected = {"alice": full, "bob": 0.0, "carol": carol}
    for name in STUDENTS:
        [attempt] = run.attempts(name)
        assert attempt["status"] == "graded" and attempt["score"] == expected[name], attempt
        assert run.points(name) == expected[name], name
        pages = run.fetch_feedback(name)
        assert len(pages) == 1, name
        own = (run.course.root / "feedback" / name / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert pages[0] == own, f"{name} fetched someone else's page"
        assert "attempt 1 of the 2 graded attempts you have per 60 min" in pages[0]
        assert f"{expected[name]:g} of {full:g} autograded points" in pages[0]


@pytest.mark.nbgrader
@pytest.mark.kernel
def test_a_worse_attempt_gets_feedback_but_the_best_counts_and_the_next_is_refused(graded):
    run = graded
    first = run.attempts("alice")[0]
    full = first["max_score"]
    done = run.log().count("submissions done")
    run.submit("alice", _blank())  # attempt 2: worse
    run.wait(lambda: run.log().count("submissions done") > done, 180, "alice's second attempt")
    second = run.attempts("alice")[1]
    assert second["status"] == "graded" and second["score"] == 0.0
    assert "the best attempt" in run.log() and "is put back and graded again" in run.log()
    assert run.points("alice") == full  # the gradebook holds the best
    submitted = run.course.root / "submitted" / "alice" / ASSIGNMENT
    archived = run.course.root / ".on_submit" / "archive" / ASSIGNMENT / "alice" / first["entry"]
    assert (submitted / "submission_secret.txt").read_text() == (archived / "submission_secret.txt").read_text()

    # an entry in alice's name made by another account: not graded, not counted
    inbound = run.exchange / "rnn-course" / "inbound"
    forged = inbound / f"alice+{ASSIGNMENT}+2026-11-30 10:00:00.000000 UTC+forged"

    def forge():
        forged.mkdir()
        shutil.copy(run.accounts["mallory"].notebook_path, forged)
        (forged / "submission_secret.txt").write_text("x" * 128)
    run.accounts["mallory"].do(forge)
    run.wait(lambda: run.ledger()["entries"].get(forged.name, {}).get("status") == "invalid", 30,
             "the forged entry to be judged")
    assert len(run.attempts("alice")) == 2

    run.submit("alice", _blank())  # attempt 3 in the hour: over the limit of 2
    run.wait(lambda: len(run.attempts("alice")) == 3, 60, "alice's third attempt")
    third = run.attempts("alice")[2]
    opens = datetime.datetime.fromisoformat(first["received"]) + datetime.timedelta(hours=1)
    assert third["status"] == "refused" and third["next_open"] == opens.isoformat()
    assert f"attempt refused (2 of 2 graded in the last 60 min); the next opens at {clock(opens)}" in run.log()
    assert not (inbound / third["entry"]).exists()  # a later collect cannot take it
    assert (run.course.root / ".on_submit" / "refused" / third["entry"]).is_dir()
    pages = run.fetch_feedback("alice")
    assert len(pages) == 3
    assert "this one does not change your grade" in pages[1] and f"0 of {full:g} autograded points" in pages[1]
    assert f"Your next attempt opens at {clock(opens)}" in pages[2]
    assert "was not graded: you have used 2 of your 2 graded attempts per 60 min" in pages[2]
    assert f"{full:g} of {full:g} autograded points" in pages[2]  # the grade that still counts


@pytest.mark.nbgrader
@pytest.mark.kernel
def test_the_instructor_s_own_collect_and_autograde_agree_with_the_service(graded):
    """After the service (best counts): `nbgrader collect` finds nothing newer than what
    counts, and `nbgrader autograde --force` of alice's submitted/ folder, her best attempt
    put back, draws the same cases and gives the same points. (``last`` differs from
    ``best`` only in the rule above; its service path is the first attempts' path.)"""
    run = graded
    if "attempt refused" not in run.log():
        pytest.skip("needs the attempts of the previous test")
    run.stop()
    before = run.course.scores(ASSIGNMENT)
    collect = run.course.nbgrader("collect", ASSIGNMENT)  # SafeCollect, as the instructor runs it
    assert "Updating submission" not in collect.stdout + collect.stderr
    run.course.nbgrader("autograde", ASSIGNMENT, "--force", "--student", "alice")
    assert run.course.scores(ASSIGNMENT) == before
    assert sum(s for s, _ in before["alice"].values()) == run.attempts("alice")[0]["score"]


def test_the_hub_config_registers_the_service_only_when_asked(monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    from autograder.instructor.config import REPO_ROOT

    def services(**env):
        for key, value in {"RNN_COURSE_GRADER": "grader-x", "NBGRADER_EXCHANGE": "/srv/x", **env}.items():
            monkeypatch.setenv(key, value)
        folder = REPO_ROOT / "deploy" / "jupyterhub"
        return {s["name"]: s for s in PyFileConfigLoader("jupyterhub_config.py", path=str(folder))
                .load_config().JupyterHub.services}

    monkeypatch.delenv("RNN_COURSE_ON_SUBMIT", raising=False)
    assert set(services()) == {"rnn-course"}
    service = services(RNN_COURSE_ON_SUBMIT="--max-attempts 5 --per 3600 --counts best")["rnn-course-on-submit"]
    course = os.path.expanduser("~grader-x/rnn-course")
    assert service["command"][1:] == ["-m", "autograder.instructor.on_submit", "--course-root", course,
                                      "--max-attempts", "5", "--per", "3600", "--counts", "best"]
    assert service["cwd"] == course and service["environment"]["NBGRADER_EXCHANGE"] == "/srv/x"
    assert "url" not in service and "user" not in service  # no web page; the hub's user (root)
