"""What the grader writes, in a Japanese class: verdicts (hints, hidden cases, mismatches,
errors, stand-ins), the grader's own notes (Grading note, lateness, kernel messages) and the
verdict's data, with the class's language passed in as the grader passes it (from
nbgrader_config.py, never from the kernel). In-process: no nbgrader, no kernel. The same
path graded by `nbgrader autograde` in a Japanese course: tests/grading/test_japanese_grading.py.
"""
import datetime
import re
from dataclasses import replace

import numpy as np
import pytest

from autograder.grading import check as check_module
from autograder.grading.evaluation import StandIns, evaluate_here
from autograder.grading.execute import verdict_outputs
from autograder.items import PROBLEMS, FunctionProblem, ValueProblem, get_problem
from autograder.items.base import MODIFIES_INPUTS, Case, Outcome, hint_in, hint_line

STEP = get_problem("01_rnn.rnn_step_forward")
FORWARD = get_problem("01_rnn.rnn_forward")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def verdict_of(problem, obj, language, stand_ins=None, seed=3):
    cases = problem.cases(seed)
    return problem.verdict(cases, evaluate_here(problem, obj, cases, stand_ins, language),
                           language=language)


def with_hint_ja(problem, key, hint_ja):
    """``problem`` whose misconception ``key`` has ``hint_ja`` (the registry's may still be
    empty while the topic modules are being translated)."""
    misconceptions = [replace(m, hint_ja=hint_ja) if m.key == key else m
                      for m in problem.misconceptions]
    return replace(problem, misconceptions=misconceptions)


def test_a_misconception_s_japanese_hint_is_shown_and_is_the_verdict_s_data():
    problem = with_hint_ja(STEP, "no_bias", "バイアス b を足し忘れると、この出力になります。")
    verdict = verdict_of(problem, problem.misconception("no_bias").wrong, "ja")
    assert not verdict.passed and verdict.misconception.key == "no_bias"
    assert "ヒント: バイアス b を足し忘れると、この出力になります。" in verdict.message
    assert "Hint:" not in verdict.message and "hidden case" not in verdict.message
    assert "隠しテストのケース 1/" in verdict.message
    assert verdict.message.startswith("01_rnn.rnn_step_forward: rnn_step_forward の結果が")
    assert verdict.as_data()["misconception"] == {
        "key": "no_bias", "hint": "バイアス b を足し忘れると、この出力になります。"}
    # the same verdict in English is the English one, hint_ja or not
    english = verdict_of(problem, problem.misconception("no_bias").wrong, "en")
    assert "Hint: this is what happens when" in english.message
    assert not JAPANESE.search(english.message)
    assert english.as_data()["misconception"]["hint"] == problem.misconception("no_bias").hint


def test_without_hint_ja_the_english_hint_is_shown_under_the_japanese_label():
    problem = with_hint_ja(STEP, "no_bias", "")
    m = problem.misconception("no_bias")
    verdict = verdict_of(problem, m.wrong, "ja")
    assert f"ヒント: this is what happens when {m.hint}." in verdict.message
    assert hint_in(m, "ja") == m.hint


def test_a_choice_item_s_hint_in_japanese():
    problem = next(p for p in PROBLEMS.values()
                   if isinstance(p, ValueProblem) and p.choice and p.misconceptions)
    m = replace(problem.misconceptions[0], hint_ja="その選択肢は子の値を足しています。")
    problem = replace(problem, misconceptions=[m])
    verdict = problem.verdict(problem.cases(0), [Outcome(value=m.wrong)], language="ja")
    assert verdict.message.endswith("\nヒント: その選択肢は子の値を足しています。")
    assert "は正解ではありません" in verdict.message
    assert hint_line(m, "en", choice=True) == f"Hint: {m.hint}"


def test_the_hidden_case_s_japanese_label_is_used():
    cases = [replace(case, label="3 steps", label_ja="3 ステップ") for case in STEP.cases(1)]
    outcomes = [Outcome(value=np.zeros((7, 7, 7)))] * len(cases)
    verdict = STEP.verdict(cases, outcomes, language="ja")
    assert f"隠しテストのケース 1/{len(cases)} (3 ステップ)" in verdict.message
    assert "形状 (shape) が違います" in verdict.message
    english = STEP.verdict(cases, outcomes)
    assert f"hidden case 1 of {len(cases)} (3 steps)" in english.message
    # without label_ja, the label itself
    plain = [replace(case, label_ja="") for case in cases]
    assert "(3 steps)" in STEP.verdict(plain, outcomes, language="ja").message


def test_a_wrong_value_is_described_in_japanese():
    def off_by_one(x, prev_h, Wx, Wh, b):
        return np.tanh(x @ Wx + prev_h @ Wh + b) + 1.0

    verdict = verdict_of(STEP, off_by_one, "ja")
    assert not verdict.passed and verdict.misconception is None
    assert "期待される値は" in verdict.message and "最大相対誤差" in verdict.message
    assert "ヒント" not in verdict.message


def test_an_error_a_non_function_and_an_unsendable_value_in_japanese():
    def broken(x, h, Wx, Wh, b):
        return x @ Wh

    verdict = verdict_of(STEP, broken, "ja")
    assert "エラーを出しました" in verdict.message and "ValueError" in verdict.message
    assert "関数のはずです" in verdict_of(FORWARD, 42, "ja").message
    assert "採点システムに送れません" in verdict_of(STEP, lambda *a: object(), "ja").message
    # the request names the language only for a class that is not English
    assert "cannot send a" in verdict_of(STEP, lambda *a: object(), "en").message


