# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 08 · Attention
#
# *Deep Learning, Day 3 — Section 7.* アテンション機構 = **attention mechanism**,
# 確認テスト = **confirmation test**, パディング = **padding**.
#
# ## Learning goals
# After this notebook you can
# 1. explain the bottleneck of a plain seq2seq model: one fixed-size vector for an input
#    of any length;
# 2. compute attention weights (a softmax over the encoder's time steps) and the context
#    vector they weight, for a whole batch;
# 3. derive and implement both backward passes, through the softmax Jacobian, and check
#    them against numerical gradients;
# 4. mask padded positions so that they get a weight of exactly 0;
# 5. say where the context vector enters the decoder.
#
# ## The bottleneck of seq2seq
# In notebook 06 the encoder read the whole input and handed the decoder **one** vector,
# its last hidden state $h_{T-1} \in \mathbb{R}^H$. Whether the input has 2 words or 100,
# everything the decoder will ever know about it must fit into those $H$ numbers: a
# fixed-size **bottleneck**. Long inputs suffer first, and the decoder cannot go back to
# check a detail of the input when it needs it.
#
# **Attention** keeps *all* encoder states $hs = (hs_0, \dots, hs_{T-1})$, a `(T, H)`
# matrix that grows with the input, and lets the decoder, at every output step, pick out
# the positions that are relevant for *that* step: it learns "which input word relates
# to which output word". Translating "I am a cat" into 「吾輩は猫である」, the step that
# emits 「猫」 should mostly look at "cat".
#
# ## Weights and context
# Let $h \in \mathbb{R}^H$ be the decoder's hidden state at one output step. Score every
# encoder state by its dot product with $h$ (a large dot product = similar direction =
# relevant), and turn the scores into weights with a softmax **over the time steps**:
#
# $$s_t = hs_t \cdot h, \qquad a_t = \frac{\exp(s_t)}{\sum_{k=0}^{T-1} \exp(s_k)},
# \qquad a_t \ge 0,\ \sum_t a_t = 1 .$$
#
# The **context vector** is the weighted average of the encoder states:
#
# $$c = \sum_{t=0}^{T-1} a_t\, hs_t \in \mathbb{R}^H .$$
#
# (The dot product is the simplest score; Bahdanau et al. score with a small network
# $v^\top \tanh(W_1 hs_t + W_2 h)$, Transformers with $hs_t \cdot h / \sqrt{H}$. Everything
# below stays the same, only $s_t$ changes.)
#
# **Where the context enters the decoder.** At output step $j$ the decoder's RNN/LSTM
# produces $h_j$ as in notebook 06. Attention computes $a_j$ and $c_j$ from $h_j$ and all of
# $hs$; then $c_j$ and $h_j$ are **concatenated** and go through the output affine layer:
#
# $$y_j = \mathrm{softmax}\big([\,c_j\,;\,h_j\,]\,W_o + b_o\big), \qquad
# W_o \in \mathbb{R}^{2H \times V} .$$
#
# The weights $a_{j,t}$ for every output step $j$ and input step $t$ form a `(T_out,
# T_in)` matrix: plotted as a heat map, it shows which input each output looked at.
#
# **Conventions (batches).** Encoder states `hs: (N, T, H)`, one decoder state per
# example `h: (N, H)`, scores and weights `a: (N, T)` (each row sums to 1), context
# `c: (N, H)`. The softmax runs along **axis 1** (time): each example and each output step
# gets its own distribution over its own input.

# %% nbgrader={"grade_id": "imports", "locked": true}
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

# %% [markdown]
# ## 1 · Attention weights (2 points) [auto]
#
# Compute the scores $s_{n,t} = hs_{n,t} \cdot h_n$ for the whole batch at once, then the
# softmax over $t$. Two things to get right:
#
# * `hs` is `(N, T, H)` and `h` is `(N, H)`: give `h` a time axis of length 1 (shape
#   `(N, 1, H)`) so that it broadcasts over the time steps of **its own** example;
# * subtract each row's maximum score before `np.exp`. It does not change the softmax
#   ($\exp(s_t - m) / \sum_k \exp(s_k - m)$ is the same fraction) but keeps `np.exp` from
#   overflowing: states with large norms give scores in the hundreds, and
#   `np.exp(800.0)` is `inf`.

