# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Backpropagation through time (BPTT)
#
# *Deep Learning, Day 3 — Section 1-2.* 確認テスト = **confirmation test**,
# 演習チャレンジ = **code challenge**, 誤差逆伝播法 = **backpropagation**.
#
# ## Learning goals
# After this notebook you can
# 1. apply the chain rule to a composed function and check the result numerically;
# 2. write the first output of an RNN from its inputs, weights and biases;
# 3. derive and implement the gradients of an RNN step and of a whole sequence;
# 4. complete the BPTT loop of the source notes (with their two bugs fixed);
# 5. check any backward pass with numerical gradients, and see why gradients vanish or
#    explode over many steps.
#
# Conventions as in notebook 01: `x: (N, D)`, `h: (N, H)`, `xs: (N, T, D)`, `Wx: (D, H)`,
# `Wh: (H, H)`, a step is `h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b)`. Section 3 keeps the
# notes' own convention, stated there.

# %% nbgrader={"grade_id": "imports", "locked": true}
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.gradcheck import numerical_gradient, numerical_gradient_array
from rnnlib.rnn_layer import rnn_layer_forward
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses



# %% [markdown]
# ## 1 · 確認テスト: the chain rule (1 point) [auto]
#
# With $z = t^2$ and $t = x + y$, the chain rule gives
#
# $$\frac{dz}{dx} = \frac{dz}{dt}\,\frac{dt}{dx} .$$
#
# > **Erratum in the source notes.** One answer wrote $\frac{dz}{dy}\frac{dy}{dx}$; the
# > intermediate variable is $t$, so it is $\frac{dz}{dt}\frac{dt}{dx}$.
#
# Write `dz_dx(x, y)`. It must work on numbers and element-wise on numpy arrays.

# %% nbgrader={"grade_id": "dz_dx_code", "solution": true}
def dz_dx(x, y):
    """dz/dx for z = t**2, t = x + y. x, y: numbers or arrays of the same shape."""
    ### BEGIN SOLUTION
    return 2 * (x + y)
    ### END SOLUTION


# %% nbgrader={"grade_id": "dz_dx", "grade": true, "locked": true}
x0, y0 = np.array([0.3, -1.2]), np.array([0.5, 0.1])
numerical = numerical_gradient(lambda v: np.sum((v + y0) ** 2), x0.copy())
assert_close(dz_dx(x0, y0), numerical, "dz/dx against the numerical derivative", rtol=1e-6)

# %% [markdown]
# ## 2 · 確認テスト: the first output of an RNN (2 points) [auto]
#
# Write $y_1$ in terms of $x_1$, the initial state $z_0$, the weights $W_{in}, W, W_{out}$
# and the biases $b, c$, with sigmoid as both the hidden activation $f$ and the output
# activation $g$. Start from the RNN equations of notebook 01 (section 3) at $t = 1$,
# row vectors as there. (The notes use column vectors; the answer is the same model.)

# %% nbgrader={"grade_id": "first_output_code", "solution": true}
def first_output(x1, z0, W_in, W, W_out, b, c):
    """y_1 of a sigmoid RNN.

    x1: (N, D), z0: (N, H), W_in: (D, H), W: (H, H), W_out: (H, O), b: (H,), c: (O,).
    Returns y1: (N, O).
    """
    ### BEGIN SOLUTION
    z1 = sigmoid(x1 @ W_in + z0 @ W + b)
    return sigmoid(z1 @ W_out + c)
    ### END SOLUTION


# %% nbgrader={"grade_id": "first_output", "grade": true, "locked": true}
x1 = np.array([[0.5, -1.0]])
z0 = np.array([[0.1, 0.2, -0.3]])
W_in = np.array([[0.2, -0.1, 0.4], [0.3, 0.5, -0.2]])
W = np.array([[0.1, 0.0, 0.2], [-0.3, 0.2, 0.1], [0.0, 0.4, -0.1]])
W_out = np.array([[0.5], [-0.4], [0.3]])
b, c = np.array([0.05, -0.05, 0.1]), np.array([0.2])
y1 = first_output(x1, z0, W_in, W, W_out, b, c)
assert_shape(y1, (1, 1), "y1")
assert_close(y1, np.array([[0.61826899]]), "y1")

