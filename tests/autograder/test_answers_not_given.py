"""Asked, not told: no graded cell has its answer printed before it (issue 12).

Reads the authored notebooks (source/NN_topic/NN_topic.py) and the registry; starts no
process. What counts as "before a graded cell": every markdown cell above it in the
notebook, and its own visible test. Two parts of the markdown are the question itself
and are left out: the candidate lines of a choice item ("* **(b)** `...`", "2. ...") and
fenced code blocks with a blank (``____``), the code of an exam question.

Text is compared by ``formula_key``: Python and LaTeX spellings of one formula reduce to
the same string (``h_new = (1 - z) * h + z * h_bar`` and
``h_{new} = (1 - z) \\odot h + z \\odot \\bar h`` both give ``hnew=(1-z)h+zhbar``).
"""
import ast
import re

import jupytext
import pytest

from autograder.instructor.build import LANGUAGES, edition_cells
from autograder.items import FunctionProblem, PROBLEMS, ValueProblem
from tests.conftest import REPO_ROOT, assignments

# --- reading the authored notebooks ---------------------------------------------------------------

_LATEX_DROP = re.compile(r"\\(?:,|;|!|quad|qquad|left|right|big|Big|bigl|bigr|Bigl|Bigr|"
                         r"odot|cdot|times|mathrm|operatorname|text)(?![A-Za-z])")


def formula_key(text):
    """``text`` reduced so that Python and LaTeX spellings of a formula compare equal:
    products, spacing, braces, underscores, ``np.``, backticks and ``$`` dropped,
    ``\\bar h`` spelt ``hbar``, lower case."""
    text = re.sub(r"\\bar\s*\{?\s*(\w)\s*\}?", r"\1bar", text)
    text = _LATEX_DROP.sub("", text)
    text = text.replace("\\", "").replace("np.", "")
    text = re.sub(r"[\s{}_`$*@]", "", text)
    return text.lower()


_CANDIDATE = re.compile(r"^\s*(?:[*-]\s*\*\*\(?[a-d]\)?\.?\*\*|\d\.)\s")
_FENCE = re.compile(r"```.*?```", re.S)


def question_removed(markdown):
    """Markdown without its candidate lines and without fenced code that has a blank."""
    markdown = _FENCE.sub(lambda m: "" if "____" in m.group(0) else m.group(0), markdown)
    kept, in_candidate = [], False
    for line in markdown.splitlines():
        if _CANDIDATE.match(line):
            in_candidate = True
            continue
        if in_candidate and line.startswith("   ") and line.strip():
            continue  # a candidate's continuation line
        in_candidate = False
        kept.append(line)
    return "\n".join(kept)


def candidates(markdown):
    """{letter: candidate text} of the choice lists "* **(a)** `...`" in ``markdown``."""
    found = {}
    for m in re.finditer(r"^\s*[*-]\s*\*\*\(?([a-d])\)?\.?\*\*\s*(.+)$", markdown, re.M):
        found[m.group(1)] = m.group(2).strip().strip("`")
    return found


def graded_cells(text, language="en"):
    """[(grade_id, markdown above the cell (list of cell texts), visible test, solution
    lines of the nearest solution cell above)] of one authored notebook's text, in the
    ``language`` edition."""
    nb = jupytext.reads(text, fmt="py:percent")
    out, markdown, solution = [], [], []
    for cell in edition_cells(nb.cells, language):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown":
            markdown.append(cell.source)
            continue
        if meta.get("solution"):
            inside = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S)
            solution = inside.group(1).splitlines() if inside else []
        if meta.get("grade"):
            out.append((meta["grade_id"], list(markdown), cell.source, solution))
    return out


def authored_text(assignment):
    return (REPO_ROOT / "source" / assignment / f"{assignment}.py").read_text(encoding="utf-8")


# --- what counts as telling -----------------------------------------------------------------------

# The seven code challenges (演習チャレンジ): the implemented item, the choice item that asks
# it first, and the answer in the notation of the theory sections (LaTeX) or of the notes,
# where it differs from the code's names: a check on the code's lines cannot see these.
CODE_CHALLENGES = {
    "01_rnn.traverse": ("01_rnn.traverse_choice", [r"W\,[\,v_{left}\,;\,v_{right}\,]"]),
    "02_bptt.bptt": ("02_bptt.bptt_choice", [r"\partial h_s / \partial h_{s-1} = U"]),
    "03_lstm.clip_grad_norm": ("03_lstm.clip_choice", [
        r"g \cdot \frac{\text{threshold}}{\lVert g \rVert}", "`gradient * rate`"]),
    "03_lstm.lstm_cell_update": ("03_lstm.cell_update_choice", [
        r"f \odot c_{t-1} + i \odot g", r"i \odot g + f \odot c_{t-1}"]),
    "04_gru.gru_cell": ("04_gru.gru_choice", [
        r"(1 - z) \odot h + z \odot \bar h", r"(1 - z) h + z \bar h"]),
    "05_bidirectional.combine_directions": ("05_bidirectional.combine_choice", [
        "hs_f, hs_b[:, ::-1]], axis=-1"]),
    "06_seq2seq.encode_one_hot": ("06_seq2seq.encoder_choice", ["E @ w", "E.dot(w)"]),
}
THEORY_FORMS = {grade_id: forms for implemented, (choice, forms) in CODE_CHALLENGES.items()
                for grade_id in (implemented, choice)}
