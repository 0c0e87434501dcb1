"""Hidden references and misconceptions for notebook 04_gru (instructor-only).

Convention (the notes'): h_new = (1 - z) * h + z * h_bar; z is the update gate, r the
reset gate. Stacked weights: Wx: (D, 3H), Wh: (H, 3H), b: (3H,) in block order z, r, h_bar.
"""
import numpy as np

from rnnlib.activations import sigmoid

from autograder.items.base import (Case, FunctionProblem, Misconception, ValueProblem,
                                   normalise_choice)


# --- shared helpers -------------------------------------------------------------------------------

def _gru_params(rng, D, H):
    return (rng.standard_normal((D, 3 * H)) * 0.5, rng.standard_normal((H, 3 * H)) * 0.5,
            rng.standard_normal(3 * H) * 0.2)


# The cases of 04_gru.lstm_param_count and 04_gru.gru_param_count.
def count_cases(rng):
    cases = [Case((100, 100), "D=100, H=100"), Case((3, 5), "D=3, H=5")]
    for _ in range(3):
        D, H = int(rng.integers(1, 300)), int(rng.integers(1, 300))
        cases.append(Case((D, H), f"D={D}, H={H}"))
    return cases


# Alternatives and misconceptions are pasted into notebooks as a student's code, so they
# call the other items by their notebook names, bound here to the references (defined in the
# items' blocks below).
def gru_step_forward(x, prev_h, Wx, Wh, b):
    return gru_step_forward_reference(x, prev_h, Wx, Wh, b)


def gru_forward(xs, h0, Wx, Wh, b):
    return gru_forward_reference(xs, h0, Wx, Wh, b)


def gru_step_backward(dnext_h, x, prev_h, Wx, Wh, b):
    return gru_step_backward_reference(dnext_h, x, prev_h, Wx, Wh, b)


# --- 04_gru.gru_choice (1 point) ------------------------------------------------------------------
# Code challenge 5 asked as the exam asks it: the new hidden state of the GRU.

GRU_CHOICE = ValueProblem(
    grade_id="04_gru.gru_choice", points=1, student_object="gru_choice",
    answer="c", normalise=normalise_choice, choice=True,
    alternatives=["C", " (c) "],
    misconceptions=[
        Misconception(
            "roles_swapped",
            "choice (a) gives z the opposite role: with it z -> 1 keeps the old state, "
            "which is PyTorch's convention, not this course's; here z -> 1 takes the "
            "candidate h_bar, z -> 0 keeps h.",
            "a",
            hint_ja="(a) は z の役割を逆にしています。これだと z -> 1 で古い状態を保つことになり、"
                    "PyTorch の nn.GRU の更新式の向きです。このコースでは z -> 1 で候補 h_bar を"
                    "取り込み、z -> 0 で h を保ちます。"),
        Misconception(
            "reset_gate",
            "choice (b) interpolates with the reset gate r: r only decides how much of h "
            "the candidate h_bar may look at; choosing between the old state and the "
            "candidate is the update gate's job.",
            "b",
            hint_ja="(b) はリセットゲート r で混ぜています。r が決めるのは、候補 h_bar が h を"
                    "どれだけ参照できるかだけです。古い状態と候補のどちらを取るかを決めるのは"
                    "更新ゲートの役目です。"),
        Misconception(
            "candidate_only",
            "choice (d) returns the candidate alone: then the update gate is never used and "
            "the state cannot be carried unchanged over many steps; the new state mixes the "
            "old state and the candidate.",
            "d",
            hint_ja="(d) は候補だけを返しています。これでは更新ゲートがまったく使われず、状態を"
                    "多くのステップにわたってそのまま運べません。新しい状態は古い状態と候補を"
                    "混ぜたものです。"),
    ],
)


# --- 04_gru.gru_cell (2 points) -------------------------------------------------------------------
# The code challenge: one GRU cell with separate weights.

def gru_cell_cases(rng):
    cases = []
    for N, D, H in [(1, 1, 1), (2, 3, 4), (5, 4, 3)]:
        weights = []
        for _ in range(3):
            weights += [rng.standard_normal((D, H)) * 0.6, rng.standard_normal((H, H)) * 0.6]
        cases.append(Case((rng.standard_normal((N, D)), np.tanh(rng.standard_normal((N, H))),
                           *weights), f"N={N}, D={D}, H={H}"))
    return cases


