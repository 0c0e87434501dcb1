"""Backward pass of the simple RNN layer (released after notebook 02 grades it), and the
layer as the trainers take it.

    backward(params, cache, dhs) -> (dxs, dh0, grads)    dhs: (N, T, H), grads shaped like params

``RNN`` = {"gates": 1, "forward": ..., "backward": ...}: the spec that
``rnnlib.sequence_classifier`` trains.
"""
import numpy as np

from .rnn_layer import rnn_layer_forward


def rnn_layer_backward(params, cache, dhs):
    """Gradients of rnn_layer_forward; cache = (xs, h0, hs) as the forward returns it."""
    xs, h0, hs = cache
    T = xs.shape[1]
    grads = {k: np.zeros_like(params[k]) for k in ("Wx", "Wh", "b")}
    dxs = np.empty_like(xs)
    dh = np.zeros_like(h0)
    for t in reversed(range(T)):
        prev = hs[:, t - 1] if t > 0 else h0
        da = (dhs[:, t] + dh) * (1.0 - hs[:, t] ** 2)
        dxs[:, t] = da @ params["Wx"].T
        grads["Wx"] += xs[:, t].T @ da
        grads["Wh"] += prev.T @ da
        grads["b"] += da.sum(axis=0)
        dh = da @ params["Wh"].T
    return dxs, dh, grads


RNN = {"gates": 1, "forward": rnn_layer_forward, "backward": rnn_layer_backward}