# %% nbgrader={"grade_id": "attention_weights_code", "solution": true}
def attention_weights(hs, h):
    """hs: (N, T, H) encoder states, h: (N, H) decoder states.

    Returns a: (N, T), a[n] = softmax over t of the dot products hs[n, t] . h[n].
    """
    ### BEGIN SOLUTION
    scores = (hs * h[:, None, :]).sum(axis=2)
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade_id": "attention_weights", "grade": true, "locked": true}
hs = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
               [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
h = np.array([[np.log(2.0), 0.0],   # scores log 2, 0, log 2 -> exp: 2, 1, 2
              [0.0, np.log(3.0)]])  # scores 0, log 3, log 3 -> exp: 1, 3, 3
a = attention_weights(hs, h)
assert_shape(a, (2, 3), "a")
assert_close(a[0], np.array([2, 1, 2]) / 5, "the weights of example 0")
assert_close(a[1], np.array([1, 3, 3]) / 7, "the weights of example 1 (its own h)")
a_large = attention_weights(hs[:1] * 400, np.array([[2.0, 0.0]]))  # scores 800, 0, 800
assert_true(np.all(np.isfinite(a_large)), "large scores gave inf or nan: subtract each row's "
            "maximum score before np.exp")
assert_close(a_large[0], np.array([0.5, 0.0, 0.5]), "the weights for scores 800, 0, 800")
passed("attention_weights", attention_weights)

# %% [markdown]
# ## 2 · Backward through the attention weights (3 points) [auto]
#
# Given the upstream gradient $da = \partial L / \partial a$, shape `(N, T)`, return
# $dhs = \partial L/\partial hs$ and $dh = \partial L/\partial h$. Two steps, one example
# at a time (drop the index $n$).
#
# **Through the softmax.** Every weight depends on every score, through the shared
# denominator. The softmax Jacobian is
#
# $$\frac{\partial a_t}{\partial s_k} = a_t\,(\delta_{tk} - a_k), \qquad
# J = \mathrm{diag}(a) - a\,a^\top ,$$
#
# so the gradient of the scores is
#
# $$ds_k = \sum_t da_t\, a_t\,(\delta_{tk} - a_k)
#        = a_k\Big(da_k - \sum_{t} a_t\, da_t\Big).$$
#
# The second term is not optional: raising one score lowers every other weight. (Using only
# the diagonal $a_k(1 - a_k)\,da_k$, as for a sigmoid, is a common slip.)
#
# **Through the dot products.** $s_t = hs_t \cdot h$, so
#
# $$dhs_t = ds_t\, h, \qquad dh = \sum_t ds_t\, hs_t ,$$
#
# `h` takes part in all $T$ scores, so its gradient is summed over $t$. Write it for the
# batch with broadcasting (or `np.einsum`); the shapes of `dhs` and `dh` are those of `hs`
# and `h`. The test compares both with centred-difference gradients of **your**
# `attention_weights` (`numerical_gradient_array(f, x, dout)` differentiates
# `sum(f(x) * dout)`).

# %% nbgrader={"grade_id": "attention_weights_backward_code", "solution": true}
def attention_weights_backward(hs, h, a, da):
    """hs: (N, T, H), h: (N, H), a: (N, T) the weights computed from them, da: (N, T).

    Returns (dhs: (N, T, H), dh: (N, H)).
    """
    ### BEGIN SOLUTION
    ds = a * (da - (a * da).sum(axis=1, keepdims=True))
    dhs = ds[:, :, None] * h[:, None, :]
    dh = (ds[:, :, None] * hs).sum(axis=1)
    return dhs, dh
    ### END SOLUTION


# %% nbgrader={"grade_id": "attention_weights_backward", "grade": true, "locked": true}
uses("attention_weights", attention_weights, "attention_weights_backward")
rng = np.random.default_rng(0)
N, T, H = 2, 4, 3
hs, h = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
da = rng.standard_normal((N, T))
dhs, dh = attention_weights_backward(hs, h, attention_weights(hs, h), da)
dhs_numerical = numerical_gradient_array(lambda v: attention_weights(v, h), hs.copy(), da)
dh_numerical = numerical_gradient_array(lambda v: attention_weights(hs, v), h.copy(), da)
assert_gradient(dhs, dhs_numerical, "dhs")
assert_gradient(dh, dh_numerical, "dh")

# %% [markdown]
# ## 3 · The context vector (2 points) [auto]
#
# $c_n = \sum_t a_{n,t}\, hs_{n,t}$: weight each encoder state by its attention weight and
# sum over the **time** axis. Give `a` a feature axis of length 1 (shape `(N, T, 1)`) so
# that one weight scales a whole state vector. The weights already sum to 1, so this sum
# *is* the weighted average: do not divide by $T$.

# %% nbgrader={"grade_id": "context_vector_code", "solution": true}
def context_vector(hs, a):
    """hs: (N, T, H) encoder states, a: (N, T) attention weights. Returns c: (N, H)."""
    ### BEGIN SOLUTION
    return (a[:, :, None] * hs).sum(axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "context_vector", "grade": true, "locked": true}
hs = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
               [[2.0, 0.0], [0.0, 2.0], [4.0, 4.0]]])
