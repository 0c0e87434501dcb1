# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · Recurrent neural networks (RNN)
#
# *Deep Learning, Day 3 — Section 1.* Japanese terms appear beside the English ones the
# first time: 確認テスト (*kakunin tesuto*) = **confirmation test**, 演習チャレンジ
# (*enshū charenji*) = **code challenge**.
#
# ## Learning goals
# After this notebook you can
# 1. say what makes data a *time series* and why a feed-forward network does not fit it;
# 2. write the RNN equations and name the role of each of the three weight matrices;
# 3. implement one RNN step and a whole sequence in vectorised numpy;
# 4. read a recursive network over a parse tree;
# 5. train a small RNN with backpropagation through time (BPTT) to add binary numbers, and
#    see how initialisation, learning rate, hidden size and activation change training.
#
# ## How this notebook works
# * Cells that say `# YOUR CODE HERE` / `YOUR ANSWER HERE` are yours. Delete the
#   `raise NotImplementedError()` line when you write your code.
# * The cell under each task is a **visible test**: run it. It prints `OK` lines or tells you
#   what is wrong. When you submit, the same cell also runs **hidden tests** on other,
#   random inputs, so make your code general rather than fitted to the visible example.
# * Points are in each heading. *[auto]* items are graded automatically; *[manual]* answers
#   are read by your instructor.
# * "Practice" and "Try it" cells train small networks. They are not graded; run them and
#   look at the plots.
#
# ## Conventions used in the whole course
# * Batches are **rows**: an input batch is `x: (N, D)` (N examples, D features), a hidden
#   state `h: (N, H)`, a sequence `xs: (N, T, D)` (T time steps).
# * Weights multiply from the right: `Wx: (D, H)`, `Wh: (H, H)`, so a step is
#   `x @ Wx + h @ Wh + b` with `b: (H,)` broadcast over the batch.
# * Randomness is always seeded: `rng = np.random.default_rng(seed)`.

# %% nbgrader={"grade_id": "imports", "locked": true}
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import d_tanh, sigmoid
from rnnlib.binary_adder import AdderConfig, predict_sums, train_binary_adder
from rnnlib.gradcheck import numerical_gradient, rel_error
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses

# %% [markdown]
# ## 1 · Review: the output size of a convolution (1 + 1 points) [auto]
#
# **確認テスト (confirmation test).** A 5×5 input is convolved with a 3×3 filter, stride 2,
# padding 1. What is the size of the output?
#
# For an input of height $H$, filter height $F_H$, stride $S$ and padding $P$ (added on
# *both* sides) the output height is
#
# $$O_H = \left\lfloor \frac{H + 2P - F_H}{S} \right\rfloor + 1 .$$
#
# The same formula holds for the width. Implement it for integers, then store the answer
# to the question (the output is square, so one number) in `conv_answer`.

# %% nbgrader={"grade_id": "conv_output_size_code", "solution": true}
def conv_output_size(H, FH, stride, pad):
    """Output height of a convolution.

    H: input height, FH: filter height, stride: step between filter positions,
    pad: zero rows added on each side. Returns an int.
    """
    ### BEGIN SOLUTION
    return (H + 2 * pad - FH) // stride + 1
    ### END SOLUTION


# %% nbgrader={"grade_id": "conv_output_size", "grade": true, "locked": true}
assert_close(conv_output_size(28, 5, 1, 0), 24, "28x28 input, 5x5 filter, stride 1, no padding")
assert_close(conv_output_size(32, 3, 1, 1), 32, "'same' padding keeps the size")
assert_true(isinstance(conv_output_size(9, 3, 2, 0), (int, np.integer)),
            "conv_output_size should return an int (use // for the division)")

# %% nbgrader={"grade_id": "conv_answer_code", "solution": true}
# The output size for a 5x5 input, 3x3 filter, stride 2, padding 1 (one int).
### BEGIN SOLUTION
conv_answer = 3
### END SOLUTION

# %% nbgrader={"grade_id": "conv_answer", "grade": true, "locked": true}
assert_true(isinstance(conv_answer, (int, np.integer)), "conv_answer should be one int, e.g. 4")

