"""Hidden references and misconceptions for notebook 01_rnn (instructor-only)."""
import numpy as np

from autograder.items.base import (Case, FunctionProblem, Misconception, ValueProblem,
                                   normalise_choice)

ASSIGNMENT = "01_rnn"


# --- shared helpers -------------------------------------------------------------------------------

def _rnn_params(rng, D, H):
    return (rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5,
            rng.standard_normal(H) * 0.1)


# --- 01_rnn.conv_output_size (1 point) ------------------------------------------------------------

def conv_cases(rng):
    cases = [Case((5, 3, 2, 1), "H=5, FH=3, stride=2, pad=1"),
             Case((6, 3, 2, 0), "H=6, FH=3, stride=2, pad=0"),
             Case((7, 3, 1, 2), "H=7, FH=3, stride=1, pad=2")]
    while len(cases) < 8:
        H, FH = int(rng.integers(4, 33)), int(rng.integers(1, 8))
        stride, pad = int(rng.integers(1, 4)), int(rng.integers(0, 3))
        if H + 2 * pad >= FH:
            cases.append(Case((H, FH, stride, pad), f"H={H}, FH={FH}, stride={stride}, pad={pad}"))
    return cases


def conv_output_size_reference(H, FH, stride, pad):
    return (H + 2 * pad - FH) // stride + 1


def conv_output_size_int_of_float(H, FH, stride, pad):
    return int((H + 2 * pad - FH) / stride) + 1


def conv_output_size_floor(H, FH, stride, pad):
    import math
    return math.floor((H + 2 * pad - FH) / stride) + 1


def conv_output_size_no_padding(H, FH, stride, pad):
    return (H - FH) // stride + 1


def conv_output_size_one_side_padding(H, FH, stride, pad):
    return (H + pad - FH) // stride + 1


def conv_output_size_no_plus_one(H, FH, stride, pad):
    return (H + 2 * pad - FH) // stride


def conv_output_size_true_division(H, FH, stride, pad):
    return (H + 2 * pad - FH) / stride + 1


CONV_OUTPUT_SIZE = FunctionProblem(
    grade_id="01_rnn.conv_output_size", points=1, student_object="conv_output_size",
    make_cases=conv_cases, reference=conv_output_size_reference, rtol=0, atol=0,
    misconceptions=[
        Misconception(
            "no_padding", "the padding is left out", conv_output_size_no_padding,
            hint_ja="パディングを式に入れ忘れると、この出力になります。"),
        Misconception(
            "one_side_padding",
            "the padding is added on one side only (use 2 * pad)",
            conv_output_size_one_side_padding,
            hint_ja="パディングを片側にしか加えない (2 * pad ではなく pad にする) と、この出力になります。"),
        Misconception(
            "no_plus_one",
            "the final + 1 (the first filter position) is missing",
            conv_output_size_no_plus_one,
            hint_ja="最後の + 1 (フィルタの最初の位置の分) を忘れると、この出力になります。"),
        Misconception(
            "true_division",
            "/ is used instead of the integer division //",
            conv_output_size_true_division,
            hint_ja="整数の割り算 // の代わりに / を使うと、この出力になります。"),
    ],
    alternatives=[conv_output_size_int_of_float, conv_output_size_floor],
)


# --- 01_rnn.conv_answer (1 point) -----------------------------------------------------------------

CONV_ANSWER = ValueProblem(
    grade_id="01_rnn.conv_answer", points=1, student_object="conv_answer", answer=3,
    misconceptions=[
        Misconception(
            "padding_or_plus_one_missing",
            "the padding is left out or the + 1 is missing",
            2,
            hint_ja="パディングを入れ忘れるか、最後の + 1 を忘れると、この値になります。"),
        Misconception(
            "stride_ignored", "the stride is ignored", 5,
            hint_ja="ストライドを無視すると、この値になります。"),
    ],
    alternatives=[np.int64(3), int("3")],
)


# --- 01_rnn.weight_roles (1 point) ----------------------------------------------------------------

def _lower_values(mapping):
    if not isinstance(mapping, dict):
        return mapping
    return {k: v.strip().lower() if isinstance(v, str) else v for k, v in mapping.items()}


