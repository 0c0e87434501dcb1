"""Layers of the seq2seq models, each a forward/backward pair of plain functions.

Shapes: N sequences, T steps, V vocabulary size, D feature size. The embedding's forward
(a lookup of rows, asked for in notebook 06) is ``rnnlib.embedding_lookup``, released
after 06; the models take it as an argument.
"""
import numpy as np

from .activations import softmax


def embedding_backward(W, ids, dout):
    """Gradient of the lookup of rows ``ids`` (any shape S) of W: (V, D), from
    dout: (*S, D). dW: (V, D). A row used several times gets the sum of its gradients (np.add.at,
    because ``dW[ids] += dout`` would keep only one of the repeated updates)."""
    dW = np.zeros_like(W)
    np.add.at(dW, ids.reshape(-1), dout.reshape(-1, W.shape[1]))
    return dW


def time_affine_forward(xs, W, b):
    """The same affine map at every step: xs (N, T, D), W (D, V), b (V,) -> (N, T, V)."""
    return xs @ W + b


def time_affine_backward(xs, W, dout):
    """(dxs, dW, db) for time_affine_forward, summing the weight gradients over N and T."""
    D, V = W.shape
    return dout @ W.T, xs.reshape(-1, D).T @ dout.reshape(-1, V), dout.reshape(-1, V).sum(axis=0)


def softmax_cross_entropy(scores, targets):
    """Mean cross-entropy of softmax(scores) over all N * T predictions.

    scores: (N, T, V), targets: (N, T) ids. Returns (loss, dscores (N, T, V)).
    """
    N, T, V = scores.shape
    probs = softmax(scores.reshape(N * T, V))
    rows, idx = np.arange(N * T), targets.reshape(-1)
    loss = -np.mean(np.log(probs[rows, idx] + 1e-12))
    dscores = probs
    dscores[rows, idx] -= 1.0
    return float(loss), (dscores / (N * T)).reshape(N, T, V)
