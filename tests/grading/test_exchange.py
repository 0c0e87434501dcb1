"""The whole exchange round trip with nbgrader's exchange and three students.

A temporary course and a temporary exchange folder. The instructor runs the stock
commands as processes in the course directory, as root. Each student is a real account
(useradd, removed afterwards: collect refuses an entry not owned by the student it names)
with their own HOME, nbgrader cache (which holds their submission secrets) and working
folder, and their settings come from the student-side config
deploy/jupyterhub/nbgrader_config.py. The student steps run nbgrader's exchange classes
in a child of this process running as that account (tests/grading/exchange_accounts.py),
exactly what `nbgrader fetch_assignment / submit / fetch_feedback` start, because one
nbgrader process costs seconds of imports on a loaded 2-core machine; the real commands
through JupyterHub are tests/deploy/test_jupyterhub.py. Needs root.

  release_assignment -> fetch_assignment (3 students, and fay) -> submit: alice once, bob
  twice (blank, then correct), carol after the due date, fay her notebook renamed
  (05_bidirectional-Copy1.ipynb, issue 16 item 1) -> collect -> autograde (our intake)
  -> generate_feedback -> release_feedback -> fetch_feedback (every student) -> export
"""
import csv
import datetime
import logging
import stat
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeFetchFeedback, ExchangeSubmit
from nbgrader.utils import notebook_hash

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.grading.lateness import duration
from autograder.testkit.scenarios import full_marks, registry_scenarios
from autograder.testkit.submissions import filled_in, read_notebook

from .exchange_accounts import COURSE_ID, StudentAccount, remove_base, require_root, world_reachable_base

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "05_bidirectional"  # the smallest graded notebook: the round trip stays fast
STUDENTS = ("alice", "bob", "carol")
RENAMER = "fay"  # submits her notebook as 05_bidirectional-Copy1.ipynb (the expected one deleted)
RENAMED = f"{ASSIGNMENT}-Copy1"


def run(cmd, cwd, env):
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    print(f"{time.perf_counter() - start:5.1f} s  {' '.join(map(str, cmd[2:]))}")  # shown with -s
    assert result.returncode == 0, (f"{' '.join(map(str, cmd))} in {cwd} exited "
                                    f"{result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def nbgrader(cwd, env, *args):
    return run([sys.executable, "-m", "nbgrader", *args], cwd, env)


@pytest.fixture(scope="module")
def round_trip():
    require_root()
    base = world_reachable_base("exchange-round-trip-")
    students = {}
    try:
        yield from _round_trip(base, students)
    finally:
        for student in students.values():
            student.remove()
        remove_base(base)


def _round_trip(base, students):
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)  # what deploy/README.md asks of the shared folder
    course = Course.create(base / "course", [ASSIGNMENT])
    course.root.chmod(0o700)  # the grader's alone, as the README asks
    # A late submission scores 0 under this policy, so the penalty shows in the feedback.
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    teacher = tool_env()
    teacher.update(NBGRADER_EXCHANGE=str(exchange), HOME=str(base / "home" / "instructor"))
    teacher.pop("JUPYTER_CONFIG_DIR", None)
    students.update({name: StudentAccount(base, exchange, name, ASSIGNMENT)
                     for name in (*STUDENTS, RENAMER)})
    scenarios = {s.name: s for s in registry_scenarios(ASSIGNMENT)}
    # carol's answers keep some points, so the late penalty has something to take away
    misconception = next(s for name, s in scenarios.items()
                         if name.startswith("submitted-misconception-") and sum(s.expected.values()) > 0)
    alternative = scenarios["submitted-alternative-forms-0"]

    nbgrader(course.root, teacher, "release_assignment", ASSIGNMENT)
    for student in students.values():
        student.run(ExchangeFetchAssignment)
    fetched = {name: nbformat.read(s.notebook_path, as_version=4) for name, s in students.items()}

    def submit(name, notebook):
        nbformat.write(notebook, students[name].notebook_path)
        students[name].run(ExchangeSubmit)

    submit("alice", filled_in(ASSIGNMENT))
    fay = students[RENAMER]  # JupyterLab's File > Save a copy, then the original deleted
    fay.do(nbformat.write, filled_in(ASSIGNMENT), str(fay.notebook_path.with_name(f"{RENAMED}.ipynb")))
    fay.do(fay.notebook_path.unlink)
    fay.run(ExchangeSubmit)
    submit("bob", read_notebook("notebooks", ASSIGNMENT))  # the blank notebook first ...
    time.sleep(0.01)
    submit("bob", alternative.notebook)                    # ... then a correct one
    time.sleep(0.01)
    due = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)  # UTC, as stored
    with gradebook(course) as gb:  # what `nbgrader db assignment add A --duedate=...` does
        gb.update_or_create_assignment(ASSIGNMENT, duedate=due)
    time.sleep(0.01)
    submit("carol", misconception.notebook)                # after the due date

    nbgrader(course.root, teacher, "collect", ASSIGNMENT)
    intake = run([sys.executable, "-m", "autograder.instructor.intake", ASSIGNMENT], course.root, teacher)
    nbgrader(course.root, teacher, "generate_feedback", ASSIGNMENT)
    released = nbgrader(course.root, teacher, "release_feedback", ASSIGNMENT)
    for student in students.values():
        student.do(fetch_feedback_printing_its_log, student)
    nbgrader(course.root, teacher, "export", "--to=grades.csv")
    with open(course.root / "grades.csv", newline="") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    yield dict(course=course, exchange=exchange, students=students, fetched=fetched,
               intake=intake.stdout + intake.stderr, released=released.stdout + released.stderr,
               grades=grades,
               expected={"alice": full_marks(ASSIGNMENT), "bob": alternative.expected,
                         "carol": misconception.expected, RENAMER: full_marks(ASSIGNMENT)})