def gru_cell_reference(x, h, W_r, U_r, W_z, U_z, W, U):
    r = sigmoid(x @ W_r + h @ U_r)
    z = sigmoid(x @ W_z + h @ U_z)
    h_bar = np.tanh(x @ W + (r * h) @ U)
    return (1 - z) * h + z * h_bar


def gru_cell_dot(x, h, W_r, U_r, W_z, U_z, W, U):
    r = 1 / (1 + np.exp(-(x.dot(W_r) + h.dot(U_r))))
    z = 1 / (1 + np.exp(-(x.dot(W_z) + h.dot(U_z))))
    h_bar = np.tanh(x.dot(W) + np.multiply(r, h).dot(U))
    return h + z * (h_bar - h)


def gru_cell_interpolation(x, h, W_r, U_r, W_z, U_z, W, U):
    r = 0.5 * (1 + np.tanh(0.5 * (x @ W_r + h @ U_r)))
    z = 0.5 * (1 + np.tanh(0.5 * (x @ W_z + h @ U_z)))
    h_bar = np.tanh(x @ W + (r * h) @ U)
    return z * h_bar + (1 - z) * h


def gru_cell_z_swapped(x, h, W_r, U_r, W_z, U_z, W, U):
    r = 1 / (1 + np.exp(-(x @ W_r + h @ U_r)))
    z = 1 / (1 + np.exp(-(x @ W_z + h @ U_z)))
    h_bar = np.tanh(x @ W + (r * h) @ U)
    return z * h + (1 - z) * h_bar


def gru_cell_reset_as_update(x, h, W_r, U_r, W_z, U_z, W, U):
    r = 1 / (1 + np.exp(-(x @ W_r + h @ U_r)))
    h_bar = np.tanh(x @ W + (r * h) @ U)
    return (1 - r) * h + r * h_bar


def gru_cell_h_bar_only(x, h, W_r, U_r, W_z, U_z, W, U):
    r = 1 / (1 + np.exp(-(x @ W_r + h @ U_r)))
    return np.tanh(x @ W + (r * h) @ U)


GRU_CELL = FunctionProblem(
    grade_id="04_gru.gru_cell", points=2, student_object="gru_cell",
    make_cases=gru_cell_cases, reference=gru_cell_reference,
    misconceptions=[
        Misconception(
            "z_swapped",
            "z and 1 - z are swapped (the notes' convention is (1 - z) * h + z * h_bar)",
            gru_cell_z_swapped,
            hint_ja="z と 1 - z を取り違えると、この出力になります (ノートの約束事では "
                    "(1 - z) * h + z * h_bar です)。"),
        Misconception(
            "reset_as_update",
            "the reset gate r is used where the update gate z belongs",
            gru_cell_reset_as_update,
            hint_ja="更新ゲート z を使うべきところでリセットゲート r を使うと、この出力に"
                    "なります。"),
        Misconception(
            "h_bar_only",
            "h_bar alone is returned: the interpolation with the old state is missing",
            gru_cell_h_bar_only,
            hint_ja="h_bar だけを返し、古い状態との混ぜ合わせを忘れると、この出力になります。"),
    ],
    alternatives=[gru_cell_dot, gru_cell_interpolation],
)


# --- 04_gru.lstm_param_count (1 point) ------------------------------------------------------------

def lstm_param_count_reference(D, H):
    return 4 * (D * H + H * H + H)


def lstm_param_count_expanded(D, H):
    return 4 * D * H + 4 * H * H + 4 * H


def lstm_param_count_stacked(D, H):
    return (D + H + 1) * 4 * H


def lstm_param_count_no_bias(D, H):
    return 4 * (D * H + H * H)


def lstm_param_count_three_blocks(D, H):
    return 3 * (D * H + H * H + H)


def lstm_param_count_no_recurrent(D, H):
    return 4 * (D * H + H)