# %% [markdown]
# ## 2 · Time-series data
#
# A **time series** (時系列データ) is a sequence of observations ordered in time, usually at
# regular intervals, whose values depend statistically on each other: what comes next is
# related to what came before. Audio, text (a sequence of words), sensor readings and
# stock prices are examples. A feed-forward network sees a fixed-size input and has no
# notion of order; an RNN reads one step at a time and carries a **state** from step to
# step.
#
# ### 2.1 · What makes data a time series? (1 point) [manual]
# In two or three sentences: what property of time-series data does an RNN exploit, and
# give two examples *not* listed above.

# %% [markdown] nbgrader={"grade_id": "time_series_answer", "solution": true, "grade": true, "points": 1}
# <!-- BEGIN SOLUTION -->
# **Model answer.** The observations are ordered and statistically dependent on earlier
# ones, so the past helps predict the present; an RNN keeps a hidden state that summarises
# the past. Examples: hourly temperature, ECG signals, video frames, keystrokes, server
# logs, DNA read along the strand.
#
# **Rubric (1 pt).** 0.5 for *order + dependence on earlier values* (just "data over time"
# earns nothing); 0.5 for two valid examples that are not audio, text or stock prices.
# <!-- END SOLUTION -->

# %% [markdown]
# ## 3 · The RNN equations
#
# At time $t$ the network takes the input $x_t$ and its own previous state $z_{t-1}$:
#
# $$u_t = x_t W_{in} + z_{t-1} W + b, \qquad z_t = f(u_t),$$
# $$v_t = z_t W_{out} + c, \qquad y_t = g(v_t).$$
#
# $f$ is the hidden activation (tanh or sigmoid), $g$ the output activation, $b$ and $c$
# the biases. The same three weights are used at every step.
#
# > **Erratum in the source notes.** The output was once written $y = g(W_{out} z + x)$.
# > The term added is the output bias $c$, not the input $x$ (which does not even have
# > the right size).
#
# ### 3.1 · 確認テスト: the three weights (1 point) [auto]
# The figure in the notes labels only two weights. Match each weight to its role by
# setting `weight_roles` to a dict with keys `"W_in"`, `"W"`, `"W_out"` and values among
#
# * `"a"`: maps the input $x_t$ to the hidden layer;
# * `"b"`: maps the previous hidden state $z_{t-1}$ to the current hidden layer;
# * `"c"`: maps the hidden state $z_t$ to the output.

# %% nbgrader={"grade_id": "weight_roles_code", "solution": true}
# weight_roles = {"W_in": ..., "W": ..., "W_out": ...}
### BEGIN SOLUTION
weight_roles = {"W_in": "a", "W": "b", "W_out": "c"}
### END SOLUTION

# %% nbgrader={"grade_id": "weight_roles", "grade": true, "locked": true}
assert_true(isinstance(weight_roles, dict) and set(weight_roles) == {"W_in", "W", "W_out"},
            'weight_roles should be a dict with exactly the keys "W_in", "W" and "W_out"')
assert_true(sorted(str(v).strip().lower() for v in weight_roles.values()) == ["a", "b", "c"],
            'use each of "a", "b" and "c" once')
print("weight_roles: well formed")

# %% [markdown]
# ### 3.2 · The weight missing from the figure (2 points) [manual]
# Which of the three weights is the one the figure leaves out? In your own words: what
# does it do, what could the network not do without it, and why is the *same* matrix
# used at every step?

# %% [markdown] nbgrader={"grade_id": "recurrent_weight_answer", "solution": true, "grade": true, "points": 2}
# <!-- BEGIN SOLUTION -->
# **Model answer.** $W$ carries information from the previous step into the current
# hidden state; it is what makes the network recurrent. Without it each step would see
# only $x_t$: a feed-forward network applied to each time step independently, unable to
# use context. Sharing one $W$ across steps lets the network handle sequences of any
# length with a fixed number of parameters and apply the same rule at every position.
#
# **Rubric (2 pts).** 1 pt: names $W$ (the hidden-to-hidden weight on $z_{t-1}$) and says it
# passes the previous state / past context into the current step (without it: no memory,
# independent steps). 1 pt: weight sharing, any one of "any sequence length", "fixed
# number of parameters", "same rule at every time step".
# <!-- END SOLUTION -->

