"""Hidden references and misconceptions for notebook 02_bptt (instructor-only)."""
import numpy as np

from rnnlib.activations import sigmoid

from autograder.items.base import (Case, FunctionProblem, Misconception, ValueProblem,
                                   normalise_choice)
from autograder.items.rnn import rnn_forward_reference


# --- 02_bptt.dz_dx (1 point) ----------------------------------------------------------------------

def chain_cases(rng):
    cases = [Case((1.5, -0.5), "x=1.5, y=-0.5"), Case((0.0, 2.0), "x=0, y=2")]
    for n in (3, 6):
        cases.append(Case((rng.standard_normal(n), rng.standard_normal(n)), f"arrays of size {n}",
                          label_ja=f"大きさ {n} の配列"))
    return cases


def dz_dx_reference(x, y):
    return 2 * (x + y)


def dz_dx_expanded(x, y):
    return 2 * x + 2 * y


def dz_dx_chain(x, y):
    t = x + y
    dz_dt = 2 * t
    dt_dx = 1
    return dz_dt * dt_dx


def dz_dx_only_x(x, y):
    return 2 * x


def dz_dx_returns_z(x, y):
    return (x + y) ** 2


def dz_dx_dt_dx_two(x, y):
    return 2 * (x + y) * 2


DZ_DX = FunctionProblem(
    grade_id="02_bptt.dz_dx", points=1, student_object="dz_dx",
    make_cases=chain_cases, reference=dz_dx_reference,
    misconceptions=[
        Misconception("only_x", "only the x in t = x + y is kept (dz/dx = 2x)", dz_dx_only_x,
                      hint_ja="t = x + y のうち x だけを残して dz/dx = 2x とすると、この出力になります。"),
        Misconception(
            "returns_z",
            "z itself is returned instead of its derivative",
            dz_dx_returns_z,
            hint_ja="微分ではなく z そのもの (x + y)**2 を返すと、この出力になります。"),
        Misconception("dt_dx_two", "dt/dx is taken as 2 instead of 1", dz_dx_dt_dx_two,
                      hint_ja="dt/dx を 1 ではなく 2 とすると、この出力になります。"),
    ],
    alternatives=[dz_dx_expanded, dz_dx_chain],
)


# --- 02_bptt.first_output (2 points) --------------------------------------------------------------

def first_output_cases(rng):
    cases = []
    for N, D, H, O in [(1, 2, 3, 1), (2, 3, 4, 2), (4, 5, 6, 3)]:
        args = (rng.standard_normal((N, D)), rng.standard_normal((N, H)),
                rng.standard_normal((D, H)), rng.standard_normal((H, H)) * 0.5,
                rng.standard_normal((H, O)), rng.standard_normal(H), rng.standard_normal(O))
        cases.append(Case(args, f"N={N}, D={D}, H={H}, O={O}"))
    return cases


def first_output_reference(x1, z0, W_in, W, W_out, b, c):
    z1 = sigmoid(x1 @ W_in + z0 @ W + b)
    return sigmoid(z1 @ W_out + c)


def first_output_dot(x1, z0, W_in, W, W_out, b, c):
    u1 = np.dot(x1, W_in) + np.dot(z0, W) + b
    z1 = 1 / (1 + np.exp(-u1))
    return 1 / (1 + np.exp(-(np.dot(z1, W_out) + c)))


def first_output_tanh_form(x1, z0, W_in, W, W_out, b, c):
    # sigmoid(u) = (1 + tanh(u / 2)) / 2
    z1 = 0.5 * (1 + np.tanh(0.5 * (x1 @ W_in + z0 @ W + b)))
    return 0.5 * (1 + np.tanh(0.5 * (z1 @ W_out + c)))


def first_output_no_c(x1, z0, W_in, W, W_out, b, c):
    z1 = 1 / (1 + np.exp(-(x1 @ W_in + z0 @ W + b)))
    return 1 / (1 + np.exp(-(z1 @ W_out)))


def first_output_no_b(x1, z0, W_in, W, W_out, b, c):
    z1 = 1 / (1 + np.exp(-(x1 @ W_in + z0 @ W)))
    return 1 / (1 + np.exp(-(z1 @ W_out + c)))


def first_output_no_z0(x1, z0, W_in, W, W_out, b, c):
    z1 = 1 / (1 + np.exp(-(x1 @ W_in + b)))
    return 1 / (1 + np.exp(-(z1 @ W_out + c)))