# Other items whose answer line a text could print in another spelling.
THEORY_FORMS["07_word2vec.cbow_forward"] = ["mean(W_in[contexts], axis=1) @ W_out"]
THEORY_FORMS["08_attention.context_vector_backward"] = [r"dhs_t = a_t\, dc",
                                                     r"da_t = hs_t \cdot dc"]
# Confirmation tests whose answer is a formula the theory could print.
THEORY_FORMS["02_bptt.first_output"] = [r"z_1 = f(x_1 W_{in} + z_0 W + b)",
                                        r"g(W_{out} f(W_{in} x_1 + W z_0 + b) + c)"]

_MIN_KEY = 10  # shorter solution lines ("return hs", "h = h0") are not answers on their own
_STATEMENT = re.compile(r"^(?:return|if|elif|while)\s+|:$")


def answer_lines(solution):
    """The formula keys of a solution's statements that are long enough to be an answer."""
    keys = []
    for line in solution:
        line = line.split("#", 1)[0].strip()
        key = formula_key(_STATEMENT.sub("", line))
        # a computation, not a list of names (``return dx, dprev_h, dWx, dWh, db``)
        if len(key) >= _MIN_KEY and re.search(r"[-+/*@(\[<>]", line):
            keys.append((line, key))
    return keys


def option_values(problem):
    return {problem.answer, *(m.wrong for m in problem.misconceptions)}


def options_named(visible_test, options):
    """[the options the visible test has as literals, the options its strings name one by
    one ("1: bidirectional RNN", "(b) is ...")]: each is fine empty or complete."""
    literals, in_text = set(), set()
    for node in ast.walk(ast.parse(visible_test)):
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)):
            value = node.value
            if not isinstance(value, bool) and value in options:
                literals.add(value)
            if isinstance(value, str):
                for token in re.findall(r"(?<![\w\"'])\(?(\w)\)?\s*[:=]|\((\w)\)", value):
                    in_text |= {o for o in options for t in token if t and str(o) == t}
    return [literals, in_text]


def _contains(text, form):
    """``form`` in ``text`` by formula key; a short form (``E @ w``) only as a whole token
    sequence, since its key (``ew``) would be found in any text."""
    key = formula_key(form)
    if len(key) >= 6:
        return key in formula_key(text)
    words = re.escape(" ".join(form.split()))
    return re.search(rf"(?<![\w.]){words}(?![\w(])", " ".join(text.split())) is not None


def leaks(assignment, text, language="en"):
    """Every way the authored ``text`` of ``assignment`` tells an answer before its cell,
    in the ``language`` edition."""
    found = []
    for cell_id, markdown, visible, solution in graded_cells(text, language):
        problem = PROBLEMS.get(f"{assignment}.{cell_id}")
        if problem is None:
            continue
        above = [question_removed(md) for md in markdown]
        above_keys = [formula_key(md) for md in above]
        where = f"{problem.grade_id}"
        if isinstance(problem, FunctionProblem):
            for line, key in answer_lines(solution):
                if any(key in md for md in above_keys):
                    found.append(f"{where}: the solution line `{line}` is printed in the "
                                 "markdown above the cell")
                if key in formula_key(visible):
                    found.append(f"{where}: the solution line `{line}` is in the visible test")
            for form in THEORY_FORMS.get(problem.grade_id, []):
                if any(_contains(md, form) for md in above):
                    found.append(f"{where}: the answer `{form}` is printed in the markdown "
                                 "above the cell")
        if isinstance(problem, ValueProblem) and problem.choice:
            options = option_values(problem)
            for named in options_named(visible, options):
                if named and named != options:
                    found.append(f"{where}: the visible test names only the options "
                                 f"{sorted(map(str, named))} of {sorted(map(str, options))}")
            listed = next((c for c in map(candidates, reversed(markdown)) if c), {})
            key_text = listed.get(str(problem.answer))
            forms = list(THEORY_FORMS.get(problem.grade_id, []))
            if key_text:
                forms.append(key_text)
            for form in forms:
                if any(_contains(md, form) for md in above):
                    found.append(f"{where}: the answer `{form}` is printed in the markdown "
                                 "above the cell")
                if _contains(visible, form):
                    found.append(f"{where}: the answer `{form}` is in the visible test")
    return found