WEIGHT_ROLES = ValueProblem(
    grade_id="01_rnn.weight_roles", points=1, student_object="weight_roles",
    answer={"W_in": "a", "W": "b", "W_out": "c"}, normalise=_lower_values,
    alternatives=[{"W_in": "A", "W": "B", "W_out": "C"}, {"W_out": "c ", "W": " b", "W_in": "a"}],
    misconceptions=[
        Misconception(
            "input_recurrent_swapped",
            "the input weight W_in and the recurrent weight W are swapped",
            {"W_in": "b", "W": "a", "W_out": "c"},
            hint_ja="入力から中間層への重み W_in と、中間層から中間層への重み W を取り違えると、この答えになります。"),
        Misconception(
            "recurrent_output_swapped",
            "the recurrent weight W and the output weight W_out are swapped",
            {"W_in": "a", "W": "c", "W_out": "b"},
            hint_ja="中間層から中間層への重み W と、中間層から出力層への重み W_out を取り違えると、この答えになります。"),
    ],
)


# --- 01_rnn.traverse_choice (1 point) -------------------------------------------------------------
# Code challenge 1 asked as the exam asks it: which line fills the blank of traverse.

TRAVERSE_CHOICE = ValueProblem(
    grade_id="01_rnn.traverse_choice", points=1, student_object="traverse_choice",
    answer="c", normalise=normalise_choice, choice=True,
    alternatives=["C", " (c) "],
    misconceptions=[
        Misconception(
            "children_added",
            "choice (a) adds the two children: the sum forgets which child was on the left, "
            "and a vector of size D does not even fit W: (D, 2D); the blank needs both "
            "children side by side, left above right, so that W weighs each one.",
            "a",
            hint_ja="(a) は2つの子を足していますが、和ではどちらが左の子だったかがわからなくなり、"
                    "大きさ D のベクトルは W: (D, 2D) に合いません。空欄では、"
                    "W がそれぞれの子に重みを掛けられるよう、左の子を先、"
                    "右の子を後にして両方を並べる必要があります。"),
        Misconception(
            "children_multiplied",
            "choice (b) multiplies the children element-wise: that mixes them without "
            "weights of their own and has size D, not the 2D that W: (D, 2D) expects; the "
            "blank needs both children side by side.",
            "b",
            hint_ja="(b) は子を要素ごとに掛けていますが、これでは子ごとの重みなしに2つを混ぜてしまい、"
                    "大きさも W: (D, 2D) が求める 2D ではなく D です。"
                    "空欄では両方の子を並べる必要があります。"),
        Misconception(
            "children_maximum",
            "choice (d) keeps the element-wise maximum of the children: most of each child "
            "is thrown away and the result has size D, not 2D; the blank needs both "
            "children side by side, so that W can weigh every element.",
            "d",
            hint_ja="(d) は子の要素ごとの最大値をとっていますが、それぞれの子の大部分が捨てられ、"
                    "結果の大きさも 2D ではなく D です。空欄では、"
                    "W がすべての要素に重みを掛けられるよう、両方の子を並べる必要があります。"),
    ],
)


# --- 01_rnn.traverse (2 points) -------------------------------------------------------------------

def _random_tree(rng, D, depth):
    if depth == 0 or (depth < 3 and rng.random() < 0.3):
        return rng.standard_normal(D)
    return {"left": _random_tree(rng, D, depth - 1), "right": _random_tree(rng, D, depth - 1)}


def traverse_cases(rng):
    cases = []
    for D, depth in [(2, 1), (3, 2), (4, 3), (5, 3)]:
        tree = {"left": _random_tree(rng, D, depth - 1), "right": _random_tree(rng, D, depth - 1)}
        W = rng.standard_normal((D, 2 * D)) * 0.5
        b = rng.standard_normal(D) * 0.1
        cases.append(Case((tree, W, b), f"vectors of size {D}, tree depth up to {depth}",
                          label_ja=f"大きさ {D} のベクトル、木の深さ {depth} まで"))
    return cases


def traverse_reference(node, W, b):
    if not isinstance(node, dict):
        return node
    left = traverse_reference(node["left"], W, b)
    right = traverse_reference(node["right"], W, b)
    return np.tanh(W @ np.concatenate([left, right]) + b)


