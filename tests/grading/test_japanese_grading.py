"""A Japanese class graded by the real `nbgrader autograde` and `generate_feedback`: the
scratch course's nbgrader_config.py says ``use_edition(c, "ja")``, the students' notebooks
come from the Japanese edition, and the feedback, hints, Grading note and class report are
in Japanese, with the same scores as the same students get in an English class.

Two students of 01_rnn: one correct, one with a known misconception in rnn_step_forward
(so rnn_forward, which calls it, is judged with stand-ins and says so) who also tagged a
graded cell "practice" (so the grader restores the tag and writes a Grading note).
"""
import csv
import html
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.instructor.config import REPO_ROOT
from autograder.items import get_problem
from autograder.items.base import hint_in
from autograder.testkit.course import Course
from autograder.testkit.scenarios import edition_root, expected_scores
from autograder.testkit.submissions import filled_in, with_replacements

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "01_rnn"
STEP = get_problem("01_rnn.rnn_step_forward")
MISCONCEPTION = STEP.misconceptions[0]
EXPECTED = {"correct": expected_scores(ASSIGNMENT),
            "wrong-step": expected_scores(ASSIGNMENT, zero=[STEP.cell_id]),
            "other-edition": expected_scores(ASSIGNMENT)}
OTHER = {"ja": "en", "en": "ja"}


def submissions(language):
    """{student: notebook} made from ``language``'s edition of the repository's notebooks."""
    root = edition_root(REPO_ROOT, language)
    wrong = with_replacements(ASSIGNMENT, {STEP.student_object: MISCONCEPTION.wrong}, root)
    test_cell = next(c for c in wrong.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") == "rnn_forward")
    test_cell.metadata["tags"] = ["practice"]  # restored from the source, named in a note
    # a student who answered in the other edition's notebook: graded by the class's source
    other = filled_in(ASSIGNMENT, edition_root(REPO_ROOT, OTHER[language]))
    return {"correct": filled_in(ASSIGNMENT, root), "wrong-step": wrong, "other-edition": other}


def grade(root, language):
    course = Course.create(root, [ASSIGNMENT], language=language)
    for student, notebook in submissions(language).items():
        course.submit(student, ASSIGNMENT, notebook)
    course.autograde(ASSIGNMENT)
    course.generate_feedback(ASSIGNMENT)
    return course, course.scores(ASSIGNMENT)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{language: (course, scores)}: the same students in a Japanese and an English class,
    graded two at a time (the machine has two cores)."""
    languages = ["ja", "en"]
    roots = [tmp_path_factory.mktemp(f"class-{language}") / "course" for language in languages]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(languages, pool.map(grade, roots, languages)))


def feedback(course, student):
    return (course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()


def test_the_japanese_class_gets_the_same_scores_as_the_english_one(graded):
    (_, ja), (_, en) = graded["ja"], graded["en"]
    for student, expected in EXPECTED.items():
        assert {cell: ja[student][cell][0] for cell in expected} == expected, student
        assert ja[student] == en[student], student


def test_the_feedback_shows_the_japanese_hint_and_messages(graded):
    course, _ = graded["ja"]
    page = feedback(course, "wrong-step")
    assert "ヒント:" in page and "Hint:" not in page
    if MISCONCEPTION.hint_ja:  # once 01's hints are translated: the hint itself
        assert html.escape(MISCONCEPTION.hint_ja, quote=False) in page
    assert "隠しテストのケース" in page and "hidden case" not in page
    assert "は隠しテストに不合格でした" in page
    # rnn_forward calls the broken step: judged with the reference standing in, and says so
    assert "01_rnn.rnn_forward はそれ自体のロジックで判定しました" in page
    # the tag the student added to a graded cell: restored, and named in Japanese
    assert "採点についての注意。" in page and "Grading note" not in page
    correct = feedback(course, "correct")
    assert "ケースに合格しました" in correct and "all 4 hidden cases pass" not in correct
    # the page's own labels (templates/feedback/index.html.j2) follow the class too
    assert "採点セル" in page and "提出された解答" in page and "得点:" in page
    assert "Grade cell" not in page and "Student's answer" not in page


def test_a_notebook_of_the_other_edition_is_graded_by_the_class_s_source_in_its_language(graded):
    """The grade ids, points and hidden checks come from the class's source notebook, the
    words of the feedback from the class's setting, whichever edition the student used."""
    for language, passing in [("ja", "ケースに合格しました"), ("en", "hidden cases pass")]:
        course, scores = graded[language]
        assert {cell: scores["other-edition"][cell][0] for cell in EXPECTED["other-edition"]} \
            == EXPECTED["other-edition"], language
        assert passing in feedback(course, "other-edition"), language


def test_the_english_class_is_unchanged(graded):
    course, _ = graded["en"]
    page = feedback(course, "wrong-step")
    assert "Hint: this is what happens when" in page and "ヒント" not in page
    assert "was judged on its own logic" in page and "Grading note." in page
    assert "Grade cell" in page and "Student's answer" in page and "採点セル" not in page


def test_the_verdict_data_carries_the_class_s_hint(graded):
    course, _ = graded["ja"]
    path = course.root / "autograded" / "wrong-step" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    verdicts = [output["metadata"]["rnn_course_verdict"]
                for cell in json.loads(path.read_text())["cells"]
                for output in cell.get("outputs", [])
                if "rnn_course_verdict" in output.get("metadata", {})]
    wrong = next(v for v in verdicts if v["item"] == STEP.grade_id)
    assert wrong["misconception"] == {"key": MISCONCEPTION.key,
                                      "hint": hint_in(MISCONCEPTION, "ja")}


def test_the_class_report_is_in_japanese_and_its_csv_columns_stay_english(graded):
    from autograder.instructor import reports

    course, _ = graded["ja"]
    assert reports.main([ASSIGNMENT, "--root", str(course.root), "--out", "reports"]) == 0
    page = (course.root / "reports" / f"{ASSIGNMENT}-report.html").read_text()
    assert "<html lang='ja'>" in page and "クラスの概要" in page and "見つかった誤解" in page
    assert html.escape(hint_in(MISCONCEPTION, "ja"), quote=True) in page
    with open(course.root / "reports" / f"{ASSIGNMENT}-items.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student_id", "item", "kind", "score", "max_score",
                             "misconception_key", "misconception"]
    row = next(r for r in rows if (r["student_id"], r["item"]) == ("wrong-step", STEP.cell_id))
    assert row["misconception_key"] == MISCONCEPTION.key
    assert row["misconception"] == hint_in(MISCONCEPTION, "ja")
    # the items come from the Japanese edition's source notebooks (ja/source/)
    items = reports.source_items(course.root, ASSIGNMENT)
    assert STEP.cell_id in {item.name for item in items} and any(item.manual for item in items)
    assert {r["kind"] for r in rows} == {"auto", "manual"}