# %% [markdown]
# ## 3 · The BPTT equations
#
# For the RNN of notebook 01 with loss $E = \sum_t E_t$, write
# $\delta_t = \partial E / \partial u_t$ (the error at the hidden pre-activation) and
# $\delta^{out}_t = \partial E / \partial v_t$ (at the output pre-activation). Then
#
# $$\frac{\partial E}{\partial W_{in}} = \sum_t x_t^\top \delta_t, \quad
#   \frac{\partial E}{\partial W} = \sum_t z_{t-1}^\top \delta_t, \quad
#   \frac{\partial E}{\partial W_{out}} = \sum_t z_t^\top \delta^{out}_t, \quad
#   \frac{\partial E}{\partial b} = \sum_t \delta_t, \quad
#   \frac{\partial E}{\partial c} = \sum_t \delta^{out}_t ,$$
#
# and the error travels back one step through the recurrent weight and the derivative of
# the activation:
#
# $$\delta_{t-1} = \big(\delta_t W^\top + \delta^{out}_{t-1} W_{out}^\top\big) \odot f'(u_{t-1}).$$
#
# ### 3.1 · Why the output weights need no trip back in time (2 points) [manual]
# $\partial E / \partial W_{out}$ is a sum over $t$ of terms that each use only step $t$,
# whereas $\partial E / \partial W$ needs $\delta_t$, which collects errors from all later
# steps. Explain why in two or three sentences.

# %% [markdown] nbgrader={"grade_id": "output_weights_answer", "solution": true, "grade": true, "points": 2}
# <!-- BEGIN SOLUTION -->
# **Model answer.** $W_{out}$ acts only on the path $z_t \to v_t \to y_t$ inside one time
# step: changing it changes $y_t$ directly and nothing that is fed to later steps, so its
# gradient at step $t$ is $z_t^\top \delta^{out}_t$ and the total is the plain sum over $t$.
# $W$ (and $W_{in}$) shape $z_t$, which is carried into every later step, so their
# gradient needs the error of all later outputs, propagated back through time in
# $\delta_t$.
#
# **Rubric (2 pts).** 1 pt: $W_{out}$ only affects the output of the same step (no path to
# later steps). 1 pt: $W$ / the hidden state feeds later steps, so its error must
# accumulate from the future (through $\delta_t$).
# <!-- END SOLUTION -->

# %% [markdown]
# ## 4 · 演習チャレンジ: the BPTT loop (1 + 2 points) [auto]
#
# The code challenge of the notes uses an RNN **without activation** (identity) and their
# column-vector weights: `W: (H, D)`, `U: (H, H)`, `V: (O, H)`,
#
# $$h_t = x_t W^\top + h_{t-1} U^\top, \qquad o_t = h_t V^\top, \qquad
#   E = \frac{1}{2N}\sum_{t}\lVert o_t - y_t \rVert^2 .$$
#
# For each output step $t$ the loop below starts the error at $h_t$ and walks back to step
# 0, adding each step's contribution to `dW` and `dU`. The blank is the error at
# $h_{s-1}$ given the error `delta_t` at $h_s$ (both `(N, H)` row vectors): one step of
# the chain rule back through the equation of $h_s$ above.
#
# > **Errata in the source notes, fixed here.** (1) `dV = ...` replaced the gradient of
# > the later steps at every iteration; it must accumulate (`+=`). (2) At step 0 the notes
# > read `hiddens[:, bptt_step - 1]`, i.e. `hiddens[:, -1]`: numpy's negative index
# > silently returns the **last** hidden state. The state before step 0 is the zero
# > initial state.
#
# **4.1 · The exam question (1 point).** Which line fills the blank `delta_t = ____` at
# the end of the inner loop of `bptt` below?
#
# * **(a)** `delta_t @ U`
# * **(b)** `delta_t @ V`
# * **(c)** `delta_t @ W`
# * **(d)** `delta_t * U`
#
# Set `bptt_choice` to `"a"`, `"b"`, `"c"` or `"d"`.

# %% nbgrader={"grade_id": "bptt_choice_code", "solution": true}
# bptt_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
bptt_choice = "a"
### END SOLUTION