a = np.array([[0.4, 0.2, 0.4],
              [0.0, 1.0, 0.0]])  # example 1 looks at its step 1 only
c = context_vector(hs, a)
assert_shape(c, (2, 2), "c")
assert_close(c[0], np.array([0.8, 0.6]), "the context of example 0")
assert_close(c[1], hs[1, 1], "a weight of 1 on one step copies that state")
passed("context_vector", context_vector)

# %% [markdown]
# ## 4 · Backward through the context vector (2 points) [auto]
#
# $c = \sum_t a_t\, hs_t$ is linear in each argument. For an upstream $dc$ of shape
# `(N, H)`, return the gradients with respect to both: `dhs` of the shape of `hs`,
# `(N, T, H)`, and `da` of the shape of `a`, `(N, T)` (one number per weight: think about
# which of the $H$ features of $dc$ each weight $a_t$ touches). (In the full model, this
# `da` is what you hand to `attention_weights_backward`, and the two `dhs` are added: the
# encoder states are used twice, for the scores and for the context.)

# %% nbgrader={"grade_id": "context_vector_backward_code", "solution": true}
def context_vector_backward(hs, a, dc):
    """hs: (N, T, H), a: (N, T), dc: (N, H). Returns (dhs: (N, T, H), da: (N, T))."""
    ### BEGIN SOLUTION
    dhs = a[:, :, None] * dc[:, None, :]
    da = (hs * dc[:, None, :]).sum(axis=2)
    return dhs, da
    ### END SOLUTION


# %% nbgrader={"grade_id": "context_vector_backward", "grade": true, "locked": true}
uses("context_vector", context_vector, "context_vector_backward")
rng = np.random.default_rng(1)
N, T, H = 3, 5, 2
hs, dc = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
a = rng.dirichlet(np.ones(T), size=N)  # rows of positive weights summing to 1
dhs, da = context_vector_backward(hs, a, dc)
assert_shape(da, (N, T), "da")
assert_gradient(dhs, numerical_gradient_array(lambda v: context_vector(v, a), hs.copy(), dc), "dhs")
assert_gradient(da, numerical_gradient_array(lambda v: context_vector(hs, v), a.copy(), dc), "da")

# %% [markdown]
# ## 5 · Masking padded positions (2 points) [auto]
#
# A batch holds inputs of different lengths, so the short ones are **padded** to a common
# $T$ with a filler token. The encoder still produces states at the padded steps, and
# nothing stops them from scoring high: attention must ignore them. `mask: (N, T)` is
# `True` for a real token and `False` for padding (every row has at least one real token).
#
# Mask the **scores**, before the softmax: a padded step gets the score $-\infty$, so
# $\exp(-\infty) = 0$ and the real steps share the whole weight,
#
# $$a_t = \frac{m_t \exp(s_t)}{\sum_k m_k \exp(s_k)} ,\qquad m_t \in \{0, 1\} .$$
#
# Careful with numpy:
# * setting padded scores to `0` does not remove them: $\exp(0 - \max) > 0$;
# * multiplying the weights by the mask *after* the softmax leaves rows that no longer sum
#   to 1 (dividing by the new row sum repairs it);
# * `-np.inf` is fine in `np.where` and in `np.exp`, but `0 * -np.inf` and
#   `-np.inf - (-np.inf)` are `nan` (with a `RuntimeWarning`): select, do not multiply.
#   A large negative number such as `-1e9` works as well.

