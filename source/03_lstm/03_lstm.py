# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Long short-term memory (LSTM)
#
# *Deep Learning, Day 3 — Section 2.* 確認テスト = **confirmation test**, 演習チャレンジ =
# **code challenge**, 勾配消失 = **vanishing gradient**, 勾配爆発 = **exploding gradient**,
# 忘却ゲート = **forget gate**, 入力ゲート = **input gate**, 出力ゲート = **output gate**.
#
# ## Learning goals
# After this notebook you can
# 1. say why a simple RNN struggles with long sequences (vanishing and exploding gradients);
# 2. clip gradients by their norm, for one array and for a whole model;
# 3. explain what the CEC, the input, output and forget gates and peephole connections fix;
# 4. implement an LSTM cell, step and sequence, forward and backward, and check them;
# 5. train your LSTM on a long-range memory task where a simple RNN fails.
#
# ## Conventions
# As before, `x: (N, D)`, `h, c: (N, H)`, `xs: (N, T, D)`. The four gate pre-activations
# come from **one** product, $A = x W_x + h_{t-1} W_h + b$ with `Wx: (D, 4H)`,
# `Wh: (H, 4H)`, `b: (4H,)`, split into four blocks of width $H$ **in the order
# i (input gate), f (forget gate), o (output gate), g (candidate)**:
#
# $$i = \sigma(A_i),\quad f = \sigma(A_f),\quad o = \sigma(A_o),\quad g = \tanh(A_g).$$
#
# Section 3 says what each gate does to the cell state $c$; from that you write the cell
# update yourself in section 4.

# %% nbgrader={"grade_id": "imports", "locked": true}
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.datasets import first_token_recall
from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.plotting import plot_curves
from rnnlib.rnn_layer_backward import RNN
from rnnlib.sequence_classifier import layer_from_functions, train_last_step_classifier
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses



# %% [markdown]
# ## 1 · Why: vanishing gradients
#
# BPTT multiplies the error by the derivative of the activation at every step back. The
# sigmoid's derivative $\sigma'(u) = \sigma(u)(1 - \sigma(u))$ is at most its value at
# $u = 0$; after many steps the product of such factors shrinks towards zero (*vanishing*),
# or, with large recurrent weights, grows without bound (*exploding*).
#
# ### 1.1 · 確認テスト: the largest value of the sigmoid's derivative (1 point) [auto]
# Which is the maximum of $\sigma'(u)$: 0.15, 0.25, 0.35 or 0.45? Store the number in
# `sigmoid_derivative_max`.

# %% nbgrader={"grade_id": "sigmoid_max_code", "solution": true}
### BEGIN SOLUTION
sigmoid_derivative_max = 0.25
### END SOLUTION

# %% nbgrader={"grade_id": "sigmoid_max", "grade": true, "locked": true}
assert_true(sigmoid_derivative_max in (0.15, 0.25, 0.35, 0.45),
            "sigmoid_derivative_max should be one of 0.15, 0.25, 0.35, 0.45")
print("sigmoid_derivative_max: one of the four choices")

# %% [markdown]
# ## 2 · 演習チャレンジ: gradient clipping (1 + 2 + 2 points) [auto]
#
# Exploding gradients are tamed by **clipping by norm**: when the gradient's norm exceeds
# a threshold, rescale the gradient so that its norm *equals* the threshold; otherwise
# leave it alone. The direction is kept; only the length shrinks.
#
# **2.1 · The exam question (1 point).** Which expression fills the blank?
#
# ```python
# def clip_grad_norm(grad, threshold):
#     norm = np.linalg.norm(grad)
#     rate = threshold / norm
#     if rate < 1:
#         return ____
#     return grad
# ```
#
# * **(a)** `grad / norm`
# * **(b)** `grad * threshold`
# * **(c)** `np.clip(grad, -threshold, threshold)`
# * **(d)** `grad * rate`
#
# Set `clip_choice` to `"a"`, `"b"`, `"c"` or `"d"`.

# %% nbgrader={"grade_id": "clip_choice_code", "solution": true}
# clip_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
clip_choice = "d"
### END SOLUTION