LSTM_PARAM_COUNT = FunctionProblem(
    grade_id="04_gru.lstm_param_count", points=1, student_object="lstm_param_count",
    make_cases=count_cases, reference=lstm_param_count_reference, rtol=0, atol=0,
    misconceptions=[
        Misconception("no_bias", "the biases are not counted", lstm_param_count_no_bias,
                      hint_ja="バイアスを数え忘れると、この値になります。"),
        Misconception(
            "three_blocks",
            "three blocks are counted for the LSTM; it has four (i, f, o and the candidate)",
            lstm_param_count_three_blocks,
            hint_ja="LSTM のブロックを3つと数えると、この値になります。LSTM のブロックは "
                    "i、f、o と候補の4つです。"),
        Misconception(
            "no_recurrent",
            "the recurrent weights (H x H per block) are not counted",
            lstm_param_count_no_recurrent,
            hint_ja="再帰の重み (ブロックごとに H x H) を数え忘れると、この値になります。"),
    ],
    alternatives=[lstm_param_count_expanded, lstm_param_count_stacked],
)


# --- 04_gru.gru_param_count (1 point) -------------------------------------------------------------

def gru_param_count_reference(D, H):
    return 3 * (D * H + H * H + H)


def gru_param_count_expanded(D, H):
    return 3 * D * H + 3 * H * H + 3 * H


def gru_param_count_stacked(D, H):
    return (D + H + 1) * 3 * H


def gru_param_count_no_bias(D, H):
    return 3 * (D * H + H * H)


def gru_param_count_two_blocks(D, H):
    return 2 * (D * H + H * H + H)


def gru_param_count_four_blocks(D, H):
    return 4 * (D * H + H * H + H)


GRU_PARAM_COUNT = FunctionProblem(
    grade_id="04_gru.gru_param_count", points=1, student_object="gru_param_count",
    make_cases=count_cases, reference=gru_param_count_reference, rtol=0, atol=0,
    misconceptions=[
        Misconception("no_bias", "the biases are not counted", gru_param_count_no_bias,
                      hint_ja="バイアスを数え忘れると、この値になります。"),
        Misconception(
            "two_blocks",
            "only the two gates are counted; the candidate h_bar has weights too",
            gru_param_count_two_blocks,
            hint_ja="2つのゲートだけを数えると、この値になります。候補 h_bar にも重みが"
                    "あります。"),
        Misconception(
            "four_blocks",
            "four blocks are counted as for an LSTM; a GRU has three (z, r, h_bar)",
            gru_param_count_four_blocks,
            hint_ja="LSTM と同じく4つのブロックを数えると、この値になります。GRU のブロックは "
                    "z、r、h_bar の3つです。"),
    ],
    alternatives=[gru_param_count_expanded, gru_param_count_stacked],
)


# --- 04_gru.gru_step_forward (3 points) -----------------------------------------------------------

def gru_step_cases(rng):
    cases = []
    for N, D, H in [(1, 2, 1), (2, 3, 4), (4, 5, 3)]:
        cases.append(Case((rng.standard_normal((N, D)), rng.standard_normal((N, H)),
                           *_gru_params(rng, D, H)), f"N={N}, D={D}, H={H}"))
    return cases


