from functools import partial

import numpy as np

from autograder.items.lstm import lstm_backward_reference, lstm_forward_reference
from rnnlib.datasets import first_token_recall
from rnnlib.clipping import clip_global_norm
from rnnlib.lstm_layer import LSTM
from rnnlib.rnn_layer_backward import RNN
from rnnlib.sequence_classifier import (layer_from_functions, readout_loss,
                                        train_last_step_classifier)
from rnnlib.gradcheck import numerical_gradient, rel_error
import pytest

pytestmark = pytest.mark.training

RECALL_30 = partial(first_token_recall, T=30, n_symbols=4)
CLIPPED = {"clip": clip_global_norm}


def test_readout_gradients_match_numerical_gradients():
    r = np.random.default_rng(0)
    params = {"W_out": r.standard_normal((5, 3)), "b_out": r.standard_normal(3)}
    h, labels = r.standard_normal((4, 5)), np.array([0, 2, 1, 2])
    _, dh, grads = readout_loss(params, h, labels)
    assert rel_error(dh, numerical_gradient(lambda v: readout_loss(params, v, labels)[0], h.copy())) < 1e-7
    for k in params:
        def f(v, k=k):
            return readout_loss({**params, k: v}, h, labels)[0]
        assert rel_error(grads[k], numerical_gradient(f, params[k].copy())) < 1e-7


def test_first_token_recall_marks_the_symbol_at_step_0_then_shows_distractors():
    xs, labels = first_token_recall(np.random.default_rng(1), 200, T=6, n_symbols=3)
    assert xs.shape == (200, 6, 4)
    np.testing.assert_array_equal(xs[:, 0, 1:], 2.0 * np.eye(3)[labels])
    np.testing.assert_array_equal(xs[:, :, 0], np.where(np.arange(6) == 0, 2.0, 0.0)[None].repeat(200, 0))
    # every step shows one symbol, as strong as the cue, and the distractors are random
    np.testing.assert_array_equal(xs[:, :, 1:].sum(axis=-1), 2.0)
    later = xs[:, 1:, 1:].argmax(axis=-1)
    assert np.mean(later == labels[:, None]) < 0.5
    assert set(np.unique(later)) == {0, 1, 2}


# The contrast of notebooks 03 and 04 (simple RNN at chance, LSTM and GRU learn the recall
# over 59 distracting steps) is trained at the notebooks' settings, over seeds and thread
# counts, by benchmarks/practice_claims.py (tests/test_practice_claims.py).


def test_a_layer_from_notebook_style_functions_trains_like_the_course_layer():
    mine = layer_from_functions(lstm_forward_reference, lstm_backward_reference, gates=4,
                                memory_gate_block=1, memory_gate_bias=3.0)
    a = train_last_step_classifier("mine", mine, RECALL_30, 4, iterations=50, progress=False,
                                   **CLIPPED)
    b = train_last_step_classifier("course", LSTM, RECALL_30, 4, iterations=50, progress=False,
                                   **CLIPPED)
    # the course layer computes its sigmoids through tanh: the rounding differs, and the
    # difference grows as training goes (5e-7 after 50 iterations of the recall)
    np.testing.assert_allclose(a.losses, b.losses, rtol=1e-5)
    assert b.n_params is None  # counting parameters is an exercise of notebook 04


def test_clipping_is_the_function_passed_and_none_means_unclipped():
    calls = []

    def spy(grads, max_norm):
        calls.append((len(grads), max_norm))
        return clip_global_norm(grads, max_norm)

    kwargs = dict(iterations=3, eval_every=3, progress=False)
    train_last_step_classifier("spy", RNN, RECALL_30, 4, clip=spy, clip_norm=2.0, **kwargs)
    assert calls == [(5, 2.0)] * 3  # Wx, Wh, b, W_out, b_out
    unclipped = train_last_step_classifier("none", RNN, RECALL_30, 4, clip_norm=1e-9, **kwargs)
    tiny = train_last_step_classifier("tiny", RNN, RECALL_30, 4, clip=clip_global_norm,
                                      clip_norm=1e-9, **kwargs)
    assert unclipped.losses != tiny.losses


def test_the_trainer_starts_from_the_same_parameters_as_init_recurrent():
    """Its own initialiser (kept inside it, see recurrent_init) draws what init_recurrent
    draws, so runs of the course layers agree with the seq2seq and tagger set-ups."""
    from rnnlib.recurrent_init import init_recurrent
    seen = {}

    def forward(params, xs, h0):
        seen.setdefault("params", {k: params[k].copy() for k in ("Wx", "Wh", "b")})
        return LSTM["forward"](params, xs, h0)

    spy = dict(LSTM, forward=forward)
    train_last_step_classifier("spy", spy, RECALL_30, 4, hidden_size=8, iterations=1,
                               eval_every=1, seed=5, progress=False)
    expected = init_recurrent(np.random.default_rng(5), 5, 8, gates=4, memory_gate_block=1,
                              memory_gate_bias=3.0)
    for k in expected:
        np.testing.assert_array_equal(seen["params"][k], expected[k])
