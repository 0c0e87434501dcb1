"""The generated notebooks are up to date and the student versions leak nothing."""
import re

import nbformat
import pytest

from autograder.instructor.build import build
from autograder.testkit.course import Course
from tests.conftest import REPO_ROOT, assignments

LEAK_MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "MARK SCHEME", "autograder",
                "check(", "Rubric", "Model answer", "採点基準", "模範解答"]
EDITIONS = {"en": "", "ja": "ja/"}  # the folder prefix of each language edition


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory):
    """A build from the authored sources alone, in a scratch copy of the course."""
    root = tmp_path_factory.mktemp("build")
    Course.create(root, assignments(), from_authored=True, register=False,
                  editions=tuple(EDITIONS))
    return root


def generated_files(name):
    return [f"{prefix}{folder}/{name}/{name}.ipynb" for prefix in EDITIONS.values()
            for folder in ("source", "notebooks", "solutions")]


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", assignments())
def test_committed_generated_files_are_up_to_date(fresh_build, name):
    for rel in generated_files(name):
        committed = REPO_ROOT / rel
        assert committed.exists(), f"{rel} is missing: run `make build` and commit"
        assert committed.read_text() == (fresh_build / rel).read_text(), (
            f"{rel} is out of date with source/{name}/{name}.py: run `make build` and commit")


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", assignments())
def test_the_build_is_deterministic(fresh_build, name):
    before = {rel: (fresh_build / rel).read_text() for rel in generated_files(name)}
    build(fresh_build, [name])
    assert before == {rel: (fresh_build / rel).read_text() for rel in generated_files(name)}


@pytest.mark.nbgrader
@pytest.mark.parametrize("name", assignments())
def test_the_release_holds_only_the_student_notebook(fresh_build, name):
    for prefix in EDITIONS.values():
        released = sorted(p.name for p in (fresh_build / f"{prefix}notebooks" / name).iterdir())
        assert released == [f"{name}.ipynb"], "an authored file (with solutions) was released"


def solution_lines(name):
    """Non-trivial lines found only inside the solution and hidden-test regions of the
    authored source (a line that the provided code also uses is no leak)."""
    text = (REPO_ROOT / "source" / name / f"{name}.py").read_text()
    pattern = r"BEGIN (SOLUTION|HIDDEN TESTS)[^\n]*\n(.*?)\n[^\n]*END \1"
    regions = re.findall(pattern, text, re.S)
    outside = re.sub(pattern, "", text, flags=re.S)
    lines = {line.strip().lstrip("# ").strip() for _, body in regions for line in body.split("\n")}
    return {line for line in lines if len(line) > 12 and line not in outside}


@pytest.mark.parametrize("prefix", EDITIONS.values(), ids=EDITIONS)
@pytest.mark.parametrize("name", assignments())
def test_the_student_notebook_carries_no_solution_hidden_test_or_rubric(name, prefix):
    nb = nbformat.read(REPO_ROOT / f"{prefix}notebooks" / name / f"{name}.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in nb.cells)
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker!r} appears in the student notebook {name}"
    for line in solution_lines(name):
        assert line not in text, f"solution line leaked into the student notebook: {line!r}"
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("prefix", EDITIONS.values(), ids=EDITIONS)
@pytest.mark.parametrize("name", assignments())
def test_every_answer_cell_is_blank_in_the_student_notebook(name, prefix):
    nb = nbformat.read(REPO_ROOT / f"{prefix}notebooks" / name / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            stub = "raise NotImplementedError()" if cell.cell_type == "code" else "YOUR ANSWER HERE"
            assert stub in cell.source, meta["grade_id"]
