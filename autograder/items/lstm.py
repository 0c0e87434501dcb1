"""Hidden references and misconceptions for notebook 03_lstm (instructor-only).

Gate order everywhere: the pre-activation A = x @ Wx + prev_h @ Wh + b, shape (N, 4H),
splits into blocks i (input), f (forget), o (output), g (candidate) in that order.
"""
import numpy as np

from rnnlib.activations import sigmoid

from autograder.items.base import (Case, FunctionProblem, Misconception, ValueProblem,
                                   normalise_choice, normalise_text)


# --- shared helpers -------------------------------------------------------------------------------

def _lstm_params(rng, D, H):
    return (rng.standard_normal((D, 4 * H)) * 0.5, rng.standard_normal((H, 4 * H)) * 0.5,
            rng.standard_normal(4 * H) * 0.2)


# The normaliser of the answers of 03_lstm.which_gate: each reading (see
# base.bilingual_forms) becomes the English name of a gate, without article or "gate".
_GATE_NAMES = {"忘却ゲート": "forget", "入力ゲート": "input", "出力ゲート": "output",
               "忘却": "forget", "入力": "input", "出力": "output"}


def _gate_name(value):
    if not isinstance(value, str):
        return value
    text = normalise_text(value).strip(" .。「」\"'")
    text = text.removeprefix("the ").replace(" ゲート", "ゲート").removesuffix(" gate")
    return _GATE_NAMES.get(text, text)


# Alternatives and misconceptions are pasted into notebooks as a student's code, so they
# call the other items by their notebook names; here those names are bound to the
# references (defined in the items' blocks below).
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """The notebook name, bound to the reference (see the note above)."""
    return lstm_step_forward_reference(x, prev_h, prev_c, Wx, Wh, b)


