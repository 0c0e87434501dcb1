import numpy as np

from rnnlib.embedding_lookup import embedding_forward
from rnnlib.gradcheck import numerical_gradient
from rnnlib.seq2seq_layers import (embedding_backward, softmax_cross_entropy,
                                   time_affine_backward, time_affine_forward)
from tests.conftest import grad_error


def test_embedding_lookup_equals_the_one_hot_product():
    rng = np.random.default_rng(0)
    W, ids = rng.standard_normal((6, 3)), rng.integers(0, 6, size=(2, 4))
    np.testing.assert_allclose(embedding_forward(W, ids), np.eye(6)[ids] @ W)


def test_embedding_backward_sums_the_gradients_of_repeated_ids():
    rng = np.random.default_rng(1)
    W, ids = rng.standard_normal((5, 3)), np.array([[1, 1, 4], [1, 0, 4]])
    dout = rng.standard_normal((2, 3, 3))
    numerical = numerical_gradient(lambda w: np.sum(embedding_forward(w, ids) * dout), W)
    assert grad_error(embedding_backward(W, ids, dout), numerical) < 1e-8
    np.testing.assert_allclose(embedding_backward(W, ids, dout)[1],
                               dout[0, 0] + dout[0, 1] + dout[1, 0])


def test_time_affine_backward_matches_numerical_gradients():
    rng = np.random.default_rng(2)
    xs, W, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 5)), rng.standard_normal(5)
    dout = rng.standard_normal((2, 3, 5))
    dxs, dW, db = time_affine_backward(xs, W, dout)
    f = lambda: np.sum(time_affine_forward(xs, W, b) * dout)  # noqa: E731
    for analytic, value in ((dxs, xs), (dW, W), (db, b)):
        assert grad_error(analytic, numerical_gradient(lambda v: f(), value)) < 1e-8


def test_softmax_cross_entropy_is_the_mean_over_all_steps_and_its_gradient_matches():
    rng = np.random.default_rng(3)
    scores, targets = rng.standard_normal((2, 3, 4)), rng.integers(0, 4, size=(2, 3))
    loss, dscores = softmax_cross_entropy(scores.copy(), targets)
    probs = np.exp(scores) / np.exp(scores).sum(axis=-1, keepdims=True)
    expected = -np.mean(np.log(np.take_along_axis(probs, targets[..., None], axis=-1)))
    np.testing.assert_allclose(loss, expected)
    numerical = numerical_gradient(lambda s: softmax_cross_entropy(s.copy(), targets)[0], scores)
    assert grad_error(dscores, numerical) < 1e-7


def test_softmax_cross_entropy_does_not_overflow_on_large_scores():
    loss, dscores = softmax_cross_entropy(np.array([[[1000.0, 0.0]]]), np.array([[0]]))
    assert np.isfinite(loss) and np.all(np.isfinite(dscores))
