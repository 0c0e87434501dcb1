"""Hidden references and misconceptions for notebook 05_bidirectional (instructor-only).

Batches as everywhere: hs_f, hs_b: (N, T, H). The backward RNN reads xs[:, ::-1], so its
state hs_b[:, k] belongs to time step T - 1 - k.
"""
import numpy as np

from autograder.items.base import (Case, FunctionProblem, Misconception, ValueProblem,
                                   normalise_choice)
from autograder.items.rnn import rnn_forward_reference


# --- 05_bidirectional.combine_choice (1 point) ----------------------------------------------------
# Code challenge 6 asked as the exam asks it: lining the two directions up.

COMBINE_CHOICE = ValueProblem(
    grade_id="05_bidirectional.combine_choice", points=1, student_object="combine_choice",
    answer="a", normalise=normalise_choice, choice=True,
    alternatives=["A", " (a) "],
    misconceptions=[
        Misconception(
            "not_reversed",
            "choice (b) does not reverse the backward states: hs_b[:, 0] belongs to the "
            "last time step, so step t would be paired with the backward state of step T - "
            "1 - t; the backward states must be put back in time order first.",
            "b",
            hint_ja="(b) は逆方向の状態を逆順に戻していません。hs_b[:, 0] は最後の時刻のものなので、"
                    "時刻 t が時刻 T - 1 - t の逆方向の状態と組になってしまいます。逆方向の状態は"
                    "まず時刻順に戻します。"),
        Misconception(
            "time_axis",
            "choice (c) concatenates along axis 1, the time axis: that gives a sequence of "
            "2T steps of H features instead of T steps of 2H; the two directions are joined "
            "along the feature axis.",
            "c",
            hint_ja="(c) は軸 1、つまり時刻の軸で連結しているので、特徴量 2H 個の T 時刻ではなく、"
                    "特徴量 H 個の 2T 時刻の系列になります。2 つの方向は特徴量の軸で連結します。"),
        Misconception(
            "added",
            "choice (d) adds the two directions: the sum has H features and mixes the two "
            "directions so that the next layer cannot tell them apart; the two states are "
            "joined side by side (2H features).",
            "d",
            hint_ja="(d) は 2 つの方向を足していますが、和は特徴量が H 個しかなく、2 つの方向が混ざって"
                    "次の層には区別できません。2 つの状態は横に並べます (特徴量 2H 個)。"),
    ],
)


# --- 05_bidirectional.combine_directions (2 points) ---------------------------------------

def combine_cases(rng):
    cases = []
    for N, T, H in [(2, 3, 2), (3, 5, 4), (4, 1, 3), (1, 6, 2)]:
        cases.append(Case((rng.standard_normal((N, T, H)), rng.standard_normal((N, T, H))),
                          f"N={N}, T={T}, H={H}"))
    return cases


def combine_directions_reference(hs_f, hs_b):
    return np.concatenate([hs_f, hs_b[:, ::-1]], axis=-1)


def combine_directions(hs_f, hs_b):
    """The notebook name, bound to the reference (alternatives call it as students do)."""
    return combine_directions_reference(hs_f, hs_b)


def combine_directions_flip(hs_f, hs_b):
    return np.concatenate((hs_f, np.flip(hs_b, axis=1)), axis=2)


def combine_directions_loop(hs_f, hs_b):
    N, T, H = hs_f.shape
    hs = np.zeros((N, T, 2 * H))
    for t in range(T):
        hs[:, t, :H] = hs_f[:, t]
        hs[:, t, H:] = hs_b[:, T - 1 - t]
    return hs


def combine_directions_not_reversed(hs_f, hs_b):
    return np.concatenate([hs_f, hs_b], axis=-1)


def combine_directions_time_axis(hs_f, hs_b):
    return np.concatenate([hs_f, hs_b[:, ::-1]], axis=1)


def combine_directions_added(hs_f, hs_b):
    return hs_f + hs_b[:, ::-1]


def combine_directions_batch_reversed(hs_f, hs_b):
    return np.concatenate([hs_f, hs_b[::-1]], axis=-1)


COMBINE_DIRECTIONS = FunctionProblem(
    grade_id="05_bidirectional.combine_directions", points=2, student_object="combine_directions",
    make_cases=combine_cases, reference=combine_directions_reference,
    misconceptions=[
        Misconception(
            "not_reversed",
            "the backward states are not reversed back into time order",
            combine_directions_not_reversed,
            hint_ja="逆方向の状態を時刻順に戻さずに連結すると、この出力になります。"),
        Misconception(
            "time_axis",
            "the states are concatenated along the time axis instead of the feature axis",
            combine_directions_time_axis,
            hint_ja="特徴量の軸ではなく時刻の軸で連結すると、この出力になります。"),
        Misconception(
            "added",
            "the two directions are added instead of concatenated",
            combine_directions_added,
            hint_ja="2 つの方向を連結せずに足すと、この出力になります。"),
        Misconception(
            "batch_reversed",
            "the batch axis is reversed (hs_b[::-1]) instead of the time axis (hs_b[:, ::-1])",
            combine_directions_batch_reversed,
            hint_ja="時刻の軸 (hs_b[:, ::-1]) ではなくバッチの軸 (hs_b[::-1]) を逆順にすると、この出力に"
                    "なります。"),
    ],
    alternatives=[combine_directions_flip, combine_directions_loop],
)


