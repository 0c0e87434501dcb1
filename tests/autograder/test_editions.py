"""The English and Japanese editions: one notebook in two languages, built from one source.

The build's twin rule (autograder/instructor/build.py) makes both editions run and grade
the same code; these tests pin that rule down and read the Japanese edition for English
sentences left behind."""
import io
import re
import tokenize

import jupytext
import nbformat
import pytest

from autograder.instructor.build import (BuildError, check_editions_match, code_without_words,
                                         edition_cells, join_japanese_lines, source_notebook)
from tests.conftest import REPO_ROOT, assignments

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
# three or more English words in a row ("the hidden state"): a phrase or a sentence
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,;:'’-]+[A-Za-z][a-z]+){2,}\b")
# What markdown shows as code, math, links or comments is not prose.
NOT_PROSE = [re.compile(p, re.S) for p in (
    r"```.*?```", r"`[^`\n]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$", r"<!--.*?-->",
    r"\]\([^)]*\)", r"https?://\S+", r"<[^>\n]+>")]
# Data a notebook works on, in English on purpose (quoted from the notes or generated).
ENGLISH_DATA = {
    "07_word2vec": ["I want to eat apples", "I like apples"],
    "08_attention": ["september", "october", "november", "december", "january", "february",
                     "march", "april", "june", "july", "august"],
}
NBGRADER_MARKERS = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)|YOUR (CODE|ANSWER) HERE")


def english_runs(text):
    """The runs of three or more English words in ``text`` outside code, math and links,
    on lines that carry no Japanese (a Japanese line may add the English term in brackets)."""
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    found = []
    for line in text.splitlines():
        if JAPANESE.search(line) or NBGRADER_MARKERS.search(line):
            continue
        found += ENGLISH_RUN.findall(line)
    return found


def code_words(source):
    """The strings and comments of a code cell (what a reader of the code sees as words)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [source]
    return [t.string for t in tokens if t.type in (tokenize.STRING, tokenize.COMMENT)]


def english_left(nb, data=()):
    """[(cell number, English run)] of a notebook that should be Japanese."""
    left = []
    for number, cell in enumerate(nb.cells, start=1):
        texts = [cell.source] if cell.cell_type == "markdown" else code_words(cell.source)
        for text in texts:
            for run in english_runs(text):
                if not any(d.lower() in text.lower() for d in data):
                    left.append((number, run))
    return left


def authored_cells(name):
    return jupytext.read(REPO_ROOT / "source" / name / f"{name}.py", fmt="py:percent").cells


# --- the rule ------------------------------------------------------------------------------

def cells_from(text):
    return jupytext.reads(text, fmt="py:percent").cells


TWINS = '''# %% [markdown] lang="en"
# Hello

# %% [markdown] lang="ja"
# こんにちは

# %% nbgrader={"grade_id": "t", "grade": true, "locked": true} lang="en"
assert_close(f(1), 2, "one doubled")  # the check

# %% nbgrader={"grade_id": "t", "grade": true, "locked": true} lang="ja"
assert_close(f(1), 2, "1 の2倍")  # 確認

# %%
x = 1
'''


def test_each_edition_gets_its_own_cells_and_the_shared_ones():
    cells = cells_from(TWINS)
    check_editions_match("t.py", cells)
    assert [c.source[:5] for c in edition_cells(cells, "en")] == ["Hello", "asser", "x = 1"]
    assert [c.source[:5] for c in edition_cells(cells, "ja")] == ["こんにちは", "asser", "x = 1"]


@pytest.mark.parametrize("change, why", [
    (('2, "1 の2倍"', '3, "1 の2倍"'), "code differs"),
    (('# %% [markdown] lang="ja"\n# こんにちは\n\n', ''), "code cell in the 'ja' edition"),
    (('"grade": true, "locked": true} lang="ja"', '"grade": false, "locked": true} lang="ja"'),
     "nbgrader differ"),
    (('lang="ja"\n# こ', 'lang="jp"\n# こ'), "lang='jp'"),
])
def test_the_build_refuses_twins_that_would_not_run_or_grade_alike(change, why):
    with pytest.raises(BuildError, match=why):
        check_editions_match("t.py", cells_from(TWINS.replace(*change)))


def test_strings_and_comments_are_all_a_twin_may_change():
    assert code_without_words('f(x, "a b")  # c') == code_without_words("f(x, 'あ')")
    assert code_without_words("f(x, 1)") != code_without_words("f(x, 2)")


# --- the course's notebooks ----------------------------------------------------------------

@pytest.mark.parametrize("name", assignments())
def test_both_editions_of_the_course_are_in_sync(name):
    """Same cells in the same order with the same grading metadata; twin code runs alike."""
    path = REPO_ROOT / "source" / name / f"{name}.py"
    check_editions_match(path, authored_cells(name))
    en = nbformat.read(REPO_ROOT / "source" / name / f"{name}.ipynb", as_version=4)
    ja = nbformat.read(REPO_ROOT / "ja" / "source" / name / f"{name}.ipynb", as_version=4)
    assert [c.metadata.get("nbgrader") for c in en.cells] == [
        c.metadata.get("nbgrader") for c in ja.cells]


@pytest.mark.parametrize("name", assignments())
def test_each_edition_sets_its_language_in_the_imports_cell(name):
    for language in ("en", "ja"):
        nb = source_notebook(REPO_ROOT / "source" / name / f"{name}.py", language)
        imports = next(c for c in nb.cells
                       if c.metadata.get("nbgrader", {}).get("grade_id") == "imports")
        assert f'set_language("{language}")' in imports.source, (name, language)


@pytest.mark.parametrize("name", assignments())
def test_the_japanese_edition_leaves_no_english_sentence(name):
    """Every markdown cell and every string and comment of the Japanese solution notebook
    (which shows everything a student and an instructor read) is Japanese: a line may name
    the English term in brackets, code, math and data stay as they are."""
    nb = nbformat.read(REPO_ROOT / "ja" / "solutions" / name / f"{name}.ipynb", as_version=4)
    left = english_left(nb, ENGLISH_DATA.get(name, ()))
    assert not left, (f"{len(left)} English phrases in ja/solutions/{name}: "
                      + "; ".join(f"cell {n}: {run!r}" for n, run in left[:15]))


def test_the_english_check_finds_english_and_passes_japanese():
    assert english_runs("The hidden state carries the past.") == ["The hidden state carries the past"]
    assert english_runs("隠れ状態 (hidden state carrier) は過去を運びます。") == []
    assert english_runs("Use `np.concatenate(axis=-1)` and $h_t = f(u_t)$.") == []
    assert code_words('assert_close(x, y, "wrong on every case")  # compare') == [
        '"wrong on every case"', "# compare"]


def test_japanese_paragraphs_get_no_stray_spaces_from_line_breaks():
    """A line break inside a Japanese paragraph shows as a space in the browser: the build
    joins such lines, and leaves headings, quotes' markers, code and English alone."""
    text = "これは\n文です。\n- 項目\n  続き\n## 見出し\n本文\n> 問題\n> 続き\n```\n日本\n語\n```\nA\nB"
    assert join_japanese_lines(text) == (
        "これは文です。\n- 項目続き\n## 見出し\n本文\n> 問題続き\n```\n日本\n語\n```\nA\nB")
