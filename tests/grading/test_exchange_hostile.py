"""Hostile students against the exchange and the intake (issue 11, class 6).

Real accounts (``useradd``), the real exchange folder with nbgrader's modes, the real
commands as the grader (root): ``nbgrader collect``, ``python -m autograder.instructor.intake``,
``nbgrader generate_feedback``. One class of five:

* hxalice and hxbob submit honestly with ``nbgrader submit`` (full marks);
* hxmallory submits her own blank notebook, then one in hxbob's name
  (``nbgrader submit --student=hxbob``, after bob's) and one for an id with no account;
* hxcarol, after the due date, makes her own inbound entry by hand whose name and
  ``timestamp.txt`` claim a day before it;
* hxdave submits a blank notebook, then hand-makes an entry whose notebook and extra files
  are symbolic links to the course's source notebook (solutions and hidden tests), its
  ``.autograder_secret``, its ``gradebook.db`` and the course directory itself.

Plus: an entry with a fifo and a hard-linked file; the intake given a symlink, a fifo and
a file named as HTML in submitted/; and the documented single-account setting.
"""
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.testkit.submissions import filled_in, read_notebook
from autograder.grading.execute import course_secret

from .exchange_accounts import (COURSE_ID, StudentAccount, remove_base, require_root,
                                world_reachable_base)

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "05_bidirectional"  # the smallest graded notebook
GRADEBOOK_MAGIC = b"SQLite format 3\x00"
HTML_NAME = "<img src=x onerror=alert(1)>"


