# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Gated recurrent unit (GRU)
#
# *Deep Learning, Day 3 — Section 3.* 確認テスト = **confirmation test**, 演習チャレンジ =
# **code challenge**, リセットゲート = **reset gate**, 更新ゲート = **update gate**.
#
# ## Learning goals
# After this notebook you can
# 1. write the GRU equations and say what the reset and update gates do;
# 2. compare the GRU with the LSTM: gates, state, parameter count;
# 3. implement a GRU step and sequence, forward and backward, and check them;
# 4. train RNN, LSTM and GRU on the same long-range memory task and compare accuracy,
#    time and size.
#
# ## The GRU
# The GRU keeps **one** state $h$ (no separate cell) and has **two** gates, computed from
# the input and the previous state:
#
# $$z = \sigma(x W_z + h U_z) \quad\text{(update gate)},\qquad
#   r = \sigma(x W_r + h U_r) \quad\text{(reset gate)},$$
# $$\bar h = \tanh\big(x W + (r \odot h)\, U\big) \quad\text{(candidate)}.$$
#
# The reset gate decides how much of the old state the candidate $\bar h$ may look at.
# The update gate makes the new state, per unit, a weighted average of the old state $h$
# and the candidate $\bar h$, with weights that add up to 1.
#
# > **Convention.** In this course, as in the source notes, $z \to 1$ takes the candidate
# > and $z \to 0$ keeps the old state. PyTorch's `nn.GRU` documents the opposite role (its
# > $z \to 1$ keeps the old state): the same model with the gate's meaning flipped; mind it
# > when you compare with other code.
#
# Row-vector batches as before: `x: (N, D)`, `h: (N, H)`.

# %% nbgrader={"grade_id": "imports", "locked": true}
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.clipping import clip_global_norm
from rnnlib.datasets import first_token_recall
from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.lstm_layer import LSTM
from rnnlib.plotting import plot_curves
from rnnlib.rnn_layer_backward import RNN
from rnnlib.sequence_classifier import layer_from_functions, train_last_step_classifier
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses



# %% [markdown]
# ## 1 · 演習チャレンジ: the GRU cell (1 + 2 points) [auto]
#
# **1.1 · The exam question (1 point).** The gates and the candidate are computed; which
# expression fills the blank?
#
# ```python
# r = sigmoid(x @ W_r + h @ U_r)
# z = sigmoid(x @ W_z + h @ U_z)
# h_bar = np.tanh(x @ W + (r * h) @ U)
# h_new = ____
# ```
#
# * **(a)** `z * h + (1 - z) * h_bar`
# * **(b)** `(1 - r) * h + r * h_bar`
# * **(c)** `(1 - z) * h + z * h_bar`
# * **(d)** `h_bar`
#
# Set `gru_choice` to `"a"`, `"b"`, `"c"` or `"d"`.

