"""The LMS path: a release zip with only what a student needs, and zip_collect of the
"download all submissions" archives of Canvas and Moodle, named as those LMSs name them."""
import zipfile

import nbformat
import pytest

from autograder.instructor import lms

from autograder.grading import student_library
from autograder.instructor.config import REPO_ROOT
from autograder.testkit.course import Course
from autograder.testkit.scenarios import registry_scenarios
from autograder.testkit.submissions import filled_in, read_notebook

ASSIGNMENT = "05_bidirectional"


def test_release_zip_holds_the_student_notebook_its_rnnlib_view_and_pins_only(tmp_path):
    path = lms.release(ASSIGNMENT, root=REPO_ROOT, out=tmp_path)
    assert path == tmp_path / f"{ASSIGNMENT}.zip"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        notebook = archive.read(f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb").decode()
        requirements = archive.read(f"{ASSIGNMENT}/requirements.txt").decode().split()
    others = set(names) - {f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb", f"{ASSIGNMENT}/requirements.txt"}
    view = student_library.stage(ASSIGNMENT, tmp_path / "view") / "rnnlib"
    assert others == {f"{ASSIGNMENT}/rnnlib/{p.relative_to(view)}" for p in view.rglob("*")
                      if p.is_file()}
    assert f"{ASSIGNMENT}/rnnlib/embedding_lookup.py" not in names  # released with 07
    assert f"{ASSIGNMENT}/rnnlib/__init__.py" in names
    assert notebook == (REPO_ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "**Rubric", "from autograder"):
        assert secret not in notebook
    assert sorted(r.split("==")[0] for r in requirements) == ["jupyterlab", "matplotlib", "numpy", "tqdm"]
    assert all("==" in r for r in requirements)


def test_the_03_zip_carries_no_seq2seq_weights_and_06_does(tmp_path):
    """Issue 16 item 8: the weights (2.6 MB) ship only with the module that reads them
    (`pretrained`, from 06), so 03's zip is the notebook and a small library."""
    early = lms.release("03_lstm", root=REPO_ROOT, out=tmp_path)
    with zipfile.ZipFile(early) as archive:
        names = archive.namelist()
    assert not [n for n in names if n.endswith(".npz") or "/weights/" in n], names
    assert "03_lstm/rnnlib/pretrained.py" not in names
    assert early.stat().st_size < 200_000, early.stat().st_size  # 25 kB on 2026-11-30
    late = lms.release("06_seq2seq", root=REPO_ROOT, out=tmp_path)
    with zipfile.ZipFile(late) as archive:
        weights = {n.rsplit("/", 1)[1] for n in archive.namelist() if n.endswith(".npz")}
    assert weights == {p.name for p in (REPO_ROOT / "rnnlib" / "weights").glob("*.npz")}


def test_release_without_a_released_notebook_says_what_to_run(tmp_path):
    with pytest.raises(SystemExit, match="nbgrader generate_assignment 99_none"):
        lms.release("99_none", root=tmp_path)


def _zip(path, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, notebook in files.items():
            archive.writestr(name, nbformat.writes(notebook))
    return path


@pytest.mark.nbgrader
def test_zip_collect_of_canvas_and_moodle_downloads_lands_each_notebook_in_submitted(tmp_path):
    course = Course.create(tmp_path / "course", [ASSIGNMENT])
    wrong = next(s.notebook for s in registry_scenarios(ASSIGNMENT)
                 if s.name.startswith("submitted-misconception-"))
    answers = [filled_in(ASSIGNMENT), read_notebook("notebooks", ASSIGNMENT), wrong]
    # Canvas: <sortable name>_[late_]<user id>_<submission id>_<file>[-N].ipynb, flat
    canvas = _zip(tmp_path / "submissions.zip", {
        f"smithjane_12345_678901_{ASSIGNMENT}.ipynb": answers[0],
        f"doejohn_late_23456_789012_{ASSIGNMENT}.ipynb": answers[1],
        f"leeanna_34567_890123_{ASSIGNMENT}-1.ipynb": answers[2],
    })
    # Moodle: a folder <Full Name>_<participant id>_assignsubmission_file_ per student, or
    # (without "download submissions in folders") that prefix on the file name
    moodle = _zip(tmp_path / "RNN-05 bidirectional-42.zip", {
        f"Jane Smith_101_assignsubmission_file_/{ASSIGNMENT}.ipynb": answers[0],
        f"John Doe_102_assignsubmission_file_/{ASSIGNMENT}.ipynb": answers[1],
        f"Anna Lee_103_assignsubmission_file_{ASSIGNMENT}.ipynb": answers[2],
    })
    assert lms.collect(ASSIGNMENT, canvas, "canvas", root=course.root) == 0
    assert lms.collect(ASSIGNMENT, moodle, "moodle", root=course.root) == 0
    expected = {"smithjane": 0, "doejohn": 1, "leeanna": 2, "101": 0, "102": 1, "103": 2}
    submitted = sorted(p.name for p in (course.root / "submitted").iterdir())
    assert submitted == sorted(expected)
    for student, index in expected.items():
        folder = course.root / "submitted" / student / ASSIGNMENT
        assert sorted(p.name for p in folder.glob("*.ipynb")) == [f"{ASSIGNMENT}.ipynb"], student
        got = nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)
        assert [c.source for c in got.cells] == [c.source for c in answers[index].cells], student


def test_collect_names_a_missing_download_and_an_unknown_lms(tmp_path):
    with pytest.raises(SystemExit, match="not found"):
        lms.collect(ASSIGNMENT, tmp_path / "nothing.zip", "canvas", root=tmp_path)
    with pytest.raises(SystemExit, match="unknown LMS 'blackboard'"):
        lms.collect(ASSIGNMENT, tmp_path / "nothing.zip", "blackboard", root=tmp_path)
