"""Every hidden reference of a backward pass agrees with centred-difference gradients of
the matching forward reference (relative error < 1e-6 in float64), and the course-provided
layers of rnnlib agree with the references (an independent implementation)."""
import numpy as np
import pytest

from autograder.items import bptt, lstm
from rnnlib.gradcheck import numerical_gradient, numerical_gradient_array, rel_error
from rnnlib.lstm_layer import lstm_layer_backward, lstm_layer_forward
from rnnlib.rnn_layer import rnn_layer_forward
from rnnlib.rnn_layer_backward import rnn_layer_backward

TOL = 1e-6


def check_all(analytic, forward, inputs, dout):
    """analytic: {name: gradient}; forward(**inputs) -> output; compare each name."""
    for name, grad in analytic.items():
        def f(value, name=name):
            return forward(**{**inputs, name: value})
        numerical = numerical_gradient_array(f, inputs[name].copy(), dout)
        assert rel_error(grad, numerical) < TOL, name


def rng():
    return np.random.default_rng(42)


def test_rnn_step_backward_reference():
    r = rng()
    x, prev_h = r.standard_normal((3, 4)), r.standard_normal((3, 5))
    Wx, Wh, b = r.standard_normal((4, 5)), r.standard_normal((5, 5)) * 0.5, r.standard_normal(5)
    dnext = r.standard_normal((3, 5))

    def forward(x, prev_h, Wx, Wh, b):
        return np.tanh(x @ Wx + prev_h @ Wh + b)

    dx, dprev_h, dWx, dWh, db = bptt.rnn_step_backward_reference(
        dnext, x, prev_h, Wx, Wh, forward(x, prev_h, Wx, Wh, b))
    check_all({"x": dx, "prev_h": dprev_h, "Wx": dWx, "Wh": dWh, "b": db}, forward,
              {"x": x, "prev_h": prev_h, "Wx": Wx, "Wh": Wh, "b": b}, dnext)


def test_rnn_backward_reference_and_the_course_layer():
    r = rng()
    xs, h0 = r.standard_normal((2, 5, 3)), r.standard_normal((2, 4))
    Wx, Wh, b = r.standard_normal((3, 4)), r.standard_normal((4, 4)) * 0.5, r.standard_normal(4)
    dhs = r.standard_normal((2, 5, 4))

    def forward(xs, h0, Wx, Wh, b):
        return rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": b}, xs, h0)[0]

    hs = forward(xs, h0, Wx, Wh, b)
    dxs, dh0, dWx, dWh, db = bptt.rnn_backward_reference(dhs, xs, h0, Wx, Wh, hs)
    check_all({"xs": dxs, "h0": dh0, "Wx": dWx, "Wh": dWh, "b": db}, forward,
              {"xs": xs, "h0": h0, "Wx": Wx, "Wh": Wh, "b": b}, dhs)
    params = {"Wx": Wx, "Wh": Wh, "b": b}
    l_dxs, l_dh0, l_grads = rnn_layer_backward(params, rnn_layer_forward(params, xs, h0)[1], dhs)
    assert rel_error(l_dxs, dxs) < TOL and rel_error(l_dh0, dh0) < TOL
    assert all(rel_error(l_grads[k], v) < TOL for k, v in {"Wx": dWx, "Wh": dWh, "b": db}.items())


def test_bptt_challenge_reference():
    r = rng()
    xs, ys = r.standard_normal((2, 4, 3)), r.standard_normal((2, 4, 2))
    W, U, V = r.standard_normal((5, 3)) * 0.5, r.standard_normal((5, 5)) * 0.4, r.standard_normal((2, 5))

    def loss(W, U, V):
        return 0.5 * np.sum((bptt.rnn_net(xs, W, U, V)[1] - ys) ** 2) / len(xs)

    dW, dU, dV = bptt.bptt_reference(xs, ys, W, U, V)
    assert rel_error(dW, numerical_gradient(lambda w: loss(w, U, V), W.copy())) < TOL
    assert rel_error(dU, numerical_gradient(lambda u: loss(W, u, V), U.copy())) < TOL
    assert rel_error(dV, numerical_gradient(lambda v: loss(W, U, v), V.copy())) < TOL


def test_first_output_and_chain_rule_references():
    x, y = np.array([0.3, -0.7]), np.array([1.1, 0.2])
    numerical = numerical_gradient(lambda v: np.sum((v + y) ** 2), x.copy())
    assert rel_error(bptt.dz_dx_reference(x, y), numerical) < TOL


def lstm_inputs(r, N=2, D=3, H=4):
    return (r.standard_normal((N, D)), r.standard_normal((N, H)), r.standard_normal((N, H)),
            r.standard_normal((D, 4 * H)) * 0.5, r.standard_normal((H, 4 * H)) * 0.5,
            r.standard_normal(4 * H) * 0.3)


