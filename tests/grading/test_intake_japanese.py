"""`python -m autograder.instructor.intake` in a Japanese class (``use_edition(c, "ja")``): the
Grading note it puts at the top of a student's notebook is in Japanese, under the label the
grader's own notes use. The English class is tests/grading/test_intake.py. Also the kernel
session's note on a cut output, in a real kernel."""
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course

pytestmark = pytest.mark.nbgrader

ASSIGNMENT = "01_rnn"


def test_intake_notes_of_a_japanese_class(tmp_path):
    course = Course.create(tmp_path / "course", [ASSIGNMENT], language="ja")
    released = course.root / "ja" / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    folder = course.root / "submitted" / "alice" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(released, folder / f"{ASSIGNMENT}-Copy1.ipynb")
    os.symlink("/etc/passwd", folder / "notes.txt")
    result = subprocess.run([sys.executable, "-m", "autograder.instructor.intake", ASSIGNMENT],
                            cwd=course.root, env=tool_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert ("[intake] alice: 01_rnn.ipynb がなかったため、代わりに 01_rnn-Copy1.ipynb を採点しました"
            in result.stdout)
    graded = nbformat.read(course.root / "autograded" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                           as_version=4)
    note = graded.cells[0].source
    assert note.startswith("**採点についての注意。** notes\\.txt はシンボリックリンクであるため、無視しました。")
    assert "01\\_rnn\\-Copy1\\.ipynb を採点しました。" in note
    assert "Grading note" not in note and "ignored" not in note


@pytest.mark.kernel
@pytest.mark.parametrize("language", ["en", "ja", None])
def test_output_cut_note_in_the_class_language(language):
    """KernelSession(language=...) (the grader's class language): the note that replaces a
    flood of output; without a language, both."""
    from autograder.grading.execute import library_view
    from autograder.grading.kernel import OUTPUT_CUT, KernelSession
    from autograder.grading.sandbox import SandboxSettings

    settings = SandboxSettings(max_output_chars=2_000)
    with KernelSession(settings, library_view(ASSIGNMENT), language=language) as kernel:
        result = kernel.run("for i in range(200):\n    print('x' * 50, flush=True)", 30)
    text = "".join(o.get("text", "") for o in result.outputs)
    assert result.status == "ok" and text.endswith(OUTPUT_CUT[language])
    assert {"en": "[output cut: too long]\n", "ja": "[出力が長すぎるため省略しました]\n",
            None: "[output cut: too long / 出力が長すぎるため省略]\n"}[language] == OUTPUT_CUT[language]