# %% [markdown]
# ## 4 · 演習チャレンジ: a recursive network over a parse tree (1 + 2 points) [auto]
#
# A *recursive* neural network (not recurrent) combines the vectors of a tree bottom-up,
# like a parse tree read from the words up to the sentence. A leaf is a word vector of
# size $D$; an inner node is a dict `{"left": ..., "right": ...}`. An inner node's vector
# is again of size $D$: one learnt layer with weights `W: (D, 2D)`, bias `b: (D,)` and a
# tanh reads **both** children, the left one's $D$ numbers first, then the right one's,
# so that the phrase vector depends on each child and on their order. The same `W` and
# `b` are used at every node.
#
# **4.1 · The exam question (1 point).** Which line fills the blank?
#
# ```python
# def traverse(node, W, b):
#     if not isinstance(node, dict):
#         return node
#     left = traverse(node["left"], W, b)
#     right = traverse(node["right"], W, b)
#     return np.tanh(____)
# ```
#
# * **(a)** `W @ (left + right) + b`
# * **(b)** `W @ (left * right) + b`
# * **(c)** `W @ np.concatenate([left, right]) + b`
# * **(d)** `W @ np.maximum(left, right) + b`
#
# Set `traverse_choice` to `"a"`, `"b"`, `"c"` or `"d"`.