# %% nbgrader={"grade_id": "masked_attention_weights_code", "solution": true}
def masked_attention_weights(hs, h, mask):
    """hs: (N, T, H), h: (N, H), mask: (N, T) bool, True for a real token.

    Returns a: (N, T), exactly 0 where mask is False, each row summing to 1.
    """
    ### BEGIN SOLUTION
    scores = (hs * h[:, None, :]).sum(axis=2)
    scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade_id": "masked_attention_weights", "grade": true, "locked": true}
hs = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
               [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
h = np.array([[np.log(2.0), 0.0], [np.log(2.0), 0.0]])  # scores log 2, 0, log 2
mask = np.array([[True, True, False],    # a sequence of 2 tokens, then padding
                 [True, True, True]])    # a full sequence
a = masked_attention_weights(hs, h, mask)
assert_shape(a, (2, 3), "a")
assert_true(np.all(a[~mask] == 0), f"padded positions should get weight exactly 0, got {a[~mask]}")
assert_close(a[0], np.array([2 / 3, 1 / 3, 0.0]), "the weights of the padded example")
assert_close(a[1], np.array([2, 1, 2]) / 5, "the weights of the full example")
hs_noisy = hs.copy()
hs_noisy[0, 2] = [100.0, 100.0]  # whatever the encoder put at a padded step
assert_close(masked_attention_weights(hs_noisy, h, mask), a,
             "weights with a large state at the padded step")

# %% [markdown]
# ## 6 · 確認テスト: seq2seq vs attention (1 + 1 + 2 points) [auto, manual]
#
# **6.1 [auto].** Which statement describes what attention changes compared with a plain
# seq2seq model? Set `seq2seq_vs_attention_choice` to `"a"`, `"b"`, `"c"` or `"d"`.
#
# * **a.** Attention runs the encoder in both directions, so that its last state also
#   knows the beginning of the input.
# * **b.** Plain seq2seq hands the decoder one fixed-size vector whatever the input
#   length; with attention the decoder reads all encoder states again at every output
#   step, weighted by how relevant each is to its current state.
# * **c.** Attention compresses the encoder states into a smaller fixed-size vector, so
#   that the decoder needs fewer parameters.
# * **d.** At every output step attention selects the single input word with the highest
#   score and copies it to the output.

# %% nbgrader={"grade_id": "seq2seq_vs_attention_choice_code", "solution": true}
# seq2seq_vs_attention_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
seq2seq_vs_attention_choice = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "seq2seq_vs_attention_choice", "grade": true, "locked": true}
assert_true(isinstance(seq2seq_vs_attention_choice, str)
            and seq2seq_vs_attention_choice.strip().strip("().").strip().lower()
            in {"a", "b", "c", "d"},
            'seq2seq_vs_attention_choice should be one of "a", "b", "c", "d"')
print("seq2seq_vs_attention_choice: well formed")

# %% [markdown]
# **6.2 [auto].** An encoder with hidden size $H = 256$ reads a sentence of $T = 100$
# words. How many numbers computed by the encoder can the decoder draw on, in plain
# seq2seq and with attention? Set `bottleneck_sizes` to a dict with keys `"seq2seq"` and
# `"attention"` and integer values.

# %% nbgrader={"grade_id": "bottleneck_sizes_code", "solution": true}
# bottleneck_sizes = {"seq2seq": ..., "attention": ...}
### BEGIN SOLUTION
bottleneck_sizes = {"seq2seq": 256, "attention": 256 * 100}
### END SOLUTION

# %% nbgrader={"grade_id": "bottleneck_sizes", "grade": true, "locked": true}
assert_true(isinstance(bottleneck_sizes, dict)
            and set(bottleneck_sizes) == {"seq2seq", "attention"},
            'bottleneck_sizes should be a dict with exactly the keys "seq2seq" and "attention"')
print("bottleneck_sizes: well formed")

# %% [markdown]
# **6.3 [manual].** In a few sentences: what is the difference between seq2seq and
# attention? Say what limits plain seq2seq, what attention computes at each decoder step,
# and what it learns.