# %% nbgrader={"grade_id": "bptt_choice", "grade": true, "locked": true}
assert_true(str(bptt_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'bptt_choice should be one of "a", "b", "c", "d"')
print("bptt_choice: one of the four letters")

# %% [markdown]
# **4.2 · Implement it (2 points).** The network of the challenge is given (`rnn_net`);
# fill in the blank of `bptt`. The visible test compares your gradients with numerical
# ones.

# %% nbgrader={"grade_id": "rnn_net", "locked": true}
def rnn_net(xs, W, U, V):
    """Identity-activation RNN of the challenge.

    xs: (N, T, D), W: (H, D), U: (H, H), V: (O, H). Returns hiddens: (N, T, H) and
    outputs: (N, T, O). The initial state is zero.
    """
    N, T, _ = xs.shape
    hiddens = np.zeros((N, T, W.shape[0]))
    h = np.zeros((N, W.shape[0]))
    for t in range(T):
        h = xs[:, t] @ W.T + h @ U.T
        hiddens[:, t] = h
    return hiddens, hiddens @ V.T


# %% nbgrader={"grade_id": "bptt_code", "solution": true}
def bptt(xs, ys, W, U, V):
    """Gradients (dW, dU, dV) of E = sum of squared errors / (2N) for rnn_net.

    xs: (N, T, D), ys: (N, T, O). Returns arrays shaped like W, U and V.
    """
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V  # error at h_t: (N, H)
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ prev_h / N
            # the error at h_{s-1}:
            ### BEGIN SOLUTION
            delta_t = delta_t @ U
            ### END SOLUTION
    return dW, dU, dV


# %% nbgrader={"grade_id": "bptt", "grade": true, "locked": true}
rng = np.random.default_rng(0)
xs = rng.standard_normal((2, 4, 3))
ys = rng.standard_normal((2, 4, 2))
W, U, V = rng.standard_normal((5, 3)) * 0.5, rng.standard_normal((5, 5)) * 0.4, rng.standard_normal((2, 5)) * 0.5


def loss(W, U, V):
    _, outputs = rnn_net(xs, W, U, V)
    return 0.5 * np.sum((outputs - ys) ** 2) / len(xs)


dW, dU, dV = bptt(xs, ys, W, U, V)
assert_gradient(dV, numerical_gradient(lambda v: loss(W, U, v), V.copy()), "dV")
assert_gradient(dW, numerical_gradient(lambda w: loss(w, U, V), W.copy()), "dW")
assert_gradient(dU, numerical_gradient(lambda u: loss(W, u, V), U.copy()), "dU")

# %% [markdown]
# ## 5 · The backward pass of one tanh step (3 points) [auto]
#
# Forward (notebook 01): $h_t = \tanh(a_t)$ with $a_t = x_t W_x + h_{t-1} W_h + b$.
# Given the upstream gradient `dnext_h` $= \partial E / \partial h_t$, compute the
# gradients of the step's five inputs. Use the output `next_h` for the tanh derivative:
# $\tanh'(a) = 1 - \tanh^2(a)$ = `1 - next_h**2`. Sum the bias gradient over the batch.

# %% nbgrader={"grade_id": "rnn_step_backward_code", "solution": true}
def rnn_step_backward(dnext_h, x, prev_h, Wx, Wh, next_h):
    """Backward pass of one tanh RNN step.

    dnext_h: (N, H), x: (N, D), prev_h: (N, H), Wx: (D, H), Wh: (H, H),
    next_h: (N, H), the step's output. Returns (dx: (N, D), dprev_h: (N, H),
    dWx: (D, H), dWh: (H, H), db: (H,)).
    """
    ### BEGIN SOLUTION
    da = dnext_h * (1.0 - next_h**2)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dWx, dWh, db
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_step_backward", "grade": true, "locked": true}
rng = np.random.default_rng(1)
N, D, H = 3, 4, 5
x, prev_h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
Wx, Wh, b = rng.standard_normal((D, H)), rng.standard_normal((H, H)), rng.standard_normal(H)
dnext_h = rng.standard_normal((N, H))


def step(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + prev_h @ Wh + b)


next_h = step(x, prev_h, Wx, Wh, b)
dx, dprev_h, dWx, dWh, db = rnn_step_backward(dnext_h, x, prev_h, Wx, Wh, next_h)
assert_gradient(dx, numerical_gradient_array(lambda v: step(v, prev_h, Wx, Wh, b), x.copy(), dnext_h), "dx")
assert_gradient(dprev_h, numerical_gradient_array(lambda v: step(x, v, Wx, Wh, b), prev_h.copy(), dnext_h), "dprev_h")
assert_gradient(dWx, numerical_gradient_array(lambda v: step(x, prev_h, v, Wh, b), Wx.copy(), dnext_h), "dWx")
assert_gradient(dWh, numerical_gradient_array(lambda v: step(x, prev_h, Wx, v, b), Wh.copy(), dnext_h), "dWh")
assert_gradient(db, numerical_gradient_array(lambda v: step(x, prev_h, Wx, Wh, v), b.copy(), dnext_h), "db")
passed("rnn_step_backward", rnn_step_backward)

# %% [markdown]
# ## 6 · BPTT over a whole sequence (3 points) [auto]
#
# `dhs[:, t]` is the gradient of the loss with respect to `hs[:, t]` coming from *above*
# (the outputs). The state $h_t$ also feeds step $t+1$, so the total gradient at $h_t$ is
# `dhs[:, t]` **plus** the `dprev_h` returned by step $t+1$. Walk back from $t = T-1$ to
# $0$ with your `rnn_step_backward`, summing the weight gradients over time. The state
# before step 0 is `h0`; return its gradient as `dh0`.

# %% nbgrader={"grade_id": "rnn_backward_code", "solution": true}
def rnn_backward(dhs, xs, h0, Wx, Wh, hs):
    """Backward pass of a tanh RNN over a sequence.

    dhs: (N, T, H) upstream gradients, xs: (N, T, D), h0: (N, H), Wx: (D, H),
    Wh: (H, H), hs: (N, T, H) the forward pass's states.
    Returns (dxs: (N, T, D), dh0: (N, H), dWx: (D, H), dWh: (H, H), db: (H,)).
    """
    ### BEGIN SOLUTION
    N, T, _ = xs.shape
    dxs = np.zeros_like(xs)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
    dprev_h = np.zeros_like(h0)
    for t in reversed(range(T)):
        prev_h = hs[:, t - 1] if t > 0 else h0
        dx, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(
            dhs[:, t] + dprev_h, xs[:, t], prev_h, Wx, Wh, hs[:, t])
        dxs[:, t] = dx
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dxs, dprev_h, dWx, dWh, db
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_backward", "grade": true, "locked": true}
uses("rnn_step_backward", rnn_step_backward, "rnn_backward")
rng = np.random.default_rng(2)
N, T, D, H = 2, 4, 3, 5
xs, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
params = {"Wx": rng.standard_normal((D, H)) * 0.5, "Wh": rng.standard_normal((H, H)) * 0.5,
          "b": rng.standard_normal(H) * 0.1}
dhs = rng.standard_normal((N, T, H))


def forward(xs=xs, h0=h0, Wx=params["Wx"], Wh=params["Wh"], b=params["b"]):
    return rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": b}, xs, h0)[0]


hs = forward()
dxs, dh0, dWx, dWh, db = rnn_backward(dhs, xs, h0, params["Wx"], params["Wh"], hs)
assert_gradient(dxs, numerical_gradient_array(lambda v: forward(xs=v), xs.copy(), dhs), "dxs")
assert_gradient(dh0, numerical_gradient_array(lambda v: forward(h0=v), h0.copy(), dhs), "dh0")
assert_gradient(dWx, numerical_gradient_array(lambda v: forward(Wx=v), params["Wx"].copy(), dhs), "dWx")
assert_gradient(dWh, numerical_gradient_array(lambda v: forward(Wh=v), params["Wh"].copy(), dhs), "dWh")
assert_gradient(db, numerical_gradient_array(lambda v: forward(b=v), params["b"].copy(), dhs), "db")

# %% [markdown]
# ## 7 · Try it: vanishing and exploding gradients
#
# Send a unit gradient into the last state of a 60-step sequence and follow its norm back
# with your `rnn_step_backward`. Each step multiplies it by
# $\mathrm{diag}(1 - h_t^2)\,W_h^\top$: when the largest singular value of $W_h$ (scaled
# here by its **spectral radius** $\rho$) is below 1 the norm shrinks geometrically
# (vanishing), far above 1 it can grow (exploding), until tanh saturates.

# %% tags=["practice"]
def gradient_norms_back_in_time(rho, T=60, H=32, D=4, seed=0):
    """||dL/dh_{T-1-k}|| for k = 0..T-1 after a unit gradient at the last state."""
    rng = np.random.default_rng(seed)
    Wh = rng.standard_normal((H, H))
    Wh *= rho / np.max(np.abs(np.linalg.eigvals(Wh)))
    Wx = rng.standard_normal((D, H)) * 0.1
    xs, h0 = rng.standard_normal((1, T, D)), np.zeros((1, H))
    hs = rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": np.zeros(H)}, xs, h0)[0]
    states_before = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)  # h_{t-1} for each t
    dh = rng.standard_normal((1, H))
    dh /= np.linalg.norm(dh)
    norms = []
    for t in reversed(range(T)):
        norms.append(np.linalg.norm(dh))
        _, dh, _, _, _ = rnn_step_backward(dh, xs[:, t], states_before[:, t], Wx, Wh, hs[:, t])
    return norms