# %% nbgrader={"grade_id": "traverse_choice_code", "solution": true}
# traverse_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
traverse_choice = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "traverse_choice", "grade": true, "locked": true}
assert_true(str(traverse_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'traverse_choice should be one of "a", "b", "c", "d"')
print("traverse_choice: one of the four letters")

# %% [markdown]
# **4.2 · Implement it (2 points).** Complete `traverse`; it calls itself on the children.

# %% nbgrader={"grade_id": "traverse_code", "solution": true}
def traverse(node, W, b):
    """Vector of a parse-tree node.

    node: a leaf vector of shape (D,), or a dict {"left": node, "right": node}.
    W: (D, 2D), b: (D,). Returns an array of shape (D,).
    """
    if not isinstance(node, dict):
        return node
    left = traverse(node["left"], W, b)
    right = traverse(node["right"], W, b)
    ### BEGIN SOLUTION
    return np.tanh(W @ np.concatenate([left, right]) + b)
    ### END SOLUTION


# %% nbgrader={"grade_id": "traverse", "grade": true, "locked": true}
tree = {"left": np.array([1.0, 0.0]),
        "right": {"left": np.array([0.0, 1.0]), "right": np.array([1.0, 1.0])}}
W_tree = np.array([[0.5, -0.2, 0.1, 0.3], [-0.4, 0.6, 0.2, -0.1]])
b_tree = np.array([0.05, -0.05])
assert_close(traverse(np.array([3.0, 4.0]), W_tree, b_tree), np.array([3.0, 4.0]),
             "a leaf is its own vector")
assert_close(traverse(tree, W_tree, b_tree), np.array([0.63275226, -0.42860237]), "tree vector")

# %% [markdown]
# ## 5 · One RNN step (2 points) [auto]
#
# With tanh as the hidden activation and row-vector batches, one step is
#
# $$h_t = \tanh(x_t W_x + h_{t-1} W_h + b).$$
#
# (`Wx` is $W_{in}$ and `Wh` is $W$ of section 3.) Implement it without a loop over the
# batch.

# %% nbgrader={"grade_id": "rnn_step_forward_code", "solution": true}
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One step of a tanh RNN.

    x: (N, D) inputs at this step, prev_h: (N, H) previous hidden state,
    Wx: (D, H), Wh: (H, H), b: (H,). Returns next_h: (N, H).
    """
    ### BEGIN SOLUTION
    return np.tanh(x @ Wx + prev_h @ Wh + b)
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_step_forward", "grade": true, "locked": true}
N, D, H = 2, 3, 4
x = np.linspace(-0.4, 0.7, N * D).reshape(N, D)
prev_h = np.linspace(-0.2, 0.5, N * H).reshape(N, H)
Wx = np.linspace(-0.1, 0.9, D * H).reshape(D, H)
Wh = np.linspace(-0.3, 0.7, H * H).reshape(H, H)
b = np.linspace(-0.2, 0.4, H)
next_h = rnn_step_forward(x, prev_h, Wx, Wh, b)
assert_shape(next_h, (N, H), "next_h")
assert_close(next_h, np.array([[-0.06892086, 0.0684383, 0.2032509, 0.33077389],
                               [0.54621417, 0.77678477, 0.89793473, 0.95499608]]), "next_h")
passed("rnn_step_forward", rnn_step_forward)

# %% [markdown]
# ## 6 · A whole sequence (3 points) [auto]
#
# Run the step over $t = 0, \dots, T-1$, starting from the given initial state `h0`, and
# return **all** hidden states: `hs[:, t]` is the state *after* reading `xs[:, t]`.
# Use your `rnn_step_forward`.

# %% nbgrader={"grade_id": "rnn_forward_code", "solution": true}
def rnn_forward(xs, h0, Wx, Wh, b):
    """Forward pass of a tanh RNN over a whole sequence.

    xs: (N, T, D) inputs, h0: (N, H) initial hidden state, Wx: (D, H), Wh: (H, H), b: (H,).
    Returns hs: (N, T, H), the hidden state after each step.
    """
    ### BEGIN SOLUTION
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = rnn_step_forward(xs[:, t], h, Wx, Wh, b)
        hs[:, t] = h
    return hs
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_forward", "grade": true, "locked": true}
uses("rnn_step_forward", rnn_step_forward, "rnn_forward")
N, T, D, H = 2, 3, 4, 5
xs = np.linspace(-0.1, 0.3, N * T * D).reshape(N, T, D)
h0 = np.linspace(-0.3, 0.1, N * H).reshape(N, H)
Wx = np.linspace(-0.2, 0.4, D * H).reshape(D, H)
Wh = np.linspace(-0.4, 0.1, H * H).reshape(H, H)
b = np.linspace(-0.7, 0.1, H)
hs = rnn_forward(xs, h0, Wx, Wh, b)
assert_shape(hs, (N, T, H), "hs")
expected_hs = np.array([
    [[-0.42070749, -0.27279261, -0.11074945, 0.05740409, 0.22236251],
     [-0.39525808, -0.22554661, -0.0409454, 0.14649412, 0.32397316],
     [-0.42305111, -0.24223728, -0.04287027, 0.15997045, 0.35014525]],
    [[-0.55857474, -0.39065825, -0.19198182, 0.02378408, 0.23735671],
     [-0.27150199, -0.07088804, 0.13562939, 0.33099728, 0.50158768],
     [-0.51014825, -0.30524429, -0.06755202, 0.17806392, 0.40333043]]])
assert_close(hs[:, 0], expected_hs[:, 0], "hs[:, 0] (first step)")
assert_close(hs, expected_hs, "hs")

# %% [markdown]
# ## 7 · Practice: an RNN learns binary addition
#
# Two numbers below 128 are fed in bit by bit, **least-significant bit first**; at each
# step the network outputs one bit of the sum. To get bit $t$ right it must remember the
# carry from step $t-1$: exactly what the hidden state is for.
#
# Setting (from the notes): 8 bits, hidden size 16, learning rate 0.1, weights drawn with
# standard deviation 1, sigmoid hidden and output activations, squared-error loss, full
# BPTT after every example. The code is in `rnnlib/binary_adder.py`; the backward pass is
# printed below. Note the output delta: $y_t$ is already a sigmoid *output*, so its
# derivative is $y_t(1-y_t)$.
#
# > **Erratum in the source notes.** Their code applied `d_sigmoid(y)`, the derivative at
# > the output value instead of at the pre-activation, which computes the wrong delta.
#
# Each run stops as soon as all 256 held-out sums are exact. How many iterations that
# takes depends on the random start, so the network is trained from 5 seeds (initial
# weights and order of the examples; about half a minute in all).

# %% tags=["practice"]
import inspect
import rnnlib.binary_adder as binary_adder

print(inspect.getsource(binary_adder.backward))

# %% tags=["practice"]
seeds = range(5)
adder_runs = [train_binary_adder(AdderConfig(stop_when_perfect=True, seed=seed)) for seed in seeds]
print("all held-out sums exact after: " + ", ".join(
    f"{r.first_perfect_iteration()} (seed {s})" for s, r in zip(seeds, adder_runs)) + " iterations")

longest = max(adder_runs, key=lambda r: len(r.iterations)).iterations
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
plot_curves({f"seed {s}": r.losses for s, r in zip(seeds, adder_runs)}, "Binary addition: loss",
            "iteration", "training loss", x=longest, ax=ax_loss)
plot_curves({f"seed {s}": r.accuracies for s, r in zip(seeds, adder_runs)},
            "Binary addition: held-out exact sums", "iteration", "fraction exact", x=longest,
            ax=ax_acc)
plt.show()

run = adder_runs[0]
a = np.array([16, 45, 100, 127, 3])
b_ = np.array([75, 19, 27, 127, 120])
for left, right, total in zip(a, b_, predict_sums(run.params, a, b_)):
    print(f"{left:3d} + {right:3d} = {total:3d}   {'ok' if total == left + right else 'WRONG'}")

# %% [markdown]
# ## 8 · Try it
#
# Each curve below is a fresh run of 3,000 iterations; change the settings and re-run.
# **Weight scale, learning rate and hidden size** (the notes' suggestions: scale 1 → 10,
# learning rate 0.1 → 0.01, hidden size 16 → 32):

# %% tags=["practice"]
def held_out_accuracy(**settings):
    """Held-out exact-sum curve of a 3,000-iteration run with the given AdderConfig fields."""
    result = train_binary_adder(AdderConfig(iterations=3000, **settings))
    return result.iterations, result.accuracies


settings = {
    "notes' defaults": {},
    "weight scale 10": {"weight_scale": 10.0},
    "learning rate 0.01": {"learning_rate": 0.01},
    "learning rate 0.5": {"learning_rate": 0.5},
    "hidden size 32": {"hidden_size": 32},
}
curves = {}
for label, overrides in settings.items():
    iterations, curves[label] = held_out_accuracy(**overrides)
plot_curves(curves, "Binary addition: effect of the hyper-parameters", "iteration",
            "held-out exact sums", x=iterations)
plt.show()

# %% [markdown]
# **Initialisation.** Xavier draws weights with standard deviation $1/\sqrt{n_{in}}$,
# He with $\sqrt{2/n_{in}}$ (suited to ReLU). Compare them with the fixed scale 1:

# %% tags=["practice"]
curves = {}
for label, init in [("scale 1", "scale"), ("Xavier", "xavier"), ("He", "he")]:
    iterations, curves[label] = held_out_accuracy(weight_init=init)
plot_curves(curves, "Binary addition: initialisation", "iteration", "held-out exact sums",
            x=iterations)
plt.show()

# %% [markdown]
# **Hidden activation.** The derivative of tanh is $1 - \tanh^2(u)$.
#
# > **Erratum in the source notes.** Their `d_tanh(x)` returned `np.tanh(x)`, the function
# > itself. A numerical gradient shows the difference at once:

# %% tags=["practice"]
u = np.linspace(-2.0, 2.0, 7)
numerical = numerical_gradient(lambda v: np.sum(np.tanh(v)), u.copy())
print("relative error of 1 - tanh(u)**2:", rel_error(numerical, d_tanh(u)))
print("relative error of the notes' tanh(u):", rel_error(numerical, np.tanh(u)))

# %% [markdown]
# With ReLU the hidden state is unbounded and the gradient through $W$ can grow step
# after step (*exploding gradients*); the right-hand plot shows the gradient norm of $W$
# on a log scale.

# %% tags=["practice"]
accuracy, grad_norm = {}, {}
for activation in ["sigmoid", "tanh", "relu"]:
    result = train_binary_adder(AdderConfig(iterations=3000, activation=activation))
    accuracy[activation], grad_norm[activation] = result.accuracies, result.grad_norms
    iterations = result.iterations
fig, (ax_acc, ax_grad) = plt.subplots(1, 2, figsize=(11, 4))
plot_curves(accuracy, "Binary addition: hidden activation", "iteration", "held-out exact sums",
            x=iterations, ax=ax_acc)
plot_curves(grad_norm, "Gradient norm of W", "iteration", "largest ||dW|| per 100 iterations",
            x=iterations, logy=True, ax=ax_grad)
plt.show()

# %% [markdown]
# ## Summary
# * A time series is ordered and each value depends on earlier ones; an RNN carries a
#   hidden state from step to step to use that dependence.
# * $u_t = x_t W_{in} + z_{t-1} W + b$, $z_t = f(u_t)$, $y_t = g(z_t W_{out} + c)$: $W_{in}$
#   reads the input, $W$ carries the past, $W_{out}$ produces the output; all three are
#   shared across time.
# * A sequence forward pass is a loop of the step function that keeps every hidden state.
# * Recursive networks apply the same combination bottom-up over a tree instead of along a
#   sequence.
# * Training needs the gradient through every step (BPTT, next notebook); the scale of the
#   weights and the activation decide whether that gradient survives many steps.