# %% nbgrader={"grade_id": "gru_choice_code", "solution": true}
# gru_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
gru_choice = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "gru_choice", "grade": true, "locked": true}
assert_true(str(gru_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'gru_choice should be one of "a", "b", "c", "d"')
print("gru_choice: one of the four letters")

# %% [markdown]
# **1.2 · Implement it (2 points).** Complete the last line of `gru_cell` with the update
# of this course's convention.

# %% nbgrader={"grade_id": "gru_cell_code", "solution": true}
def gru_cell(x, h, W_r, U_r, W_z, U_z, W, U):
    """One GRU step without biases.

    x: (N, D), h: (N, H), W_r, W_z, W: (D, H), U_r, U_z, U: (H, H). Returns h_new: (N, H).
    """
    r = sigmoid(x @ W_r + h @ U_r)
    z = sigmoid(x @ W_z + h @ U_z)
    h_bar = np.tanh(x @ W + (r * h) @ U)
    ### BEGIN SOLUTION
    h_new = (1 - z) * h + z * h_bar
    ### END SOLUTION
    return h_new


# %% nbgrader={"grade_id": "gru_cell", "grade": true, "locked": true}
N, D, H = 2, 3, 2
x = np.linspace(-0.5, 0.5, N * D).reshape(N, D)
h = np.linspace(-0.3, 0.4, N * H).reshape(N, H)
weights = [np.linspace(-0.6, 0.6, D * H).reshape(D, H), np.linspace(0.5, -0.5, H * H).reshape(H, H),
           np.linspace(-0.2, 0.8, D * H).reshape(D, H), np.linspace(0.3, -0.7, H * H).reshape(H, H),
           np.linspace(-1.0, 1.0, D * H).reshape(D, H), np.linspace(0.9, -0.9, H * H).reshape(H, H)]
h_new = gru_cell(x, h, *weights)
assert_shape(h_new, (N, H), "h_new")
assert_close(h_new, np.array([[0.01070289, 0.02081782], [0.15940711, 0.35689745]]), "h_new")

# %% [markdown]
# ## 2 · 確認テスト: LSTM vs GRU (1 + 1 + 2 points) [auto + manual]
#
# Count the trainable parameters of one layer with input size $D$ and hidden size $H$,
# biases included (one bias vector per block): an LSTM as in notebook 03 and a GRU as in
# section 3 below (with biases).

# %% nbgrader={"grade_id": "param_counts_code", "solution": true}
def lstm_param_count(D, H):
    """Weights and biases of an LSTM layer (int)."""
    ### BEGIN SOLUTION
    return 4 * (D * H + H * H + H)
    ### END SOLUTION


def gru_param_count(D, H):
    """Weights and biases of a GRU layer (int)."""
    ### BEGIN SOLUTION
    return 3 * (D * H + H * H + H)
    ### END SOLUTION


# %% nbgrader={"grade_id": "lstm_param_count", "grade": true, "locked": true}
assert_true(isinstance(lstm_param_count(2, 3), (int, np.integer)), "lstm_param_count should return an int")
assert_close(lstm_param_count(1, 1), 12, "an LSTM with D = H = 1")

# %% nbgrader={"grade_id": "gru_param_count", "grade": true, "locked": true}
assert_true(isinstance(gru_param_count(2, 3), (int, np.integer)), "gru_param_count should return an int")
assert_close(gru_param_count(1, 1), 9, "a GRU with D = H = 1")

# %% [markdown]
# **[manual, 2 points]** Compare the LSTM and the GRU: their gates, their state, and what
# the GRU gives up or gains. When would you try the GRU first?

# %% [markdown] nbgrader={"grade_id": "lstm_vs_gru_answer", "solution": true, "grade": true, "points": 2}
# <!-- BEGIN SOLUTION -->
# **Model answer.** The LSTM has three gates (input, forget, output) and a separate cell
# state $c$ besides the hidden state $h$ (with the CEC inside the cell). The GRU has two
# gates (reset, update) and one state: the update gate plays the roles of the input and
# forget gates together ($1 - z$ keeps, $z$ writes), and there is no output gate. So the
# GRU has three weight blocks instead of four (about 25 % fewer parameters and less
# computation per step) and often learns as well; the LSTM's separate cell and output gate
# give it more control, which can help on the hardest long-range tasks. Try the GRU first
# when compute or data are limited.
#
# **Rubric (2 pts).** 1 pt: gates and state (3 gates + cell vs 2 gates, no cell). 1 pt:
# consequence (fewer parameters / faster, update gate merges input and forget) with a
# sensible "when".
# <!-- END SOLUTION -->

# %% [markdown]
# ## 3 · One GRU step with stacked weights (3 points) [auto]
#
# For speed the three blocks are stacked as in notebook 03: `Wx: (D, 3H)`, `Wh: (H, 3H)`,
# `b: (3H,)`, **block order z, r, h̄**. The candidate's recurrent block multiplies
# $r \odot h$, so it cannot be computed in the same product as the gates:
#
# $$z = \sigma(x W_{x,z} + h W_{h,z} + b_z), \quad r = \sigma(x W_{x,r} + h W_{h,r} + b_r),$$
# $$\bar h = \tanh\big(x W_{x,\bar h} + (r \odot h) W_{h,\bar h} + b_{\bar h}\big), \quad
#   h_{new} = (1 - z) \odot h + z \odot \bar h .$$

# %% nbgrader={"grade_id": "gru_step_forward_code", "solution": true}
def gru_step_forward(x, prev_h, Wx, Wh, b):
    """One GRU step. x: (N, D), prev_h: (N, H), Wx: (D, 3H), Wh: (H, 3H), b: (3H,).

    Returns next_h: (N, H).
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    ax = x @ Wx + b
    z = sigmoid(ax[:, :H] + prev_h @ Wh[:, :H])
    r = sigmoid(ax[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])
    h_bar = np.tanh(ax[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:])
    return (1 - z) * prev_h + z * h_bar
    ### END SOLUTION


# %% nbgrader={"grade_id": "gru_step_forward", "grade": true, "locked": true}
N, D, H = 2, 3, 2
x = np.linspace(-0.5, 0.5, N * D).reshape(N, D)
h = np.linspace(-0.3, 0.4, N * H).reshape(N, H)
Wx = np.linspace(-1.0, 1.0, D * 3 * H).reshape(D, 3 * H)
Wh = np.linspace(0.6, -0.6, H * 3 * H).reshape(H, 3 * H)
b = np.linspace(0.0, 0.5, 3 * H)
next_h = gru_step_forward(x, h, Wx, Wh, b)
assert_shape(next_h, (N, H), "next_h")
assert_close(next_h, np.array([[0.15728971, 0.26554825], [0.40703305, 0.57743656]]), "next_h")
passed("gru_step_forward", gru_step_forward)

# %% [markdown]
# ## 4 · A whole sequence (2 points) [auto]

# %% nbgrader={"grade_id": "gru_forward_code", "solution": true}
def gru_forward(xs, h0, Wx, Wh, b):
    """xs: (N, T, D), h0: (N, H), Wx: (D, 3H), Wh: (H, 3H), b: (3H,). Returns hs: (N, T, H)."""
    ### BEGIN SOLUTION
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = gru_step_forward(xs[:, t], h, Wx, Wh, b)
        hs[:, t] = h
    return hs
    ### END SOLUTION


# %% nbgrader={"grade_id": "gru_forward", "grade": true, "locked": true}
uses("gru_step_forward", gru_step_forward, "gru_forward")
N, T, D, H = 2, 3, 3, 2
h0 = np.linspace(-0.3, 0.4, N * H).reshape(N, H)
Wx = np.linspace(-1.0, 1.0, D * 3 * H).reshape(D, 3 * H)
Wh = np.linspace(0.6, -0.6, H * 3 * H).reshape(H, 3 * H)
b = np.linspace(0.0, 0.5, 3 * H)
xs = np.linspace(-0.3, 0.6, N * T * D).reshape(N, T, D)
hs = gru_forward(xs, h0, Wx, Wh, b)
assert_shape(hs, (N, T, H), "hs")
assert_close(hs[:, 0], gru_step_forward(xs[:, 0], h0, Wx, Wh, b), "hs[:, 0] is one step from h0")
assert_close(hs[:, 2], gru_step_forward(xs[:, 2], hs[:, 1], Wx, Wh, b), "hs[:, 2] follows hs[:, 1]")
passed("gru_forward", gru_forward)

# %% [markdown]
# ## 5 · The backward pass of one step (4 points) [auto]
#
# Recompute the forward quantities, then go back through
# $h_{new} = (1-z) h + z \bar h$ (three paths: to $h$ directly, to $z$, to $\bar h$),
# through $\bar h$'s tanh and its product $(r \odot h) W_{h,\bar h}$ (which reaches both
# $r$ and $h$), and through the two sigmoids. `prev_h` receives gradient along **four**
# paths: directly, through $r \odot h$, and through the recurrent products of $z$ and $r$.
# Stack the pre-activation gradients in the order z, r, h̄; the candidate's block of
# `dWh` pairs with $r \odot h$, the other two with $h$.

# %% nbgrader={"grade_id": "gru_step_backward_code", "solution": true}
def gru_step_backward(dnext_h, x, prev_h, Wx, Wh, b):
    """Backward pass of one GRU step; arguments as in gru_step_forward plus dnext_h: (N, H).

    Returns (dx: (N, D), dprev_h: (N, H), dWx: (D, 3H), dWh: (H, 3H), db: (3H,)).
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    ax = x @ Wx + b
    z = sigmoid(ax[:, :H] + prev_h @ Wh[:, :H])
    r = sigmoid(ax[:, H:2 * H] + prev_h @ Wh[:, H:2 * H])
    rh = r * prev_h
    h_bar = np.tanh(ax[:, 2 * H:] + rh @ Wh[:, 2 * H:])
    dah = dnext_h * z * (1 - h_bar**2)
    drh = dah @ Wh[:, 2 * H:].T
    daz = dnext_h * (h_bar - prev_h) * z * (1 - z)
    dar = drh * prev_h * r * (1 - r)
    dA = np.concatenate([daz, dar, dah], axis=1)
    dprev_h = dnext_h * (1 - z) + drh * r + daz @ Wh[:, :H].T + dar @ Wh[:, H:2 * H].T
    dWh = np.concatenate([prev_h.T @ daz, prev_h.T @ dar, rh.T @ dah], axis=1)
    return dA @ Wx.T, dprev_h, x.T @ dA, dWh, dA.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade_id": "gru_step_backward", "grade": true, "locked": true}
uses("gru_step_forward", gru_step_forward, "gru_step_backward")
rng = np.random.default_rng(0)
N, D, H = 3, 4, 5
inputs = {"x": rng.standard_normal((N, D)), "prev_h": rng.standard_normal((N, H)),
          "Wx": rng.standard_normal((D, 3 * H)) * 0.5, "Wh": rng.standard_normal((H, 3 * H)) * 0.5,
          "b": rng.standard_normal(3 * H)}
dnext_h = rng.standard_normal((N, H))
grads = dict(zip(["x", "prev_h", "Wx", "Wh", "b"], gru_step_backward(dnext_h, **inputs)))
for name, grad in grads.items():
    numerical = numerical_gradient_array(lambda v: gru_step_forward(**{**inputs, name: v}),
                                         inputs[name].copy(), dnext_h)
    assert_gradient(grad, numerical, "d" + name)
passed("gru_step_backward", gru_step_backward)

# %% [markdown]
# ## 6 · BPTT through the GRU (3 points) [auto]
#
# As for the simple RNN: recompute the states, walk back in time, add the gradient from
# step $t+1$ to `dhs[:, t]`, and sum the weight gradients.

# %% nbgrader={"grade_id": "gru_backward_code", "solution": true}
def gru_backward(dhs, xs, h0, Wx, Wh, b):
    """dhs: (N, T, H); the rest as in gru_forward.

    Returns (dxs: (N, T, D), dh0: (N, H), dWx: (D, 3H), dWh: (H, 3H), db: (3H,)).
    """
    ### BEGIN SOLUTION
    N, T, _ = xs.shape
    hs = [h0]
    for t in range(T):
        hs.append(gru_step_forward(xs[:, t], hs[-1], Wx, Wh, b))
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh = np.zeros_like(h0)
    for t in reversed(range(T)):
        dx, dh, dWx_t, dWh_t, db_t = gru_step_backward(dhs[:, t] + dh, xs[:, t], hs[t], Wx, Wh, b)
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dh, dWx, dWh, db
    ### END SOLUTION


# %% nbgrader={"grade_id": "gru_backward", "grade": true, "locked": true}
uses("gru_forward", gru_forward, "gru_backward")
uses("gru_step_forward", gru_step_forward, "gru_backward")
uses("gru_step_backward", gru_step_backward, "gru_backward")
rng = np.random.default_rng(1)
N, T, D, H = 2, 4, 3, 3
inputs = {"xs": rng.standard_normal((N, T, D)), "h0": rng.standard_normal((N, H)),
          "Wx": rng.standard_normal((D, 3 * H)) * 0.5, "Wh": rng.standard_normal((H, 3 * H)) * 0.5,
          "b": rng.standard_normal(3 * H)}
dhs = rng.standard_normal((N, T, H))
grads = dict(zip(["xs", "h0", "Wx", "Wh", "b"], gru_backward(dhs, **inputs)))
for name, grad in grads.items():
    numerical = numerical_gradient_array(lambda v: gru_forward(**{**inputs, name: v}),
                                         inputs[name].copy(), dhs)
    assert_gradient(grad, numerical, "d" + name)

# %% [markdown]
# ## 7 · Practice: RNN, LSTM and GRU side by side
#
# The task of notebook 03: 60 steps of symbols; step 0 also lights a marker input, and
# after the 59 distracting steps that follow, the network names the marked symbol. The
# simple RNN and the LSTM are the course-provided layers (notebooks 01–03); the GRU is
# **yours**. Same training for all: Adam, batches of 32, gradients clipped to norm 5,
# 200 iterations, hidden size 32, 5 seeds each (the plot shows the mean and the range
# over the seeds, the table every seed). The LSTM's forget-gate bias starts at 5, as in
# notebook 03; the GRU's update-gate bias starts at -2 ($z \approx 0.12$), so that it
# mostly keeps its state at first. The parameter counts are **your** `lstm_param_count`
# and `gru_param_count` (section 2), plus the read-out. This takes about half a minute.

# %% tags=["practice"]
from rnnlib.plotting import plot_spread

recall = partial(first_token_recall, T=60, n_symbols=4)
my_gru = layer_from_functions(gru_forward, gru_backward, gates=3, memory_gate_block=0,
                              memory_gate_bias=-2.0)
lstm = dict(LSTM, memory_gate_bias=5.0)
seeds = range(5)
runs = {name: [train_last_step_classifier(name, layer, recall, n_classes=4, hidden_size=32,
                                          iterations=200, batch_size=32,
                                          clip=clip_global_norm, seed=seed)
               for seed in seeds]
        for name, layer in [("simple RNN", RNN), ("LSTM", lstm), ("your GRU", my_gru)]}

fig, (ax_acc, ax_bar) = plt.subplots(1, 2, figsize=(13, 4))
plot_spread({name: [r.accuracies for r in rs] for name, rs in runs.items()},
            "Recall across 59 distracting steps (chance = 0.25)", "iteration",
            "held-out accuracy", x=runs["simple RNN"][0].iterations, ax=ax_acc)
# parameters with your counts of section 2 (D = 5 inputs: marker + 4 symbols, H = 32),
# plus the read-out
D, H = 5, 32
readout = H * 4 + 4
n_params = [D * H + H * H + H + readout, lstm_param_count(D, H) + readout,
            gru_param_count(D, H) + readout]
ax_bar.bar(list(runs), n_params, color=["C0", "C1", "C2"])
ax_bar.set_title("Parameters (recurrent layer + read-out)")
ax_bar.set_xlabel("model")
ax_bar.set_ylabel("parameters")
plt.show()
print(f"{'final accuracy':<14}" + "".join(f"{'seed ' + str(s):>9}" for s in seeds)
      + f"{'min':>8}{'max':>7}{'parameters':>12}{'seconds':>9}")
for (name, rs), count in zip(runs.items(), n_params):
    finals = [r.accuracies[-1] for r in rs]
    print(f"{name:<14}" + "".join(f"{a:>9.3f}" for a in finals)
          + f"{min(finals):>8.3f}{max(finals):>7.3f}{count:>12,}"
          + f"{sum(r.seconds for r in rs):>9.1f}")
print("(seconds: all 5 seeds; your GRU's backward pass recomputes the forward pass, so its "
      "time is not comparable one to one with the course layers, which keep a cache)")

# %% [markdown]
# ## Summary
# * GRU: update gate $z$ and reset gate $r$, one state, $h_{new} = (1-z) h + z \bar h$ with
#   $\bar h = \tanh(x W + (r \odot h) U)$. PyTorch flips the role of $z$.
# * Parameters: LSTM $4(DH + H^2 + H)$, GRU $3(DH + H^2 + H)$: a GRU is about 25 % smaller
#   and faster per step.
# * Both gated networks carry information across many steps where a simple RNN cannot;
#   starting the "keep" gate open (LSTM forget bias > 0, GRU update bias < 0) helps them
#   learn quickly.
