"""Japanese answers accepted (issue 12): every auto-graded free-text answer takes the
English term, the Japanese term, and either with the other in brackets, with half- or
full-width brackets and spaces. Unmarked and cheap: the registry only."""
import pytest

from autograder.items import PROBLEMS, Outcome, ValueProblem
from autograder.items.base import bilingual_forms

# Each free-text item: (English, Japanese) pairs that are right, and pairs that are wrong
# (with the misconception the wrong one must be named as, or None).
FREE_TEXT = {
    "03_lstm.which_gate": {
        "right": [("forget gate", "忘却ゲート")],
        "wrong": [(("input gate", "入力ゲート"), "input_gate"),
                  (("output gate", "出力ゲート"), "output_gate")],
    },
    "06_seq2seq.vae_blank": {
        "right": [("probability distribution", "確率分布"), ("random variable", "確率変数"),
                  ("normal distribution", "正規分布"), ("Gaussian distribution", "ガウス分布")],
        "wrong": [(("noise", "ノイズ"), "denoising_autoencoder")],
    },
}


def written_forms(english, japanese):
    """The ways a student writes a term: alone, with its translation in brackets (ASCII
    and full-width brackets, with ASCII, full-width or no space before them)."""
    forms = [english, japanese, english.capitalize(), f" {japanese} "]
    for outer, inner in [(english, japanese), (japanese, english)]:
        forms += [f"{outer} ({inner})", f"{outer}（{inner}）", f"{outer}　（{inner}）",
                  f"{outer}({inner})", f"{outer}\u3000({inner})"]
    return forms


def _judge(problem, value):
    return problem.verdict(problem.cases(0), [Outcome(value=value)])


def test_the_table_covers_every_free_text_item():
    free_text = {gid for gid, p in PROBLEMS.items() if isinstance(p, ValueProblem) and p.free_text}
    assert free_text == set(FREE_TEXT)


@pytest.mark.parametrize("grade_id,value", [
    (gid, value) for gid, spec in FREE_TEXT.items()
    for english, japanese in spec["right"] for value in written_forms(english, japanese)])
def test_a_right_answer_is_accepted_in_english_japanese_or_both(grade_id, value):
    verdict = _judge(PROBLEMS[grade_id], value)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("grade_id,value,key", [
    (gid, value, key) for gid, spec in FREE_TEXT.items()
    for (english, japanese), key in spec["wrong"] for value in written_forms(english, japanese)])
def test_a_wrong_answer_is_rejected_in_every_form_and_named(grade_id, value, key):
    verdict = _judge(PROBLEMS[grade_id], value)
    assert not verdict.passed
    if key is not None:
        assert verdict.misconception is not None and verdict.misconception.key == key, value


@pytest.mark.parametrize("grade_id", sorted(FREE_TEXT))
def test_a_right_term_with_a_wrong_translation_is_rejected(grade_id):
    (english, japanese), _ = FREE_TEXT[grade_id]["wrong"][0]
    right_english, right_japanese = FREE_TEXT[grade_id]["right"][0]
    for value in [f"{right_english} ({japanese})", f"{japanese}（{right_english}）",
                  f"{english} ({right_japanese})"]:
        assert not _judge(PROBLEMS[grade_id], value).passed, value


def test_bilingual_forms_folds_full_width_and_splits_one_bracket():
    assert bilingual_forms("忘却ゲート　（forget gate）") == (
        "忘却ゲート (forget gate)", ("忘却ゲート", "forget gate"))
    assert bilingual_forms("ＦＯＲＧＥＴ gate") == ("FORGET gate", ())
    assert bilingual_forms("a (b) (c)")[1] == ()
    assert bilingual_forms(3) == (3, ())
