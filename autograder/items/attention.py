"""Hidden references and misconceptions for notebook 08_attention (instructor-only).

Conventions: hs: (N, T, H) encoder states, h: (N, H) one decoder state, scores and
attention weights a: (N, T) (a softmax over T), context c: (N, H), mask: (N, T) bool with
True for a real token (every row has at least one).
"""
import numpy as np

from rnnlib.activations import softmax

from autograder.items.base import (Case, FunctionProblem, Misconception, ValueProblem,
                                   normalise_choice, normalise_text)


# --- shared helpers -----------------------------------------------------------------------

def _random_weights(rng, N, T):
    s = rng.standard_normal((N, T))
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --- 08_attention.attention_weights (2 points) --------------------------------------------

def weights_cases(rng):
    cases = []
    # N == T in the second case: forgetting h[:, None, :] then gives numbers, not an error
    for N, T, H in [(1, 4, 3), (3, 3, 2), (2, 5, 4), (4, 2, 5)]:
        cases.append(Case((rng.standard_normal((N, T, H)), rng.standard_normal((N, H))),
                          f"N={N}, T={T}, H={H}"))
    hs, h = rng.standard_normal((2, 4, 3)) * 30, rng.standard_normal((2, 3)) * 30
    cases.append(Case((hs, h), "large scores: exp overflows without the max subtraction",
                      label_ja="大きなスコア: 最大値を引かないと exp がオーバーフローする"))
    return cases


def attention_weights_reference(hs, h):
    """a: (N, T) = softmax over T of the dot products hs[n, t] . h[n]."""
    return softmax((hs * h[:, None, :]).sum(axis=2), axis=1)


def attention_weights(hs, h):
    """The notebook name, bound to the reference (pasted forms call it as students do)."""
    return attention_weights_reference(hs, h)