# --- 05_bidirectional.bidirectional_rnn_forward (3 points) --------------------------------

def bidirectional_cases(rng):
    cases = []
    for N, T, D, H in [(1, 2, 2, 2), (2, 4, 3, 3), (3, 6, 4, 2)]:
        params = []
        for _ in range(2):
            params += [rng.standard_normal((D, H)) * 0.6, rng.standard_normal((H, H)) * 0.6,
                       rng.standard_normal(H) * 0.2]
        cases.append(Case((rng.standard_normal((N, T, D)), *params), f"N={N}, T={T}, D={D}, H={H}"))
    return cases


def _run(xs, Wx, Wh, b):
    """The reference tanh RNN from a zero initial state."""
    return rnn_forward_reference(xs, np.zeros((xs.shape[0], Wh.shape[0])), Wx, Wh, b)


def bidirectional_rnn_forward_reference(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    hs_f = _run(xs, Wx_f, Wh_f, b_f)
    hs_b = _run(xs[:, ::-1], Wx_b, Wh_b, b_b)
    return combine_directions_reference(hs_f, hs_b)


def bidirectional_rnn_forward_loops(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    N, T, _ = xs.shape
    H = Wh_f.shape[0]
    out = np.zeros((N, T, 2 * H))
    h = np.zeros((N, H))
    for t in range(T):
        h = np.tanh(xs[:, t].dot(Wx_f) + h.dot(Wh_f) + b_f)
        out[:, t, :H] = h
    h = np.zeros((N, H))
    for t in reversed(range(T)):
        h = np.tanh(xs[:, t].dot(Wx_b) + h.dot(Wh_b) + b_b)
        out[:, t, H:] = h
    return out


def bidirectional_rnn_forward_flip(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    def run(inputs, Wx, Wh, b):
        h, states = np.zeros((inputs.shape[0], Wh.shape[0])), []
        for x in np.moveaxis(inputs, 1, 0):
            h = np.tanh(x @ Wx + h @ Wh + b)
            states.append(h)
        return np.stack(states, axis=1)
    return combine_directions(run(xs, Wx_f, Wh_f, b_f), run(np.flip(xs, axis=1), Wx_b, Wh_b, b_b))


def bidirectional_rnn_forward_input_not_reversed(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    def run(inputs, Wx, Wh, b):
        h, states = np.zeros((inputs.shape[0], Wh.shape[0])), []
        for x in np.moveaxis(inputs, 1, 0):
            h = np.tanh(x @ Wx + h @ Wh + b)
            states.append(h)
        return np.stack(states, axis=1)
    return combine_directions(run(xs, Wx_f, Wh_f, b_f), run(xs, Wx_b, Wh_b, b_b))


def bidirectional_rnn_forward_same_weights(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    def run(inputs, Wx, Wh, b):
        h, states = np.zeros((inputs.shape[0], Wh.shape[0])), []
        for x in np.moveaxis(inputs, 1, 0):
            h = np.tanh(x @ Wx + h @ Wh + b)
            states.append(h)
        return np.stack(states, axis=1)
    return combine_directions(run(xs, Wx_f, Wh_f, b_f), run(xs[:, ::-1], Wx_f, Wh_f, b_f))


BIDIRECTIONAL_RNN_FORWARD = FunctionProblem(
    grade_id="05_bidirectional.bidirectional_rnn_forward", points=3,
    student_object="bidirectional_rnn_forward",
    depends_on=("05_bidirectional.combine_directions",),
    make_cases=bidirectional_cases, reference=bidirectional_rnn_forward_reference,
    misconceptions=[
        Misconception(
            "input_not_reversed",
            "the backward RNN reads the sequence in the original order",
            bidirectional_rnn_forward_input_not_reversed,
            hint_ja="逆方向の RNN に系列を元の順のまま読ませると、この出力になります。"),
        Misconception(
            "same_weights",
            "the backward RNN uses the forward direction's weights",
            bidirectional_rnn_forward_same_weights,
            hint_ja="逆方向の RNN に順方向の重みを使うと、この出力になります。"),
    ],
    alternatives=[bidirectional_rnn_forward_loops, bidirectional_rnn_forward_flip],
)