def test_lstm_step_backward_reference():
    r = rng()
    x, prev_h, prev_c, Wx, Wh, b = lstm_inputs(r)
    dh, dc = r.standard_normal(prev_h.shape), r.standard_normal(prev_h.shape)

    def forward(x, prev_h, prev_c, Wx, Wh, b):
        next_h, next_c = lstm.lstm_step_forward_reference(x, prev_h, prev_c, Wx, Wh, b)
        return np.stack([next_h, next_c])

    dout = np.stack([dh, dc])
    dx, dprev_h, dprev_c, dWx, dWh, db = lstm.lstm_step_backward_reference(dh, dc, x, prev_h, prev_c, Wx, Wh, b)
    check_all({"x": dx, "prev_h": dprev_h, "prev_c": dprev_c, "Wx": dWx, "Wh": dWh, "b": db},
              forward, {"x": x, "prev_h": prev_h, "prev_c": prev_c, "Wx": Wx, "Wh": Wh, "b": b}, dout)


def test_lstm_backward_reference_and_the_course_layer():
    r = rng()
    N, T, D, H = 2, 5, 3, 4
    xs, h0 = r.standard_normal((N, T, D)), r.standard_normal((N, H))
    Wx, Wh, b = r.standard_normal((D, 4 * H)) * 0.5, r.standard_normal((H, 4 * H)) * 0.5, r.standard_normal(4 * H)
    dhs = r.standard_normal((N, T, H))

    def forward(xs, h0, Wx, Wh, b):
        return lstm.lstm_forward_reference(xs, h0, Wx, Wh, b)

    dxs, dh0, dWx, dWh, db = lstm.lstm_backward_reference(dhs, xs, h0, Wx, Wh, b)
    check_all({"xs": dxs, "h0": dh0, "Wx": dWx, "Wh": dWh, "b": db}, forward,
              {"xs": xs, "h0": h0, "Wx": Wx, "Wh": Wh, "b": b}, dhs)
    params = {"Wx": Wx, "Wh": Wh, "b": b}
    hs, cache = lstm_layer_forward(params, xs, h0)
    assert rel_error(hs, forward(xs, h0, Wx, Wh, b)) < TOL
    l_dxs, l_dh0, l_grads = lstm_layer_backward(params, cache, dhs)
    assert rel_error(l_dxs, dxs) < TOL and rel_error(l_dh0, dh0) < TOL
    assert all(rel_error(l_grads[k], v) < TOL for k, v in {"Wx": dWx, "Wh": dWh, "b": db}.items())


@pytest.mark.parametrize("clip", [lstm.clip_grad_norm_reference])
def test_clipping_keeps_the_direction_and_caps_the_norm(clip):
    g = np.array([3.0, 4.0])
    np.testing.assert_allclose(clip(g, 1.0), [0.6, 0.8])
    np.testing.assert_allclose(clip(g, 10.0), g)
    out = lstm.clip_global_reference([np.array([3.0]), np.array([4.0])], 1.0)
    np.testing.assert_allclose(np.concatenate(out), [0.6, 0.8])


def test_gru_cell_reference_agrees_with_the_stacked_step():
    from autograder.items import gru
    r = rng()
    N, D, H = 3, 4, 2
    x, h = r.standard_normal((N, D)), r.standard_normal((N, H))
    Wz, Wr, Wc = (r.standard_normal((D, H)) for _ in range(3))
    Uz, Ur, Uc = (r.standard_normal((H, H)) for _ in range(3))
    stacked = gru.gru_step_forward_reference(x, h, np.hstack([Wz, Wr, Wc]), np.hstack([Uz, Ur, Uc]),
                                             np.zeros(3 * H))
    assert rel_error(gru.gru_cell_reference(x, h, Wr, Ur, Wz, Uz, Wc, Uc), stacked) < 1e-12


def test_gru_step_backward_reference():
    from autograder.items import gru
    r = rng()
    N, D, H = 3, 4, 5
    inputs = {"x": r.standard_normal((N, D)), "prev_h": r.standard_normal((N, H)),
              "Wx": r.standard_normal((D, 3 * H)) * 0.5, "Wh": r.standard_normal((H, 3 * H)) * 0.5,
              "b": r.standard_normal(3 * H)}
    dnext = r.standard_normal((N, H))
    grads = dict(zip(["x", "prev_h", "Wx", "Wh", "b"], gru.gru_step_backward_reference(dnext, **inputs)))
    check_all(grads, gru.gru_step_forward_reference, inputs, dnext)


def test_gru_backward_reference():
    from autograder.items import gru
    r = rng()
    N, T, D, H = 2, 5, 3, 4
    inputs = {"xs": r.standard_normal((N, T, D)), "h0": r.standard_normal((N, H)),
              "Wx": r.standard_normal((D, 3 * H)) * 0.5, "Wh": r.standard_normal((H, 3 * H)) * 0.5,
              "b": r.standard_normal(3 * H)}
    dhs = r.standard_normal((N, T, H))
    grads = dict(zip(["xs", "h0", "Wx", "Wh", "b"], gru.gru_backward_reference(dhs, **inputs)))
    check_all(grads, gru.gru_forward_reference, inputs, dhs)


def test_parameter_counts_match_the_stacked_shapes():
    from autograder.items import gru
    D, H = 7, 5
    assert gru.lstm_param_count_reference(D, H) == D * 4 * H + H * 4 * H + 4 * H
    assert gru.gru_param_count_reference(D, H) == D * 3 * H + H * 3 * H + 3 * H
