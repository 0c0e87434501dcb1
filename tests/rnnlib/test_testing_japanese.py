"""The visible tests' helpers (rnnlib.testing) in Japanese: describe_mismatch with an
explicit language (as the grader calls it) or the kernel's (set_language, as the Japanese
edition's imports cell sets it), and assert_close / assert_shape / assert_gradient / uses."""
import numpy as np
import pytest

from rnnlib import language
from rnnlib.testing import (VisibleTestFailure, assert_close, assert_gradient, assert_shape,
                            describe_mismatch, passed, uses)


@pytest.fixture
def japanese_kernel(monkeypatch):
    """The kernel's language is "ja" for this test (without touching matplotlib's fonts)."""
    monkeypatch.setitem(language._current, "language", "ja")


def test_a_wrong_element_in_japanese():
    why = describe_mismatch(np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]),
                            language="ja")
    assert why == ("要素 [1, 1] が 5 ですが、期待される値は 4 です "
                   "(4 要素中 1 個が違います。最大相対誤差 0.25)")


def test_shapes_lists_and_non_finite_values_in_japanese():
    assert describe_mismatch(np.zeros((2, 3)), np.zeros((3, 2)), language="ja") == (
        "形状 (shape) が違います: (2, 3) が返されました。期待される形状は (3, 2) です")
    assert "np.array で配列にしてください" in describe_mismatch([1.0], np.array([1.0]), language="ja")
    assert "有限の値ではありません" in describe_mismatch(np.array([np.nan]), np.array([1.0]),
                                                         language="ja")
    assert describe_mismatch(2.0, 1.0, language="ja") == "2.0 が返されました。期待される値は 1.0 です"
    assert describe_mismatch(True, 1, language="ja") == "数値が返るはずですが、bool が返されました"


def test_tuples_and_dicts_in_japanese():
    why = describe_mismatch((np.zeros(2), np.ones(2)), (np.zeros(2), np.zeros(2)),
                            names=("dx", "dh"), language="ja")
    assert why.startswith("dh (返り値のタプルの要素 1): 要素 [0] が 1 ですが")
    assert describe_mismatch((1,), (1, 2), language="ja") == "要素は 2 個のはずですが、1 個でした"
    assert describe_mismatch({"a": 1}, {"b": 1}, language="ja") == (
        "キー ['b'] がありません; 余分なキー ['a'] があります")
    assert describe_mismatch({"W": "a"}, {"W": "b"}, language="ja") == (
        "['W']: 期待される値は 'b' ですが、'a' が返されました")
    assert describe_mismatch(np.zeros(2), np.zeros(2), language="ja") is None


def test_the_default_is_the_kernel_s_language_and_an_explicit_one_wins(japanese_kernel):
    assert describe_mismatch(np.zeros(3), np.zeros(2)).startswith("形状 (shape) が違います")
    assert describe_mismatch(np.zeros(3), np.zeros(2), language="en") == (
        "wrong shape: got (3,), expected (2,)")


def test_english_is_the_default_and_unchanged():
    assert language.current_language() == "en"
    assert describe_mismatch(np.zeros(3), np.zeros(2)) == "wrong shape: got (3,), expected (2,)"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        describe_mismatch(1, 2, language="de")


def test_assert_close_and_assert_shape_in_japanese(japanese_kernel, capsys):
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0]), "h")
    assert capsys.readouterr().out == "h: OK\n"
    with pytest.raises(VisibleTestFailure, match="h: 要素 \\[1\\] が 3 ですが"):
        assert_close(np.array([1.0, 3.0]), np.array([1.0, 2.0]), "h")
    assert_shape(np.zeros((2, 3)), (2, 3), "next_h")
    assert capsys.readouterr().out == "next_h: 形状 (2, 3) OK\n"
    with pytest.raises(VisibleTestFailure, match="next_h: 形状 \\(shape\\) が違います"):
        assert_shape(np.zeros((2, 2)), (2, 3), "next_h")
    with pytest.raises(VisibleTestFailure, match="next_h: numpy 配列のはずですが、list です"):
        assert_shape([1], (1,), "next_h")


def test_assert_gradient_in_japanese(japanese_kernel, capsys):
    assert_gradient(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]), "dx")
    assert "dx: 相対誤差" in capsys.readouterr().out
    with pytest.raises(VisibleTestFailure, match="dx: 数値微分による勾配との相対誤差が"):
        assert_gradient(np.array([1.0, 2.0]), np.array([1.0, 2.5]), "dx")


def test_uses_notes_a_callee_that_has_not_passed_in_japanese(japanese_kernel, capsys):
    def step(x):
        return x

    uses("step", step, "loop")
    out = capsys.readouterr().out
    assert out.startswith("注意: loop はあなたの step を呼び出しますが") and "まず step を直して" in out
    passed("step", step)
    uses("step", step, "loop")
    assert capsys.readouterr().out == ""
