"""The course's LSTM layer (released after notebook 03 grades it), forward and backward
over a parameter dict, and the layer as the trainers take it.

    forward(params, xs, h0) -> (hs, cache)        xs: (N, T, D), h0: (N, H), hs: (N, T, H)
    backward(params, cache, dhs) -> (dxs, dh0, grads)   grads: dict shaped like params

params: Wx: (D, 4H), Wh: (H, 4H), b: (4H,), gate blocks in the order i, f, o, g. The cell
state starts at zero. Everything is computed in the dtype of the inputs (float32 for
training, float64 for gradient checks).

Written for speed, with the same arithmetic as notebook 03's ``lstm_forward``:

* the input part of every step, xs @ Wx + b, is one matrix product for all T steps
  (``lstm_scan`` takes it ready made, so a model can add a part that is the same at every
  step, such as the peeky decoder's h, once); only h @ Wh is left in the time loop;
* the loop runs over time-major arrays (T, N, 4H), so each step's slice is contiguous,
  and writes into arrays allocated once per call (no copies, no concatenation);
* the three sigmoid gates use sigmoid(a) = (1 + tanh(a / 2)) / 2 with the halving folded
  into the weights, so one tanh call covers all four gate blocks;
* the backward pass computes the per-step factors (products of gate values) for all steps
  at once before its loop, and the weight gradients after it as single matrix products.
"""
import numpy as np


def _halve_sigmoid_blocks(a, H):
    """Scale the i, f, o blocks (the first 3H columns) of a by 1/2, in place."""
    a[..., :3 * H] *= 0.5
    return a


def lstm_scan(ax, h0, Wh, c0=None):
    """The LSTM's time loop, given the input pre-activations.

    ax: (T, N, 4H) time-major xs @ Wx + b (overwritten: it becomes the gate values);
    h0: (N, H); Wh: (H, 4H); c0: (N, H) or None (zeros).
    Returns hs: (T + 1, N, H), hs[0] = h0 and hs[t + 1] the state after step t, and the
    cache for ``lstm_scan_backward``.
    """
    T, N, H4 = ax.shape
    H = H4 // 4
    dtype = ax.dtype
    gates = _halve_sigmoid_blocks(ax, H)
    Wh_half = _halve_sigmoid_blocks(Wh.astype(dtype, copy=True), H)
    hs = np.empty((T + 1, N, H), dtype)
    cs = np.empty((T + 1, N, H), dtype)
    tanh_cs = np.empty((T, N, H), dtype)
    hs[0] = h0
    cs[0] = 0.0 if c0 is None else c0
    ig = np.empty((N, H), dtype)
    for t in range(T):
        a = gates[t]
        a += hs[t] @ Wh_half
        np.tanh(a, out=a)              # i, f, o: tanh(a / 2); g: tanh(a)
        s = a[:, :3 * H]
        s *= 0.5
        s += 0.5                       # i, f, o: sigmoid(a)
        i, f, o, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        np.multiply(f, cs[t], out=cs[t + 1])
        np.multiply(i, g, out=ig)
        cs[t + 1] += ig
        np.tanh(cs[t + 1], out=tanh_cs[t])
        np.multiply(o, tanh_cs[t], out=hs[t + 1])
    return hs, (gates, hs, cs, tanh_cs, Wh)


def lstm_scan_backward(cache, dhs):
    """Backward of ``lstm_scan``.

    dhs: (T, N, H) time-major gradient of the loss w.r.t. hs[1:] (overwritten).
    Returns (dax (T, N, 4H), dh0 (N, H), dWh (H, 4H), dc0 (N, H)).
    """
    gates, hs, cs, tanh_cs, Wh = cache
    T, N, H4 = gates.shape
    H = H4 // 4
    g4 = gates.reshape(T, N, 4, H)
    i, f, o, g = g4[:, :, 0], g4[:, :, 1], g4[:, :, 2], g4[:, :, 3]
    # factors of every step, for all steps at once: d a_k = factor_k * (dc or dh)
    factors = np.empty_like(g4)
    factors[:, :, :3] = g4[:, :, :3] * (1.0 - g4[:, :, :3])      # sigmoid'
    factors[:, :, 0] *= g                                        # di = dc * g * i'
    factors[:, :, 1] *= cs[:-1]                                  # df = dc * c_prev * f'
    factors[:, :, 2] *= tanh_cs                                  # do = dh * tanh(c) * o'
    np.multiply(i, 1.0 - g * g, out=factors[:, :, 3])            # dg = dc * i * g'
    dc_from_dh = o * (1.0 - tanh_cs * tanh_cs)                   # dc += dh * this
    dax = np.empty_like(gates)
    d4 = dax.reshape(T, N, 4, H)
    WhT = np.ascontiguousarray(Wh.T, dtype=gates.dtype)
    dh = np.zeros((N, H), gates.dtype)
    dc = np.zeros((N, H), gates.dtype)
    dct = np.empty((N, H), gates.dtype)
    for t in reversed(range(T)):
        dht = dhs[t]
        dht += dh
        np.multiply(dht, dc_from_dh[t], out=dct)
        dct += dc
        np.multiply(factors[t, :, 0:2], dct[:, None], out=d4[t, :, 0:2])
        np.multiply(factors[t, :, 2], dht, out=d4[t, :, 2])
        np.multiply(factors[t, :, 3], dct, out=d4[t, :, 3])
        np.multiply(dct, f[t], out=dc)
        dh = dax[t] @ WhT
    dWh = hs[:-1].reshape(T * N, H).T @ dax.reshape(T * N, H4)
    return dax, dh, dWh, dc


def lstm_step(ax, h, c, Wh):
    """One step, for generation: ax (N, 4H) = x @ Wx + b; h, c: (N, H). Returns (h, c)."""
    a = ax + h @ Wh
    H = h.shape[1]
    s = 0.5 * (np.tanh(0.5 * a[:, :3 * H]) + 1.0)
    c = s[:, H:2 * H] * c + s[:, :H] * np.tanh(a[:, 3 * H:])
    return s[:, 2 * H:] * np.tanh(c), c


def lstm_layer_forward(params, xs, h0):
    N, T, D = xs.shape
    Wx = params["Wx"]
    dtype = np.result_type(xs, Wx)
    xs_tm = xs.transpose(1, 0, 2).reshape(T * N, D)   # time-major copy of the (small) inputs
    ax = (xs_tm @ Wx + params["b"]).astype(dtype, copy=False).reshape(T, N, -1)
    hs, cache = lstm_scan(ax, np.asarray(h0, dtype), params["Wh"])
    return hs[1:].transpose(1, 0, 2), (xs_tm, cache)


def lstm_layer_backward(params, cache, dhs):
    xs_tm, scan_cache = cache
    N, T, _ = dhs.shape
    dax, dh0, dWh, _ = lstm_scan_backward(scan_cache, dhs.transpose(1, 0, 2).copy())
    dax = dax.reshape(T * N, -1)
    grads = {"Wx": xs_tm.T @ dax, "Wh": dWh, "b": dax.sum(axis=0)}
    dxs = (dax @ params["Wx"].T).reshape(T, N, -1).transpose(1, 0, 2)
    return dxs, dh0, grads


LSTM = {"gates": 4, "memory_gate_block": 1, "memory_gate_bias": 3.0,
        "forward": lstm_layer_forward, "backward": lstm_layer_backward}
