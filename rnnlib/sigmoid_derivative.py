"""The sigmoid's derivative w.r.t. its pre-activation (released after notebook 03, which
asks for its largest value)."""
from .activations import sigmoid


def d_sigmoid(u):
    """s(u) * (1 - s(u)) with s the sigmoid; u: array of any shape."""
    s = sigmoid(u)
    return s * (1.0 - s)
