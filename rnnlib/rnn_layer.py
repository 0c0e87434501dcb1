"""Recurrent layers for the practice sections (training runs), as parameter dicts.

These are the *course-provided* versions of the layers that earlier notebooks ask you to
write (simple RNN, LSTM), so that a later notebook can compare its new layer with them.
Each layer is a pair of functions over a parameter dict:

    forward(params, xs, h0) -> (hs, cache)       xs: (N, T, D), h0: (N, H), hs: (N, T, H)
    backward(params, cache, dhs) -> (dxs, dh0, grads)   grads: dict shaped like params

Parameters: Wx: (D, G*H), Wh: (H, G*H), b: (G*H,), with G = 1 (RNN) or 4 (LSTM, gate
blocks in the order i, f, o, g).
"""
import numpy as np

from .activations import sigmoid


def init_recurrent(rng, D, H, gates=1, memory_gate_block=None, memory_gate_bias=1.0):
    """Xavier-scaled weights and zero biases for a layer with ``gates`` blocks.

    memory_gate_block: index of the block of the gate that decides how much of the old
    state is kept (the LSTM's forget gate; the GRU's update gate). Its bias starts at
    ``memory_gate_bias`` (LSTM: +3, so f ~ 0.95; GRU: -2, so z ~ 0.12) so that the
    state is kept from the start of training.
    """
    params = {"Wx": rng.standard_normal((D, gates * H)) / np.sqrt(D),
              "Wh": rng.standard_normal((H, gates * H)) / np.sqrt(H),
              "b": np.zeros(gates * H)}
    if memory_gate_block is not None:
        params["b"][memory_gate_block * H:(memory_gate_block + 1) * H] = memory_gate_bias
    return params


def rnn_layer_forward(params, xs, h0):
    N, T, _ = xs.shape
    hs = np.empty((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = np.tanh(xs[:, t] @ params["Wx"] + h @ params["Wh"] + params["b"])
        hs[:, t] = h
    return hs, (xs, h0, hs)


def rnn_layer_backward(params, cache, dhs):
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


RNN = {"gates": 1, "forward": rnn_layer_forward, "backward": rnn_layer_backward}
LSTM = {"gates": 4, "memory_gate_block": 1, "memory_gate_bias": 3.0,
        "forward": lstm_layer_forward, "backward": lstm_layer_backward}