def test_changing_an_argument_in_place_gets_the_japanese_hint_of_modifies_inputs():
    def mutating(x, h, Wx, Wh, b):
        out = np.tanh(x @ Wx + h @ Wh + b)
        Wx[...] = 0.0
        return out

    verdict = verdict_of(STEP, mutating, "ja")
    assert verdict.misconception is MODIFIES_INPUTS and MODIFIES_INPUTS.hint_ja
    assert "引数 Wx をその場で書き換えました" in verdict.message
    assert f"ヒント: {MODIFIES_INPUTS.hint_ja}" in verdict.message


def test_passing_and_correct_in_japanese():
    verdict = verdict_of(STEP, STEP.reference, "ja")
    assert verdict.passed and "隠しテストの全" in verdict.message and "ケースに合格しました" in verdict.message
    value_item = next(p for p in PROBLEMS.values() if isinstance(p, ValueProblem))
    assert value_item.verdict([Case(args=())], [Outcome(value=value_item.answer)],
                              language="ja").message == f"{value_item.grade_id}: 正解です"


def test_the_stand_in_note_in_japanese():
    space = {"np": np}
    exec('''
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + b)

def rnn_forward(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = rnn_step_forward(xs[:, t], h, Wx, Wh, b)
        hs[:, t] = h
    return hs
''', space)
    stand_ins = StandIns([STEP], language="ja")
    verdict = verdict_of(FORWARD, space["rnn_forward"], "ja", stand_ins).with_stand_ins([STEP])
    assert verdict.passed and stand_ins.calls > 0
    assert verdict.message.startswith("01_rnn.rnn_forward はそれ自体のロジックで判定しました")
    assert "rnn_step_forward (01_rnn.rnn_step_forward)" in verdict.message
    assert verdict.as_data()["judged_without"] == ["01_rnn.rnn_step_forward"]


def test_the_grader_s_error_output_follows_the_verdict_s_language():
    verdict = verdict_of(STEP, STEP.misconception("no_bias").wrong, "ja")
    outputs = verdict_outputs(verdict)
    assert outputs[-1]["ename"] == "HiddenTestFailure"
    assert "隠しテストに不合格でした" in outputs[-1]["evalue"]
    assert outputs[0]["metadata"]["rnn_course_verdict"]["misconception"]["key"] == "no_bias"


def test_a_payload_the_grader_refuses_is_explained_in_japanese():
    from autograder.grading.evaluation import read_outcomes

    (outcome,) = read_outcomes("not json", 1, "ja")
    assert outcome.error == "結果を読み取れませんでした"
    (outcome,) = read_outcomes("not json", 1)
    assert outcome.error == "the result could not be read"


def test_check_outside_nbgrader_follows_the_notebook_s_language(monkeypatch):
    from rnnlib import language

    monkeypatch.setitem(language._current, "language", "ja")
    verdict = check_module.run_check("01_rnn.conv_answer", 3)
    assert verdict.passed and verdict.message == "01_rnn.conv_answer: 正解です"
    assert check_module.run_check("01_rnn.conv_answer", 3, language="en").message.endswith(": correct")


@pytest.mark.parametrize("language", ["fr", "EN"])
def test_an_unknown_language_is_refused(language):
    with pytest.raises(ValueError, match="unknown language"):
        STEP.verdict(STEP.cases(0), [], language=language)


# --- the grader's own notes ------------------------------------------------------------------

def test_the_grading_note_and_its_label_in_japanese():
    from autograder.grading.preprocessors import NOTE_LABEL, _without_label, restored_note

    (note,) = restored_note([("the tags", "'rnn_forward'"), ("the cell type", "セル 3")], "ja")
    assert note.startswith("提出されたファイルでは 'rnn_forward' のタグ; セル 3 のセルの種類")
    (english,) = restored_note([("the tags", "'rnn_forward'")])
    assert english == ("Your file had changed the tags of 'rnn_forward' (the grader used the "
                       "course's version of each)")
    assert _without_label(NOTE_LABEL["ja"] + "本文。") == "本文。"
    assert _without_label(NOTE_LABEL["en"] + "Text.") == "Text."


def test_the_lateness_line_in_japanese():
    from autograder.grading.lateness import duration, lateness_sentence

    assert [duration(s, "ja") for s in (0.2, 45, 600, 8005, 3 * 86400 + 4 * 3600)] == [
        "1 秒未満", "45 秒", "10 分", "2 時間 13 分", "3 日 4 時間"]
    due = datetime.datetime(2027, 1, 15, 22, 59)
    assert lateness_sentence(8005, 0, due, "ja") == (
        "**期限後の提出:** 提出期限 (2027-01-15 22:59 UTC) の 2 時間 13 分後に提出されました "
        "(このコースでは減点はありません)。")
    assert lateness_sentence(8005, 0, due) == (
        "**Late submission:** submitted 2 h 13 min after the due date (2027-01-15 22:59 UTC) "
        "(no penalty in this course).")
    assert lateness_sentence(-5, 0, due, "ja") is None


def test_the_class_language_comes_from_the_grader_s_configuration():
    from traitlets.config import Config

    from autograder.grading.execute import TrustedExecute
    from autograder.grading.language import use_edition

    config = Config()
    use_edition(config, "ja")
    assert TrustedExecute(config=config).language == "ja"
    assert TrustedExecute(config=Config()).language == "en"


def test_every_function_item_s_japanese_failure_names_no_english_case():
    """Each function item's verdict on a wrong-shaped answer is wholly Japanese around
    the item's names."""
    for problem in PROBLEMS.values():
        if not isinstance(problem, FunctionProblem):
            continue
        cases = problem.cases(0)
        verdict = problem.verdict(cases, [Outcome(value="x")] * len(cases), language="ja")
        assert not verdict.passed
        assert "hidden case" not in verdict.message and "is wrong on" not in verdict.message
        assert "隠しテストのケース" in verdict.message, problem.grade_id
