# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Bidirectional RNN
#
# *Deep Learning, Day 3 — Section 4.* 双方向RNN = **bidirectional RNN**, 演習チャレンジ =
# **code challenge**, 確認テスト = **confirmation test**.
#
# ## Learning goals
# After this notebook you can
# 1. say when the *future* of a sequence helps to interpret its present;
# 2. run a second RNN backwards over the sequence and line its states up with the forward
#    ones, time step by time step;
# 3. implement a bidirectional RNN on a batch `(N, T, D)`;
# 4. show on a task that needs the right-hand context that one direction cannot learn it
#    and two directions can.
#
# ## Why the future helps
# A simple RNN's state $h_t$ summarises $x_0, \dots, x_t$ only. Many tasks need both
# sides: the word *bank* in "the bank of the river" is read from what follows; in
# machine translation, speech recognition or tagging, the whole sentence is available
# before any output is needed. A **bidirectional RNN** runs two RNNs with their own
# weights: one forward over $x_0 \dots x_{T-1}$ giving $\overrightarrow{h}_t$, one backward
# over $x_{T-1} \dots x_0$ giving $\overleftarrow{h}_t$, and represents step $t$ by
#
# $$h_t = [\,\overrightarrow{h}_t\,;\,\overleftarrow{h}_t\,] \in \mathbb{R}^{2H}.$$
#
# Conventions as before: `xs: (N, T, D)`, `Wx: (D, H)`, `Wh: (H, H)`, `b: (H,)`.

# %% nbgrader={"grade_id": "imports", "locked": true}
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.datasets import next_symbol_tagging
from rnnlib.rnn_layer import rnn_layer_forward
from rnnlib.plotting import plot_curves
from rnnlib.tagger import train_tagger
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses


def simple_rnn(xs, Wx, Wh, b):
    """The tanh RNN of notebook 01 from a zero initial state: xs (N, T, D) -> hs (N, T, H)."""
    h0 = np.zeros((xs.shape[0], Wh.shape[0]))
    return rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": b}, xs, h0)[0]


# %% [markdown]
# ## 1 · 演習チャレンジ: lining the two directions up (1 + 2 points) [auto]
#
# The backward RNN reads `xs[:, ::-1]`, so the state it produces *first*, `hs_b[:, 0]`,
# belongs to the **last** time step, and `hs_b[:, k]` to step `T - 1 - k`. The
# representation of step $t$ is $[\,\overrightarrow{h}_t\,;\,\overleftarrow{h}_t\,]$:
# both states **of the same step**, side by side, `(N, T, 2H)` for the batch.
#
# **1.1 · The exam question (1 point).** `hs_f, hs_b: (N, T, H)` as produced by the two
# RNNs; which expression fills the blank?
#
# ```python
# hs = ____   # (N, T, 2H)
# ```
#
# * **(a)** `np.concatenate([hs_f, hs_b[:, ::-1]], axis=-1)`
# * **(b)** `np.concatenate([hs_f, hs_b], axis=-1)`
# * **(c)** `np.concatenate([hs_f, hs_b[:, ::-1]], axis=1)`
# * **(d)** `hs_f + hs_b[:, ::-1]`
#
# Set `combine_choice` to `"a"`, `"b"`, `"c"` or `"d"`.

# %% nbgrader={"grade_id": "combine_choice_code", "solution": true}
# combine_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
combine_choice = "a"
### END SOLUTION

