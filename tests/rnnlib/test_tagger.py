from functools import partial

import numpy as np

from autograder.items.bidirectional import bidirectional_rnn_forward_reference as BIDIRECTIONAL
from rnnlib.datasets import next_symbol_tagging
from rnnlib.gradcheck import numerical_gradient, rel_error
from rnnlib.recurrent_init import init_recurrent
from rnnlib.tagger import tagger_backward, tagger_forward, tagger_loss, train_tagger


def test_next_symbol_tags_are_the_following_symbols():
    xs, labels = next_symbol_tagging(np.random.default_rng(0), 5, T=6)
    symbols = xs.argmax(axis=-1)
    np.testing.assert_array_equal(labels[:, :-1], symbols[:, 1:])
    np.testing.assert_array_equal(labels[:, -1], symbols[:, -1])


def test_bidirectional_tagger_gradients_match_numerical_gradients():
    r = np.random.default_rng(1)
    params = {"f": init_recurrent(r, 3, 4), "b": init_recurrent(r, 3, 4),
              "W_out": r.standard_normal((8, 3)), "b_out": r.standard_normal(3)}
    xs, labels = r.standard_normal((2, 5, 3)), r.integers(0, 3, size=(2, 5))

    def loss():
        return tagger_loss(params, tagger_forward(params, xs, BIDIRECTIONAL)[0], labels)[0]

    hs, caches = tagger_forward(params, xs, BIDIRECTIONAL)
    _, dhs, grads = tagger_loss(params, hs, labels)
    layer_grads = tagger_backward(params, caches, dhs)
    for direction in ("f", "b"):
        for name, value in params[direction].items():
            numerical = numerical_gradient(lambda v: loss(), value)
            assert rel_error(layer_grads[direction][name], numerical) < 1e-6, (direction, name)
    assert rel_error(grads["W_out"], numerical_gradient(lambda v: loss(), params["W_out"])) < 1e-6


# The contrast of notebook 05 (forward-only at chance, bidirectional learns) is trained at
# the notebook's settings, over seeds and thread counts, by benchmarks/practice_claims.py
# (tests/test_practice_claims.py).


def test_the_bidirectional_tagger_runs_the_forward_pass_it_is_given():
    seen = []

    def spy(*args):
        seen.append(len(args))
        return BIDIRECTIONAL(*args)

    data = partial(next_symbol_tagging, T=6, n_symbols=4)
    train_tagger("spy", spy, data, 4, iterations=2, eval_every=2, progress=False)
    assert seen == [7, 7, 7]  # two training batches and one held-out evaluation
