"""The course's simple tanh RNN layer, forward only (released after notebook 01 grades it).

A recurrent layer here is a function over a parameter dict:

    forward(params, xs, h0) -> (hs, cache)      xs: (N, T, D), h0: (N, H), hs: (N, T, H)

params: Wx: (D, H), Wh: (H, H), b: (H,). The backward pass is in ``rnnlib.rnn_layer_backward``.
"""
import numpy as np


def rnn_layer_forward(params, xs, h0):
    """h_t = tanh(x_t Wx + h_{t-1} Wh + b) for t = 0..T-1; cache = (xs, h0, hs)."""
    N, T, _ = xs.shape
    hs = np.empty((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = np.tanh(xs[:, t] @ params["Wx"] + h @ params["Wh"] + params["b"])
        hs[:, t] = h
    return hs, (xs, h0, hs)
