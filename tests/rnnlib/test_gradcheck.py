import numpy as np
import pytest

from rnnlib.gradcheck import numerical_gradient, numerical_gradient_array, rel_error


def test_numerical_gradient_of_a_quadratic_is_exact_to_rounding():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    grad = numerical_gradient(lambda v: v @ A @ v, x.copy())
    assert rel_error(grad, (A + A.T) @ x) < 1e-8


def test_numerical_gradient_restores_its_input():
    x = np.array([1.0, 2.0, 3.0])
    numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_numerical_gradient_array_is_the_backward_pass_of_a_matmul():
    rng = np.random.default_rng(1)
    x, W, dout = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((3, 2))
    dx = numerical_gradient_array(lambda v: v @ W, x.copy(), dout)
    assert rel_error(dx, dout @ W.T) < 1e-8


def test_gradient_check_catches_a_wrong_gradient():
    x = np.array([0.3, -1.2])
    grad = numerical_gradient(lambda v: np.sum(np.tanh(v)), x.copy())
    assert rel_error(grad, np.tanh(x)) > 0.1


def test_integer_input_is_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="float array"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))


def test_rel_error_refuses_different_shapes():
    with pytest.raises(ValueError, match="shapes differ"):
        rel_error(np.zeros(2), np.zeros(3))