def traverse_hstack(node, W, b):
    if isinstance(node, dict):
        children = [traverse_hstack(node[side], W, b) for side in ("left", "right")]
        return np.tanh(W.dot(np.hstack(children)) + b)
    return node


def traverse_split_weights(node, W, b):
    if not isinstance(node, dict):
        return node
    D = W.shape[0]
    left = traverse_split_weights(node["left"], W, b)
    right = traverse_split_weights(node["right"], W, b)
    return np.tanh(W[:, :D] @ left + W[:, D:] @ right + b)


def traverse_swapped_children(node, W, b):
    if not isinstance(node, dict):
        return node
    left = traverse_swapped_children(node["left"], W, b)
    right = traverse_swapped_children(node["right"], W, b)
    return np.tanh(W @ np.concatenate([right, left]) + b)


def traverse_sum(node, W, b):
    if not isinstance(node, dict):
        return node
    return traverse_sum(node["left"], W, b) + traverse_sum(node["right"], W, b)


def traverse_product(node, W, b):
    if not isinstance(node, dict):
        return node
    return traverse_product(node["left"], W, b) * traverse_product(node["right"], W, b)


def traverse_maximum(node, W, b):
    if not isinstance(node, dict):
        return node
    return np.maximum(traverse_maximum(node["left"], W, b), traverse_maximum(node["right"], W, b))


TRAVERSE = FunctionProblem(
    grade_id="01_rnn.traverse", points=2, student_object="traverse",
    make_cases=traverse_cases, reference=traverse_reference,
    misconceptions=[
        Misconception(
            "swapped_children",
            "the children are concatenated in the wrong order (right before left)",
            traverse_swapped_children,
            hint_ja="子を逆の順 (右の子を先、左の子を後) に連結すると、この出力になります。"),
        Misconception(
            "children_added",
            "the children are added (left + right) instead of combined by the weights",
            traverse_sum,
            hint_ja="子を重みで組み合わせずに足し合わせる (left + right) と、この出力になります。"),
        Misconception(
            "children_multiplied",
            "the children are multiplied element-wise instead of combined by the weights",
            traverse_product,
            hint_ja="子を重みで組み合わせずに要素ごとに掛け合わせると、この出力になります。"),
        Misconception(
            "children_maximum",
            "the element-wise maximum of the children is taken instead of the weighted sum",
            traverse_maximum,
            hint_ja="重み付き和の代わりに子の要素ごとの最大値をとると、この出力になります。"),
    ],
    alternatives=[traverse_hstack, traverse_split_weights],
)


# --- 01_rnn.rnn_step_forward (2 points) -----------------------------------------------------------

def step_cases(rng):
    cases = []
    for N, D, H in [(1, 1, 1), (2, 3, 4), (4, 5, 3), (3, 10, 6)]:
        Wx, Wh, b = _rnn_params(rng, D, H)
        cases.append(Case((rng.standard_normal((N, D)), rng.standard_normal((N, H)), Wx, Wh, b),
                          f"N={N}, D={D}, H={H}"))
    return cases


def rnn_step_forward_reference(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + prev_h @ Wh + b)


def rnn_step_forward_dot(x, prev_h, Wx, Wh, b):
    return np.tanh(np.dot(x, Wx) + prev_h.dot(Wh) + b)


def rnn_step_forward_einsum(x, prev_h, Wx, Wh, b):
    a = np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", prev_h, Wh)
    return np.tanh(a + b[None, :])


def rnn_step_forward_no_recurrence(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + b)


def rnn_step_forward_sigmoid(x, prev_h, Wx, Wh, b):
    return 1.0 / (1.0 + np.exp(-(x @ Wx + prev_h @ Wh + b)))


def rnn_step_forward_no_bias(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + prev_h @ Wh)


def rnn_step_forward_transposed_wh(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + prev_h @ Wh.T + b)


def rnn_step_forward_no_activation(x, prev_h, Wx, Wh, b):
    return x @ Wx + prev_h @ Wh + b