# %% nbgrader={"grade_id": "combine_choice", "grade": true, "locked": true}
assert_true(str(combine_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'combine_choice should be one of "a", "b", "c", "d"')
print("combine_choice: one of the four letters")

# %% [markdown]
# **1.2 · Implement it (2 points).**
#
# > **Erratum in the source notes.** Their answer built `hs` as a Python *list* of the
# > concatenated states and then called `hs.dot(V.T)`: a list has no `.dot`. Work with
# > arrays (`np.concatenate` on the whole batch, or `np.stack` a list first).

# %% nbgrader={"grade_id": "combine_directions_code", "solution": true}
def combine_directions(hs_f, hs_b):
    """hs_f: (N, T, H) forward states in time order; hs_b: (N, T, H) backward states in the
    order the backward RNN produced them. Returns hs: (N, T, 2H), forward features first."""
    ### BEGIN SOLUTION
    return np.concatenate([hs_f, hs_b[:, ::-1]], axis=-1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "combine_directions", "grade": true, "locked": true}
hs_f = np.arange(12.0).reshape(1, 3, 4)          # step t holds 4t .. 4t+3
hs_b = -np.arange(12.0).reshape(1, 3, 4)[:, ::-1]  # produced last-step first
hs = combine_directions(hs_f, hs_b)
assert_shape(hs, (1, 3, 8), "hs")
assert_close(hs[0, 0], np.array([0.0, 1, 2, 3, 0, -1, -2, -3]), "hs at step 0")
assert_close(hs[0, 2], np.array([8.0, 9, 10, 11, -8, -9, -10, -11]), "hs at step 2")
passed("combine_directions", combine_directions)

# %% [markdown]
# ## 2 · A bidirectional RNN on a batch (3 points) [auto]
#
# Run `simple_rnn` (defined above) forward with the `_f` parameters, run it on the
# time-reversed sequence with the `_b` parameters, and combine the two with your
# `combine_directions`.

# %% nbgrader={"grade_id": "bidirectional_rnn_forward_code", "solution": true}
def bidirectional_rnn_forward(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    """xs: (N, T, D); forward and backward parameters Wx: (D, H), Wh: (H, H), b: (H,).

    Returns hs: (N, T, 2H), hs[:, t] = [forward state at t ; backward state at t].
    """
    ### BEGIN SOLUTION
    hs_f = simple_rnn(xs, Wx_f, Wh_f, b_f)
    hs_b = simple_rnn(xs[:, ::-1], Wx_b, Wh_b, b_b)
    return combine_directions(hs_f, hs_b)
    ### END SOLUTION


# %% nbgrader={"grade_id": "bidirectional_rnn_forward", "grade": true, "locked": true}
uses("combine_directions", combine_directions, "bidirectional_rnn_forward")
rng = np.random.default_rng(0)
N, T, D, H = 2, 5, 3, 4
xs = rng.standard_normal((N, T, D))
params_f = [rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, np.zeros(H)]
params_b = [rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, np.zeros(H)]
hs = bidirectional_rnn_forward(xs, *params_f, *params_b)
assert_shape(hs, (N, T, 2 * H), "hs")
assert_close(hs[:, :, :H], simple_rnn(xs, *params_f), "the forward half")
# The backward state at the last step has read only x_{T-1}:
last_only = simple_rnn(xs[:, -1:], *params_b)[:, 0]
assert_close(hs[:, -1, H:], last_only, "the backward half at the last step")
assert_true(not np.allclose(hs[:, 0, H:], last_only),
            "the backward half at step 0 should have read the whole sequence")
print("the backward half at step 0 has read the whole sequence")

# %% [markdown]
# ## 3 · 確認テスト: when not to use it (2 points) [manual]
#
# A bidirectional RNN cannot produce its output for step $t$ before it has read the whole
# sequence. Name a task where that rules it out, and one where it is the better choice,
# and say why in each case.

# %% [markdown] nbgrader={"grade_id": "when_bidirectional_answer", "solution": true, "grade": true, "points": 2}
# <!-- BEGIN SOLUTION -->
# **Model answer.** It cannot be used where the output is needed *as the input arrives*
# or where the future is what we predict: real-time speech recognition with low latency,
# next-word prediction / language-model generation, forecasting a time series. It is the
# better choice when the whole sequence is available first and each position depends on
# both sides: part-of-speech or named-entity tagging, machine-translation encoders,
# filling a gap in a sentence, offline speech recognition.
#
# **Rubric (2 pts).** 1 pt: a valid "cannot" task with the reason (online / generation /
# the future is the target). 1 pt: a valid "better" task with the reason (whole sequence
# available, context on both sides).
# <!-- END SOLUTION -->

# %% [markdown]
# ## 4 · Practice: a task that needs the right-hand context
#
# Each step shows one of 4 symbols (one-hot); the tag of step $t$ is the symbol at step
# $t+1$ (the last step is tagged with its own symbol). A forward RNN has not seen
# $x_{t+1}$ when it must tag step $t$: it can only guess (chance 0.25 on 11 of the 12
# steps). A bidirectional one has. Both are trained the same way (Adam, batches of 32,
# 400 iterations, hidden size 16 per direction, a soft-max read-out at every step), each
# from 5 seeds: the plot shows the mean and the range over the seeds, the table every
# seed. The bidirectional tagger runs **your** `bidirectional_rnn_forward`.

# %% tags=["practice"]
from rnnlib.plotting import plot_spread

tagging = partial(next_symbol_tagging, T=12, n_symbols=4)
seeds = range(5)
runs = {name: [train_tagger(name, forward, tagging, n_classes=4, seed=seed) for seed in seeds]
        for name, forward in [("forward only", None), ("bidirectional", bidirectional_rnn_forward)]}
plot_spread({name: [r.accuracies for r in rs] for name, rs in runs.items()},
            "Tag each step with the next symbol", "iteration",
            "held-out accuracy (all steps)", x=runs["forward only"][0].iterations)
plt.show()
print(f"{'final accuracy':<15}" + "".join(f"{'seed ' + str(s):>9}" for s in seeds)
      + f"{'min':>8}{'max':>7}{'parameters':>12}{'seconds':>9}")
for name, rs in runs.items():
    finals = [r.accuracies[-1] for r in rs]
    print(f"{name:<15}" + "".join(f"{a:>9.3f}" for a in finals)
          + f"{min(finals):>8.3f}{max(finals):>7.3f}{rs[0].n_params:>12}"
          + f"{sum(r.seconds for r in rs):>9.1f}")

# %% [markdown]
# ## Summary
# * A bidirectional RNN = a forward and a backward RNN with separate weights; step $t$ is
#   represented by both states, so it sees the whole sequence.
# * The backward states come out last-step first: reverse them along the **time** axis
#   before concatenating along the **feature** axis (`axis=-1`).
# * It doubles the state size and needs the complete sequence before any output: good for
#   tagging, encoding and offline recognition; not for generation or online prediction.