def attention_weights_einsum(hs, h):
    s = np.einsum("nth,nh->nt", hs, h)
    e = np.exp(s - np.max(s, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def attention_weights_matmul(hs, h):
    s = (hs @ h[:, :, None])[:, :, 0]
    s -= s.max(axis=1)[:, None]
    return np.exp(s) / np.exp(s).sum(axis=1)[:, None]


def attention_weights_loops(hs, h):
    N, T, _ = hs.shape
    a = np.zeros((N, T))
    for n in range(N):
        s = np.array([hs[n, t].dot(h[n]) for t in range(T)])
        e = np.exp(s - s.max())
        a[n] = e / e.sum()
    return a


def attention_weights_over_batch(hs, h):
    s = (hs * h[:, None, :]).sum(axis=2)
    e = np.exp(s - s.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def attention_weights_whole_batch_sum(hs, h):
    s = (hs * h[:, None, :]).sum(axis=2)
    e = np.exp(s - s.max())
    return e / e.sum()


def attention_weights_no_batch_broadcast(hs, h):
    s = (hs * h).sum(axis=2)  # h (N, H) lines up with the time axis, not the batch axis
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def attention_weights_no_softmax(hs, h):
    return (hs * h[:, None, :]).sum(axis=2)


def attention_weights_divided_by_score_sum(hs, h):
    s = (hs * h[:, None, :]).sum(axis=2)
    return s / s.sum(axis=1, keepdims=True)


ATTENTION_WEIGHTS = FunctionProblem(
    grade_id="08_attention.attention_weights", points=2, student_object="attention_weights",
    make_cases=weights_cases, reference=attention_weights_reference,
    misconceptions=[
        Misconception(
            "over_batch",
            "the softmax normalises over the batch axis (axis=0) instead of the time axis",
            attention_weights_over_batch,
            hint_ja="ソフトマックスを時刻の軸 (axis=1) ではなくバッチの軸 (axis=0) で正規化する"
                    "と、この出力になります。"),
        Misconception(
            "whole_batch_sum",
            "the softmax divides by the sum over the whole batch (a sum without axis=1)",
            attention_weights_whole_batch_sum,
            hint_ja="ソフトマックスの分母を axis=1 なしの和、つまりバッチ全体の和にすると、この"
                    "出力になります。"),
        Misconception(
            "no_batch_broadcast",
            "h is multiplied with hs without h[:, None, :], so it lines up with the time axis "
            "instead of the batch axis",
            attention_weights_no_batch_broadcast,
            hint_ja="h[:, None, :] とせずに h をそのまま hs に掛けると、h がバッチの軸ではなく"
                    "時刻の軸にそろってしまい、この出力になります。"),
        Misconception(
            "no_softmax",
            "the scores are returned without the softmax",
            attention_weights_no_softmax,
            hint_ja="スコアにソフトマックスをかけずにそのまま返すと、この出力になります。"),
        Misconception(
            "divided_by_score_sum",
            "the scores are divided by their sum instead of going through exp and a softmax",
            attention_weights_divided_by_score_sum,
            hint_ja="スコアを exp とソフトマックスに通さず、スコアの和で割るだけにすると、この"
                    "出力になります。"),
    ],
    alternatives=[attention_weights_einsum, attention_weights_matmul, attention_weights_loops],
)


# --- 08_attention.attention_weights_backward (3 points) -----------------------------------

def weights_backward_cases(rng):
    cases = []
    for N, T, H in [(1, 3, 2), (2, 4, 3), (3, 5, 4), (2, 2, 6)]:
        hs, h = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
        cases.append(Case((hs, h, attention_weights_reference(hs, h), rng.standard_normal((N, T))),
                          f"N={N}, T={T}, H={H}"))
    return cases


def attention_weights_backward_reference(hs, h, a, da):
    """dhs: (N, T, H), dh: (N, H) from the upstream gradient da: (N, T)."""
    # softmax Jacobian applied to da: ds_t = a_t (da_t - sum_k a_k da_k)
    ds = a * (da - (a * da).sum(axis=1, keepdims=True))
    dhs = ds[:, :, None] * h[:, None, :]
    dh = (ds[:, :, None] * hs).sum(axis=1)
    return dhs, dh


def attention_weights_backward_einsum(hs, h, a, da):
    ds = a * da - a * np.einsum("nt,nt->n", a, da)[:, None]
    return np.einsum("nt,nh->nth", ds, h), np.einsum("nt,nth->nh", ds, hs)


def attention_weights_backward_jacobian(hs, h, a, da):
    N, T, _ = hs.shape
    dhs, dh = np.zeros_like(hs), np.zeros_like(h)
    for n in range(N):
        jacobian = np.diag(a[n]) - np.outer(a[n], a[n])  # d a_t / d s_k, symmetric
        ds = jacobian @ da[n]
        dhs[n] = np.outer(ds, h[n])
        dh[n] = ds @ hs[n]
    return dhs, dh


def attention_weights_backward_no_sum_term(hs, h, a, da):
    ds = a * da
    return ds[:, :, None] * h[:, None, :], (ds[:, :, None] * hs).sum(axis=1)


def attention_weights_backward_diagonal_only(hs, h, a, da):
    ds = da * a * (1 - a)
    return ds[:, :, None] * h[:, None, :], (ds[:, :, None] * hs).sum(axis=1)


def attention_weights_backward_dh_not_summed(hs, h, a, da):
    ds = a * (da - (a * da).sum(axis=1, keepdims=True))
    return ds[:, :, None] * h[:, None, :], ds[:, :, None] * hs


def attention_weights_backward_hs_for_h(hs, h, a, da):
    ds = a * (da - (a * da).sum(axis=1, keepdims=True))
    return ds[:, :, None] * hs, (ds[:, :, None] * hs).sum(axis=1)


ATTENTION_WEIGHTS_BACKWARD = FunctionProblem(
    grade_id="08_attention.attention_weights_backward", points=3,
    outputs=("dhs", "dh"),
    student_object="attention_weights_backward",
    depends_on=("08_attention.attention_weights",),  # the visible test differentiates it
    make_cases=weights_backward_cases, reference=attention_weights_backward_reference,
    misconceptions=[
        Misconception(
            "no_sum_term",
            "the -sum(a * da) term of the softmax backward is left out (ds = a * da)",
            attention_weights_backward_no_sum_term,
            hint_ja="ソフトマックスの逆伝播の -sum(a * da) の項を落として ds = a * da とすると"
                    "、この出力になります。"),
        Misconception(
            "diagonal_only",
            "only the diagonal of the softmax Jacobian is used (ds = da * a * (1 - a))",
            attention_weights_backward_diagonal_only,
            hint_ja="ソフトマックスのヤコビアンの対角成分だけを使って ds = da * a * (1 - a) と"
                    "すると、この出力になります。"),
        Misconception(
            "dh_not_summed",
            "dh is not summed over the time steps",
            attention_weights_backward_dh_not_summed,
            hint_ja="dh を時刻ステップについて足し合わせないと、この出力になります。"),
        Misconception(
            "hs_for_h",
            "dhs is multiplied by hs instead of by h (the score's partner in the dot product)",
            attention_weights_backward_hs_for_h,
            hint_ja="dhs に、内積の相手である h ではなく hs を掛けると、この出力になります。"),
    ],
    alternatives=[attention_weights_backward_einsum, attention_weights_backward_jacobian],
)


# --- 08_attention.context_vector (2 points) -----------------------------------------------

def context_cases(rng):
    cases = []
    # T == H in the third case: a[:, None, :] then broadcasts without an error
    for N, T, H in [(1, 4, 3), (2, 5, 2), (3, 3, 3), (4, 2, 5)]:
        cases.append(Case((rng.standard_normal((N, T, H)), _random_weights(rng, N, T)),
                          f"N={N}, T={T}, H={H}"))
    return cases


def context_vector_reference(hs, a):
    """c: (N, H) = sum over t of a[:, t] * hs[:, t]."""
    return (a[:, :, None] * hs).sum(axis=1)


def context_vector(hs, a):
    """The notebook name, bound to the reference."""
    return context_vector_reference(hs, a)


def context_vector_einsum(hs, a):
    return np.einsum("nt,nth->nh", a, hs)


def context_vector_matmul(hs, a):
    return (a[:, None, :] @ hs)[:, 0, :]


def context_vector_loop(hs, a):
    c = np.zeros((hs.shape[0], hs.shape[2]))
    for t in range(hs.shape[1]):
        c += a[:, t:t + 1] * hs[:, t]
    return c


def context_vector_summed_over_features(hs, a):
    return (a[:, :, None] * hs).sum(axis=2)


def context_vector_mean(hs, a):
    return (a[:, :, None] * hs).mean(axis=1)


def context_vector_weights_on_feature_axis(hs, a):
    return (a[:, None, :] * hs).sum(axis=1)  # only runs when T == H


def context_vector_unweighted(hs, a):
    return hs.sum(axis=1)


CONTEXT_VECTOR = FunctionProblem(
    grade_id="08_attention.context_vector", points=2, student_object="context_vector",
    make_cases=context_cases, reference=context_vector_reference,
    misconceptions=[
        Misconception(
            "summed_over_features",
            "the weighted states are summed over the feature axis instead of the time axis",
            context_vector_summed_over_features,
            hint_ja="重みを掛けた状態を、時刻の軸ではなく特徴量の軸について足し合わせると、この"
                    "出力になります。"),
        Misconception(
            "mean",
            "the weighted states are averaged over time (the weights already sum to 1)",
            context_vector_mean,
            hint_ja="重みを掛けた状態を時刻について平均すると、この出力になります（重みの和はす"
                    "でに 1 なので、T で割る必要はありません）。"),
        Misconception(
            "weights_on_feature_axis",
            "a is broadcast along the feature axis (a[:, None, :]) instead of the time axis "
            "(a[:, :, None])",
            context_vector_weights_on_feature_axis,
            hint_ja="a を時刻の軸 (a[:, :, None]) ではなく特徴量の軸 (a[:, None, :]) に沿ってブ"
                    "ロードキャストすると、この出力になります。"),
        Misconception(
            "unweighted",
            "the attention weights are left out",
            context_vector_unweighted,
            hint_ja="注意の重みを掛け忘れると、この出力になります。"),
    ],
    alternatives=[context_vector_einsum, context_vector_matmul, context_vector_loop],
)


# --- 08_attention.context_vector_backward (2 points) --------------------------------------

def context_backward_cases(rng):
    cases = []
    for N, T, H in [(1, 3, 2), (2, 4, 3), (3, 6, 4), (2, 2, 5)]:
        cases.append(Case((rng.standard_normal((N, T, H)), _random_weights(rng, N, T),
                           rng.standard_normal((N, H))), f"N={N}, T={T}, H={H}"))
    return cases


def context_vector_backward_reference(hs, a, dc):
    """dhs: (N, T, H), da: (N, T) from the upstream gradient dc: (N, H)."""
    dhs = a[:, :, None] * dc[:, None, :]
    da = (hs * dc[:, None, :]).sum(axis=2)
    return dhs, da


def context_vector_backward_einsum(hs, a, dc):
    return np.einsum("nt,nh->nth", a, dc), np.einsum("nth,nh->nt", hs, dc)


def context_vector_backward_matmul(hs, a, dc):
    dhs = a[:, :, None] @ dc[:, None, :]  # (N, T, 1) @ (N, 1, H): one outer product per row
    da = (hs @ dc[:, :, None])[:, :, 0]
    return dhs, da


def context_vector_backward_da_not_summed(hs, a, dc):
    return a[:, :, None] * dc[:, None, :], hs * dc[:, None, :]


def context_vector_backward_unweighted(hs, a, dc):
    return np.broadcast_to(dc[:, None, :], hs.shape).copy(), (hs * dc[:, None, :]).sum(axis=2)


def context_vector_backward_da_summed_over_time(hs, a, dc):
    return a[:, :, None] * dc[:, None, :], (hs * dc[:, None, :]).sum(axis=1)


CONTEXT_VECTOR_BACKWARD = FunctionProblem(
    grade_id="08_attention.context_vector_backward", points=2,
    outputs=("dhs", "da"),
    student_object="context_vector_backward",
    depends_on=("08_attention.context_vector",),  # the visible test differentiates it
    make_cases=context_backward_cases, reference=context_vector_backward_reference,
    misconceptions=[
        Misconception(
            "da_not_summed",
            "da is not summed over the feature axis (it keeps the shape of hs)",
            context_vector_backward_da_not_summed,
            hint_ja="da を特徴量の軸について足し合わせず、hs と同じ形のまま返すと、この出力にな"
                    "ります。"),
        Misconception(
            "unweighted",
            "dhs is not multiplied by the attention weights",
            context_vector_backward_unweighted,
            hint_ja="dhs に注意の重みを掛け忘れると、この出力になります。"),
        Misconception(
            "da_summed_over_time",
            "da is summed over the time axis instead of the feature axis",
            context_vector_backward_da_summed_over_time,
            hint_ja="da を特徴量の軸ではなく時刻の軸について足し合わせると、この出力になります。"),
    ],
    alternatives=[context_vector_backward_einsum, context_vector_backward_matmul],
)


# --- 08_attention.masked_attention_weights (2 points) -------------------------------------
# Masking of padded positions.

def _padding_mask(rng, N, T):
    lengths = rng.integers(1, T + 1, size=N)
    lengths[0] = max(1, T - 1)  # at least one row with padding
    return np.arange(T)[None, :] < lengths[:, None]


def masked_cases(rng):
    cases = []
    for N, T, H in [(2, 4, 3), (3, 6, 2), (4, 5, 4)]:
        cases.append(Case((rng.standard_normal((N, T, H)), rng.standard_normal((N, H)),
                           _padding_mask(rng, N, T)), f"N={N}, T={T}, H={H}, padding at the end",
                          label_ja=f"N={N}, T={T}, H={H}、末尾にパディング"))
    mask = np.array([[True, False, True, False, True], [False, True, True, True, True],
                     [True, True, True, True, True]])
    cases.append(Case((rng.standard_normal((3, 5, 3)), rng.standard_normal((3, 3)), mask),
                      "N=3, T=5, H=3, padding anywhere, one row without padding",
                      label_ja="N=3, T=5, H=3、パディングは任意の位置、パディングのない行が1つ"))
    return cases


def masked_attention_weights_reference(hs, h, mask):
    """a: (N, T), exactly 0 where mask is False, each row summing to 1 over the real tokens."""
    scores = (hs * h[:, None, :]).sum(axis=2)
    # -inf for padding: exp(-inf) = 0 exactly, and every row keeps a finite maximum
    return softmax(np.where(mask, scores, -np.inf), axis=1)


def masked_attention_weights_large_negative(hs, h, mask):
    s = np.einsum("nth,nh->nt", hs, h)
    s[~mask] = -1e9
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def masked_attention_weights_renormalised(hs, h, mask):
    a = attention_weights(hs, h) * mask  # zero the padding, then share 1 among real tokens
    return a / a.sum(axis=1, keepdims=True)


def masked_attention_weights_loops(hs, h, mask):
    N, T, _ = hs.shape
    a = np.zeros((N, T))
    for n in range(N):
        real = np.flatnonzero(mask[n])
        s = hs[n, real] @ h[n]
        e = np.exp(s - s.max())
        a[n, real] = e / e.sum()
    return a


def masked_attention_weights_not_renormalised(hs, h, mask):
    return attention_weights(hs, h) * mask


def masked_attention_weights_zero_score(hs, h, mask):
    s = (hs * h[:, None, :]).sum(axis=2) * mask  # a score of 0 still gets weight exp(0 - max)
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def masked_attention_weights_inverted(hs, h, mask):
    s = np.where(mask, -1e9, (hs * h[:, None, :]).sum(axis=2))
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def masked_attention_weights_unmasked(hs, h, mask):
    return attention_weights(hs, h)


MASKED_ATTENTION_WEIGHTS = FunctionProblem(
    grade_id="08_attention.masked_attention_weights", points=2,
    student_object="masked_attention_weights",
    make_cases=masked_cases, reference=masked_attention_weights_reference,
    misconceptions=[
        Misconception(
            "not_renormalised",
            "the weights are multiplied by the mask after the softmax without renormalising, "
            "so the real tokens' weights no longer sum to 1",
            masked_attention_weights_not_renormalised,
            hint_ja="ソフトマックスの後で重みにマスクを掛け、正規化し直さないと、本物のトークン"
                    "の重みの和が 1 にならず、この出力になります。"),
        Misconception(
            "zero_score",
            "the padded scores are set to 0 instead of a large negative number, and exp(0) is "
            "not 0",
            masked_attention_weights_zero_score,
            hint_ja="パディングのスコアを大きな負の数ではなく 0 にすると、exp(0) は 0 ではない"
                    "ので、この出力になります。"),
        Misconception(
            "inverted",
            "the mask is read the wrong way round (True taken as padding)",
            masked_attention_weights_inverted,
            hint_ja="マスクを逆に読んで、True をパディングとみなすと、この出力になります。"),
        Misconception("unmasked", "the mask is ignored", masked_attention_weights_unmasked,
                      hint_ja="マスクを無視すると、この出力になります。"),
    ],
    alternatives=[masked_attention_weights_large_negative,
                  masked_attention_weights_renormalised,
                  masked_attention_weights_loops],
)


# --- 08_attention.seq2seq_vs_attention_choice (1 point) -----------------------------------
# Confirmation test: seq2seq vs attention.

SEQ2SEQ_VS_ATTENTION_CHOICE = ValueProblem(
    grade_id="08_attention.seq2seq_vs_attention_choice", points=1,
    student_object="seq2seq_vs_attention_choice", answer="b", normalise=normalise_choice,
    choice=True,
    misconceptions=[
        Misconception(
            "bidirectional_encoder",
            "choice (a) describes a bidirectional encoder (notebook 05); attention changes how "
            "the decoder reads the encoder, not the direction the encoder runs in.",
            "a",
            hint_ja="(a) は双方向のエンコーダ（ノートブック 05）の説明です。注意機構が変えるの"
                    "は、デコーダがエンコーダを読む方法であって、エンコーダが走る向きではありま"
                    "せん。"),
        Misconception(
            "smaller_bottleneck",
            "choice (c) says attention makes the fixed-size vector smaller; in fact it removes "
            "the single fixed-size vector: the decoder reads all T encoder states.",
            "c",
            hint_ja="(c) は注意機構が固定長のベクトルを小さくすると言っていますが、実際には固定"
                    "長のベクトル1本に頼ること自体をやめ、デコーダはエンコーダの T 個の状態すべ"
                    "てを読みます。"),
        Misconception(
            "hard_choice",
            "choice (d) says attention copies the one input word with the highest score; in "
            "fact the weights are a softmax, so every input step contributes in proportion "
            "to its weight, and nothing is copied to the output.",
            "d",
            hint_ja="(d) は注意機構がスコア最大の入力単語を1つコピーすると言っていますが、実際"
                    "には重みはソフトマックスなので、どの入力ステップもその重みに応じて寄与し、"
                    "出力に何かがコピーされるわけではありません。"),
    ],
    alternatives=["B", " (b) "],
)


# --- 08_attention.bottleneck_sizes (1 point) ----------------------------------------------
# Confirmation test: seq2seq vs attention.

def normalise_sizes(mapping):
    """Integer-valued floats and digit strings count as the integers they spell."""
    if not isinstance(mapping, dict):
        return mapping
    out = {}
    for key, value in mapping.items():
        if isinstance(value, str) and value.strip().replace("_", "").isdigit():
            value = int(value.strip().replace("_", ""))
        elif isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        elif isinstance(value, np.integer):
            value = int(value)
        out[normalise_text(key) if isinstance(key, str) else key] = value
    return out


BOTTLENECK_SIZES = ValueProblem(
    grade_id="08_attention.bottleneck_sizes", points=1, student_object="bottleneck_sizes",
    answer={"seq2seq": 256, "attention": 25600}, normalise=normalise_sizes,
    misconceptions=[
        Misconception(
            "seq2seq_passes_all_states",
            "plain seq2seq is thought to pass every encoder state; it passes only the last one "
            "(H numbers)",
            {"seq2seq": 25600, "attention": 25600},
            hint_ja="素の seq2seq がエンコーダのすべての状態を渡すと考えると、この答えになりま"
                    "す。実際に渡すのは最後の状態だけ（H 個の数）です。"),
        Misconception(
            "attention_sees_context_only",
            "attention is thought to see only the context vector; it recomputes it from all T "
            "states at every step",
            {"seq2seq": 256, "attention": 256},
            hint_ja="注意機構が文脈ベクトルしか見ないと考えると、この答えになります。実際には各"
                    "ステップで T 個の状態すべてから文脈ベクトルを計算し直します。"),
        Misconception(
            "input_length_counted",
            "the input length is counted instead of the numbers in the states",
            {"seq2seq": 1, "attention": 100},
            hint_ja="状態に含まれる数ではなく、入力の長さ（状態の個数）を数えると、この答えにな"
                    "ります。"),
    ],
    alternatives=[{"attention": 25600.0, "seq2seq": 256.0},
                  {"seq2seq": "256", "attention": "25_600"}],
)
