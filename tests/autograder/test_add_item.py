"""The README's "Adding an item" example works as written: in a copy of the course, its
two blocks are appended, `make build`'s command builds, a right and a wrong answer are
graded by the real nbgrader, and removing one half stops the build naming the item."""
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.instructor.config import REPO_ROOT, tool_env

pytestmark = pytest.mark.nbgrader
BLOCK = re.compile(r"<!-- add-item: (\S+) -->\n```python\n(.*?)```", re.S)


def readme_blocks():
    blocks = BLOCK.findall((REPO_ROOT / "README.md").read_text())
    assert [path for path, _ in blocks] == ["autograder/items/rnn.py", "source/01_rnn/01_rnn.py"]
    return blocks


def run(copy, *args, check=True):
    env = {**tool_env(), "PYTHONPATH": str(copy)}  # the copy's autograder, not this one
    result = subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True,
                            text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


GRADE = '''
import sys, nbformat
from pathlib import Path
from autograder.testkit.course import Course
from autograder.testkit.submissions import with_replacements
root = Path(sys.argv[1])
course = Course.create(root / "course", ["01_rnn"], repo_root=root)
solution = nbformat.read(root / "solutions/01_rnn/01_rnn.ipynb", as_version=4)
course.submit("right", "01_rnn", solution)
wrong = nbformat.read(root / "solutions/01_rnn/01_rnn.ipynb", as_version=4)
for cell in wrong.cells:
    if cell.metadata.get("nbgrader", {}).get("grade_id") == "wh_rows_code":
        cell.source = "wh_rows = 3"
course.submit("wrong", "01_rnn", wrong)
course.autograde("01_rnn")
scores = course.scores("01_rnn")
print(scores["right"]["wh_rows"], scores["wrong"]["wh_rows"], scores["wrong"]["rnn_forward"])
'''


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory):
    copy = tmp_path_factory.mktemp("add-item") / "repo"
    copy.mkdir()
    for name in ("autograder", "rnnlib"):
        shutil.copytree(REPO_ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO_ROOT / "source" / "01_rnn", copy / "source" / "01_rnn")
    shutil.copy2(REPO_ROOT / "nbgrader_config.py", copy)
    for path, text in readme_blocks():
        target = copy / path
        target.write_text(target.read_text().rstrip("\n") + "\n\n\n" + text)
    return copy


def test_the_build_fills_in_the_new_item_and_a_graded_run_scores_it(course_copy):
    run(course_copy, "-m", "autograder.instructor.build", "01_rnn")
    source = nbformat.read(course_copy / "source/01_rnn/01_rnn.ipynb", as_version=4)
    cell = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "wh_rows")
    assert cell.metadata.nbgrader.points == 1
    assert 'check("01_rnn.wh_rows", wh_rows)' in cell.source
    student = (course_copy / "notebooks/01_rnn/01_rnn.ipynb").read_text()
    assert "wh_rows = 4" not in student and "check(" not in student
    result = run(course_copy, "-c", GRADE, str(course_copy))
    # (score, max) of the new item for the right and the wrong answer, and of an old item
    assert result.stdout.strip().splitlines()[-1] == "(1.0, 1.0) (0.0, 1.0) (3.0, 3.0)", result.stdout
    graded = nbformat.read(course_copy / "course/autograded/wrong/01_rnn/01_rnn.ipynb",
                           as_version=4)
    cell = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "wh_rows")
    verdicts = [o.metadata["rnn_course_verdict"] for o in cell.outputs
                if "rnn_course_verdict" in o.get("metadata", {})]
    assert verdicts == [{"item": "01_rnn.wh_rows", "passed": False, "judged_without": [],
                         "misconception": {"key": "input_size",
                                           "hint": "Wh is taken to map the input (D rows)"}}]


def test_removing_one_half_of_an_item_stops_the_build_naming_it(course_copy):
    (items_path, item_text), (source_path, cells_text) = readme_blocks()
    authored = course_copy / source_path
    with_cells = authored.read_text()
    authored.write_text(with_cells.replace(cells_text, ""))
    result = run(course_copy, "-m", "autograder.instructor.build", "01_rnn", check=False)
    assert result.returncode == 1 and "01_rnn.wh_rows" in result.stderr, result.stderr
    assert "no cell of this notebook tests it" in result.stderr
    authored.write_text(with_cells)
    registry = course_copy / items_path
    registry.write_text(registry.read_text().replace(item_text, ""))
    result = run(course_copy, "-m", "autograder.instructor.build", "01_rnn", check=False)
    assert result.returncode == 1 and "01_rnn.wh_rows" in result.stderr, result.stderr
    assert "has no item" in result.stderr