def lstm_step_backward(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    """The notebook name, bound to the reference."""
    return lstm_step_backward_reference(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b)


# --- 03_lstm.sigmoid_max (1 point) ----------------------------------------------------------------

SIGMOID_MAX = ValueProblem(
    grade_id="03_lstm.sigmoid_max", points=1, student_object="sigmoid_derivative_max",
    answer=0.25, alternatives=[np.float64(0.25), 1 / 4], choice=True,
    misconceptions=[
        Misconception(
            "sigmoid_value",
            "0.5 is not one of the four choices: it is the sigmoid's own value at 0; the "
            "question asks for the largest value of its derivative σ(u)(1 - σ(u)).",
            0.5,
            hint_ja="0.5 は4つの選択肢にありません。これは0でのシグモイド関数そのものの値です。"
                    "問われているのは、その微分 σ(u)(1 - σ(u)) の最大値です。"),
        Misconception(
            "too_small",
            "choice 0.15 is below the derivative's value at u = 0; σ(u)(1 - σ(u)) is a "
            "product p(1 - p) of two numbers that add up to 1, largest when both are 0.5.",
            0.15,
            hint_ja="選択肢 0.15 は、u = 0 での微分の値より小さい値です。σ(u)(1 - σ(u)) は足して"
                    "1になる2つの数の積 p(1 - p) で、両方が0.5のときに最大になります。"),
        Misconception(
            "too_large",
            "choice 0.35 is more than the derivative ever reaches: σ(u)(1 - σ(u)) is a "
            "product p(1 - p) of two numbers that add up to 1, largest when both are 0.5.",
            0.35,
            hint_ja="選択肢 0.35 は、微分がとりうる値を超えています。σ(u)(1 - σ(u)) は足して1に"
                    "なる2つの数の積 p(1 - p) で、両方が0.5のときに最大になります。"),
        Misconception(
            "far_too_large",
            "choice 0.45 is more than the derivative ever reaches: σ(u)(1 - σ(u)) is a "
            "product p(1 - p) of two numbers that add up to 1, largest when both are 0.5.",
            0.45,
            hint_ja="選択肢 0.45 は、微分がとりうる値を超えています。σ(u)(1 - σ(u)) は足して1に"
                    "なる2つの数の積 p(1 - p) で、両方が0.5のときに最大になります。"),
    ],
)


# --- 03_lstm.clip_choice (1 point) ----------------------------------------------------------------
# Code challenge 3 asked as the exam asks it: the return value when the gradient is clipped.

CLIP_CHOICE = ValueProblem(
    grade_id="03_lstm.clip_choice", points=1, student_object="clip_choice",
    answer="d", normalise=normalise_choice, choice=True,
    alternatives=["D", " (d) "],
    misconceptions=[
        Misconception(
            "divided_by_norm",
            "choice (a) divides by the norm: the result always has norm 1, whatever the "
            "threshold; the blank must give the gradient the norm threshold.",
            "a",
            hint_ja="(a) はノルムで割っています。これでは閾値に関係なく、結果のノルムが常に1にな"
                    "ります。空欄では、勾配のノルムを閾値にしなければなりません。"),
        Misconception(
            "times_threshold",
            "choice (b) multiplies by the threshold: its norm becomes threshold times the "
            "old norm, larger still when the norm was above the threshold; the blank must "
            "shrink the gradient to norm threshold.",
            "b",
            hint_ja="(b) は閾値を掛けています。するとノルムは元のノルムの threshold 倍になり、ノ"
                    "ルムが閾値を超えていたときにはさらに大きくなります。空欄では、勾配をノルム"
                    "が閾値になるまで縮めなければなりません。"),
        Misconception(
            "elementwise_clip",
            "choice (c) clips each element to [-threshold, threshold]: that changes the "
            "gradient's direction and does not bound its norm (n elements can each be as "
            "large as the threshold); the blank rescales the whole gradient, keeping its "
            "direction.",
            "c",
            hint_ja="(c) は各要素を [-threshold, threshold] に切り詰めています。これでは勾配の向"
                    "きが変わり、ノルムも抑えられません（n 個の要素がそれぞれ閾値の大きさになり"
                    "えます）。空欄では、向きを保ったまま勾配全体の大きさを変えます。"),
    ],
)


# --- 03_lstm.clip_grad_norm (2 points) ------------------------------------------------------------

def clip_cases(rng):
    cases = []
    for shape, scale, threshold in [((5,), 3.0, 1.0), ((3, 4), 0.1, 1.0), ((2, 3), 2.0, 5.0),
                                    ((4, 4), 1.0, 0.5), ((6,), 0.05, 2.0)]:
        grad = rng.standard_normal(shape) * scale
        where = "above" if np.linalg.norm(grad) > threshold else "below"
        cases.append(Case((grad, threshold), f"shape {shape}, norm {where} the threshold",
                          label_ja=f"形状 {shape}、ノルムは閾値"
                                   + ("より大きい" if where == "above" else "以下")))
    return cases


def clip_grad_norm_reference(grad, threshold):
    norm = np.linalg.norm(grad)
    rate = threshold / norm
    if rate < 1:
        return grad * rate
    return grad


def clip_grad_norm_where(grad, threshold):
    norm = np.sqrt(np.sum(grad**2))
    return np.where(norm > threshold, grad * (threshold / norm), grad)


def clip_grad_norm_minimum(grad, threshold):
    return grad * min(1.0, threshold / np.linalg.norm(grad))


def clip_grad_norm_divide_by_norm(grad, threshold):
    norm = np.linalg.norm(grad)
    if threshold / norm < 1:
        return grad / norm
    return grad


def clip_grad_norm_times_threshold(grad, threshold):
    norm = np.linalg.norm(grad)
    if threshold / norm < 1:
        return grad * threshold
    return grad


def clip_grad_norm_elementwise(grad, threshold):
    return np.clip(grad, -threshold, threshold)


def clip_grad_norm_always(grad, threshold):
    return grad * (threshold / np.linalg.norm(grad))


CLIP_GRAD_NORM = FunctionProblem(
    grade_id="03_lstm.clip_grad_norm", points=2, student_object="clip_grad_norm",
    make_cases=clip_cases, reference=clip_grad_norm_reference,
    misconceptions=[
        Misconception(
            "divide_by_norm",
            "the gradient is divided by its norm (normalised) instead of scaled by "
            "threshold / norm",
            clip_grad_norm_divide_by_norm,
            hint_ja="勾配に threshold / norm を掛けずに、ノルムで割って正規化すると、この出力に"
                    "なります。"),
        Misconception(
            "times_threshold",
            "the gradient is multiplied by the threshold instead of threshold / norm",
            clip_grad_norm_times_threshold,
            hint_ja="勾配に threshold / norm ではなく閾値そのものを掛けると、この出力になります。"),
        Misconception(
            "elementwise_clip",
            "each element is clipped to [-threshold, threshold] instead of rescaling the whole "
            "gradient by its norm",
            clip_grad_norm_elementwise,
            hint_ja="勾配全体をノルムで縮める代わりに、各要素を [-threshold, threshold] に切り詰"
                    "めると、この出力になります。"),
        Misconception(
            "always_rescales",
            "the gradient is rescaled even when its norm is below the threshold (clip only when "
            "threshold / norm < 1)",
            clip_grad_norm_always,
            hint_ja="ノルムが閾値以下のときにも勾配を縮め直すと、この出力になります（クリッピ"
                    "ングするのは threshold / norm < 1 のときだけです）。"),
    ],
    alternatives=[clip_grad_norm_where, clip_grad_norm_minimum],
)


# --- 03_lstm.clip_grads_global (2 points) ---------------------------------------------------------

def clip_global_cases(rng):
    cases = []
    for shapes, scale, threshold in [([(3,), (2, 2)], 2.0, 1.0),
                                     ([(4, 3), (3,), (3, 3)], 0.05, 1.0),
                                     ([(2, 5), (5,)], 1.0, 3.0), ([(3, 3)] * 3, 1.0, 2.0)]:
        grads = [rng.standard_normal(s) * scale for s in shapes]
        cases.append(Case((grads, threshold), f"{len(shapes)} arrays, threshold {threshold}",
                          label_ja=f"配列{len(shapes)}個、閾値 {threshold}"))
    return cases


def clip_global_reference(grads, threshold):
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    rate = threshold / total
    if rate < 1:
        return [g * rate for g in grads]
    return [g.copy() for g in grads]


def clip_global_concatenate(grads, threshold):
    total = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
    scale = min(1.0, threshold / total)
    return [scale * g for g in grads]


def clip_global_norm_of_norms(grads, threshold):
    total = np.linalg.norm([np.linalg.norm(g) for g in grads])
    if total > threshold:
        return [g * (threshold / total) for g in grads]
    return list(grads)


def clip_global_each_separately(grads, threshold):
    out = []
    for g in grads:
        norm = np.linalg.norm(g)
        out.append(g * (threshold / norm) if threshold / norm < 1 else g)
    return out


def clip_global_sum_of_norms(grads, threshold):
    total = sum(np.linalg.norm(g) for g in grads)
    if threshold / total < 1:
        return [g * (threshold / total) for g in grads]
    return list(grads)


CLIP_GRADS_GLOBAL = FunctionProblem(
    grade_id="03_lstm.clip_grads_global", points=2, student_object="clip_grads_global",
    make_cases=clip_global_cases, reference=clip_global_reference,
    misconceptions=[
        Misconception(
            "each_separately",
            "each array is clipped by its own norm instead of one global norm",
            clip_global_each_separately,
            hint_ja="全体で1つのノルムを使わずに、配列ごとにそれぞれのノルムでクリッピングすると"
                    "、この出力になります。"),
        Misconception(
            "sum_of_norms",
            "the global norm is taken as the sum of the norms instead of sqrt(sum of squares)",
            clip_global_sum_of_norms,
            hint_ja="全体のノルムを、二乗和の平方根ではなく各ノルムの和として計算すると、この出"
                    "力になります。"),
    ],
    alternatives=[clip_global_concatenate, clip_global_norm_of_norms],
)


# --- 03_lstm.which_gate (1 point) -----------------------------------------------------------------

WHICH_GATE = ValueProblem(
    grade_id="03_lstm.which_gate", points=1, student_object="which_gate",
    answer="forget gate", normalise=_gate_name, free_text=True, choice=True,
    alternatives=["Forget gate", "忘却ゲート", "the forget gate.", "忘却ゲート (forget gate)",
                  "forget gate（忘却ゲート）"],
    misconceptions=[
        Misconception(
            "input_gate",
            "choice \"input gate\": the input gate (入力ゲート) decides what is written into "
            "the cell; letting a word that does not matter go is dropping it from memory: "
            "another gate's job.",
            "input gate",
            hint_ja="「入力ゲート」(input gate) はセルに何を書き込むかを決めるゲートです。重要で"
                    "ない単語を手放すのは記憶から消すことで、別のゲートの役目です。"),
        Misconception(
            "output_gate",
            "choice \"output gate\": the output gate (出力ゲート) decides what is read out "
            "of the cell into h; letting a word that does not matter go is dropping it from "
            "memory: another gate's job.",
            "output gate",
            hint_ja="「出力ゲート」(output gate) はセルから h に何を読み出すかを決めるゲートです"
                    "。重要でない単語を手放すのは記憶から消すことで、別のゲートの役目です。"),
    ],
)


# --- 03_lstm.cell_update_choice (1 point) ---------------------------------------------------------
# Code challenge 4 asked as the exam asks it: the new cell state.

CELL_UPDATE_CHOICE = ValueProblem(
    grade_id="03_lstm.cell_update_choice", points=1, student_object="cell_update_choice",
    answer="b", normalise=normalise_choice, choice=True,
    alternatives=["B", " (b) "],
    misconceptions=[
        Misconception(
            "gates_swapped",
            "choice (a) swaps the gates: it writes the old cell through the input gate and "
            "keeps the candidate through the forget gate; the forget gate decides how much "
            "of prev_c is kept, the input gate how much of the candidate a is written.",
            "a",
            hint_ja="(a) はゲートを入れ替えています。古いセルを入力ゲートを通して書き込み、候補"
                    "を忘却ゲートを通して残しています。prev_c をどれだけ残すかを決めるのは忘却ゲ"
                    "ート、候補 a をどれだけ書き込むかを決めるのは入力ゲートです。"),
        Misconception(
            "output_gate",
            "choice (c) writes the candidate through the output gate: the output gate only "
            "decides what is read out of the cell (in h); what is written into it is the "
            "input gate's job.",
            "c",
            hint_ja="(c) は候補を出力ゲートを通して書き込んでいます。出力ゲートが決めるのはセル"
                    "から（h に）何を読み出すかだけで、セルに何を書き込むかは入力ゲートの役目で"
                    "す。"),
        Misconception(
            "tanh_doubled",
            "choice (d) squashes the new cell state with tanh: then the cell can never grow "
            "beyond (-1, 1) and the next line applies tanh a second time; the cell state "
            "itself is the plain gated sum, and tanh belongs to the read-out h only.",
            "d",
            hint_ja="(d) は新しいセルの状態を tanh で押しつぶしています。これではセルが (-1, 1) "
                    "の外に出られず、次の行で tanh が2回掛かります。セルの状態はゲートを掛けた和"
                    "そのもので、tanh を掛けるのは読み出す h だけです。"),
    ],
)


# --- 03_lstm.lstm_cell_update (2 points) ----------------------------------------------------------

def cell_update_cases(rng):
    cases = []
    for N, H in [(1, 1), (3, 5), (8, 16)]:
        gates = [sigmoid(rng.standard_normal((N, H)) * 2) for _ in range(3)]
        cases.append(Case((*gates, np.tanh(rng.standard_normal((N, H))),
                           rng.standard_normal((N, H))), f"N={N}, H={H}"))
    return cases


def cell_update_reference(input_gate, forget_gate, output_gate, a, prev_c):
    c = input_gate * a + forget_gate * prev_c
    h = output_gate * np.tanh(c)
    return c, h


def cell_update_multiply_function(input_gate, forget_gate, output_gate, a, prev_c):
    c = np.multiply(forget_gate, prev_c) + np.multiply(input_gate, a)
    return c, np.multiply(output_gate, np.tanh(c))


def cell_update_tanh_identity(input_gate, forget_gate, output_gate, a, prev_c):
    c = prev_c * forget_gate + a * input_gate
    return c, output_gate * (2.0 / (1.0 + np.exp(-2.0 * c)) - 1.0)


def cell_update_gates_swapped(input_gate, forget_gate, output_gate, a, prev_c):
    c = forget_gate * a + input_gate * prev_c
    return c, output_gate * np.tanh(c)


def cell_update_output_gate_in_cell(input_gate, forget_gate, output_gate, a, prev_c):
    c = output_gate * a + forget_gate * prev_c
    return c, output_gate * np.tanh(c)


def cell_update_no_tanh(input_gate, forget_gate, output_gate, a, prev_c):
    c = input_gate * a + forget_gate * prev_c
    return c, output_gate * c


def cell_update_double_tanh(input_gate, forget_gate, output_gate, a, prev_c):
    c = input_gate * a + forget_gate * prev_c
    return c, output_gate * np.tanh(np.tanh(c))


LSTM_CELL_UPDATE = FunctionProblem(
    grade_id="03_lstm.lstm_cell_update", points=2, student_object="lstm_cell_update",
    outputs=("c", "h"),
    make_cases=cell_update_cases, reference=cell_update_reference,
    misconceptions=[
        Misconception(
            "gates_swapped",
            "the input and forget gates are swapped (forget_gate * a + input_gate * prev_c)",
            cell_update_gates_swapped,
            hint_ja="入力ゲートと忘却ゲートを取り違える（forget_gate * a + input_gate * prev_c）"
                    "と、この出力になります。"),
        Misconception(
            "output_gate_in_cell",
            "the output gate is used in the cell update instead of the input gate",
            cell_update_output_gate_in_cell,
            hint_ja="セルの更新で、入力ゲートの代わりに出力ゲートを使うと、この出力になります。"),
        Misconception(
            "no_tanh",
            "h = output_gate * c: the tanh on the cell state is missing",
            cell_update_no_tanh,
            hint_ja="h = output_gate * c のように、セルの状態に掛ける tanh を忘れると、この出力"
                    "になります。"),
        Misconception(
            "double_tanh",
            "tanh is applied twice to the cell state",
            cell_update_double_tanh,
            hint_ja="セルの状態に tanh を2回掛けると、この出力になります。"),
    ],
    alternatives=[cell_update_multiply_function, cell_update_tanh_identity],
)


# --- 03_lstm.lstm_step_forward (3 points) ---------------------------------------------------------

def lstm_step_cases(rng):
    cases = []
    for N, D, H in [(1, 2, 1), (2, 3, 4), (4, 5, 3)]:
        cases.append(Case((rng.standard_normal((N, D)), rng.standard_normal((N, H)),
                           rng.standard_normal((N, H)), *_lstm_params(rng, D, H)),
                          f"N={N}, D={D}, H={H}"))
    return cases


def lstm_step_forward_reference(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = sigmoid(A[:, :H]), sigmoid(A[:, H:2 * H]), sigmoid(A[:, 2 * H:3 * H])
    g = np.tanh(A[:, 3 * H:])
    next_c = f * prev_c + i * g
    return o * np.tanh(next_c), next_c


def lstm_step_forward_split(x, prev_h, prev_c, Wx, Wh, b):
    A = np.dot(x, Wx) + np.dot(prev_h, Wh) + b
    ai, af, ao, ag = np.split(A, 4, axis=1)
    i, f, o = 1 / (1 + np.exp(-ai)), 1 / (1 + np.exp(-af)), 1 / (1 + np.exp(-ao))
    next_c = f * prev_c + i * np.tanh(ag)
    return o * np.tanh(next_c), next_c


def lstm_step_forward_stacked_weights(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = np.hstack([x, prev_h]) @ np.vstack([Wx, Wh]) + b
    gates = 1 / (1 + np.exp(-A[:, :3 * H]))
    i, f, o = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:]
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    return o * np.tanh(next_c), next_c


def lstm_step_forward_all_sigmoid(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = 1 / (1 + np.exp(-(x @ Wx + prev_h @ Wh + b)))
    i, f, o, g = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]
    next_c = f * prev_c + i * g
    return o * np.tanh(next_c), next_c


def lstm_step_forward_swapped_if(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    f, i, o = (1 / (1 + np.exp(-A[:, k * H:(k + 1) * H])) for k in range(3))
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    return o * np.tanh(next_c), next_c


def lstm_step_forward_h_without_tanh(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = (1 / (1 + np.exp(-A[:, k * H:(k + 1) * H])) for k in range(3))
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    return o * next_c, next_c


LSTM_STEP_FORWARD = FunctionProblem(
    grade_id="03_lstm.lstm_step_forward", points=3, student_object="lstm_step_forward",
    outputs=("next_h", "next_c"),
    depends_on=("03_lstm.lstm_cell_update",),  # the notebook suggests calling it
    make_cases=lstm_step_cases, reference=lstm_step_forward_reference,
    misconceptions=[
        Misconception(
            "all_sigmoid",
            "sigmoid is applied to all four blocks, the candidate g included (the notes' extra "
            "activation, erratum 2); g needs tanh",
            lstm_step_forward_all_sigmoid,
            hint_ja="候補 g も含めて4つのブロックすべてにシグモイドを掛けると（講義ノートの余分"
                    "な活性化関数、誤り2）、この出力になります。g には tanh を掛けます。"),
        Misconception(
            "input_forget_swapped",
            "the input and forget blocks are read in the wrong order (use i, f, o, g)",
            lstm_step_forward_swapped_if,
            hint_ja="入力ゲートと忘却ゲートのブロックを逆の順番で読むと、この出力になります（順"
                    "番は i, f, o, g です。講義ノートの a, i, f, o とは違います）。"),
        Misconception(
            "h_without_tanh",
            "next_h = o * next_c: the tanh on the cell state is missing",
            lstm_step_forward_h_without_tanh,
            hint_ja="next_h = o * next_c のように、セルの状態に掛ける tanh を忘れると、この出力"
                    "になります。"),
    ],
    alternatives=[lstm_step_forward_split, lstm_step_forward_stacked_weights],
)


# --- 03_lstm.lstm_forward (2 points) --------------------------------------------------------------

def lstm_forward_cases(rng):
    cases = []
    for N, T, D, H in [(1, 1, 2, 2), (2, 4, 3, 4), (3, 7, 4, 3)]:
        cases.append(Case((rng.standard_normal((N, T, D)), rng.standard_normal((N, H)) * 0.5,
                           *_lstm_params(rng, D, H)), f"N={N}, T={T}, D={D}, H={H}"))
    return cases


def lstm_forward_reference(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h, c = h0, np.zeros_like(h0)
    for t in range(T):
        h, c = lstm_step_forward_reference(xs[:, t], h, c, Wx, Wh, b)
        hs[:, t] = h
    return hs


def lstm_forward_list(xs, h0, Wx, Wh, b):
    H = h0.shape[1]
    h, c, out = h0, np.zeros_like(h0), []
    for x in np.moveaxis(xs, 1, 0):
        A = x.dot(Wx) + h.dot(Wh) + b
        i, f, o = (1 / (1 + np.exp(-A[:, k * H:(k + 1) * H])) for k in range(3))
        c = f * c + i * np.tanh(A[:, 3 * H:])
        h = o * np.tanh(c)
        out.append(h)
    return np.stack(out, axis=1)


def lstm_forward_precomputed(xs, h0, Wx, Wh, b):
    H = h0.shape[1]
    inputs = xs @ Wx + b
    hs = np.empty(xs.shape[:2] + (H,))
    h, c = h0, np.zeros_like(h0)
    for t in range(xs.shape[1]):
        A = inputs[:, t] + h @ Wh
        gates = 0.5 * (1 + np.tanh(0.5 * A[:, :3 * H]))
        c = gates[:, H:2 * H] * c + gates[:, :H] * np.tanh(A[:, 3 * H:])
        h = gates[:, 2 * H:] * np.tanh(c)
        hs[:, t] = h
    return hs


def lstm_forward_cell_reset(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h, _ = lstm_step_forward(xs[:, t], h, np.zeros_like(h0), Wx, Wh, b)
        hs[:, t] = h
    return hs


def lstm_forward_h_not_carried(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    c = np.zeros_like(h0)
    for t in range(T):
        h, c = lstm_step_forward(xs[:, t], h0, c, Wx, Wh, b)
        hs[:, t] = h
    return hs


LSTM_FORWARD = FunctionProblem(
    grade_id="03_lstm.lstm_forward", points=2, student_object="lstm_forward",
    depends_on=("03_lstm.lstm_step_forward",),
    make_cases=lstm_forward_cases, reference=lstm_forward_reference,
    misconceptions=[
        Misconception(
            "cell_reset",
            "the cell state is reset to zero at every step instead of carried",
            lstm_forward_cell_reset,
            hint_ja="セルの状態を次のステップへ引き継がず、毎ステップゼロに戻すと、この出力にな"
                    "ります。"),
        Misconception(
            "h_not_carried",
            "every step starts from h0 instead of the previous hidden state",
            lstm_forward_h_not_carried,
            hint_ja="各ステップを1つ前の隠れ状態からではなく h0 から始めると、この出力になります"
                    "。"),
    ],
    alternatives=[lstm_forward_list, lstm_forward_precomputed],
)


# --- 03_lstm.lstm_step_backward (4 points) --------------------------------------------------------

def lstm_step_backward_cases(rng):
    cases = []
    for N, D, H in [(1, 2, 1), (2, 3, 4), (3, 4, 3)]:
        cases.append(Case((rng.standard_normal((N, H)), rng.standard_normal((N, H)),
                           rng.standard_normal((N, D)), rng.standard_normal((N, H)),
                           rng.standard_normal((N, H)), *_lstm_params(rng, D, H)),
                          f"N={N}, D={D}, H={H}"))
    return cases


def lstm_step_backward_reference(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = sigmoid(A[:, :H]), sigmoid(A[:, H:2 * H]), sigmoid(A[:, 2 * H:3 * H])
    g = np.tanh(A[:, 3 * H:])
    tanh_c = np.tanh(f * prev_c + i * g)
    dc = dnext_c + dnext_h * o * (1 - tanh_c**2)
    dA = np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                         dnext_h * tanh_c * o * (1 - o), dc * i * (1 - g**2)], axis=1)
    return dA @ Wx.T, dA @ Wh.T, dc * f, x.T @ dA, prev_h.T @ dA, dA.sum(axis=0)


def lstm_step_backward_split(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    A = np.dot(x, Wx) + np.dot(prev_h, Wh) + b
    ai, af, ao, ag = np.split(A, 4, axis=1)
    i, f, o, g = 1 / (1 + np.exp(-ai)), 1 / (1 + np.exp(-af)), 1 / (1 + np.exp(-ao)), np.tanh(ag)
    next_c = f * prev_c + i * g
    do = dnext_h * np.tanh(next_c)
    dc = dnext_c + dnext_h * o * (1 - np.tanh(next_c) ** 2)
    di, df, dg = dc * g, dc * prev_c, dc * i
    dA = np.hstack([di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g * g)])
    return dA.dot(Wx.T), dA.dot(Wh.T), dc * f, x.T.dot(dA), prev_h.T.dot(dA), np.sum(dA, axis=0)


def lstm_step_backward_stacked(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    H, D = prev_h.shape[1], x.shape[1]
    W = np.vstack([Wx, Wh])
    z = np.hstack([x, prev_h])
    A = z @ W + b
    s = 1 / (1 + np.exp(-A[:, :3 * H]))
    i, f, o = s[:, :H], s[:, H:2 * H], s[:, 2 * H:]
    g = np.tanh(A[:, 3 * H:])
    tc = np.tanh(f * prev_c + i * g)
    dc = dnext_c + dnext_h * o * (1 - tc * tc)
    dA = np.hstack([dc * g, dc * prev_c, dnext_h * tc]) * s * (1 - s)
    dA = np.hstack([dA, dc * i * (1 - g * g)])
    dz, dW = dA @ W.T, z.T @ dA
    return dz[:, :D], dz[:, D:], dc * f, dW[:D], dW[D:], dA.sum(axis=0)


def lstm_step_backward_no_h_path(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = (1 / (1 + np.exp(-A[:, k * H:(k + 1) * H])) for k in range(3))
    g = np.tanh(A[:, 3 * H:])
    tanh_c = np.tanh(f * prev_c + i * g)
    dc = dnext_c
    dA = np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                         dnext_h * tanh_c * o * (1 - o), dc * i * (1 - g**2)], axis=1)
    return dA @ Wx.T, dA @ Wh.T, dc * f, x.T @ dA, prev_h.T @ dA, dA.sum(axis=0)


def lstm_step_backward_no_forget_scaling(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = (1 / (1 + np.exp(-A[:, k * H:(k + 1) * H])) for k in range(3))
    g = np.tanh(A[:, 3 * H:])
    tanh_c = np.tanh(f * prev_c + i * g)
    dc = dnext_c + dnext_h * o * (1 - tanh_c**2)
    dA = np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                         dnext_h * tanh_c * o * (1 - o), dc * i * (1 - g**2)], axis=1)
    return dA @ Wx.T, dA @ Wh.T, dc, x.T @ dA, prev_h.T @ dA, dA.sum(axis=0)


def lstm_step_backward_sigmoid_derivative_for_g(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = (1 / (1 + np.exp(-A[:, k * H:(k + 1) * H])) for k in range(3))
    g = np.tanh(A[:, 3 * H:])
    tanh_c = np.tanh(f * prev_c + i * g)
    dc = dnext_c + dnext_h * o * (1 - tanh_c**2)
    dA = np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                         dnext_h * tanh_c * o * (1 - o), dc * i * g * (1 - g)], axis=1)
    return dA @ Wx.T, dA @ Wh.T, dc * f, x.T @ dA, prev_h.T @ dA, dA.sum(axis=0)


LSTM_STEP_BACKWARD = FunctionProblem(
    grade_id="03_lstm.lstm_step_backward", points=4, student_object="lstm_step_backward",
    outputs=("dx", "dprev_h", "dprev_c", "dWx", "dWh", "db"),
    depends_on=("03_lstm.lstm_step_forward",),  # its visible test differentiates it
    make_cases=lstm_step_backward_cases, reference=lstm_step_backward_reference,
    misconceptions=[
        Misconception(
            "no_h_path",
            "the gradient reaching c through next_h = o * tanh(c) is not added to dnext_c",
            lstm_step_backward_no_h_path,
            hint_ja="next_h = o * tanh(c) を通って c に届く勾配を dnext_c に足さないと、この出力"
                    "になります。"),
        Misconception(
            "no_forget_scaling",
            "dprev_c is not multiplied by the forget gate",
            lstm_step_backward_no_forget_scaling,
            hint_ja="dprev_c に忘却ゲートを掛け忘れると、この出力になります。"),
        Misconception(
            "sigmoid_derivative_for_g",
            "the candidate g gets the sigmoid derivative g(1-g) instead of tanh's 1-g**2",
            lstm_step_backward_sigmoid_derivative_for_g,
            hint_ja="候補 g に tanh の微分 1-g**2 ではなくシグモイドの微分 g(1-g) を使うと、この"
                    "出力になります。"),
    ],
    alternatives=[lstm_step_backward_split, lstm_step_backward_stacked],
)


# --- 03_lstm.lstm_backward (3 points) -------------------------------------------------------------

def lstm_backward_cases(rng):
    cases = []
    for N, T, D, H in [(1, 2, 2, 2), (2, 4, 3, 3), (3, 5, 2, 4)]:
        cases.append(Case((rng.standard_normal((N, T, H)), rng.standard_normal((N, T, D)),
                           rng.standard_normal((N, H)) * 0.5, *_lstm_params(rng, D, H)),
                          f"N={N}, T={T}, D={D}, H={H}"))
    return cases


def lstm_backward_reference(dhs, xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs, cs = [h0], [np.zeros_like(h0)]
    for t in range(T):
        h, c = lstm_step_forward_reference(xs[:, t], hs[-1], cs[-1], Wx, Wh, b)
        hs.append(h)
        cs.append(c)
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh, dc = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        dx, dh, dc, dWx_t, dWh_t, db_t = lstm_step_backward_reference(
            dhs[:, t] + dh, dc, xs[:, t], hs[t], cs[t], Wx, Wh, b)
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dh, dWx, dWh, db


def lstm_backward_inline(dhs, xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    H = h0.shape[1]
    cache = []
    h, c = h0, np.zeros_like(h0)
    for t in range(T):
        A = xs[:, t] @ Wx + h @ Wh + b
        i, f, o = (1 / (1 + np.exp(-A[:, k * H:(k + 1) * H])) for k in range(3))
        g = np.tanh(A[:, 3 * H:])
        cache.append((h, c, i, f, o, g))
        c = f * c + i * g
        h = o * np.tanh(c)
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh, dc = np.zeros_like(h0), np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        prev_h, prev_c, i, f, o, g = cache[t]
        tc = np.tanh(f * prev_c + i * g)
        dh_t = dhs[:, t] + dh
        dct = dc + dh_t * o * (1 - tc**2)
        dA = np.concatenate([dct * g * i * (1 - i), dct * prev_c * f * (1 - f),
                             dh_t * tc * o * (1 - o), dct * i * (1 - g**2)], axis=1)
        dxs[:, t] = dA @ Wx.T
        dWx += xs[:, t].T @ dA
        dWh += prev_h.T @ dA
        db += dA.sum(axis=0)
        dh, dc = dA @ Wh.T, dct * f
    return dxs, dh, dWx, dWh, db


def lstm_backward_list(dhs, xs, h0, Wx, Wh, b):
    T = xs.shape[1]
    states = [(h0, np.zeros_like(h0))]
    for t in range(T):
        states.append(lstm_step_forward(xs[:, t], *states[-1], Wx, Wh, b))
    grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
    dx_list, dh, dc = [], 0 * h0, 0 * h0
    for t in reversed(range(T)):
        prev_h, prev_c = states[t]
        dx, dh, dc, *dparams = lstm_step_backward(dhs[:, t] + dh, dc, xs[:, t], prev_h, prev_c, Wx, Wh, b)
        dx_list.append(dx)
        grads = [acc + d for acc, d in zip(grads, dparams)]
    return np.stack(dx_list[::-1], axis=1), dh, grads[0], grads[1], grads[2]


def lstm_backward_no_cell_carry(dhs, xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs, cs = [h0], [np.zeros_like(h0)]
    for t in range(T):
        h, c = lstm_step_forward(xs[:, t], hs[-1], cs[-1], Wx, Wh, b)
        hs.append(h)
        cs.append(c)
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh = np.zeros_like(h0)
    for t in reversed(range(T)):
        dx, dh, _, dWx_t, dWh_t, db_t = lstm_step_backward(
            dhs[:, t] + dh, np.zeros_like(h0), xs[:, t], hs[t], cs[t], Wx, Wh, b)
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dh, dWx, dWh, db


def lstm_backward_no_hidden_carry(dhs, xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs, cs = [h0], [np.zeros_like(h0)]
    for t in range(T):
        h, c = lstm_step_forward(xs[:, t], hs[-1], cs[-1], Wx, Wh, b)
        hs.append(h)
        cs.append(c)
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh, dc = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        dx, dh, dc, dWx_t, dWh_t, db_t = lstm_step_backward(
            dhs[:, t], dc, xs[:, t], hs[t], cs[t], Wx, Wh, b)
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dh, dWx, dWh, db


LSTM_BACKWARD = FunctionProblem(
    grade_id="03_lstm.lstm_backward", points=3, student_object="lstm_backward",
    outputs=("dxs", "dh0", "dWx", "dWh", "db"),
    # its visible test differentiates lstm_forward
    depends_on=("03_lstm.lstm_forward", "03_lstm.lstm_step_forward", "03_lstm.lstm_step_backward"),
    make_cases=lstm_backward_cases, reference=lstm_backward_reference,
    misconceptions=[
        Misconception(
            "no_cell_carry",
            "the cell-state gradient is not carried back from step t+1 to step t",
            lstm_backward_no_cell_carry,
            hint_ja="セルの状態の勾配をステップ t+1 からステップ t へ引き継がないと、この出力に"
                    "なります。"),
        Misconception(
            "no_hidden_carry",
            "the hidden-state gradient from step t+1 is not added to dhs[:, t]",
            lstm_backward_no_hidden_carry,
            hint_ja="ステップ t+1 から届く隠れ状態の勾配を dhs[:, t] に足さないと、この出力にな"
                    "ります。"),
    ],
    alternatives=[lstm_backward_inline, lstm_backward_list],
)


# --- 03_lstm.peephole_step_forward (2 points) -----------------------------------------------------
# The curriculum's optional extension: peephole connections let the gates see the cell.

def peephole_cases(rng):
    cases = []
    for N, D, H in [(1, 2, 1), (2, 3, 4), (3, 4, 2)]:
        cases.append(Case((rng.standard_normal((N, D)), rng.standard_normal((N, H)),
                           rng.standard_normal((N, H)), *_lstm_params(rng, D, H),
                           rng.standard_normal(H), rng.standard_normal(H),
                           rng.standard_normal(H)),
                          f"N={N}, D={D}, H={H}"))
    return cases


def peephole_step_forward_reference(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i = sigmoid(A[:, :H] + prev_c * p_i)
    f = sigmoid(A[:, H:2 * H] + prev_c * p_f)
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    o = sigmoid(A[:, 2 * H:3 * H] + next_c * p_o)
    return o * np.tanh(next_c), next_c


def peephole_step_forward_split(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    ai, af, ao, ag = np.split(np.dot(x, Wx) + np.dot(prev_h, Wh) + b, 4, axis=1)
    i = 1 / (1 + np.exp(-(ai + p_i * prev_c)))
    f = 1 / (1 + np.exp(-(af + p_f * prev_c)))
    next_c = prev_c * f + np.tanh(ag) * i
    o = 1 / (1 + np.exp(-(ao + p_o * next_c)))
    return np.tanh(next_c) * o, next_c


def peephole_output_sees_old_cell(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i = sigmoid(A[:, :H] + prev_c * p_i)
    f = sigmoid(A[:, H:2 * H] + prev_c * p_f)
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    o = sigmoid(A[:, 2 * H:3 * H] + prev_c * p_o)
    return o * np.tanh(next_c), next_c


def peephole_step_forward_sliced_weights(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    H = prev_h.shape[1]

    def block(k):
        cols = slice(k * H, (k + 1) * H)
        return x @ Wx[:, cols] + prev_h @ Wh[:, cols] + b[cols]

    i = 1 / (1 + np.exp(-(block(0) + p_i[None, :] * prev_c)))
    f = 1 / (1 + np.exp(-(block(1) + p_f[None, :] * prev_c)))
    next_c = f * prev_c + i * np.tanh(block(3))
    o = 1 / (1 + np.exp(-(block(2) + p_o[None, :] * next_c)))
    return o * np.tanh(next_c), next_c


def peephole_ignored(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = sigmoid(A[:, :H]), sigmoid(A[:, H:2 * H]), sigmoid(A[:, 2 * H:3 * H])
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    return o * np.tanh(next_c), next_c


def peephole_after_sigmoid(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i = sigmoid(A[:, :H]) + prev_c * p_i
    f = sigmoid(A[:, H:2 * H]) + prev_c * p_f
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    o = sigmoid(A[:, 2 * H:3 * H]) + next_c * p_o
    return o * np.tanh(next_c), next_c


PEEPHOLE_STEP_FORWARD = FunctionProblem(
    grade_id="03_lstm.peephole_step_forward", points=2,
    student_object="lstm_peephole_step_forward",
    outputs=("next_h", "next_c"),
    depends_on=("03_lstm.lstm_step_forward",),  # the visible test compares with it
    make_cases=peephole_cases, reference=peephole_step_forward_reference,
    misconceptions=[
        Misconception(
            "output_sees_old_cell",
            "the output gate looks at the old cell state c_{t-1}; it is computed after the "
            "update and looks at the new one, c_t",
            peephole_output_sees_old_cell,
            hint_ja="出力ゲートの覗き穴が古いセルの状態 c_{t-1} を見ていると、この出力になります。"
                    "出力ゲートはセルの更新の後で計算し、新しい状態 c_t を見ます。"),
        Misconception(
            "peepholes_ignored",
            "p_i, p_f and p_o are never used: this is the plain LSTM step",
            peephole_ignored,
            hint_ja="p_i、p_f、p_o を使わないと（普通のLSTMの1ステップと同じになり）、この出力に"
                    "なります。"),
        Misconception(
            "peephole_after_sigmoid",
            "the peephole term is added after the sigmoid; it belongs inside it, with the "
            "gate's other inputs",
            peephole_after_sigmoid,
            hint_ja="覗き穴の項をシグモイドの後に足すと、この出力になります。ゲートのほかの入力と"
                    "同じく、シグモイドの中に入れます。"),
    ],
    alternatives=[peephole_step_forward_split, peephole_step_forward_sliced_weights],
)


# --- 03_lstm.cec_weakness (1 point) ---------------------------------------------------------------

CEC_WEAKNESS = ValueProblem(
    grade_id="03_lstm.cec_weakness", points=1, student_object="cec_weakness",
    answer="b", normalise=normalise_choice, choice=True, alternatives=["B", " b "],
    misconceptions=[
        Misconception(
            "vanishing_gradients",
            "choice (a) says the CEC's gradient vanishes like a simple RNN's; in fact "
            "∂c_t/∂c_{t-1} = 1 at every step, which is what the CEC was made for.",
            "a",
            hint_ja="(a) はCECの勾配が単純なRNNと同じように消失すると言っていますが、実際には毎"
                    "ステップ ∂c_t/∂c_{t-1} = 1 で、それこそがCECの目的です。"),
        Misconception(
            "too_many_weights",
            "choice (c) says the CEC has too many weights; in fact it has none of its own, "
            "and that, not their number, is what keeps it from learning.",
            "c",
            hint_ja="(c) はCECの重みが多すぎると言っていますが、実際にはCECは自分の重みを1つも持"
                    "ちません。学習できないのは重みの数のせいではなく、重みがないからです。"),
    ],
)
