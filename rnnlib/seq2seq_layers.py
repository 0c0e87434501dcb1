"""Layers of the seq2seq models, each a forward/backward pair of plain functions.

Shapes: N sequences, T steps, V vocabulary size, D feature size. The embedding's forward
(a lookup of rows, asked for in notebook 06) is ``rnnlib.embedding_lookup``, released
after 06; the models take it as an argument. Every function computes in the dtype of its
inputs (float32 for training, float64 for gradient checks).
"""
import numpy as np

from .activations import softmax


def embedding_backward(W, ids, dout):
    """Gradient of the lookup of rows ``ids`` (any shape S) of W: (V, D), from
    dout: (*S, D). dW: (V, D). A row used several times gets the sum of its gradients:
    dW = one_hot(ids).T @ dout (for a character vocabulary that product is several times
    faster than np.add.at; ``dW[ids] += dout`` would keep only one of the repeated updates).
    """
    V, D = W.shape
    flat = ids.reshape(-1)
    dout = dout.reshape(-1, D)
    one_hot_t = (flat == np.arange(V)[:, None]).astype(dout.dtype)   # (V, N * T)
    return one_hot_t @ dout


def time_affine_forward(xs, W, b):
    """The same affine map at every step: xs (N, T, D), W (D, V), b (V,) -> (N, T, V)."""
    return xs @ W + b


def time_affine_backward(xs, W, dout):
    """(dxs, dW, db) for time_affine_forward, summing the weight gradients over N and T."""
    D, V = W.shape
    return dout @ W.T, xs.reshape(-1, D).T @ dout.reshape(-1, V), dout.reshape(-1, V).sum(axis=0)


def softmax_cross_entropy(scores, targets):
    """Mean cross-entropy of softmax(scores) over all N * T predictions.

    scores: (N, T, V), targets: (N, T) ids. Returns (loss, dscores (N, T, V)), dscores in
    the dtype of scores.
    """
    N, T, V = scores.shape
    probs = softmax(scores.reshape(N * T, V))
    rows, idx = np.arange(N * T), targets.reshape(-1)
    loss = -np.mean(np.log(probs[rows, idx].astype(np.float64) + 1e-12))
    dscores = probs
    dscores[rows, idx] -= 1.0
    dscores *= dscores.dtype.type(1.0 / (N * T))
    return float(loss), dscores.reshape(N, T, V)