# %% [markdown] nbgrader={"grade_id": "seq2seq_vs_attention_answer", "solution": true, "grade": true, "points": 2}
# <!-- BEGIN SOLUTION -->
# **Model answer.** Seq2seq is an encoder–decoder model: the encoder RNN turns the input
# sequence into one fixed-size vector (its last hidden state) and the decoder RNN
# generates the output sequence from that vector alone. Whatever the input length, the
# decoder sees the same $H$ numbers, so long inputs are squeezed through a bottleneck and
# details get lost. Attention is a mechanism added to the decoder: at every output step it
# scores all encoder states against the decoder's current state, turns the scores into
# weights with a softmax (they sum to 1), and adds the weighted average of the encoder
# states (the context vector) to the decoder's input to its output layer. It learns which
# input positions are relevant to which output position (an alignment, visible as a heat
# map), and the information available grows with the input.
#
# **Rubric (2 pts).** 1 pt: the seq2seq limitation (one fixed-size vector for any input
# length / only the last encoder state). 1 pt: what attention does (weights over all encoder
# states, recomputed at each output step, weighted sum used by the decoder; learns which
# input relates to which output). Half a point off for an answer that only restates
# "attention learns what is important" without saying over what it weights.
# <!-- END SOLUTION -->

# %% [markdown]
# ## 7 · Try it: soft and sharp attention
#
# A toy task with a known answer: reverse a sequence of 6 steps. The encoder states are 6
# random unit vectors; the decoder state at output step $j$ is the state of input step
# $5 - j$, times a **scale** $\beta$. Your `attention_weights` should put most weight on
# the anti-diagonal, and your `context_vector` should then return (almost) the reversed
# states. The scale controls how sharp the weights are: small scores give nearly uniform
# weights (a blurred context), large ones nearly one-hot weights. A trained model sets that
# scale through the size of its states; Transformers divide the scores by $\sqrt{H}$ to
# keep it in check. Where two random states happen to point in similar directions, some
# weight leaks between them (a few hundredths off the diagonal).

# %% tags=["practice"]
rng = np.random.default_rng(0)
T, H = 6, 16
states = rng.standard_normal((T, H))
states /= np.linalg.norm(states, axis=1, keepdims=True)   # unit vectors: s_t = beta * cos
# one "example" per output step: hs_toy is (T_out, T_in, H), the same states in every row
hs_toy = np.repeat(states[None], T, axis=0)
queries = states[::-1]  # output step j looks for input step T-1-j


def reverse_weights(scale):
    return attention_weights(hs_toy, scale * queries)      # (T_out, T_in)


