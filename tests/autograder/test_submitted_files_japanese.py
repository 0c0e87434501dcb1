"""Intake's notes in the class's language (autograder/grading/submitted_files.py,
autograder/instructor/intake.py), the kernel's output-cut note (autograder/grading/kernel.py)
and the plain-data refusals (autograder/items/plain.py): Japanese for a "ja" class, the
English texts unchanged for an "en" class. No process is started."""
import os
import shutil

import nbformat
import numpy as np
import pytest

from autograder.grading.safe_text import escape_markdown
from autograder.grading.submitted_files import check_submission, grade_ids, plain_files
from autograder.instructor.intake import note_text, stage_student
from autograder.items.plain import NotPlainData, to_plain

ASSIGNMENT = "01_rnn"


def graded_notebook(ids=("a", "b")):
    nb = nbformat.v4.new_notebook()
    for grade_id in ids:
        cell = nbformat.v4.new_code_cell("pass")
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 1,
                                     "solution": False, "locked": True, "schema_version": 3}
        nb.cells.append(cell)
    return nb


@pytest.fixture
def folder(tmp_path):
    """submitted/alice/01_rnn/ with a renamed notebook, an extra notebook of another
    assignment, a symbolic link and a data file; no 01_rnn.ipynb."""
    folder = tmp_path / "submitted" / "alice" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(graded_notebook(), folder / f"{ASSIGNMENT}-Copy1.ipynb")
    nbformat.write(graded_notebook(("x", "y")), folder / "scratch.ipynb")
    os.symlink("/etc/passwd", folder / "notes.txt")
    (folder / "data.csv").write_text("1,2\n")
    return folder


SOURCE_IDS = grade_ids(graded_notebook())


def english_note_before(notes, blank):
    """The English note cell's text as intake wrote it before it had a language."""
    text = "**Grading note.** " + escape_markdown(
        " ".join(f"{n}." if not n.endswith(".") else n for n in notes))
    if blank:
        text += " It was graded as the blank notebook (0 on every item); ask your instructor."
    return text


def test_english_notes_are_unchanged(folder):
    intake, nb = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT)
    assert nb is not None and not intake.blank
    assert intake.notes == [
        "notes.txt is a symbolic link; it was ignored",
        "01_rnn.ipynb was missing; 01_rnn-Copy1.ipynb was graded in its place",
        "extra notebook scratch.ipynb was ignored (only 01_rnn.ipynb is graded)",
    ]
    assert note_text(intake.notes, False) == english_note_before(intake.notes, False)
    assert note_text(intake.notes, True) == english_note_before(intake.notes, True)
    assert note_text(intake.notes, False).startswith("**Grading note.** notes\\.txt is a symbolic")


def test_japanese_notes(folder):
    intake, nb = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT, "ja")
    assert nb is not None and not intake.blank
    assert intake.notes == [
        "notes.txt はシンボリックリンクであるため、無視しました",
        "01_rnn.ipynb がなかったため、代わりに 01_rnn-Copy1.ipynb を採点しました",
        "余分なノートブック scratch.ipynb は無視しました (採点するのは 01_rnn.ipynb だけです)",
    ]
    text = note_text(intake.notes, False, "ja")
    assert text.startswith("**採点についての注意。** notes\\.txt はシンボリックリンク")
    assert "01\\_rnn\\-Copy1\\.ipynb を採点しました。余分な" in text
    assert not any(word in text for word in ("ignored", "missing", "graded"))


def test_japanese_blank_notes(tmp_path):
    folder = tmp_path / "submitted" / "bob" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [')
    os.mkfifo(folder / "pipe.ipynb")
    intake, nb = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT, "ja")
    assert nb is None and intake.blank
    assert intake.notes[0] == "pipe.ipynb はFIFOであるため、無視しました"
    assert intake.notes[1].startswith("01_rnn.ipynb はノートブックとして読み込めません (NotJSONError: ")
    text = note_text(intake.notes, True, "ja")
    assert "。。" not in text
    assert text.endswith("白紙のノートブックとして採点しました (すべての項目が 0 点です)。"
                         "担当の先生に確認してください。")
    english, _ = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT)
    assert english.notes[0] == "pipe.ipynb is a fifo; it was ignored"
    assert english.notes[1].startswith("01_rnn.ipynb is not a readable notebook (NotJSONError: ")
    assert note_text(english.notes, True) == english_note_before(english.notes, True)


