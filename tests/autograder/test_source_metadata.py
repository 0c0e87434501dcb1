"""RestoreSourceMetadata: a submission's tags, flags, ids, points and cell types of graded,
answer and locked cells never count; the source notebook's do (DESIGN.md rule 7). The
real `nbgrader autograde` runs of the same attacks are in tests/grading/test_hostile.py."""
import copy

import nbformat
import pytest
from nbgrader import utils
from traitlets.config import Config

from autograder.grading.preprocessors import RestoreSourceMetadata
from autograder.testkit.submissions import filled_in, read_notebook
from tests.conftest import REPO_ROOT, assignments

ASSIGNMENT = assignments()[0]


def sanitize(nb, assignment=ASSIGNMENT):
    config = Config({"CourseDirectory": {"root": str(REPO_ROOT)}})
    resources = {"nbgrader": {"assignment": assignment, "notebook": assignment}}
    return RestoreSourceMetadata(config=config).preprocess(copy.deepcopy(nb), resources)[0]


def source():
    return nbformat.read(REPO_ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def blank():
    return read_notebook("notebooks", ASSIGNMENT)


def graded_ids(nb):
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if utils.is_grade(c)]


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def note(nb):
    first = nb.cells[0]
    return first.source if first.source.startswith("**Grading note.**") else ""


def assert_like_source(nb):
    """Every source cell with grading metadata is there once, with the source's metadata."""
    for expected in source().cells:
        meta = expected.metadata.get("nbgrader")
        if not meta or not (meta.get("grade") or meta.get("locked")):
            continue
        got = [c for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade_id") == meta["grade_id"]]
        assert len(got) == 1, meta["grade_id"]
        assert {k: v for k, v in got[0].metadata["nbgrader"].items() if k != "checksum"} == \
            {**meta, "cell_type": expected.cell_type}
        assert got[0].cell_type == expected.cell_type
        assert got[0].metadata.get("tags", []) == expected.metadata.get("tags", [])
        assert got[0].id == expected.id


TEST_ID = graded_ids(blank())[-1]


def tag_tests_practice(nb):
    for c in nb.cells:
        if utils.is_grade(c):
            c.metadata["tags"] = ["practice"]


def flags_off(nb):
    cell(nb, TEST_ID).metadata.nbgrader.update(grade=False, solution=True, locked=False, points=99)


def to_markdown(nb):
    c = cell(nb, TEST_ID)
    c.cell_type = "raw"
    del c["outputs"], c["execution_count"]


def drop_metadata_and_id(nb):
    c = cell(nb, TEST_ID)
    del c.metadata["nbgrader"]
    c.id = "mine"


def rename_and_duplicate(nb):
    fake = nbformat.v4.new_code_cell("pass")
    fake.metadata["nbgrader"] = copy.deepcopy(cell(nb, TEST_ID).metadata["nbgrader"])
    cell(nb, TEST_ID).metadata.nbgrader["grade_id"] = "bonus"
    nb.cells.insert(0, fake)


def malformed(nb):
    cell(nb, TEST_ID).metadata["nbgrader"] = "junk"
    other = nbformat.v4.new_code_cell("pass")
    other.metadata["nbgrader"] = {"grade": True, "points": 50}
    nb.cells.append(other)


def same_cell_id_as_the_test(nb):
    twin = nbformat.v4.new_code_cell("x = 1")
    twin.id = cell(nb, TEST_ID).id
    twin.metadata["tags"] = ["practice"]
    nb.cells.insert(0, twin)


def delete_graded_and_locked(nb):
    nb.cells = [c for c in nb.cells if not (utils.is_grade(c) or utils.is_locked(c))]


@pytest.mark.parametrize("tamper", [tag_tests_practice, flags_off, to_markdown,
                                    drop_metadata_and_id, rename_and_duplicate, malformed,
                                    same_cell_id_as_the_test, delete_graded_and_locked])
def test_the_source_metadata_wins_and_the_change_is_noted(tamper):
    nb = blank()
    tamper(nb)
    out = sanitize(nb)
    assert_like_source(out)
    assert note(out) or tamper is same_cell_id_as_the_test  # no graded cell was touched there
    assert len({c.id for c in out.cells}) == len(out.cells)
    assert not any("practice" in c.metadata.get("tags", []) for c in out.cells if utils.is_grade(c))


def test_an_untouched_submission_keeps_its_metadata_and_gets_no_note():
    for nb in (blank(), filled_in(ASSIGNMENT)):
        out = sanitize(nb)
        assert [(c.id, c.cell_type, c.metadata) for c in out.cells] == \
            [(c.id, c.cell_type, c.metadata) for c in nb.cells]


def test_practice_tags_come_from_the_source_and_edits_there_are_explained():
    nb = filled_in(ASSIGNMENT)
    practice = [i for i, c in enumerate(nb.cells) if "practice" in c.metadata.get("tags", [])]
    for i in practice:
        nb.cells[i].metadata["tags"] = []
    nb.cells[practice[0]].source = "def answer():\n    return 42\n"
    answer = next(c for c in nb.cells if utils.is_solution(c) and c.cell_type == "code")
    answer.metadata["tags"] = ["practice"]
    added = nbformat.v4.new_code_cell("y = 2")
    added.metadata["tags"] = ["practice"]
    nb.cells.insert(1, added)
    out = sanitize(nb)
    assert [i for i, c in enumerate(out.cells) if "practice" in c.metadata.get("tags", [])] == \
        [i + 2 for i in practice]  # a note and the added cell come first
    assert "practice cell" in note(out)


def test_a_deleted_written_answer_comes_back_as_the_stub_never_the_model_answer():
    nb = blank()
    written = [c for c in nb.cells if utils.is_grade(c) and utils.is_solution(c)]
    if not written:
        pytest.skip("no written answers in this notebook")
    nb.cells.remove(written[0])
    restored = cell(sanitize(nb), written[0].metadata["nbgrader"]["grade_id"])
    assert "BEGIN SOLUTION" not in restored.source and "Rubric" not in restored.source