a_toy = reverse_weights(8.0)
fig, (ax_map, ax_scale) = plt.subplots(1, 2, figsize=(12, 4.5))
ax_map.imshow(a_toy, cmap="Blues", vmin=0, vmax=1)
for j in range(T):
    for t in range(T):
        ax_map.text(t, j, f"{a_toy[j, t]:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if a_toy[j, t] > 0.5 else "black")
ax_map.set_title("Attention weights for reversing 6 steps (scale 8)")
ax_map.set_xlabel("input (encoder) step t")
ax_map.set_ylabel("output (decoder) step j")
for scale in [0.5, 2.0, 8.0, 32.0]:
    ax_scale.plot(range(T), reverse_weights(scale)[0], marker="o", label=f"scale {scale:g}")
ax_scale.set_title("Output step 0: weights over the input steps")
ax_scale.set_xlabel("input (encoder) step t")
ax_scale.set_ylabel("attention weight $a_t$")
ax_scale.legend()
plt.tight_layout()
plt.show()

for scale in [0.5, 2.0, 8.0, 32.0]:
    contexts = context_vector(hs_toy, reverse_weights(scale))
    error = np.linalg.norm(contexts - queries, axis=1).mean()
    print(f"scale {scale:>4g}: largest weight {reverse_weights(scale).max(axis=1).mean():.2f} "
          f"on average, distance of the context from the wanted state {error:.3f}")

# %% [markdown]
# ## 8 · Try it: your attention converts dates
#
# The task: read a date written in one of many formats and write it in ISO form,
# `september 27, 1994` → `1994-09-27`. The inputs mix month names and abbreviations,
# weekdays, numbers (`27/09/1994`, `27/9/1994`, `27.09.1994`, `1994/09/27`: always day
# before month, so no input is ambiguous) and lower, Title and UPPER case; they are
# padded with spaces to 29 characters. An answer counts only when all 10
# characters are right, on 2,000 held-out dates that never occur (in any format) in the
# 24,000 training questions.
#
# Three models were trained with the same settings (embeddings of size 16, LSTM hidden
# size 64, Adam with learning rate 0.01 times 0.8 per epoch, batches of 128, gradients
# clipped to a global norm of 5, 8 epochs):
#
# * **seq2seq**: the decoder only gets the encoder's final state: the whole date has to
#   pass through one 64-number vector. It reads the question reversed, the trick of
#   notebook 06 (otherwise the date must also survive up to 20 steps of padding);
# * **reversed + peeky**: the best model of notebook 06: the final state is also fed to
#   every decoder step and to the output layer;
# * **attention**: at every output step the decoder state $h$ scores every encoder state,
#   $a = \mathrm{softmax}(hs \cdot h)$, reads the context $c = \sum_t a_t\, hs_t$, and the
#   output layer sees $[c\,;\,h]$.
#
# The fully trained weights ship with the course (`rnnlib/weights/`); they were made by
# `python scripts/train_seq2seq_weights.py` (seeded: a re-run writes the same files again;
# about four minutes on one core for the six models of notebooks 06 and 08). The attention
# model below does **not** contain an attention implementation: it runs *your*
# `attention_weights` and `context_vector` from the sections above, at every decoder step
# (training used the hidden reference, and also called the two backward passes). At the
# end of this section you train one yourself, with all four of your functions.

# %% tags=["practice"]
from rnnlib import pretrained
from rnnlib.attention_seq2seq import AttentionFunctions
from rnnlib.embedding_lookup import embedding_forward
from rnnlib.plotting import plot_curves

yours = AttentionFunctions(weights=attention_weights, weights_backward=attention_weights_backward,
                           context=context_vector, context_backward=context_vector_backward)
dates_attention = pretrained.load("dates_attention", embed=embedding_forward, attention=yours)
dates_plain = pretrained.load("dates_seq2seq", embed=embedding_forward)
dates_peeky = pretrained.load("dates_reversed_peeky", embed=embedding_forward)
questions, answers = dates_attention.held_out(1000)  # the first 1,000 of the 2,000
epochs = range(1, len(dates_plain.history["accuracy"]) + 1)
plot_curves({"seq2seq": dates_plain.history["accuracy"],
             "reversed + peeky": dates_peeky.history["accuracy"],
             "attention": dates_attention.history["accuracy"]},
            "Dates: held-out exact match during training", "epoch",
            "held-out exact match (all 10 characters)", x=epochs)
plt.show()
print(f"{'held-out exact match':<26} {'after training':>14} {'now':>6}")
print(f"{'':<26} {'(2,000 dates)':>14} {'(1,000)':>7}")
for label, run in [("seq2seq", dates_plain), ("reversed + peeky", dates_peeky),
                   ("attention, your functions", dates_attention)]:
    print(f"{label:<26} {run.history['accuracy'][-1]:>14.3f} "
          f"{run.exact_match(questions, answers):>7.3f}")

# %% [markdown]
# In 8 epochs the plain seq2seq learns the shape of the answer and some digits, but never
# all 10 characters of a held-out date; the peeky one, which consults the encoder's final
# state at every step, climbs slowly to 0.95; attention, which looks back at the
# question's characters themselves, is above 0.99 from epoch 3. The examples below
# show the difference (the plain model's dates are plausible but wrong).

# %% tags=["practice"]
examples = ["september 27, 1994", "Tue, 27 Sep 1994", "27/09/1994", "1994 SEPTEMBER 27",
            "wednesday, july 4, 2001", "03.11.1956", "feb. 29, 2024"]
rows = zip(examples, dates_attention.answer(examples), dates_peeky.answer(examples),
           dates_plain.answer(examples))
print(f"{'question':<26} {'attention':<11} {'peeky':<11} seq2seq")
for question, *outputs in rows:
    print(f"{question:<26} " + " ".join(f"{o:<11}" for o in outputs))

# %% [markdown]
# Where does each output character look? Row $l$ of the heat map is the attention
# weights $a$ of output step $l$ over the input characters (padding left out). The year
# digits should look at the year, the month digits at the month name or number, the day
# digits at the day.

# %% tags=["practice"]
def attention_map(run, question, ax):
    """Draw where each output character of ``run``'s answer to ``question`` looked."""
    ids, weights = run.model.generate_with_attention(
        run.encode_questions([question]), run.start_id, run.config["answer_length"])
    answer = run.vocab.decode(ids[0])
    shown = len(question.rstrip())
    image = ax.imshow(weights[0, :, :shown], cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(shown), list(question[:shown]))
    ax.set_yticks(range(len(answer)), list(answer))
    ax.set_title(f"{question.strip()!r} → {answer}")
    ax.set_xlabel("input character")
    ax.set_ylabel("output character")
    return image


fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1, 1.2]})
attention_map(dates_attention, "27/09/1994", axes[0])
image = attention_map(dates_attention, "Tuesday, September 27, 1994", axes[1])
fig.colorbar(image, ax=axes, label="attention weight")
fig.suptitle("Attention weights of the date model (your functions)")
plt.show()


