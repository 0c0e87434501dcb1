"""The course's LSTM layer (released after notebook 03 grades it), forward and backward
over a parameter dict, and the layer as the trainers take it.

    forward(params, xs, h0) -> (hs, cache)        xs: (N, T, D), h0: (N, H), hs: (N, T, H)
    backward(params, cache, dhs) -> (dxs, dh0, grads)   grads: dict shaped like params

params: Wx: (D, 4H), Wh: (H, 4H), b: (4H,), gate blocks in the order i, f, o, g. The cell
state starts at zero.
"""
import numpy as np

from .activations import sigmoid


def lstm_layer_forward(params, xs, h0):
    N, T, _ = xs.shape
    H = h0.shape[1]
    hs = np.empty((N, T, H))
    h, c = h0, np.zeros_like(h0)
    steps = []
    for t in range(T):
        a = xs[:, t] @ params["Wx"] + h @ params["Wh"] + params["b"]
        i, f, o = (sigmoid(a[:, k * H:(k + 1) * H]) for k in range(3))
        g = np.tanh(a[:, 3 * H:])
        prev_h, prev_c = h, c
        c = f * prev_c + i * g
        tanh_c = np.tanh(c)
        h = o * tanh_c
        hs[:, t] = h
        steps.append((prev_h, prev_c, i, f, o, g, tanh_c))
    return hs, (xs, h0, steps)


def lstm_layer_backward(params, cache, dhs):
    xs, h0, steps = cache
    T = xs.shape[1]
    grads = {k: np.zeros_like(params[k]) for k in ("Wx", "Wh", "b")}
    dxs = np.empty_like(xs)
    dh, dc = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        prev_h, prev_c, i, f, o, g, tanh_c = steps[t]
        dh_total = dhs[:, t] + dh
        dc_total = dc + dh_total * o * (1.0 - tanh_c**2)
        da = np.concatenate([dc_total * g * i * (1 - i), dc_total * prev_c * f * (1 - f),
                             dh_total * tanh_c * o * (1 - o), dc_total * i * (1 - g**2)], axis=1)
        dxs[:, t] = da @ params["Wx"].T
        grads["Wx"] += xs[:, t].T @ da
        grads["Wh"] += prev_h.T @ da
        grads["b"] += da.sum(axis=0)
        dh = da @ params["Wh"].T
        dc = dc_total * f
    return dxs, dh, grads


LSTM = {"gates": 4, "memory_gate_block": 1, "memory_gate_bias": 3.0,
        "forward": lstm_layer_forward, "backward": lstm_layer_backward}