def gru_step_forward_reference(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    ax = x @ Wx + b
    z = sigmoid(ax[:, :H] + prev_h @ Wh[:, :H])
    r = sigmoid(ax[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])
    h_bar = np.tanh(ax[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    return (1 - z) * prev_h + z * h_bar


def gru_step_forward_split(x, prev_h, Wx, Wh, b):
    Wxz, Wxr, Wxh = np.split(Wx, 3, axis=1)
    Whz, Whr, Whh = np.split(Wh, 3, axis=1)
    bz, br, bh = np.split(b, 3)
    z = 1 / (1 + np.exp(-(x.dot(Wxz) + prev_h.dot(Whz) + bz)))
    r = 1 / (1 + np.exp(-(x.dot(Wxr) + prev_h.dot(Whr) + br)))
    h_bar = np.tanh(x.dot(Wxh) + (r * prev_h).dot(Whh) + bh)
    return prev_h + z * (h_bar - prev_h)


def gru_step_forward_gates_together(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    gates = 0.5 * (1 + np.tanh(0.5 * (x @ Wx[:, :2 * H] + prev_h @ Wh[:, :2 * H] + b[:2 * H])))
    z, r = gates[:, :H], gates[:, H:]
    h_bar = np.tanh(x @ Wx[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:] + b[2 * H:])
    return z * h_bar + (1 - z) * prev_h


def gru_step_forward_z_swapped(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + b
    z = 1 / (1 + np.exp(-(A[:, :H] + prev_h @ Wh[:, :H])))
    r = 1 / (1 + np.exp(-(A[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])))
    h_bar = np.tanh(A[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    return z * prev_h + (1 - z) * h_bar


def gru_step_forward_reset_after_product(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + b
    z = 1 / (1 + np.exp(-(A[:, :H] + prev_h @ Wh[:, :H])))
    r = 1 / (1 + np.exp(-(A[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])))
    h_bar = np.tanh(A[:, 2 * H:] + r * (prev_h @ Wh[:, 2 * H:]))
    return (1 - z) * prev_h + z * h_bar


def gru_step_forward_blocks_swapped(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + b
    r = 1 / (1 + np.exp(-(A[:, :H] + prev_h @ Wh[:, :H])))
    z = 1 / (1 + np.exp(-(A[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])))
    h_bar = np.tanh(A[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    return (1 - z) * prev_h + z * h_bar


GRU_STEP_FORWARD = FunctionProblem(
    grade_id="04_gru.gru_step_forward", points=3, student_object="gru_step_forward",
    make_cases=gru_step_cases, reference=gru_step_forward_reference,
    misconceptions=[
        Misconception("z_swapped", "z and 1 - z are swapped", gru_step_forward_z_swapped,
                      hint_ja="z と 1 - z を取り違えると、この出力になります。"),
        Misconception(
            "reset_after_product",
            "the reset gate multiplies prev_h @ Wh_h instead of prev_h (r * (h @ U) is another "
            "GRU variant, not this course's)",
            gru_step_forward_reset_after_product,
            hint_ja="リセットゲートを prev_h ではなく prev_h @ Wh_h に掛けると、この出力に"
                    "なります。r * (h @ U) は PyTorch などが使う別の GRU の変種で、このコースの"
                    "形ではありません。"),
        Misconception(
            "blocks_swapped",
            "the z and r blocks are read in the wrong order (use z, r, h_bar)",
            gru_step_forward_blocks_swapped,
            hint_ja="z と r のブロックを逆の順番で読むと、この出力になります (順番は z、r、"
                    "h_bar です)。"),
    ],
    alternatives=[gru_step_forward_split, gru_step_forward_gates_together],
)


# --- 04_gru.gru_forward (2 points) ----------------------------------------------------------------

def gru_forward_cases(rng):
    cases = []
    for N, T, D, H in [(1, 1, 2, 2), (2, 4, 3, 4), (3, 7, 4, 3)]:
        cases.append(Case((rng.standard_normal((N, T, D)), rng.standard_normal((N, H)) * 0.5,
                           *_gru_params(rng, D, H)), f"N={N}, T={T}, D={D}, H={H}"))
    return cases


def gru_forward_reference(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = gru_step_forward_reference(xs[:, t], h, Wx, Wh, b)
        hs[:, t] = h
    return hs


def gru_forward_list(xs, h0, Wx, Wh, b):
    out, h = [], h0
    for x in np.moveaxis(xs, 1, 0):
        h = gru_step_forward(x, h, Wx, Wh, b)
        out.append(h)
    return np.stack(out, axis=1)


def gru_forward_precomputed(xs, h0, Wx, Wh, b):
    H = h0.shape[1]
    inputs = xs @ Wx + b
    hs = np.empty(xs.shape[:2] + (H,))
    h = h0
    for t in range(xs.shape[1]):
        zr = 1 / (1 + np.exp(-(inputs[:, t, :2 * H] + h @ Wh[:, :2 * H])))
        h_bar = np.tanh(inputs[:, t, 2 * H:] + (zr[:, H:] * h) @ Wh[:, 2 * H:])
        h = (1 - zr[:, :H]) * h + zr[:, :H] * h_bar
        hs[:, t] = h
    return hs


def gru_forward_state_not_carried(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    for t in range(T):
        hs[:, t] = gru_step_forward(xs[:, t], h0, Wx, Wh, b)
    return hs


def gru_forward_includes_h0(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        hs[:, t] = h
        h = gru_step_forward(xs[:, t], h, Wx, Wh, b)
    return hs


GRU_FORWARD = FunctionProblem(
    grade_id="04_gru.gru_forward", points=2, student_object="gru_forward",
    depends_on=("04_gru.gru_step_forward",),
    make_cases=gru_forward_cases, reference=gru_forward_reference,
    misconceptions=[
        Misconception(
            "state_not_carried",
            "every step starts from h0 instead of the previous hidden state",
            gru_forward_state_not_carried,
            hint_ja="どのステップも1つ前の隠れ状態ではなく h0 から始めると、この出力に"
                    "なります。"),
        Misconception(
            "includes_h0",
            "hs stores the state before each step (starts with h0, misses the last)",
            gru_forward_includes_h0,
            hint_ja="hs に各ステップの前の状態を入れる (h0 から始まり、最後の状態が抜ける) と、"
                    "この出力になります。"),
    ],
    alternatives=[gru_forward_list, gru_forward_precomputed],
)


# --- 04_gru.gru_step_backward (4 points) ----------------------------------------------------------

def gru_step_backward_cases(rng):
    cases = []
    for N, D, H in [(1, 2, 1), (2, 3, 4), (3, 4, 3)]:
        cases.append(Case((rng.standard_normal((N, H)), rng.standard_normal((N, D)),
                           rng.standard_normal((N, H)), *_gru_params(rng, D, H)),
                          f"N={N}, D={D}, H={H}"))
    return cases


def gru_step_backward_reference(dnext_h, x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    ax = x @ Wx + b
    z = sigmoid(ax[:, :H] + prev_h @ Wh[:, :H])
    r = sigmoid(ax[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])
    rh = r * prev_h
    h_bar = np.tanh(ax[:, 2 * H:] + rh @ Wh[:, 2 * H:])
    dz = dnext_h * (h_bar - prev_h)
    dah = dnext_h * z * (1 - h_bar**2)
    drh = dah @ Wh[:, 2 * H:].T
    daz = dz * z * (1 - z)
    dar = drh * prev_h * r * (1 - r)
    dA = np.concatenate([daz, dar, dah], axis=1)
    dprev_h = (dnext_h * (1 - z) + drh * r + daz @ Wh[:, :H].T + dar @ Wh[:, H:2 * H].T)
    dWh = np.concatenate([prev_h.T @ daz, prev_h.T @ dar, rh.T @ dah], axis=1)
    return dA @ Wx.T, dprev_h, x.T @ dA, dWh, dA.sum(axis=0)


def gru_step_backward_split(dnext_h, x, prev_h, Wx, Wh, b):
    Whz, Whr, Whh = np.split(Wh, 3, axis=1)
    az, ar, ah = np.split(x.dot(Wx) + b, 3, axis=1)
    z = 1 / (1 + np.exp(-(az + prev_h.dot(Whz))))
    r = 1 / (1 + np.exp(-(ar + prev_h.dot(Whr))))
    h_bar = np.tanh(ah + (r * prev_h).dot(Whh))
    dh_bar = dnext_h * z
    dz = dnext_h * (h_bar - prev_h)
    dah = dh_bar * (1 - h_bar * h_bar)
    drh = dah.dot(Whh.T)
    dr = drh * prev_h
    daz, dar = dz * z * (1 - z), dr * r * (1 - r)
    dA = np.hstack([daz, dar, dah])
    dprev_h = dnext_h * (1 - z) + drh * r + daz.dot(Whz.T) + dar.dot(Whr.T)
    dWh = np.hstack([prev_h.T.dot(daz), prev_h.T.dot(dar), (r * prev_h).T.dot(dah)])
    return dA.dot(Wx.T), dprev_h, x.T.dot(dA), dWh, np.sum(dA, axis=0)


def gru_step_backward_masked(dnext_h, x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + b
    zr = 1 / (1 + np.exp(-(A[:, :2 * H] + prev_h @ Wh[:, :2 * H])))
    z, r = zr[:, :H], zr[:, H:]
    h_bar = np.tanh(A[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    dah = dnext_h * z * (1 - h_bar**2)
    drh = dah @ Wh[:, 2 * H:].T
    dzr = np.concatenate([dnext_h * (h_bar - prev_h), drh * prev_h], axis=1) * zr * (1 - zr)
    dA = np.concatenate([dzr, dah], axis=1)
    # dprev_h through the gate blocks in one product, the candidate block handled via r.
    dprev_h = dnext_h * (1 - z) + drh * r + dzr @ Wh[:, :2 * H].T
    prev_stack = np.concatenate([np.repeat(prev_h[:, :, None], 2, axis=2),
                                 (r * prev_h)[:, :, None]], axis=2)
    dWh = np.concatenate([prev_stack[:, :, k].T @ dA[:, k * H:(k + 1) * H] for k in range(3)], axis=1)
    return dA @ Wx.T, dprev_h, x.T @ dA, dWh, dA.sum(axis=0)


def gru_step_backward_no_reset_path(dnext_h, x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + b
    z = 1 / (1 + np.exp(-(A[:, :H] + prev_h @ Wh[:, :H])))
    r = 1 / (1 + np.exp(-(A[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])))
    h_bar = np.tanh(A[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    dah = dnext_h * z * (1 - h_bar**2)
    drh = dah @ Wh[:, 2 * H:].T
    daz = dnext_h * (h_bar - prev_h) * z * (1 - z)
    dar = drh * prev_h * r * (1 - r)
    dA = np.concatenate([daz, dar, dah], axis=1)
    dprev_h = dnext_h * (1 - z) + daz @ Wh[:, :H].T + dar @ Wh[:, H:2 * H].T
    dWh = np.concatenate([prev_h.T @ daz, prev_h.T @ dar, (r * prev_h).T @ dah], axis=1)
    return dA @ Wx.T, dprev_h, x.T @ dA, dWh, dA.sum(axis=0)


def gru_step_backward_candidate_weight_uses_h(dnext_h, x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + b
    z = 1 / (1 + np.exp(-(A[:, :H] + prev_h @ Wh[:, :H])))
    r = 1 / (1 + np.exp(-(A[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])))
    h_bar = np.tanh(A[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    dah = dnext_h * z * (1 - h_bar**2)
    drh = dah @ Wh[:, 2 * H:].T
    daz = dnext_h * (h_bar - prev_h) * z * (1 - z)
    dar = drh * prev_h * r * (1 - r)
    dA = np.concatenate([daz, dar, dah], axis=1)
    dprev_h = dnext_h * (1 - z) + drh * r + daz @ Wh[:, :H].T + dar @ Wh[:, H:2 * H].T
    dWh = prev_h.T @ dA
    return dA @ Wx.T, dprev_h, x.T @ dA, dWh, dA.sum(axis=0)


def gru_step_backward_no_direct_path(dnext_h, x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + b
    z = 1 / (1 + np.exp(-(A[:, :H] + prev_h @ Wh[:, :H])))
    r = 1 / (1 + np.exp(-(A[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])))
    h_bar = np.tanh(A[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    dah = dnext_h * z * (1 - h_bar**2)
    drh = dah @ Wh[:, 2 * H:].T
    daz = dnext_h * (h_bar - prev_h) * z * (1 - z)
    dar = drh * prev_h * r * (1 - r)
    dA = np.concatenate([daz, dar, dah], axis=1)
    dprev_h = drh * r + daz @ Wh[:, :H].T + dar @ Wh[:, H:2 * H].T
    dWh = np.concatenate([prev_h.T @ daz, prev_h.T @ dar, (r * prev_h).T @ dah], axis=1)
    return dA @ Wx.T, dprev_h, x.T @ dA, dWh, dA.sum(axis=0)


GRU_STEP_BACKWARD = FunctionProblem(
    grade_id="04_gru.gru_step_backward", points=4, student_object="gru_step_backward",
    outputs=("dx", "dprev_h", "dWx", "dWh", "db"),
    depends_on=("04_gru.gru_step_forward",),  # its visible test differentiates it
    make_cases=gru_step_backward_cases, reference=gru_step_backward_reference,
    misconceptions=[
        Misconception(
            "no_reset_path",
            "dprev_h misses the path through the reset gate product r * prev_h",
            gru_step_backward_no_reset_path,
            hint_ja="dprev_h で、リセットゲートとの積 r * prev_h を通る経路を忘れると、この"
                    "出力になります。"),
        Misconception(
            "candidate_weight_uses_h",
            "the candidate block of dWh uses prev_h instead of r * prev_h",
            gru_step_backward_candidate_weight_uses_h,
            hint_ja="dWh の候補のブロックで r * prev_h ではなく prev_h を使うと、この出力に"
                    "なります。"),
        Misconception(
            "no_direct_path",
            "dprev_h misses the direct path (1 - z) * dnext_h",
            gru_step_backward_no_direct_path,
            hint_ja="dprev_h で、直接の経路 (1 - z) * dnext_h を忘れると、この出力になります。"),
    ],
    alternatives=[gru_step_backward_split, gru_step_backward_masked],
)


# --- 04_gru.gru_backward (3 points) ---------------------------------------------------------------

def gru_backward_cases(rng):
    cases = []
    for N, T, D, H in [(1, 2, 2, 2), (2, 4, 3, 3), (3, 5, 2, 4)]:
        cases.append(Case((rng.standard_normal((N, T, H)), rng.standard_normal((N, T, D)),
                           rng.standard_normal((N, H)) * 0.5, *_gru_params(rng, D, H)),
                          f"N={N}, T={T}, D={D}, H={H}"))
    return cases


def gru_backward_reference(dhs, xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = [h0]
    for t in range(T):
        hs.append(gru_step_forward_reference(xs[:, t], hs[-1], Wx, Wh, b))
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh = np.zeros_like(h0)
    for t in reversed(range(T)):
        dx, dh, dWx_t, dWh_t, db_t = gru_step_backward_reference(
            dhs[:, t] + dh, xs[:, t], hs[t], Wx, Wh, b)
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dh, dWx, dWh, db


def gru_backward_list(dhs, xs, h0, Wx, Wh, b):
    states = [h0]
    for t in range(xs.shape[1]):
        states.append(gru_step_forward(xs[:, t], states[-1], Wx, Wh, b))
    grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
    dx_list, dh = [], 0 * h0
    for t in range(xs.shape[1] - 1, -1, -1):
        dx, dh, *dparams = gru_step_backward(dhs[:, t] + dh, xs[:, t], states[t], Wx, Wh, b)
        dx_list.append(dx)
        grads = [acc + d for acc, d in zip(grads, dparams)]
    return np.stack(dx_list[::-1], axis=1), dh, grads[0], grads[1], grads[2]


def gru_backward_masked(dhs, xs, h0, Wx, Wh, b):
    hs = gru_forward(xs, h0, Wx, Wh, b)
    prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    dxs = np.empty_like(xs)
    dWx, dWh, db = 0 * Wx, 0 * Wh, 0 * b
    dh = 0 * h0
    for t in reversed(range(xs.shape[1])):
        dxs[:, t], dh, gx, gh, gb = gru_step_backward(dhs[:, t] + dh, xs[:, t], prev[:, t], Wx, Wh, b)
        dWx, dWh, db = dWx + gx, dWh + gh, db + gb
    return dxs, dh, dWx, dWh, db


def gru_backward_no_carry(dhs, xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = [h0]
    for t in range(T):
        hs.append(gru_step_forward(xs[:, t], hs[-1], Wx, Wh, b))
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh0 = np.zeros_like(h0)
    for t in reversed(range(T)):
        dx, dh0, dWx_t, dWh_t, db_t = gru_step_backward(dhs[:, t], xs[:, t], hs[t], Wx, Wh, b)
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dh0, dWx, dWh, db


def gru_backward_overwritten_weights(dhs, xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = [h0]
    for t in range(T):
        hs.append(gru_step_forward(xs[:, t], hs[-1], Wx, Wh, b))
    dxs = np.zeros_like(xs)
    dh = np.zeros_like(h0)
    for t in reversed(range(T)):
        dx, dh, dWx, dWh, db = gru_step_backward(dhs[:, t] + dh, xs[:, t], hs[t], Wx, Wh, b)
        dxs[:, t] = dx
    return dxs, dh, dWx, dWh, db


GRU_BACKWARD = FunctionProblem(
    grade_id="04_gru.gru_backward", points=3, student_object="gru_backward",
    outputs=("dxs", "dh0", "dWx", "dWh", "db"),
    # its visible test differentiates gru_forward
    depends_on=("04_gru.gru_forward", "04_gru.gru_step_forward", "04_gru.gru_step_backward"),
    make_cases=gru_backward_cases, reference=gru_backward_reference,
    misconceptions=[
        Misconception(
            "no_carry",
            "the gradient from step t+1 is not added to dhs[:, t]",
            gru_backward_no_carry,
            hint_ja="時刻 t+1 から来た勾配を dhs[:, t] に足し忘れると、この出力になります。"),
        Misconception(
            "overwritten_weights",
            "the weight gradients are overwritten at each step instead of summed",
            gru_backward_overwritten_weights,
            hint_ja="重みの勾配を各ステップで合計せずに上書きすると、この出力になります。"),
    ],
    alternatives=[gru_backward_list, gru_backward_masked],
)