def first_output_no_g(x1, z0, W_in, W, W_out, b, c):
    z1 = 1 / (1 + np.exp(-(x1 @ W_in + z0 @ W + b)))
    return z1 @ W_out + c


FIRST_OUTPUT = FunctionProblem(
    grade_id="02_bptt.first_output", points=2, student_object="first_output",
    make_cases=first_output_cases, reference=first_output_reference,
    misconceptions=[
        Misconception("no_c", "the output bias c is left out", first_output_no_c,
                      hint_ja="出力層のバイアス c を入れ忘れると、この出力になります。"),
        Misconception("no_b", "the hidden bias b is left out", first_output_no_b,
                      hint_ja="中間層のバイアス b を入れ忘れると、この出力になります。"),
        Misconception("no_z0", "the previous state z0 @ W is left out", first_output_no_z0,
                      hint_ja="前の状態の項 z0 @ W を入れ忘れると、この出力になります。"),
        Misconception(
            "no_g",
            "the output activation g (sigmoid) is not applied",
            first_output_no_g,
            hint_ja="出力層の活性化関数 g (シグモイド関数) を適用し忘れると、この出力になります。"),
    ],
    alternatives=[first_output_dot, first_output_tanh_form],
)


# --- 02_bptt.bptt_choice (1 point) ----------------------------------------------------------------
# Code challenge 2 asked as the exam asks it: the step back in time of the BPTT loop.

BPTT_CHOICE = ValueProblem(
    grade_id="02_bptt.bptt_choice", points=1, student_object="bptt_choice",
    answer="a", normalise=normalise_choice, choice=True,
    alternatives=["A", " (a) "],
    misconceptions=[
        Misconception(
            "output_weight",
            "choice (b) multiplies by the output weight V: V takes h_s to the output o_s, "
            "it does not link h_s to h_{s-1}; the step back in time goes through the weight "
            "that carries h_{s-1} into h_s.",
            "b",
            hint_ja="(b) は出力層の重み V を掛けていますが、V は h_s を出力 o_s に運ぶ重みで、h_s と "
                    "h_{s-1} を結んではいません。時間を 1 ステップさかのぼるには、h_{s-1} を h_s に運ぶ"
                    "重みを通ります。"),
        Misconception(
            "input_weight",
            "choice (c) multiplies by the input weight W: that gives an error at the input "
            "x_s (shape (N, D)), not at the previous hidden state; the blank needs the "
            "weight that carries h_{s-1} into h_s.",
            "c",
            hint_ja="(c) は入力の重み W を掛けていますが、それで得られるのは入力 x_s での誤差 "
                    "(形 (N, D)) で、1 つ前の隠れ状態での誤差ではありません。空欄には h_{s-1} を "
                    "h_s に運ぶ重みが必要です。"),
        Misconception(
            "elementwise",
            "choice (d) multiplies element-wise: delta_t (N, H) times a (H, H) matrix is "
            "not a chain rule through a matrix product (and only broadcasts when N = H); "
            "the blank needs a matrix product.",
            "d",
            hint_ja="(d) は要素ごとの積ですが、delta_t (N, H) と (H, H) の行列の要素ごとの積は、"
                    "行列積を通る連鎖律ではありません (しかもブロードキャストできるのは N = H のとき"
                    "だけです)。空欄には行列積が必要です。"),
    ],
)


# --- 02_bptt.bptt (2 points) ----------------------------------------------------------------------
# The code challenge, in the notes' convention: h_t = x_t W^T + h_{t-1} U^T.

def bptt_cases(rng):
    cases = []
    # The first case has N = D = H = O so that every wrong step back still computes and
    # its output can be recognised.
    for N, T, D, H, O in [(3, 4, 3, 3, 3), (2, 5, 4, 3, 2), (5, 6, 2, 4, 3)]:
        args = (rng.standard_normal((N, T, D)), rng.standard_normal((N, T, O)),
                rng.standard_normal((H, D)) * 0.5, rng.standard_normal((H, H)) * 0.4,
                rng.standard_normal((O, H)) * 0.5)
        cases.append(Case(args, f"N={N}, T={T}, D={D}, H={H}, O={O}"))
    return cases