def fetch_feedback_printing_its_log(student):
    """`nbgrader fetch_feedback` as the student, its log lines on stderr (shown with -s)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"[{student.name}: fetch_feedback] %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    student._run_step(ExchangeFetchFeedback)


def gradebook(course):
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{course.root / 'gradebook.db'}")


def received_feedback(work):
    """The feedback pages a student's fetch_feedback wrote into their working folder."""
    return sorted((work / ASSIGNMENT / "feedback").glob("*/*.html"))


def test_every_student_fetches_the_released_student_notebook(round_trip):
    released = read_notebook("notebooks", ASSIGNMENT)
    for name, nb in round_trip["fetched"].items():
        assert [c.source for c in nb.cells] == [c.source for c in released.cells], name


def test_collect_keeps_the_latest_submission_of_a_resubmitting_student(round_trip):
    course = round_trip["course"]
    inbound = sorted(p.name for p in (round_trip["exchange"] / COURSE_ID / "inbound").iterdir())
    assert sum(p.startswith(f"bob+{ASSIGNMENT}+") for p in inbound) == 2
    collected = nbformat.read(course.submission_path("bob", ASSIGNMENT), as_version=4)
    assert collected.cells == nbformat.read(round_trip["students"]["bob"].notebook_path,
                                            as_version=4).cells


def test_each_student_is_graded_on_their_own_last_submission(round_trip):
    scores = round_trip["course"].scores(ASSIGNMENT)
    assert set(scores) == {*STUDENTS, RENAMER}
    for name, expected in round_trip["expected"].items():
        assert {cell: scores[name][cell][0] for cell in expected} == expected, name
    assert sum(score for score, _ in scores["bob"].values()) == sum(full_marks(ASSIGNMENT).values())


def test_only_the_submission_after_the_due_date_is_late_and_penalised(round_trip):
    with gradebook(round_trip["course"]) as gb:
        late = {name: gb.find_submission(ASSIGNMENT, name).total_seconds_late for name in STUDENTS}
        penalty = {name: gb.find_submission(ASSIGNMENT, name).late_submission_penalty
                   for name in STUDENTS}
        carol_raw = sum(g.score for nb in gb.find_submission(ASSIGNMENT, "carol").notebooks
                        for g in nb.grades)
    assert late["carol"] > 0 and late["alice"] == 0 and late["bob"] == 0, late
    assert carol_raw > 0 and penalty["carol"] == pytest.approx(carol_raw)  # policy "zero"
    assert not penalty["alice"] and not penalty["bob"]