curves = {f"rho = {rho}": gradient_norms_back_in_time(rho) for rho in [0.5, 0.9, 1.0, 1.5, 3.0]}
plot_curves(curves, "Gradient norm flowing back through time", "steps back",
            "||dL/dh||", logy=True)
plt.show()

# %% [markdown]
# **Truncated BPTT** stops the backward walk after $k$ steps. It is cheaper and, when
# gradients vanish anyway, loses little; when the early steps matter, it biases the
# gradient. Below: the relative error of $\partial E/\partial W_h$ computed with
# truncation $k$ against the full BPTT, for a loss on the last state only.

# %% tags=["practice"]
def truncated_dWh(k, dhs, xs, h0, Wx, Wh, hs):
    """dWh summed over at most k steps back from each position (k >= T: full BPTT)."""
    T = xs.shape[1]
    states_before = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    total = np.zeros_like(Wh)
    for t_end in range(T):
        dh = dhs[:, t_end]
        for t in range(t_end, max(-1, t_end - k), -1):
            _, dh, _, dWh_t, _ = rnn_step_backward(dh, xs[:, t], states_before[:, t], Wx, Wh, hs[:, t])
            total += dWh_t
    return total


rng = np.random.default_rng(3)
T, H, D = 30, 16, 4
for rho in [0.8, 1.2]:
    Wh = rng.standard_normal((H, H))
    Wh *= rho / np.max(np.abs(np.linalg.eigvals(Wh)))
    Wx = rng.standard_normal((D, H)) * 0.5
    xs, h0 = rng.standard_normal((1, T, D)), np.zeros((1, H))
    hs = rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": np.zeros(H)}, xs, h0)[0]
    dhs = np.zeros_like(hs)
    dhs[:, -1] = 1.0
    full = truncated_dWh(T, dhs, xs, h0, Wx, Wh, hs)
    ks = list(range(1, T))  # k = T is the full BPTT itself
    errors = [np.linalg.norm(truncated_dWh(k, dhs, xs, h0, Wx, Wh, hs) - full) / np.linalg.norm(full)
              for k in ks]
    plt.semilogy(ks, errors, label=f"rho = {rho}")
plt.title("Truncated BPTT: error of dWh against full BPTT")
plt.xlabel("truncation length k")
plt.ylabel("||dWh_k - dWh|| / ||dWh||")
plt.legend()
plt.show()

# %% [markdown]
# ## Summary
# * The chain rule multiplies local derivatives along the path: $\frac{dz}{dx} =
#   \frac{dz}{dt}\frac{dt}{dx}$.
# * BPTT is backpropagation on the network unrolled in time. Weight gradients are sums over
#   time; the error reaches step $t$ from its own output and from step $t+1$ through
#   $W_h^\top$ and the activation's derivative.
# * Output weights need no trip back in time; recurrent and input weights do.
# * Check a backward pass with centred-difference numerical gradients (relative error
#   around 1e-8 in float64 when it is right).
# * Repeated multiplication by the recurrent Jacobian makes gradients vanish or explode
#   over long sequences: the motivation for LSTM and GRU (next notebooks) and for gradient
#   clipping.