# %% nbgrader={"grade_id": "clip_choice", "grade": true, "locked": true}
assert_true(str(clip_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'clip_choice should be one of "a", "b", "c", "d"')
print("clip_choice: one of the four letters")

# %% [markdown]
# **2.2 · Implement it (2 points).** `clip_grad_norm` clips one array (use its
# Frobenius / L2 norm over all elements).

# %% nbgrader={"grade_id": "clip_grad_norm_code", "solution": true}
def clip_grad_norm(grad, threshold):
    """grad: array of any shape; threshold > 0. Returns the clipped gradient (same shape)."""
    norm = np.linalg.norm(grad)
    rate = threshold / norm
    ### BEGIN SOLUTION
    if rate < 1:
        return grad * rate
    return grad
    ### END SOLUTION


# %% nbgrader={"grade_id": "clip_grad_norm", "grade": true, "locked": true}
assert_close(clip_grad_norm(np.array([3.0, 4.0]), 1.0), np.array([0.6, 0.8]), "norm 5 clipped to 1")
assert_close(clip_grad_norm(np.array([0.3, 0.4]), 1.0), np.array([0.3, 0.4]), "norm 0.5 left alone")

# %% [markdown]
# > **Errata in the source notes.** Their answer returned `gradient * rate` although the
# > argument was named `grad` (a `NameError`), and the text said clipping happens "when the
# > quotient is ≥ 0"; it happens when `threshold / norm < 1`.
#
# **2.3 (2 points).** In a model, clip **all** gradients together by their *global* norm
# $\sqrt{\sum_k \lVert g_k \rVert^2}$, so that their relative sizes are kept. Return a
# new list; do not modify the arrays you were given.

# %% nbgrader={"grade_id": "clip_grads_global_code", "solution": true}
def clip_grads_global(grads, threshold):
    """grads: list of arrays (any shapes); returns the list clipped by their global norm."""
    ### BEGIN SOLUTION
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    rate = threshold / total
    if rate < 1:
        return [g * rate for g in grads]
    return [g.copy() for g in grads]
    ### END SOLUTION


# %% nbgrader={"grade_id": "clip_grads_global", "grade": true, "locked": true}
clipped = clip_grads_global([np.array([3.0]), np.array([[4.0]])], 1.0)
assert_close(clipped, [np.array([0.6]), np.array([[0.8]])], "global norm 5 clipped to 1")
assert_close(clip_grads_global([np.array([0.1]), np.array([0.2])], 1.0),
             [np.array([0.1]), np.array([0.2])], "small gradients left alone")

# %% [markdown]
# ## 3 · From the CEC to the LSTM
#
# * **CEC (constant error carousel).** Store the memory in a cell whose state is carried
#   unchanged, $c_t = c_{t-1} + \text{input}$, so $\partial c_t / \partial c_{t-1} = 1$: the
#   error neither vanishes nor explodes however far back it goes. But the CEC has no
#   weights of its own: it cannot *learn* what to store or when, and every input is
#   written with the same weight whatever its relevance.
# * **Input and output gates** put learnt, data-dependent weights on what is written into
#   the cell ($i$) and what is read out of it ($o$), with their own weight matrices.
# * **Forget gate.** Without it the cell only accumulates: stale information stays forever.
#   $f$ decides, per unit and per step, how much of $c_{t-1}$ to keep.
# * **Peephole connections** let the gates also see the cell state ($c_{t-1}$ or $c_t$),
#   not only $x_t$ and $h_{t-1}$.
#
# ### 3.1 · 確認テスト: which gate? (1 point) [auto]
# The notes ask about the sentence
#
# > 「映画おもしろかったね。ところで、とてもお腹が空いたから何か____。」
# > ("The movie was fun. By the way, I'm **very** hungry, so something ____.")
#
# The word 「とても」 ("very") can be dropped without changing the prediction of the blank
# (something to *eat*). Which gate acts when the network lets such a word go? Store
# `"input gate"`, `"output gate"` or `"forget gate"` in `which_gate` (English or Japanese,
# e.g. `"入力ゲート"`, or both: `"input gate (入力ゲート)"`).

# %% nbgrader={"grade_id": "which_gate_code", "solution": true}
### BEGIN SOLUTION
which_gate = "forget gate"
### END SOLUTION

# %% nbgrader={"grade_id": "which_gate", "grade": true, "locked": true}
assert_true(isinstance(which_gate, str), 'which_gate should be a string, e.g. "input gate"')
print("which_gate: a string")

# %% [markdown]
# ## 4 · 演習チャレンジ: the cell update (1 + 2 points) [auto]
#
# Given the three gates, the candidate `a` ($= g$) and the previous cell state `prev_c`,
# the LSTM writes the new cell state and reads the new hidden state out of it through a
# tanh. Section 3 says what each gate does to the cell.
#
# **4.1 · The exam question (1 point).** Which expression fills the blank?
#
# ```python
# c = ____
# h = output_gate * np.tanh(c)
# ```
#
# * **(a)** `input_gate * prev_c + forget_gate * a`
# * **(b)** `input_gate * a + forget_gate * prev_c`
# * **(c)** `output_gate * a + forget_gate * prev_c`
# * **(d)** `np.tanh(input_gate * a + forget_gate * prev_c)`
#
# Set `cell_update_choice` to `"a"`, `"b"`, `"c"` or `"d"`.

# %% nbgrader={"grade_id": "cell_update_choice_code", "solution": true}
# cell_update_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
cell_update_choice = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "cell_update_choice", "grade": true, "locked": true}
assert_true(str(cell_update_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'cell_update_choice should be one of "a", "b", "c", "d"')
print("cell_update_choice: one of the four letters")

# %% [markdown]
# **4.2 · Implement it (2 points).** Compute the new cell state and the new hidden state.
#
# > **Erratum in the source notes.** Their answer used an undefined `c` for the previous
# > cell state (it is `prev_c`) and applied an extra activation to all pre-activations
# > before splitting the gates; section 5 shows where each activation belongs.

# %% nbgrader={"grade_id": "lstm_cell_update_code", "solution": true}
def lstm_cell_update(input_gate, forget_gate, output_gate, a, prev_c):
    """All arguments (N, H). Returns (c, h): the new cell and hidden states, both (N, H)."""
    ### BEGIN SOLUTION
    c = input_gate * a + forget_gate * prev_c
    h = output_gate * np.tanh(c)
    ### END SOLUTION
    return c, h


# %% nbgrader={"grade_id": "lstm_cell_update", "grade": true, "locked": true}
gates = [np.array([[0.9, 0.1]]), np.array([[0.2, 0.8]]), np.array([[0.5, 1.0]])]
c, h = lstm_cell_update(*gates, np.array([[1.0, -1.0]]), np.array([[2.0, 3.0]]))
assert_close(c, np.array([[1.3, 2.3]]), "c")
assert_close(h, np.array([[0.43086158, 0.9800964]]), "h")
passed("lstm_cell_update", lstm_cell_update)

# %% [markdown]
# ## 5 · One LSTM step (3 points) [auto]
#
# Compute $A$, split it into the four blocks **i, f, o, g** (in that order), apply
# sigmoid to the three gates and tanh to the candidate, then update $c$ and $h$ as in
# section 4.
# Your `lstm_cell_update` can do the last part.

# %% nbgrader={"grade_id": "lstm_step_forward_code", "solution": true}
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step.

    x: (N, D), prev_h: (N, H), prev_c: (N, H), Wx: (D, 4H), Wh: (H, 4H), b: (4H,).
    Returns (next_h, next_c), both (N, H).
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = sigmoid(A[:, :H]), sigmoid(A[:, H:2 * H]), sigmoid(A[:, 2 * H:3 * H])
    g = np.tanh(A[:, 3 * H:])
    next_c, next_h = lstm_cell_update(i, f, o, g, prev_c)
    return next_h, next_c
    ### END SOLUTION


# %% nbgrader={"grade_id": "lstm_step_forward", "grade": true, "locked": true}
uses("lstm_cell_update", lstm_cell_update, "lstm_step_forward")
N, D, H = 2, 3, 2
x = np.linspace(-0.5, 0.5, N * D).reshape(N, D)
prev_h = np.linspace(-0.2, 0.3, N * H).reshape(N, H)
prev_c = np.linspace(0.4, -0.4, N * H).reshape(N, H)
Wx = np.linspace(-1.0, 1.0, D * 4 * H).reshape(D, 4 * H)
Wh = np.linspace(0.6, -0.6, H * 4 * H).reshape(H, 4 * H)
b = np.linspace(0.0, 0.7, 4 * H)
next_h, next_c = lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
assert_shape(next_h, (N, H), "next_h")
assert_close(next_c, np.array([[0.60760417, 0.46350716], [0.30092413, 0.18946437]]), "next_c")
assert_close(next_h, np.array([[0.34962404, 0.28303071], [0.19173517, 0.12879507]]), "next_h")
passed("lstm_step_forward", lstm_step_forward)

# %% [markdown]
# ## 6 · A whole sequence (2 points) [auto]
#
# Run your step over the sequence with the initial cell state $c_0 = 0$ and return all
# hidden states (the cell states stay inside the layer).

# %% nbgrader={"grade_id": "lstm_forward_code", "solution": true}
def lstm_forward(xs, h0, Wx, Wh, b):
    """xs: (N, T, D), h0: (N, H), Wx: (D, 4H), Wh: (H, 4H), b: (4H,). Returns hs: (N, T, H)."""
    ### BEGIN SOLUTION
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h, c = h0, np.zeros_like(h0)
    for t in range(T):
        h, c = lstm_step_forward(xs[:, t], h, c, Wx, Wh, b)
        hs[:, t] = h
    return hs
    ### END SOLUTION


# %% nbgrader={"grade_id": "lstm_forward", "grade": true, "locked": true}
uses("lstm_step_forward", lstm_step_forward, "lstm_forward")
N, D, H = 2, 3, 2
h0 = np.linspace(-0.2, 0.3, N * H).reshape(N, H)
Wx = np.linspace(-1.0, 1.0, D * 4 * H).reshape(D, 4 * H)
Wh = np.linspace(0.6, -0.6, H * 4 * H).reshape(H, 4 * H)
b = np.linspace(0.0, 0.7, 4 * H)
xs = np.linspace(-0.3, 0.6, N * 3 * D).reshape(N, 3, D)
hs = lstm_forward(xs, h0, Wx, Wh, b)
assert_shape(hs, (2, 3, 2), "hs")
first_h, _ = lstm_step_forward(xs[:, 0], h0, np.zeros_like(h0), Wx, Wh, b)
assert_close(hs[:, 0], first_h, "hs[:, 0] is one step from h0 with c0 = 0")
expected_hs = np.array([[[0.14893278, 0.16884523], [0.24518125, 0.27487598], [0.29919803, 0.34303597]],
                        [[0.16932521, 0.21052355], [0.26966484, 0.34492398], [0.31122521, 0.40767481]]])
assert_close(hs, expected_hs, "hs")
passed("lstm_forward", lstm_forward)

# %% [markdown]
# ## 7 · The backward pass of one step (4 points) [auto]
#
# The step has two outputs, so two upstream gradients arrive: `dnext_h` and `dnext_c`.
# Recompute the forward quantities from the inputs, then go back:
#
# * through $h = o \odot \tanh(c)$: $\partial o = \partial h \odot \tanh(c)$, and the cell
#   receives $\partial h \odot o \odot (1 - \tanh^2 c)$ **in addition to** `dnext_c`;
# * through $c = f \odot c_{t-1} + i \odot g$: $\partial i = \partial c \odot g$,
#   $\partial f = \partial c \odot c_{t-1}$, $\partial g = \partial c \odot i$,
#   $\partial c_{t-1} = \partial c \odot f$;
# * through the activations: $\sigma' = \sigma(1-\sigma)$ for i, f, o and
#   $\tanh' = 1 - g^2$ for g; stack the four blocks (i, f, o, g) into $\partial A: (N, 4H)$;
# * through $A = x W_x + h_{t-1} W_h + b$ as in notebook 02.

# %% nbgrader={"grade_id": "lstm_step_backward_code", "solution": true}
def lstm_step_backward(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    """Backward pass of one LSTM step.

    dnext_h, dnext_c: (N, H) upstream gradients; the other arguments as in
    lstm_step_forward. Returns (dx: (N, D), dprev_h: (N, H), dprev_c: (N, H),
    dWx: (D, 4H), dWh: (H, 4H), db: (4H,)).
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i, f, o = sigmoid(A[:, :H]), sigmoid(A[:, H:2 * H]), sigmoid(A[:, 2 * H:3 * H])
    g = np.tanh(A[:, 3 * H:])
    tanh_c = np.tanh(f * prev_c + i * g)
    dc = dnext_c + dnext_h * o * (1 - tanh_c**2)
    dA = np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                         dnext_h * tanh_c * o * (1 - o), dc * i * (1 - g**2)], axis=1)
    return dA @ Wx.T, dA @ Wh.T, dc * f, x.T @ dA, prev_h.T @ dA, dA.sum(axis=0)
    ### END SOLUTION


# %% nbgrader={"grade_id": "lstm_step_backward", "grade": true, "locked": true}
uses("lstm_step_forward", lstm_step_forward, "lstm_step_backward")
rng = np.random.default_rng(0)
N, D, H = 3, 4, 5
x, prev_h, prev_c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
Wx, Wh, b = rng.standard_normal((D, 4 * H)) * 0.5, rng.standard_normal((H, 4 * H)) * 0.5, rng.standard_normal(4 * H)
dnext_h, dnext_c = rng.standard_normal((N, H)), rng.standard_normal((N, H))
inputs = {"x": x, "prev_h": prev_h, "prev_c": prev_c, "Wx": Wx, "Wh": Wh, "b": b}


def both_outputs(**changed):
    next_h, next_c = lstm_step_forward(**{**inputs, **changed})
    return np.stack([next_h, next_c])


grads = dict(zip(["x", "prev_h", "prev_c", "Wx", "Wh", "b"],
                 lstm_step_backward(dnext_h, dnext_c, **inputs)))
for name, grad in grads.items():
    numerical = numerical_gradient_array(lambda v: both_outputs(**{name: v}), inputs[name].copy(),
                                         np.stack([dnext_h, dnext_c]))
    assert_gradient(grad, numerical, "d" + name)
passed("lstm_step_backward", lstm_step_backward)

# %% [markdown]
# ## 8 · BPTT through the LSTM (3 points) [auto]
#
# Run the forward pass again (keeping every $h_t$ and $c_t$), then walk back in time. Two
# gradients travel from step $t+1$ to step $t$: the hidden one (add it to `dhs[:, t]`)
# and the cell one (it is step $t$'s `dnext_c`). Both start at zero after the last step.

# %% nbgrader={"grade_id": "lstm_backward_code", "solution": true}
def lstm_backward(dhs, xs, h0, Wx, Wh, b):
    """dhs: (N, T, H); the rest as in lstm_forward (c0 = 0).

    Returns (dxs: (N, T, D), dh0: (N, H), dWx: (D, 4H), dWh: (H, 4H), db: (4H,)).
    """
    ### BEGIN SOLUTION
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
            dhs[:, t] + dh, dc, xs[:, t], hs[t], cs[t], Wx, Wh, b)
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dh, dWx, dWh, db
    ### END SOLUTION


# %% nbgrader={"grade_id": "lstm_backward", "grade": true, "locked": true}
uses("lstm_forward", lstm_forward, "lstm_backward")
uses("lstm_step_forward", lstm_step_forward, "lstm_backward")
uses("lstm_step_backward", lstm_step_backward, "lstm_backward")
rng = np.random.default_rng(1)
N, T, D, H = 2, 4, 3, 3
inputs = {"xs": rng.standard_normal((N, T, D)), "h0": rng.standard_normal((N, H)),
          "Wx": rng.standard_normal((D, 4 * H)) * 0.5, "Wh": rng.standard_normal((H, 4 * H)) * 0.5,
          "b": rng.standard_normal(4 * H)}
dhs = rng.standard_normal((N, T, H))
grads = dict(zip(["xs", "h0", "Wx", "Wh", "b"], lstm_backward(dhs, **inputs)))
for name, grad in grads.items():
    numerical = numerical_gradient_array(lambda v: lstm_forward(**{**inputs, name: v}),
                                         inputs[name].copy(), dhs)
    assert_gradient(grad, numerical, "d" + name)

# %% [markdown]
# ## 9 · 確認テスト: the weaknesses (1 + 2 points) [auto + manual]
#
# Which statement about the CEC is true? Store the letter in `cec_weakness`.
#
# * `"a"`: its gradient vanishes over long sequences, like a simple RNN's;
# * `"b"`: its gradient is always 1 and it has no weights, so on its own it cannot learn
#   what to keep or when;
# * `"c"`: it has too many weights to train quickly.

# %% nbgrader={"grade_id": "cec_weakness_code", "solution": true}
### BEGIN SOLUTION
cec_weakness = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "cec_weakness", "grade": true, "locked": true}
assert_true(str(cec_weakness).strip().lower() in ("a", "b", "c"), 'cec_weakness: one of "a", "b", "c"')
print("cec_weakness: one of the three letters")

# %% [markdown]
# **[manual, 2 points]** What is the main weakness of the LSTM itself, and how does it
# follow from its structure? Give numbers for an LSTM with $D = H = 100$.

# %% [markdown] nbgrader={"grade_id": "lstm_weakness_answer", "solution": true, "grade": true, "points": 2}
# <!-- BEGIN SOLUTION -->
# **Model answer.** Its cost: four gate blocks, each with its own input and recurrent
# weights and bias, make it about four times as large and as slow as a simple RNN of the
# same width. With $D = H = 100$: $4(100 \cdot 100 + 100 \cdot 100 + 100) = 80{,}400$
# parameters against $20{,}100$ for the simple RNN; each step does four times the
# multiply-adds, and the extra state makes the backward pass longer too.
#
# **Rubric (2 pts).** 1 pt: many parameters / heavy computation, tied to the four gate
# blocks (or "three gates and a cell"). 1 pt: a correct count (80,400, or 4× the RNN's
# 20,100, with or without biases stated).
# <!-- END SOLUTION -->

# %% [markdown]
# ## 10 · Practice: remembering across 60 steps
#
# Task: 60 steps, each showing one of 4 symbols (a one-hot vector, scaled by 2). Step 0
# also lights a **marker** input that says "remember this symbol"; the other 59 steps
# show random symbols, just as strong, without the marker. At the end, name the marked
# symbol (chance: 0.25). A simple RNN adds every input to its state with the same
# weights, so the 59 distractors write over the memory, and the gradient that would teach
# it to keep the marked symbol is a product of 59 Jacobians (notebook 02). An LSTM's
# input gate can open at the marker only, and its forget gate can keep the cell.
#
# A simple RNN (the course-provided layer from notebooks 01–02) and **your** LSTM
# (`lstm_forward`, `lstm_backward` above) are trained the same way: Adam, batches of 32,
# gradients clipped to norm 5 by **your** `clip_grads_global`, 200 iterations, a soft-max
# read-out of the last hidden state, hidden size 32. The LSTM's forget-gate bias starts at
# 5, so that $f \approx 0.993$ and $0.993^{59} \approx 0.67$ of the cell survives the gap
# from the beginning of training (with 3, $f \approx 0.95$ and $0.95^{59} \approx 0.05$).
#
# One run can be lucky or unlucky, so each model is trained from 5 seeds (initial
# weights and order of the examples); the plot shows the mean and the range over the
# seeds, the table every seed. This takes about 20 seconds.

# %% tags=["practice"]
from rnnlib.plotting import plot_spread

recall = partial(first_token_recall, T=60, n_symbols=4)
my_lstm = layer_from_functions(lstm_forward, lstm_backward, gates=4, memory_gate_block=1,
                               memory_gate_bias=5.0)
seeds = range(5)
runs = {name: [train_last_step_classifier(name, layer, recall, n_classes=4, hidden_size=32,
                                          iterations=200, batch_size=32,
                                          clip=clip_grads_global, seed=seed)
               for seed in seeds]
        for name, layer in [("simple RNN", RNN), ("your LSTM", my_lstm)]}
plot_spread({name: [r.accuracies for r in rs] for name, rs in runs.items()},
            "Recall the symbol marked 59 distracting steps earlier (chance = 0.25)",
            "iteration", "held-out accuracy", x=runs["simple RNN"][0].iterations)
plt.show()
print(f"{'final accuracy':<14}" + "".join(f"{'seed ' + str(s):>9}" for s in seeds)
      + f"{'min':>8}{'max':>7}{'seconds':>9}")
for name, rs in runs.items():
    finals = [r.accuracies[-1] for r in rs]
    print(f"{name:<14}" + "".join(f"{a:>9.3f}" for a in finals)
          + f"{min(finals):>8.3f}{max(finals):>7.3f}{sum(r.seconds for r in rs):>9.1f}")

# %% [markdown]
# ## Summary
# * Gradients through many steps are products of Jacobians: they vanish or explode.
#   Clipping by norm (`threshold / norm < 1`) stops the explosion without changing the
#   direction; it does not help against vanishing.
# * The CEC carries the error with gradient 1 but cannot learn; the input and output gates
#   weight what is written and read; the forget gate clears stale memory; peepholes let
#   the gates see the cell.
# * LSTM step: $A = xW_x + hW_h + b \to (i, f, o, g)$, $c = f \odot c + i \odot g$,
#   $h = o \odot \tanh c$. Its backward pass sends the cell gradient back through $f$
#   alone, which is why memory survives many steps.
# * The LSTM's own weakness is the question of section 9; the GRU (next notebook) answers
#   it with fewer gates.