RNN_STEP_FORWARD = FunctionProblem(
    grade_id="01_rnn.rnn_step_forward", points=2, student_object="rnn_step_forward",
    make_cases=step_cases, reference=rnn_step_forward_reference,
    misconceptions=[
        Misconception(
            "no_recurrence",
            "the previous hidden state prev_h @ Wh is left out",
            rnn_step_forward_no_recurrence,
            hint_ja="1つ前の隠れ状態の項 prev_h @ Wh を入れ忘れると、この出力になります。"),
        Misconception(
            "sigmoid_not_tanh",
            "sigmoid is used instead of tanh",
            rnn_step_forward_sigmoid,
            hint_ja="tanh の代わりにシグモイドを使うと、この出力になります。"),
        Misconception("no_bias", "the bias b is left out", rnn_step_forward_no_bias,
            hint_ja="バイアス b を足し忘れると、この出力になります。"),
        Misconception(
            "transposed_wh",
            "Wh is transposed (prev_h @ Wh.T)",
            rnn_step_forward_transposed_wh,
            hint_ja="Wh を転置して掛ける (prev_h @ Wh.T) と、この出力になります。"),
        Misconception(
            "no_activation",
            "the tanh activation is missing",
            rnn_step_forward_no_activation,
            hint_ja="活性化関数 tanh を通し忘れると、この出力になります。"),
    ],
    alternatives=[rnn_step_forward_dot, rnn_step_forward_einsum],
)


# --- 01_rnn.rnn_forward (3 points) ----------------------------------------------------------------

def sequence_cases(rng):
    cases = []
    for N, T, D, H in [(1, 1, 2, 3), (2, 4, 3, 5), (3, 7, 4, 4), (5, 12, 6, 8)]:
        Wx, Wh, b = _rnn_params(rng, D, H)
        cases.append(Case((rng.standard_normal((N, T, D)), rng.standard_normal((N, H)) * 0.5,
                           Wx, Wh, b), f"N={N}, T={T}, D={D}, H={H}"))
    return cases


def rnn_forward_reference(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = rnn_step_forward_reference(xs[:, t], h, Wx, Wh, b)
        hs[:, t] = h
    return hs


def rnn_forward_stack(xs, h0, Wx, Wh, b):
    states = []
    h = h0
    for x in np.moveaxis(xs, 1, 0):
        h = np.tanh(x.dot(Wx) + h.dot(Wh) + b)
        states.append(h)
    return np.stack(states, axis=1)


def rnn_forward_precomputed_inputs(xs, h0, Wx, Wh, b):
    # x_t Wx + b does not depend on h: compute it for all steps at once.
    inputs = xs @ Wx + b
    hs = np.empty(inputs.shape)
    h = h0
    for t in range(xs.shape[1]):
        h = np.tanh(inputs[:, t] + h @ Wh)
        hs[:, t, :] = h
    return hs


def rnn_forward_state_not_carried(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    for t in range(T):
        hs[:, t] = np.tanh(xs[:, t] @ Wx + h0 @ Wh + b)
    return hs


def rnn_forward_includes_h0(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        hs[:, t] = h
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
    return hs


def rnn_forward_last_only(xs, h0, Wx, Wh, b):
    h = h0
    for t in range(xs.shape[1]):
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
    return h


RNN_FORWARD = FunctionProblem(
    grade_id="01_rnn.rnn_forward", points=3, student_object="rnn_forward",
    depends_on=("01_rnn.rnn_step_forward",),
    make_cases=sequence_cases, reference=rnn_forward_reference,
    misconceptions=[
        Misconception(
            "state_not_carried",
            "every step starts from h0 instead of the previous step's hidden state",
            rnn_forward_state_not_carried,
            hint_ja="どの時刻も、1つ前の時刻の隠れ状態ではなく h0 から計算すると、この出力になります。"),
        Misconception(
            "includes_h0",
            "hs stores the state *before* each step (it starts with h0 and misses the last)",
            rnn_forward_includes_h0,
            hint_ja="hs に各ステップの*前*の状態を入れる (h0 から始まり、最後の状態が抜ける) と、この出力になります。"),
        Misconception(
            "last_only",
            "only the last hidden state is returned instead of all T of them",
            rnn_forward_last_only,
            hint_ja="T 個すべてではなく、最後の隠れ状態だけを返すと、この出力になります。"),
    ],
    alternatives=[rnn_forward_stack, rnn_forward_precomputed_inputs],
)