# --- the tests ------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("assignment", assignments())
def test_no_graded_cell_has_its_answer_printed_before_it(assignment, language):
    assert leaks(assignment, authored_text(assignment), language) == []


CHOICE_ITEMS = [p for p in PROBLEMS.values() if isinstance(p, ValueProblem) and p.choice]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_seven_code_challenges_are_asked_as_choices_with_four_candidate_lines(language):
    """CURRICULUM: each code challenge is a blank with four candidate lines, auto-graded,
    a hint for each wrong line, before the student implements it (in both editions)."""
    assert len(CODE_CHALLENGES) == 7
    for implemented, (grade_id, _) in CODE_CHALLENGES.items():
        problem = PROBLEMS[grade_id]
        assert problem.choice and len(option_values(problem)) == 4, grade_id
        cells = graded_cells(authored_text(problem.assignment), language)
        ids = [cell_id for cell_id, *_ in cells]
        position = ids.index(problem.cell_id)
        _, markdown, _, _ = cells[position]
        assert sorted(candidates(markdown[-1])) == ["a", "b", "c", "d"], grade_id
        assert candidates(markdown[-1])[problem.answer], grade_id
        assert "演習チャレンジ" in "".join(markdown[-3:]), grade_id
        assert f"{problem.assignment}.{ids[position + 1]}" == implemented, grade_id


@pytest.mark.parametrize("problem", CHOICE_ITEMS, ids=lambda p: p.grade_id)
def test_choice_hints_are_written_for_the_choice_they_explain(problem):
    """The hint of a choice item is shown as "Hint: <hint>": a sentence that names the
    wrong choice ("choice (b) computes ...") and says what the right one needs."""
    for m in problem.misconceptions:
        named = f"({m.wrong})" if isinstance(m.wrong, str) and len(m.wrong) == 1 else str(m.wrong)
        assert named in m.hint or str(m.wrong) in m.hint, (problem.grade_id, m.key)
        assert m.hint[0].isupper() or m.hint.startswith(("choice", named)), m.hint
        assert m.hint.rstrip().endswith("."), (problem.grade_id, m.key)
        verdict = problem.verdict(problem.cases(0), [_outcome(m.wrong)])
        assert f"\nHint: {m.hint}" in verdict.message
        assert "this is what happens when" not in verdict.message


def _outcome(value):
    from autograder.items import Outcome
    return Outcome(value=value)


def test_every_letter_answer_is_a_choice_item():
    for problem in PROBLEMS.values():
        if isinstance(problem, ValueProblem) and isinstance(problem.answer, str) \
                and len(problem.answer) == 1:
            assert problem.choice, problem.grade_id


# --- the check itself can fail --------------------------------------------------------------------

def _insert_before_cell(text, cell_id, markdown):
    """``text`` with a markdown cell (in both editions) put above the first solution cell
    of ``cell_id`` (the English twin's, when it has one)."""
    header = f'# %% nbgrader={{"grade_id": "{cell_id}_code"'
    assert text.count(header) in (1, 2), cell_id
    return text.replace(header, f"# %% [markdown]\n# {markdown}\n\n{header}", 1)


@pytest.mark.parametrize("grade_id,told", [
    ("04_gru.gru_choice", r"The update is $h_{new} = (1 - z) \odot h + z \odot \bar h$."),
    ("03_lstm.cell_update_choice", r"$c_t = f \odot c_{t-1} + i \odot g$"),
    ("05_bidirectional.combine_choice",
     "Use `hs = np.concatenate([hs_f, hs_b[:, ::-1]], axis=-1)`."),
    ("01_rnn.traverse", "The line is `return np.tanh(W @ np.concatenate([left, right]) + b)`."),
    ("06_seq2seq.encoder_choice", "The embedding of a word is `E @ w`."),
])
def test_an_answer_put_back_above_its_cell_is_found(grade_id, told):
    assignment, cell_id = grade_id.split(".")
    text = _insert_before_cell(authored_text(assignment), cell_id, told)
    assert any(leak.startswith(grade_id) for leak in leaks(assignment, text)), told


def test_a_visible_test_that_names_the_distractors_is_found():
    text = authored_text("06_seq2seq").replace(
        'print("seq2seq_choice: one of the four numbers")',
        'print("an answer is given (1: bidirectional RNN, 3: recursive net, 4: LSTM)")')
    assert any("names only the options" in leak for leak in leaks("06_seq2seq", text))


def test_formula_key_reads_python_and_latex_alike():
    assert formula_key("h_new = (1 - z) * h + z * h_bar") == \
        formula_key(r"h_{new} = (1 - z) \odot h + z \odot \bar h")
    assert formula_key("c = f * prev_c") != formula_key("c = f * prev_h")