def run(cmd, cwd, env, timeout=600):
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    print(f"{time.perf_counter() - start:5.1f} s  {' '.join(map(str, cmd[2:]))}")  # shown with -s
    assert result.returncode == 0, (f"{' '.join(map(str, cmd))} in {cwd} exited "
                                    f"{result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def nbgrader(cwd, env, *args, timeout=600):
    return run([sys.executable, "-m", "nbgrader", *args], cwd, env, timeout=timeout)


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def stamp(moment):
    """nbgrader's timestamp format (``Exchange.timestamp_format``) of a naive UTC time."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def gradebook(course):
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{course.root / 'gradebook.db'}")


def inbound(exchange):
    return exchange / COURSE_ID / "inbound"


def hand_made_entry(exchange, student_id, claimed, notebook_text, links=(), extra=None):
    """A function that, run as a student, makes an inbound entry in ``student_id``'s name
    whose name and timestamp.txt claim ``claimed``, holding the notebook (or, when it is
    in ``links``, a symlink) and the symbolic links {name: target}."""
    links = dict(links)

    def make():
        entry = inbound(exchange) / f"{student_id}+{ASSIGNMENT}+{stamp(claimed)}+handmade"
        entry.mkdir()
        notebook = entry / f"{ASSIGNMENT}.ipynb"
        if notebook.name not in links:
            notebook.write_text(notebook_text)
        (entry / "timestamp.txt").write_text(stamp(claimed))
        for name, target in links.items():
            os.symlink(target, entry / name)
        if extra:
            extra(entry)
        old = claimed.replace(tzinfo=datetime.timezone.utc).timestamp()
        for path in [*entry.iterdir(), entry]:  # mtimes too: only ctime cannot be set back
            if not path.is_symlink():
                os.utime(path, (old, old))
    return make


def new_exchange(base):
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)  # what deploy/README.md asks of the shared folder
    return exchange


def new_course(base, extra_config=""):
    course = Course.create(base / "course", [ASSIGNMENT])
    course.root.chmod(0o700)
    if extra_config:
        with open(course.root / "nbgrader_config.py", "a") as f:
            f.write("\n" + extra_config + "\n")
    course_secret(course.root)  # what the first trusted grading run creates
    return course


def teacher_env(base, exchange):
    env = tool_env()
    env.update(NBGRADER_EXCHANGE=str(exchange), HOME=str(base / "home" / "instructor"))
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def text_of(notebook):
    return nbformat.writes(notebook)


@pytest.fixture(scope="module")
def hostile_class():
    require_root()
    base = world_reachable_base("exchange-hostile-")
    accounts = []
    try:
        exchange = new_exchange(base)
        course = new_course(base)
        teacher = teacher_env(base, exchange)
        nbgrader(course.root, teacher, "release_assignment", ASSIGNMENT)

        def account(name, student_id=None):
            student = StudentAccount(base, exchange, name, ASSIGNMENT, student_id=student_id)
            accounts.append(student)
            student.run(ExchangeFetchAssignment)
            return student

        def submit(student, notebook):
            nbformat.write(notebook, student.notebook_path)
            student.run(ExchangeSubmit)
            time.sleep(0.01)

        alice, bob, mallory, carol, dave = (account(n) for n in
                                            ("hxalice", "hxbob", "hxmallory", "hxcarol", "hxdave"))
        blank = read_notebook("notebooks", ASSIGNMENT)
        correct = filled_in(ASSIGNMENT)
        submit(alice, correct)
        submit(bob, correct)
        submit(mallory, blank)
        # mallory again, under other names (what `nbgrader submit --student=ID` does)
        for victim in ("hxbob", "hxnobody"):
            mallory.config.CourseDirectory.student_id = victim
            submit(mallory, blank)
        mallory.config.CourseDirectory.student_id = "hxmallory"
        submit(dave, blank)
        source = course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        dave.do(hand_made_entry(exchange, "hxdave", utc_now(), "", links={
            f"{ASSIGNMENT}.ipynb": source,                      # solutions + hidden tests
            "secret.txt": course.root / ".autograder_secret",
            "gradebook.db": course.root / "gradebook.db",
            "course": course.root,
        }))
        time.sleep(0.01)
        due = utc_now()
        with gradebook(course) as gb:  # what `nbgrader db assignment add A --duedate=...` does
            gb.update_or_create_assignment(ASSIGNMENT, duedate=due)
        time.sleep(1.1)  # the late entry arrives a whole second after the due date
        carol.do(hand_made_entry(exchange, "hxcarol", due - datetime.timedelta(days=1), text_of(correct)))

        collected = nbgrader(course.root, teacher, "collect", ASSIGNMENT)
        print(collected.stderr)  # the refusals and the summary, shown with -s
        run([sys.executable, "-m", "autograder.instructor.intake", ASSIGNMENT], course.root, teacher)
        nbgrader(course.root, teacher, "generate_feedback", ASSIGNMENT)
        yield dict(course=course, exchange=exchange, due=due, log=collected.stdout + collected.stderr,
                   correct=correct, blank=blank, bob_notebook=bob.notebook_path)
    finally:
        for student in accounts:
            student.remove()
        remove_base(base)


def collected_cells(course, student):
    return nbformat.read(course.submission_path(student, ASSIGNMENT), as_version=4).cells


def test_an_entry_in_another_students_name_is_refused_and_theirs_collected(hostile_class):
    course, log = hostile_class["course"], hostile_class["log"]
    # bob's own submission, not mallory's later blank one in his name
    assert collected_cells(course, "hxbob") == hostile_class["correct"].cells
    scores = course.scores(ASSIGNMENT)
    assert scores["hxbob"] == scores["hxalice"]  # graded on the same correct notebook as alice
    assert collected_cells(course, "hxmallory") == hostile_class["blank"].cells  # her own
    assert not (course.root / "submitted" / "hxnobody").exists()
    refusals = [line for line in log.splitlines() if "refused" in line.lower()]
    assert any("hxbob+" in line and "hxmallory" in line for line in refusals), log
    assert any("hxnobody+" in line and "no account" in line for line in refusals), log


def test_a_forged_timestamp_does_not_hide_a_late_submission(hostile_class):
    course = hostile_class["course"]
    with gradebook(course) as gb:
        submission = gb.find_submission(ASSIGNMENT, "hxcarol")
        late, on_time = submission.total_seconds_late, gb.find_submission(ASSIGNMENT, "hxalice")
        assert late >= 1, f"hxcarol's entry arrived after the due date but was graded {late} s late"
        assert on_time.total_seconds_late == 0
    recorded = (course.root / "submitted" / "hxcarol" / ASSIGNMENT / "timestamp.txt").read_text()
    from nbgrader.utils import parse_utc
    assert parse_utc(recorded.strip()) > hostile_class["due"]
    assert "hxcarol+" in hostile_class["log"] and "timestamp" in hostile_class["log"]


def files_under(root):
    for folder in ("submitted", "autograded", "feedback", "staged"):
        for dirpath, dirnames, filenames in os.walk(root / folder):
            for name in dirnames + filenames:
                yield Path(dirpath, name)


def test_symbolic_links_in_an_entry_are_never_followed(hostile_class):
    course = hostile_class["course"]
    secret = (course.root / ".autograder_secret").read_bytes()
    source_text = (course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    for path in files_under(course.root):
        assert not path.is_symlink(), path
        if path.is_file():
            data = path.read_bytes()
            assert secret not in data and secret.hex().encode() not in data, path
            assert GRADEBOOK_MAGIC not in data, path
            assert data != source_text, path
    assert not any(p.name in ("secret.txt", "gradebook.db", "course") for p in files_under(course.root))
    # dave's symlinked entry is refused; his earlier, honest blank submission is graded
    assert collected_cells(course, "hxdave") == hostile_class["blank"].cells
    assert sum(s for s, _ in course.scores(ASSIGNMENT)["hxdave"].values()) == 0
    assert any("hxdave+" in line and "symbolic link" in line for line in hostile_class["log"].splitlines())


def test_collect_names_every_refusal_and_still_collects_every_honest_student(hostile_class):
    course, log = hostile_class["course"], hostile_class["log"]
    collected = {p.name for p in (course.root / "submitted").iterdir()}
    assert collected == {"hxalice", "hxbob", "hxmallory", "hxcarol", "hxdave"}
    assert "3 inbound entries refused" in log, log


@pytest.fixture
def small_class():
    """A course and exchange (no grading) for the tests that only collect or stage."""
    require_root()
    base = world_reachable_base("exchange-small-")
    made = []
    try:
        def setup(extra_config=""):
            exchange = new_exchange(base)
            course = new_course(base, extra_config)
            teacher = teacher_env(base, exchange)
            nbgrader(course.root, teacher, "release_assignment", ASSIGNMENT)
            return base, exchange, course, teacher
        yield setup, made
    finally:
        for student in made:
            student.remove()
        remove_base(base)


def test_fifos_and_hard_links_in_an_entry_are_refused(small_class):
    setup, made = small_class
    base, exchange, course, teacher = setup()
    erin = StudentAccount(base, exchange, "hxerin", ASSIGNMENT)
    made.append(erin)
    stash = erin.home / "elsewhere.txt"

    def specials(entry):
        os.mkfifo(entry / "pipe.txt")
        stash.write_text("a file of mine from elsewhere")
        os.link(stash, entry / "linked.txt")

    erin.do(hand_made_entry(exchange, "hxerin", utc_now(), text_of(filled_in(ASSIGNMENT)),
                            extra=specials))
    result = nbgrader(course.root, teacher, "collect", ASSIGNMENT, timeout=120)
    log = result.stdout + result.stderr
    assert not (course.root / "submitted" / "hxerin").exists()
    assert any("hxerin+" in line and "fifo" in line for line in log.splitlines()), log
    assert any("hxerin+" in line and "hard link" in line for line in log.splitlines()), log


def test_the_single_account_setting_lets_one_account_submit_for_several_students(small_class):
    """A tutorial or a laptop: every entry is owned by the one account. Ownership is not
    checked, but symbolic links and forged timestamps still are."""
    setup, made = small_class
    base, exchange, course, teacher = setup("c.SafeCollect.single_account = True")
    tutor = StudentAccount(base, exchange, "hxtutor", ASSIGNMENT)
    made.append(tutor)
    tutor.run(ExchangeFetchAssignment)
    for student in ("ann", "ben", "cat"):
        tutor.config.CourseDirectory.student_id = student
        nbformat.write(filled_in(ASSIGNMENT), tutor.notebook_path)
        tutor.run(ExchangeSubmit)
    long_ago = utc_now() - datetime.timedelta(days=30)
    tutor.do(hand_made_entry(exchange, "dan", long_ago, text_of(filled_in(ASSIGNMENT))))
    tutor.do(hand_made_entry(exchange, "eve", utc_now(), text_of(filled_in(ASSIGNMENT)),
                             links={"secret.txt": course.root / ".autograder_secret"}))
    result = nbgrader(course.root, teacher, "collect", ASSIGNMENT)
    log = result.stdout + result.stderr
    assert {p.name for p in (course.root / "submitted").iterdir()} == {"ann", "ben", "cat", "dan"}
    for student in ("ann", "ben", "cat"):
        assert collected_cells(course, student) == filled_in(ASSIGNMENT).cells
    from nbgrader.utils import parse_utc
    recorded = (course.root / "submitted" / "dan" / ASSIGNMENT / "timestamp.txt").read_text()
    assert parse_utc(recorded.strip()) > long_ago + datetime.timedelta(days=29)
    assert "cheating attempt" not in log
    assert any("eve+" in line and "symbolic link" in line for line in log.splitlines()), log


def hostile_submitted_folder(course, student):
    """submitted/ as a hand copy or another tool may leave it: the expected notebook is a
    symlink to the course's source notebook, an extra file named as HTML is a symlink to
    the course secret, a fifo named like a notebook, a symlinked folder, and an extra
    notebook named as HTML."""
    folder = course.root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    os.symlink(course.root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder / f"{ASSIGNMENT}.ipynb")
    os.symlink(course.root / ".autograder_secret", folder / f"{HTML_NAME}.txt")
    os.symlink(course.root, folder / "course")
    os.mkfifo(folder / "pipe.ipynb")
    nbformat.write(read_notebook("notebooks", ASSIGNMENT), folder / f"{HTML_NAME}.ipynb")
    (folder / "timestamp.txt").write_text(stamp(utc_now()))


def assert_staged_safely(course, student, notebook_dir):
    """Nothing followed (no link, no secret, only the notebook and timestamp) and a note
    that names everything escaped; returns the notebook."""
    secret = (course.root / ".autograder_secret").read_bytes()
    for folder in ("staged", "autograded", "feedback"):
        for path in (course.root / folder).rglob("*"):
            assert not path.is_symlink(), path
            assert not path.is_file() or secret not in path.read_bytes(), path
    names = {p.name for p in notebook_dir.iterdir()}
    assert names == {f"{ASSIGNMENT}.ipynb", "timestamp.txt"}, names
    nb = nbformat.read(notebook_dir / f"{ASSIGNMENT}.ipynb", as_version=4)
    note = nb.cells[0]
    assert note.cell_type == "markdown" and note.source.startswith("**Grading note.**"), note.source
    assert "<img" not in note.source and "&lt;img" in note.source, note.source
    assert "symbolic link" in note.source and "fifo" in note.source.lower(), note.source
    return nb


def test_the_intake_follows_no_link_reads_no_fifo_and_escapes_file_names(tmp_path):
    """`python -m autograder.instructor.intake --check` stages such a folder."""
    course = new_course(tmp_path)
    hostile_submitted_folder(course, "hxfrank")
    result = run([sys.executable, "-m", "autograder.instructor.intake", ASSIGNMENT, "--check"],
                 course.root, tool_env(), timeout=120)
    nb = assert_staged_safely(course, "hxfrank", course.root / "staged" / "hxfrank" / ASSIGNMENT)
    # the symlinked notebook is not graded: the blank released notebook is in its place
    released = read_notebook("notebooks", ASSIGNMENT)
    assert [c.source for c in nb.cells[1:]] == [c.source for c in released.cells]
    assert "[intake] hxfrank:" in result.stdout


def test_the_parallel_grader_follows_no_link_either(tmp_path):
    """`python -m autograder.instructor.parallel` grades such a folder with the same intake code (and
    checksums it for its ledger without following or opening anything)."""
    course = new_course(tmp_path)
    hostile_submitted_folder(course, "hxfrank")
    result = run([sys.executable, "-m", "autograder.instructor.parallel", ASSIGNMENT, "--workers", "1"],
                 course.root, tool_env(), timeout=600)
    assert_staged_safely(course, "hxfrank", course.root / "autograded" / "hxfrank" / ASSIGNMENT)
    assert sum(s for s, _ in course.scores(ASSIGNMENT)["hxfrank"].values()) == 0
    assert "hxfrank" in result.stdout + result.stderr


def test_an_lms_download_can_neither_link_out_nor_plant_set_uid_files(tmp_path):
    """`python -m autograder.instructor.lms collect` (nbgrader zip_collect) on a Canvas download whose
    notebooks are a symbolic-link entry to the course secret, a set-uid file and a
    world-writable one: no link is followed or made, and every collected file is plain."""
    import stat
    import zipfile

    course = new_course(tmp_path)
    secret_path = course.root / ".autograder_secret"
    download = tmp_path / "submissions.zip"
    with zipfile.ZipFile(download, "w") as archive:
        for student, mode, text in [("hxgina", stat.S_IFLNK | 0o777, str(secret_path)),
                                    ("hxhal", stat.S_IFREG | 0o4755, text_of(filled_in(ASSIGNMENT))),
                                    ("hxivy", stat.S_IFREG | 0o777, text_of(filled_in(ASSIGNMENT)))]:
            info = zipfile.ZipInfo(f"{student}_1_2_{ASSIGNMENT}.ipynb")
            info.external_attr = mode << 16
            archive.writestr(info, text)
    run([sys.executable, "-m", "autograder.instructor.lms", "collect", ASSIGNMENT, str(download), "--lms", "canvas"],
        course.root, tool_env(), timeout=300)
    secret = secret_path.read_bytes()
    collected = [p for d in ("submitted", "downloaded") for p in (course.root / d).rglob("*")]
    assert {p.parent.parent.name for p in collected if p.name == f"{ASSIGNMENT}.ipynb"} >= {"hxhal", "hxivy"}
    for path in collected:
        st = path.lstat()
        assert not stat.S_ISLNK(st.st_mode), path
        if stat.S_ISREG(st.st_mode):
            assert secret not in path.read_bytes(), path
            assert stat.S_IMODE(st.st_mode) & ~0o644 == 0, (path, oct(st.st_mode))
