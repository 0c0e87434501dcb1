"""Numerical gradients by centred differences, for checking backward passes.

Typical use on a function ``f(x) -> out`` with upstream gradient ``dout``::

    dx_num = numerical_gradient(lambda x: np.sum(f(x) * dout), x)
    print(rel_error(dx_num, dx))   # ~1e-8 or smaller in float64 when dx is right
"""
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Gradient of the scalar function ``f`` at array ``x`` by centred differences.

    ``(f(x + h e_i) - f(x - h e_i)) / (2 h)`` for every element i. ``x`` is perturbed in
    place and restored, so ``f`` may close over it. Returns an array shaped like ``x``.
    Costs 2 * x.size evaluations of f: use small arrays.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"numerical_gradient needs a float array, got dtype {x.dtype}")
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        x[idx] = original + h
        f_plus = float(f(x))
        x[idx] = original - h
        f_minus = float(f(x))
        x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2.0 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Numerical gradient of ``sum(f(x) * dout)`` w.r.t. ``x``: the backward pass of f for dout."""
    return numerical_gradient(lambda v: np.sum(f(v) * dout), x, h)


def rel_error(a, b):
    """Largest element-wise relative error max |a - b| / max(1e-8, |a| + |b|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: shapes differ, {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
