import numpy as np
import pytest

from rnnlib.activations import (ACTIVATIONS, d_relu, d_tanh, sigmoid, sigmoid_grad_from_output,
                                softmax, tanh_grad_from_output)
from rnnlib.sigmoid_derivative import d_sigmoid
from rnnlib.gradcheck import numerical_gradient, rel_error


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_each_derivative_matches_the_numerical_gradient(name):
    f, df_from_output = ACTIVATIONS[name]
    u = np.array([-2.0, -0.7, -0.1, 0.3, 1.1, 2.5])  # no point at relu's kink
    numerical = numerical_gradient(lambda v: np.sum(f(v)), u.copy())
    assert rel_error(numerical, df_from_output(f(u))) < 1e-7
    d_f = {"sigmoid": d_sigmoid, "tanh": d_tanh, "relu": d_relu}[name]
    assert rel_error(numerical, d_f(u)) < 1e-7


def test_sigmoid_does_not_overflow_for_large_inputs():
    with np.errstate(over="raise", invalid="raise"):
        out = sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(out, [0.0, 0.5, 1.0])


def test_sigmoid_derivative_peaks_at_a_quarter():
    u = np.linspace(-5, 5, 1001)
    assert sigmoid_grad_from_output(sigmoid(u)).max() == pytest.approx(0.25)


def test_d_tanh_is_the_derivative_not_the_function():
    """Erratum 6: the notes' d_tanh returned tanh itself."""
    u = np.array([0.5, -1.0])
    assert not np.allclose(d_tanh(u), np.tanh(u))
    np.testing.assert_allclose(d_tanh(u), tanh_grad_from_output(np.tanh(u)))


def test_softmax_rows_sum_to_one_even_for_huge_scores():
    p = softmax(np.array([[1000.0, 1001.0], [0.0, 0.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [0.5, 0.5])


@pytest.mark.parametrize("u", [-200.0, -30.0, 30.0, 200.0])
def test_sigmoid_is_accurate_in_its_tails(u):
    """Relative error below 1e-12 where the value is tiny: (1 + tanh(u / 2)) / 2 lost it to
    cancellation (1.7e-4 at u = -30, and 0 instead of 1.4e-87 at u = -200)."""
    exact = np.exp(-np.logaddexp(0.0, -u))  # float64: exp(-log(1 + exp(-u)))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        got = sigmoid(np.array([u]))[0]
    assert got > 0.0
    assert abs(got / exact - 1) < 1e-12


def test_sigmoid_keeps_a_floating_dtype_and_makes_other_input_float64():
    u32 = np.array([-30.0, -1.0, 0.0, 2.0], dtype=np.float32)
    out = sigmoid(u32)
    assert out.dtype == np.float32 and out.shape == u32.shape
    np.testing.assert_allclose(out, sigmoid(u32.astype(np.float64)), rtol=1e-6)
    assert sigmoid(np.array([0, 1])).dtype == np.float64
    assert sigmoid([0.0, 1.0]).dtype == np.float64
    assert isinstance(sigmoid(0.0), np.float64) and sigmoid(0.0) == 0.5