def test_each_student_receives_exactly_their_own_feedback_with_their_score(round_trip):
    course, students = round_trip["course"], round_trip["students"]
    pages = {}
    for name, student in students.items():
        received = received_feedback(student.work)
        expected_name = RENAMED if name == RENAMER else ASSIGNMENT
        assert [p.name for p in received] == [f"{expected_name}.html"], (name, received)
        pages[name] = received[0].read_text()
        own = course.root / "feedback" / name / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert pages[name] == own.read_text(), f"{name} received someone else's feedback"
    with gradebook(course) as gb:
        for name in STUDENTS:
            nb = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, name)
            # the page shows the score after the late penalty; the gradebook keeps both
            shown = float(nb.score) - float(nb.late_submission_penalty or 0)
            assert f"(Score: {round(shown, 2)} / {round(float(nb.max_score), 2)})" in pages[name], name
    assert "Late submission penalty" in pages["carol"]
    assert not any("Late submission penalty" in pages[n] for n in ("alice", "bob"))
    assert len(set(pages.values())) == len(students)


def test_no_student_can_list_or_guess_the_feedback_of_another(round_trip):
    """Released feedback sits in one folder that others may enter but not list (0711),
    under names derived from each submission's secret, which only its student's cache
    holds; so a student's fetch_feedback finds their own page and nothing else."""
    feedback_dir = round_trip["exchange"] / COURSE_ID / "feedback"
    mode = stat.S_IMODE(feedback_dir.stat().st_mode)
    assert mode & (stat.S_IRGRP | stat.S_IROTH) == 0, oct(mode)
    released = {p.name for p in feedback_dir.glob("*.html")}
    assert len(released) == len(STUDENTS) + 2  # fay's page under both names
    for name, student in round_trip["students"].items():
        cache = student.cache / COURSE_ID
        assert {p.name.split("+")[0] for p in cache.iterdir()} == {name}
        notebook_id = RENAMED if name == RENAMER else ASSIGNMENT
        reachable = {f"{notebook_hash(secret=(p / 'submission_secret.txt').read_text(), notebook_id=notebook_id)}.html"
                     for p in cache.iterdir()}
        assert len(reachable & released) == 1, name  # their last submission's page only
        assert len(received_feedback(student.work)) == 1


def test_student_homes_hold_no_other_students_files(round_trip):
    for name, student in round_trip["students"].items():
        others = set(STUDENTS) - {name}
        names = " ".join(str(p) for p in student.home.rglob("*"))
        assert not any(f"{other}+" in names for other in others), name


def test_a_renamed_notebook_s_feedback_reaches_its_student_and_the_instructor_is_told(round_trip):
    """Issue 16, item 1: intake graded fay's 05_bidirectional-Copy1.ipynb as
    05_bidirectional.ipynb; her fetch_feedback looks for the name she submitted."""
    course, fay = round_trip["course"], round_trip["students"][RENAMER]
    assert f"{RENAMED}.ipynb was graded in its place" in round_trip["intake"]
    received = received_feedback(fay.work)
    assert [p.name for p in received] == [f"{RENAMED}.html"]
    page = received[0].read_text()
    assert page == (course.root / "feedback" / RENAMER / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Grading note" in page
    assert sum(s for s, _ in course.scores(ASSIGNMENT)[RENAMER].values()) == sum(full_marks(ASSIGNMENT).values())
    log = round_trip["released"]
    assert f"Student '{RENAMER}' submitted {RENAMED}.ipynb, not {ASSIGNMENT}.ipynb" in log, log


def test_lateness_is_in_the_late_student_s_feedback_and_the_export_only(round_trip):
    """Issue 16, item 9: carol submitted after the due date; the others on time."""
    pages = {name: received_feedback(s.work)[0].read_text() for name, s in round_trip["students"].items()}
    grades = round_trip["grades"]
    with gradebook(round_trip["course"]) as gb:
        late = gb.find_submission(ASSIGNMENT, "carol").total_seconds_late
    assert late > 0
    assert "Late submission:</strong> submitted" in pages["carol"]
    assert f"{duration(late)} after the due date" in pages["carol"]
    assert float(grades["carol"]["seconds_late"]) == pytest.approx(late, abs=0.1)
    for name in ("alice", "bob", RENAMER):
        assert "after the due date" not in pages[name] and "Late submission" not in pages[name], name
        assert float(grades[name]["seconds_late"]) == 0, name