# %% [markdown]
# ### Train your own
#
# Now train an attention model yourself, from scratch, here: the shipped model's data and
# settings, and **your** four functions, the two forward passes and the two backward
# passes, at every decoder step of every minibatch. Training stops after the first epoch
# in which 95 % of the held-out dates come out right (or, on a very busy machine, after the
# first epoch that ends past a minute). The bar shows the training loss (the mean of the
# last minibatches) and the held-out exact match after the last epoch. On the course's
# 2-core machine it took 23 s in the training benchmark and 39 s in this notebook while
# other jobs kept both cores busy: the course's seq2seq trains in float32 (README,
# "Training speed"), and your functions get float32 arrays too. `threads=1` trains with
# one BLAS thread: for matrices this small, several times faster than two when other jobs
# share the cores.

# %% tags=["practice"]
from rnnlib.attention_seq2seq import AttentionSeq2seq
from rnnlib.seq2seq_training import train_seq2seq

config = dates_attention.config  # the shipped model's data, sizes and training settings
(train_q, train_a), (test_q, test_a) = pretrained.make_dataset(config)
vocab = dates_attention.vocab
your_model = AttentionSeq2seq(len(vocab), config["embed_size"], config["hidden_size"], yours,
                              embed=embedding_forward, seed=0)
history = train_seq2seq(your_model, (vocab.encode(train_q), vocab.encode(train_a)),
                        (vocab.encode(test_q), vocab.encode(test_a)), start_id=vocab.id_of("_"),
                        epochs=config["epochs"], batch_size=config["batch_size"],
                        lr=config["lr"], lr_decay=config["lr_decay"], name="your attention",
                        stop_at=0.95, max_seconds=60, threads=1)
your_run = pretrained.PretrainedSeq2seq("yours", your_model, vocab, config, history)
print(f"yours:   {history['accuracy'][-1]:.3f} held-out exact match after "
      f"{len(history['accuracy'])} epochs, {history['seconds']:.0f} s")
print(f"shipped: {dates_attention.history['accuracy'][-1]:.3f} after "
      f"{len(dates_attention.history['accuracy'])} epochs")

fig, axes = plt.subplots(1, 3, figsize=(16, 4.5), gridspec_kw={"width_ratios": [1, 1, 1.2]})
plot_curves({"yours, trained just now": history["accuracy"],
             "shipped, fully trained": dates_attention.history["accuracy"]},
            "Held-out exact match after each epoch", "epoch", "held-out exact match",
            x=epochs, ax=axes[0])
attention_map(your_run, "Tuesday, September 27, 1994", axes[1])
axes[1].set_title("yours: " + axes[1].get_title())
image = attention_map(dates_attention, "Tuesday, September 27, 1994", axes[2])
axes[2].set_title("shipped: " + axes[2].get_title())
fig.colorbar(image, ax=axes[1:], label="attention weight")
plt.show()


# %% [markdown]
# ## Summary
# * Plain seq2seq squeezes an input of any length into one fixed-size vector; attention
#   keeps all encoder states `hs: (N, T, H)` and lets every decoder step read them again.
# * Weights: dot-product scores $s_t = hs_t \cdot h$, a softmax **over time** (axis 1,
#   after subtracting the row maximum): $a_t \ge 0$, $\sum_t a_t = 1$. Context:
#   $c = \sum_t a_t\, hs_t$, shape `(N, H)`. The decoder concatenates $[c_j; h_j]$ before
#   its output affine layer.
# * Backward: the softmax Jacobian gives $ds = a \odot (da - \sum_t a_t da_t)$; then
#   $dhs_t = ds_t\, h$, $dh = \sum_t ds_t\, hs_t$; through the context,
#   $dhs_t = a_t\, dc$ and $da_t = hs_t \cdot dc$. Numerical gradients confirm them.
# * Padding is masked on the **scores** ($-\infty$ before the softmax), so padded steps get
#   exactly 0 and the real ones still sum to 1.
# * The weights form an alignment between output and input steps; a heat map shows it.
