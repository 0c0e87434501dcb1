"""The hidden references of 08_attention: both backward passes agree with centred-difference
gradients of their forward references (relative error < 1e-6 in float64), chained they
give the gradient of a whole attention layer, and the masked weights behave as taught."""
import warnings

import numpy as np
import pytest

from autograder.items import attention
from rnnlib.gradcheck import numerical_gradient_array, rel_error

TOL = 1e-6


def inputs(seed=42, N=3, T=5, H=4):
    r = np.random.default_rng(seed)
    return r.standard_normal((N, T, H)), r.standard_normal((N, H)), r


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_attention_weights_backward_matches_numerical_gradients(seed):
    hs, h, r = inputs(seed)
    a = attention.attention_weights_reference(hs, h)
    da = r.standard_normal(a.shape)
    dhs, dh = attention.attention_weights_backward_reference(hs, h, a, da)
    assert rel_error(dhs, numerical_gradient_array(
        lambda v: attention.attention_weights_reference(v, h), hs.copy(), da)) < TOL
    assert rel_error(dh, numerical_gradient_array(
        lambda v: attention.attention_weights_reference(hs, v), h.copy(), da)) < TOL


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_context_vector_backward_matches_numerical_gradients(seed):
    hs, h, r = inputs(seed)
    a = attention.attention_weights_reference(hs, h)
    dc = r.standard_normal(h.shape)
    dhs, da = attention.context_vector_backward_reference(hs, a, dc)
    assert rel_error(dhs, numerical_gradient_array(
        lambda v: attention.context_vector_reference(v, a), hs.copy(), dc)) < TOL
    assert rel_error(da, numerical_gradient_array(
        lambda v: attention.context_vector_reference(hs, v), a.copy(), dc)) < TOL


def test_chained_backward_passes_give_the_gradient_of_a_whole_attention_layer():
    """c = context(hs, weights(hs, h)): hs is used twice, so its two gradients add up."""
    hs, h, r = inputs(7)

    def layer(hs, h):
        return attention.context_vector_reference(hs, attention.attention_weights_reference(hs, h))

    a = attention.attention_weights_reference(hs, h)
    dc = r.standard_normal(h.shape)
    dhs_context, da = attention.context_vector_backward_reference(hs, a, dc)
    dhs_scores, dh = attention.attention_weights_backward_reference(hs, h, a, da)
    assert rel_error(dhs_context + dhs_scores,
                     numerical_gradient_array(lambda v: layer(v, h), hs.copy(), dc)) < TOL
    assert rel_error(dh, numerical_gradient_array(lambda v: layer(hs, v), h.copy(), dc)) < TOL


def test_attention_weights_are_row_distributions_and_survive_large_scores():
    hs, h, _ = inputs(3)
    for scale in (1.0, 40.0):  # scale 40 gives scores in the thousands
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            a = attention.attention_weights_reference(hs * scale, h * scale)
        assert np.all(np.isfinite(a)) and np.all(a >= 0)
        np.testing.assert_allclose(a.sum(axis=1), 1.0)


def test_masked_weights_are_exactly_zero_on_padding_sum_to_one_and_warn_nothing():
    hs, h, r = inputs(5, N=4, T=6)
    mask = np.array([[True] * 6, [True, True, False, False, False, False],
                     [True] + [False] * 5, [False, True, False, True, True, False]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from -inf arithmetic
        a = attention.masked_attention_weights_reference(hs, h, mask)
    assert np.all(a[~mask] == 0.0)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a[0], attention.attention_weights_reference(hs[:1], h[:1])[0])
    np.testing.assert_allclose(a[2], [1, 0, 0, 0, 0, 0])
    # whatever the encoder wrote at padded steps changes nothing
    noisy = hs.copy()
    noisy[~mask] = r.standard_normal(noisy[~mask].shape) * 1e3
    np.testing.assert_array_equal(attention.masked_attention_weights_reference(noisy, h, mask), a)


def test_masked_weights_equal_the_softmax_over_the_real_tokens_alone():
    hs, h, _ = inputs(9, N=2, T=5)
    mask = np.array([[True, True, True, False, False], [True, False, True, True, True]])
    a = attention.masked_attention_weights_reference(hs, h, mask)
    for n in range(2):
        real = np.flatnonzero(mask[n])
        expected = attention.attention_weights_reference(hs[n:n + 1, real], h[n:n + 1])[0]
        np.testing.assert_allclose(a[n, real], expected)