def rnn_net(xs, W, U, V):
    """Identity-activation RNN as in the challenge: hiddens (N, T, H), outputs (N, T, O)."""
    N, T, _ = xs.shape
    hiddens = np.zeros((N, T, W.shape[0]))
    h = np.zeros((N, W.shape[0]))
    for t in range(T):
        h = xs[:, t] @ W.T + h @ U.T
        hiddens[:, t] = h
    return hiddens, hiddens @ V.T


def bptt_reference(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ prev_h / N
            delta_t = delta_t @ U
    return dW, dU, dV


def bptt_dot_form(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += np.dot(do[:, t].T, hiddens[:, t]) / N
        delta_t = do[:, t].dot(V)
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += np.dot(delta_t.T, xs[:, s]) / N
            dU += np.dot(delta_t.T, prev_h) / N
            delta_t = delta_t.dot(U)
    return dW, dU, dV


def bptt_matmul_function(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    padded = np.concatenate([np.zeros_like(hiddens[:, :1]), hiddens], axis=1)
    for t in reversed(range(T)):
        dV = dV + np.matmul(do[:, t].T, hiddens[:, t]) / N
        delta_t = np.matmul(do[:, t], V)
        for s in range(t, -1, -1):
            dW = dW + np.matmul(delta_t.T, xs[:, s]) / N
            dU = dU + np.matmul(delta_t.T, padded[:, s]) / N
            delta_t = np.matmul(delta_t, U)
    return dW, dU, dV


def bptt_step_back_with_W(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ prev_h / N
            delta_t = delta_t @ W
    return dW, dU, dV


def bptt_step_back_with_V(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ prev_h / N
            delta_t = delta_t @ V
    return dW, dU, dV


def bptt_step_back_elementwise(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ prev_h / N
            delta_t = delta_t * U
    return dW, dU, dV


def bptt_dV_overwritten(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV = do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ prev_h / N
            delta_t = delta_t @ U
    return dW, dU, dV


def bptt_wrapped_initial_state(xs, ys, W, U, V):
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V
        for s in reversed(range(t + 1)):
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ hiddens[:, s - 1] / N
            delta_t = delta_t @ U
    return dW, dU, dV


BPTT = FunctionProblem(
    grade_id="02_bptt.bptt", points=2, student_object="bptt",
    outputs=("dW", "dU", "dV"),
    make_cases=bptt_cases, reference=bptt_reference,
    misconceptions=[
        Misconception(
            "step_back_with_W",
            "the step back in time multiplies by the input weight W instead of U",
            bptt_step_back_with_W,
            hint_ja="時間を 1 ステップさかのぼるときに U ではなく入力の重み W を掛けると、この出力に"
                    "なります。"),
        Misconception(
            "step_back_with_V",
            "the step back in time multiplies by the output weight V instead of U",
            bptt_step_back_with_V,
            hint_ja="時間を 1 ステップさかのぼるときに U ではなく出力層の重み V を掛けると、この出力に"
                    "なります。"),
        Misconception(
            "step_back_elementwise",
            "delta_t is multiplied element-wise (* U) instead of by the matrix (@ U)",
            bptt_step_back_elementwise,
            hint_ja="delta_t に行列積 (@ U) ではなく要素ごとの積 (* U) を使うと、この出力になります。"),
        Misconception(
            "dV_overwritten",
            "dV is overwritten at every step instead of accumulated (erratum 4)",
            bptt_dV_overwritten,
            hint_ja="dV を毎ステップ足し合わせずに上書きすると (ノートの誤り 4)、この出力になります。"),
        Misconception(
            "wrapped_initial_state",
            "at step 0 hiddens[:, -1] (the last state) is used instead of the zero initial "
            "state (erratum 4)",
            bptt_wrapped_initial_state,
            hint_ja="時刻 0 でゼロの初期状態ではなく hiddens[:, -1] (最後の状態) を使うと "
                    "(ノートの誤り 4)、この出力になります。"),
    ],
    alternatives=[bptt_dot_form, bptt_matmul_function],
)


# --- 02_bptt.rnn_step_backward (3 points) ---------------------------------------------------------

def step_backward_cases(rng):
    cases = []
    for N, D, H in [(1, 2, 2), (3, 4, 5), (4, 3, 6)]:
        x, prev_h = rng.standard_normal((N, D)), np.tanh(rng.standard_normal((N, H)))
        Wx, Wh, b = (rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5,
                     rng.standard_normal(H) * 0.1)
        next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
        cases.append(Case((rng.standard_normal((N, H)), x, prev_h, Wx, Wh, next_h),
                          f"N={N}, D={D}, H={H}"))
    return cases


def rnn_step_backward_reference(dnext_h, x, prev_h, Wx, Wh, next_h):
    da = dnext_h * (1.0 - next_h**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_step_backward_dot(dnext_h, x, prev_h, Wx, Wh, next_h):
    da = dnext_h * (1 - np.square(next_h))
    return da.dot(Wx.T), da.dot(Wh.T), x.T.dot(da), prev_h.T.dot(da), np.sum(da, axis=0)


def rnn_step_backward_einsum(dnext_h, x, prev_h, Wx, Wh, next_h):
    da = dnext_h - dnext_h * next_h * next_h
    dx = np.einsum("nh,dh->nd", da, Wx)
    dprev_h = np.einsum("nh,kh->nk", da, Wh)
    return dx, dprev_h, np.einsum("nd,nh->dh", x, da), np.einsum("nk,nh->kh", prev_h, da), da.sum(0)


def rnn_step_backward_no_square(dnext_h, x, prev_h, Wx, Wh, next_h):
    da = dnext_h * (1.0 - next_h)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_step_backward_tanh_of_output(dnext_h, x, prev_h, Wx, Wh, next_h):
    da = dnext_h * (1.0 - np.tanh(next_h) ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_step_backward_untransposed_wh(dnext_h, x, prev_h, Wx, Wh, next_h):
    da = dnext_h * (1.0 - next_h**2)
    return da @ Wx.T, da @ Wh, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_step_backward_no_tanh_derivative(dnext_h, x, prev_h, Wx, Wh, next_h):
    da = dnext_h
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


RNN_STEP_BACKWARD = FunctionProblem(
    grade_id="02_bptt.rnn_step_backward", points=3, student_object="rnn_step_backward",
    outputs=("dx", "dprev_h", "dWx", "dWh", "db"),
    make_cases=step_backward_cases, reference=rnn_step_backward_reference,
    misconceptions=[
        Misconception(
            "no_square",
            "the tanh derivative is written 1 - next_h instead of 1 - next_h**2",
            rnn_step_backward_no_square,
            hint_ja="tanh の微分を 1 - next_h**2 ではなく 1 - next_h と書くと、この出力になります。"),
        Misconception(
            "tanh_of_output",
            "the derivative is computed as 1 - tanh(next_h)**2, applying tanh twice",
            rnn_step_backward_tanh_of_output,
            hint_ja="微分を 1 - tanh(next_h)**2 として tanh を 2 回適用すると、この出力になります。"
                    "next_h はすでに tanh の出力です。"),
        Misconception(
            "untransposed_wh",
            "dprev_h uses Wh instead of Wh.T",
            rnn_step_backward_untransposed_wh,
            hint_ja="dprev_h の計算で Wh.T ではなく Wh を使うと、この出力になります。"),
        Misconception(
            "no_tanh_derivative",
            "the tanh derivative is left out",
            rnn_step_backward_no_tanh_derivative,
            hint_ja="tanh の微分を掛け忘れると、この出力になります。"),
    ],
    alternatives=[rnn_step_backward_dot, rnn_step_backward_einsum],
)


# --- 02_bptt.rnn_backward (3 points) --------------------------------------------------------------

def sequence_backward_cases(rng):
    cases = []
    for N, T, D, H in [(1, 2, 2, 3), (2, 4, 3, 4), (3, 6, 4, 5)]:
        xs, h0 = rng.standard_normal((N, T, D)), np.tanh(rng.standard_normal((N, H)))
        Wx, Wh, b = (rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5,
                     rng.standard_normal(H) * 0.1)
        hs = rnn_forward_reference(xs, h0, Wx, Wh, b)
        cases.append(Case((rng.standard_normal((N, T, H)), xs, h0, Wx, Wh, hs),
                          f"N={N}, T={T}, D={D}, H={H}"))
    return cases


def rnn_backward_reference(dhs, xs, h0, Wx, Wh, hs):
    N, T, _ = xs.shape
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
    dprev_h = np.zeros_like(h0)
    for t in reversed(range(T)):
        prev_h = hs[:, t - 1] if t > 0 else h0
        dx, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward_reference(
            dhs[:, t] + dprev_h, xs[:, t], prev_h, Wx, Wh, hs[:, t])
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dprev_h, dWx, dWh, db


def rnn_backward_vectorised_weights(dhs, xs, h0, Wx, Wh, hs):
    T = xs.shape[1]
    prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    das = np.zeros_like(hs)
    dh = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        das[:, t] = (dhs[:, t] + dh) * (1 - hs[:, t] ** 2)
        dh = das[:, t] @ Wh.T
    dxs = das @ Wx.T
    dWx = np.einsum("ntd,nth->dh", xs, das)
    dWh = np.einsum("ntk,nth->kh", prev, das)
    return dxs, dh, dWx, dWh, das.sum(axis=(0, 1))


def rnn_backward_list(dhs, xs, h0, Wx, Wh, hs):
    grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])]
    dx_list = []
    dh = np.zeros_like(h0)
    for t in reversed(range(xs.shape[1])):
        prev_h = h0 if t == 0 else hs[:, t - 1]
        da = (dhs[:, t] + dh) * (1 - hs[:, t] ** 2)
        dx_list.insert(0, da.dot(Wx.T))
        grads[0] += xs[:, t].T.dot(da)
        grads[1] += prev_h.T.dot(da)
        grads[2] += da.sum(axis=0)
        dh = da.dot(Wh.T)
    return np.stack(dx_list, axis=1), dh, grads[0], grads[1], grads[2]


def rnn_backward_no_carry(dhs, xs, h0, Wx, Wh, hs):
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
    dh0 = np.zeros_like(h0)
    for t in reversed(range(xs.shape[1])):
        prev_h = hs[:, t - 1] if t > 0 else h0
        da = dhs[:, t] * (1 - hs[:, t] ** 2)
        dxs[:, t] = da @ Wx.T
        dWx += xs[:, t].T @ da
        dWh += prev_h.T @ da
        db += da.sum(axis=0)
        dh0 = da @ Wh.T
    return dxs, dh0, dWx, dWh, db


def rnn_backward_overwritten_weights(dhs, xs, h0, Wx, Wh, hs):
    dxs = np.zeros_like(xs)
    dh = np.zeros_like(h0)
    for t in reversed(range(xs.shape[1])):
        prev_h = hs[:, t - 1] if t > 0 else h0
        da = (dhs[:, t] + dh) * (1 - hs[:, t] ** 2)
        dxs[:, t] = da @ Wx.T
        dWx = xs[:, t].T @ da
        dWh = prev_h.T @ da
        db = da.sum(axis=0)
        dh = da @ Wh.T
    return dxs, dh, dWx, dWh, db


def rnn_backward_wrapped_h0(dhs, xs, h0, Wx, Wh, hs):
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
    dh = np.zeros_like(h0)
    for t in reversed(range(xs.shape[1])):
        da = (dhs[:, t] + dh) * (1 - hs[:, t] ** 2)
        dxs[:, t] = da @ Wx.T
        dWx += xs[:, t].T @ da
        dWh += hs[:, t - 1].T @ da
        db += da.sum(axis=0)
        dh = da @ Wh.T
    return dxs, dh, dWx, dWh, db


RNN_BACKWARD = FunctionProblem(
    grade_id="02_bptt.rnn_backward", points=3, student_object="rnn_backward",
    outputs=("dxs", "dh0", "dWx", "dWh", "db"),
    depends_on=("02_bptt.rnn_step_backward",),
    make_cases=sequence_backward_cases, reference=rnn_backward_reference,
    misconceptions=[
        Misconception(
            "no_carry",
            "the gradient flowing back from the next step (dprev_h) is not added to dhs[:, t]",
            rnn_backward_no_carry,
            hint_ja="次の時刻から戻ってくる勾配 (dprev_h) を dhs[:, t] に足し忘れると、この出力に"
                    "なります。"),
        Misconception(
            "overwritten_weights",
            "the weight gradients are overwritten at each step instead of summed over time",
            rnn_backward_overwritten_weights,
            hint_ja="重みの勾配を時刻について足し合わせずに毎ステップ上書きすると、この出力に"
                    "なります。"),
        Misconception(
            "wrapped_h0",
            "at t = 0 the previous state is taken as hs[:, -1] instead of h0",
            rnn_backward_wrapped_h0,
            hint_ja="t = 0 で前の状態として h0 ではなく hs[:, -1] を使うと、この出力になります。"),
    ],
    alternatives=[rnn_backward_vectorised_weights, rnn_backward_list],
)
