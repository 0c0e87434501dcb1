"""Activation functions and their derivatives.

Convention used throughout the course: ``d_f(u)`` is the derivative of ``f`` with respect
to its *pre-activation* ``u``. Where the output is already at hand, the ``*_from_output``
forms avoid recomputing ``f`` (e.g. ``sigmoid_grad_from_output(y) = y * (1 - y)``).
All functions work element-wise on arrays of any shape. ``d_sigmoid`` is in
``rnnlib.sigmoid_derivative``, released after notebook 03 asks about it.
"""
import numpy as np


def sigmoid(u):
    """Logistic sigmoid 1 / (1 + exp(-u)), accurate to rounding for every u: computed as
    1 / (1 + exp(-u)) for u >= 0 and as exp(u) / (1 + exp(u)) for u < 0, so exp only sees
    -|u| (it cannot overflow) and the tiny values of the negative tail keep their relative
    precision. Floating-point input keeps its dtype (float32 stays float32); other input
    (ints, lists) becomes float64."""
    u = np.asarray(u)
    if not np.issubdtype(u.dtype, np.floating):
        u = u.astype(float)
    e = np.exp(-np.abs(u))  # exp(-|u|), in [0, 1]
    s = 1 / (1 + e)  # sigmoid(|u|)
    return np.where(u >= 0, s, e * s)[()]  # sigmoid(u) = exp(u) / (1 + exp(u)) for u < 0


def sigmoid_grad_from_output(y):
    """The same derivative, given the sigmoid's output y = sigmoid(u): y * (1 - y)."""
    return y * (1.0 - y)


def tanh(u):
    """Hyperbolic tangent (numpy's)."""
    return np.tanh(u)


def d_tanh(u):
    """Derivative of tanh w.r.t. its pre-activation u: 1 - tanh(u)**2.

    The source notes returned ``np.tanh(u)`` here (erratum 6): that is the function,
    not its derivative.
    """
    return 1.0 - np.tanh(u) ** 2


def tanh_grad_from_output(h):
    """The same derivative, given the output h = tanh(u): 1 - h**2."""
    return 1.0 - h**2


def relu(u):
    """max(0, u) element-wise."""
    return np.maximum(0.0, u)


def d_relu(u):
    """Derivative of ReLU w.r.t. u: 1 where u > 0, else 0."""
    return (np.asarray(u) > 0).astype(float)


def relu_grad_from_output(y):
    """The same derivative, given the output y = relu(u): 1 where y > 0, else 0."""
    return (np.asarray(y) > 0).astype(float)


def softmax(scores, axis=-1):
    """Softmax along ``axis``; subtracts the max first so large scores do not overflow."""
    shifted = scores - np.max(scores, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad_from_output),
    "tanh": (tanh, tanh_grad_from_output),
    "relu": (relu, relu_grad_from_output),
}
"""Name -> (function f, derivative of f w.r.t. its pre-activation, given f's output)."""