def test_other_assignment_and_kernel_in_japanese(tmp_path):
    folder = tmp_path / "submitted" / "carol" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(graded_notebook(("x", "y")), folder / f"{ASSIGNMENT}.ipynb")
    intake, _ = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT, "ja")
    assert intake.notes == ["01_rnn.ipynb には 01_rnn のセルがありません。"
                            "別の課題のノートブックではありませんか？"]
    assert note_text(intake.notes, True, "ja").endswith(
        "ありませんか？白紙のノートブックとして採点しました (すべての項目が 0 点です)。"
        "担当の先生に確認してください。")
    english, _ = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT)
    assert english.notes == ["01_rnn.ipynb has none of the cells of 01_rnn: is it the notebook of "
                             "another assignment?"]
    assert note_text(english.notes, True) == english_note_before(english.notes, True)
    other = graded_notebook()
    other.metadata.kernelspec = {"name": "ir", "display_name": "R", "language": "R"}
    nbformat.write(other, folder / f"{ASSIGNMENT}.ipynb")
    intake, _ = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT, "ja")
    assert intake.notes == ["01_rnn.ipynb はカーネル ir を指定していましたが、Python 3 で採点しました"]
    intake, _ = check_submission(folder, ASSIGNMENT, SOURCE_IDS, ASSIGNMENT)
    assert intake.notes == ["01_rnn.ipynb asked for the kernel ir; it was graded with Python 3"]


def test_names_the_student_chose_stay_escaped(tmp_path):
    folder = tmp_path / "submitted" / "dave" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(graded_notebook(), folder / f"{ASSIGNMENT}.ipynb")
    os.symlink("/", folder / "<img src=x>\n#.ipynb")
    _, notes = plain_files(folder, "ja")
    assert notes == ["<img src=x>\\n#.ipynb はシンボリックリンクであるため、無視しました"]
    text = note_text(notes, False, "ja")
    assert "<img" not in text and "&lt;img src\\=x&gt;\\\\n\\#\\.ipynb はシンボリック" in text


def test_stage_student_reads_the_class_language(tmp_path, repo_root):
    """In-process staging of a Japanese course (no nbgrader command: the release folder is
    the repo's Japanese edition)."""
    from autograder.testkit.course import Course

    course = Course.create(tmp_path / "course", [ASSIGNMENT], language="ja", register=False)
    folder = course.root / "submitted" / "alice" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(repo_root / "ja" / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                folder / f"{ASSIGNMENT}-Copy1.ipynb")
    notes = stage_student(course.root, ASSIGNMENT, "alice",
                          release_directory=repo_root / "ja" / "notebooks")
    assert notes == ["01_rnn.ipynb がなかったため、代わりに 01_rnn-Copy1.ipynb を採点しました"]
    staged = nbformat.read(course.root / "staged" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                           as_version=4)
    assert staged.cells[0].source == ("**採点についての注意。** 01\\_rnn\\.ipynb がなかったため、"
                                      "代わりに 01\\_rnn\\-Copy1\\.ipynb を採点しました。")


def test_output_cut_note_in_the_session_language(tmp_path):
    from autograder.grading.kernel import OUTPUT_CUT, KernelSession
    from autograder.grading.sandbox import SandboxSettings

    assert OUTPUT_CUT["en"] == "[output cut: too long]\n"
    assert OUTPUT_CUT["ja"] == "[出力が長すぎるため省略しました]\n"
    for language in ("en", "ja", None):
        session = KernelSession(SandboxSettings(isolate=False), tmp_path, language=language)
        try:
            assert OUTPUT_CUT.get(session.language, OUTPUT_CUT[None]) == OUTPUT_CUT[language]
        finally:
            shutil.rmtree(session._root, ignore_errors=True)


@pytest.mark.parametrize("value, en, ja", [
    ({1.5: 2}, "the result has a key of type float; use str keys",
     "結果 に float 型のキーがあります。キーには str を使ってください"),
    ([1, np.array([object()])], "the result[1] is an array of dtype object, expected numbers",
     "結果[1] は dtype が object の配列です。数値の配列を返してください"),
    ({"h": object()}, "the result['h'] is a builtins.object; the grader only accepts numpy "
     "arrays, numbers, strings, and lists, tuples or dicts of those",
     "結果['h'] は builtins.object です。採点で受け付けるのは numpy の配列、数値、文字列と、"
     "それらのリスト・タプル・辞書だけです"),
])
def test_plain_data_refusals_in_both_languages(value, en, ja):
    with pytest.raises(NotPlainData) as english:
        to_plain(value)
    assert str(english.value) == en and english.value.in_language("en") == en
    assert english.value.in_language("ja") == ja
    with pytest.raises(NotPlainData) as japanese:
        to_plain(value, language="ja")
    assert str(japanese.value) == ja and japanese.value.in_language("en") == en
