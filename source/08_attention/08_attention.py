# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
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
# its last hidden state $h_{T-1} \in \mathbb{R}^H$, the thought vector. (This notebook
# numbers the time steps from 0, so the last of $T$ steps is $h_{T-1}$; notebook 06
# numbers them from 1 and writes the same vector $h_T$.) Whether the input has 2 words or
# 100, everything the decoder will ever know about it must fit into those $H$ numbers: a
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
# (The dot product is the simplest score. Bahdanau et al. score with a small network
# $v^\top \tanh(W_1 hs_t + W_2 h)$; Transformers divide the dot product of a query and a
# key by the square root of the **key dimension** $d_k$, $q \cdot k_t / \sqrt{d_k}$. Here
# the keys are the encoder states and the query is $h$, all of size $H$, so $d_k = H$ and
# that score would be $hs_t \cdot h / \sqrt{H}$. Everything below stays the same, only
# $s_t$ changes.)
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

# %% [markdown] lang="ja"
# # 08 · 注意機構 (Attention)
#
# *深層学習 Day3 — Section 7: Attention Mechanism。* 確認テストの番号は学習ノートに
# 合わせています。
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. 素の seq2seq の弱点（ボトルネック）を説明できる。入力がどれほど長くても、固定長の
#    ベクトル1本にまとめてしまうことです。
# 2. 注意の重み (attention weights)（エンコーダの時刻方向のソフトマックス）と、それで
#    重み付けした文脈ベクトル (context vector) を、バッチ全体について計算できる。
# 3. ソフトマックスのヤコビアンを通る2つの逆伝播を導出・実装し、数値勾配で確かめられる。
# 4. パディング (padding) した位置をマスク (mask) して、その重みをちょうど 0 にできる。
# 5. 文脈ベクトルがデコーダのどこに入るかを説明できる。
#
# ## seq2seq のボトルネック
# ノートブック 06 では、エンコーダ (encoder) が入力全体を読み、最後の隠れ状態
# (hidden state) $h_{T-1} \in \mathbb{R}^H$ という**1本の**ベクトルだけをデコーダ
# (decoder) に渡しました。これが思考ベクトル (thought vector) です。（このノートブック
# では時刻を 0 から数えるので、$T$ ステップの最後は $h_{T-1}$ です。ノートブック 06 は
# 時刻を 1 から数えるので、同じベクトルを $h_T$ と書いています。）入力が2単語でも
# 100単語でも、デコーダが入力について知りうることは、すべてこの $H$ 個の数に収まらなければ
# なりません。これが固定長の**ボトルネック** (bottleneck) です。長い入力ほど苦しくなり、
# デコーダは必要なときに入力の細部を確かめに戻ることもできません。
#
# **注意機構 (attention mechanism)** は、エンコーダの状態を*すべて*
# $hs = (hs_0, \dots, hs_{T-1})$ として取っておきます。これは入力とともに大きくなる
# `(T, H)` の行列です。デコーダは出力の各ステップで、*そのステップに*関係する位置を
# 選び出して読みます。つまり注意機構は「入力と出力のどの単語が関連しているのか」を
# 学習します。"I am a cat" を「吾輩は猫である」と訳すなら、「猫」を出力するステップは
# 主に "cat" を見るはずです。
#
# ## 重みと文脈ベクトル
# $h \in \mathbb{R}^H$ を、ある出力ステップでのデコーダの隠れ状態とします。エンコーダの
# 各状態に $h$ との内積でスコア (score) を付け（内積が大きい = 向きが近い = 関連が強い）、
# スコアを**時刻方向の**ソフトマックスで重みに変えます。
#
# $$s_t = hs_t \cdot h, \qquad a_t = \frac{\exp(s_t)}{\sum_{k=0}^{T-1} \exp(s_k)},
# \qquad a_t \ge 0,\ \sum_t a_t = 1 .$$
#
# **文脈ベクトル**は、エンコーダの状態の重み付き和 (weighted sum) です。重みの和が 1 なので、
# 重み付き平均でもあります。
#
# $$c = \sum_{t=0}^{T-1} a_t\, hs_t \in \mathbb{R}^H .$$
#
# （内積は最も簡単なスコアです。Bahdanau らは小さなネットワーク
# $v^\top \tanh(W_1 hs_t + W_2 h)$ でスコアを計算します。Transformer はクエリとキーの内積を
# **キーの次元** $d_k$ の平方根で割ります: $q \cdot k_t / \sqrt{d_k}$。このノートブックでは
# キーがエンコーダの状態、クエリが $h$ で、どれもサイズ $H$ なので $d_k = H$ となり、この
# スコアは $hs_t \cdot h / \sqrt{H}$ になります。以下の内容はスコア $s_t$ の式が変わる
# だけで、ほかは同じです。）
#
# **文脈ベクトルがデコーダに入る場所。** 出力ステップ $j$ で、デコーダの RNN/LSTM は
# ノートブック 06 と同じように $h_j$ を出力します。注意機構は $h_j$ と $hs$ 全体から
# $a_j$ と $c_j$ を計算し、$c_j$ と $h_j$ を**連結** (concatenation) して出力側の
# アフィン層に通します。
#
# $$y_j = \mathrm{softmax}\big([\,c_j\,;\,h_j\,]\,W_o + b_o\big), \qquad
# W_o \in \mathbb{R}^{2H \times V} .$$
#
# 出力ステップ $j$ と入力ステップ $t$ のすべての組の重み $a_{j,t}$ は、`(T_out, T_in)`
# の行列になります。ヒートマップに描くと、各出力がどの入力を見ていたかがわかります。
#
# **記法（バッチ）。** エンコーダの状態は `hs: (N, T, H)`、デコーダの状態は1例に1つで
# `h: (N, H)`、スコアと重みは `a: (N, T)`（各行の和は 1）、文脈ベクトルは `c: (N, H)` です。
# ソフトマックスは **axis 1**（時刻）に沿ってとります。例ごと、出力ステップごとに、
# その例自身の入力の上の分布が1つずつできます。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.language import set_language
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

set_language("en")

# %% nbgrader={"grade_id": "imports", "locked": true} lang="ja"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.language import set_language
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

set_language("ja")

# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ## 1 · 注意の重み (2点) [自動採点]
#
# スコア $s_{n,t} = hs_{n,t} \cdot h_n$ をバッチ全体についてまとめて計算し、続けて $t$ に
# ついてのソフトマックスをとります。押さえるべき点は2つです。
#
# * `hs` は `(N, T, H)`、`h` は `(N, H)` です。`h` に長さ 1 の時刻軸を加えて
#   `(N, 1, H)` にすると、**同じ例の**時刻ステップ全体にブロードキャストされます。
# * `np.exp` の前に、各行のスコアからその行の最大値を引きます。ソフトマックスの値は
#   変わりません（$\exp(s_t - m) / \sum_k \exp(s_k - m)$ は同じ分数です）が、`np.exp` の
#   オーバーフローを防げます。ノルムの大きな状態ではスコアが数百になり、`np.exp(800.0)` は
#   `inf` です。

# %% nbgrader={"grade_id": "attention_weights_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "attention_weights_code", "solution": true} lang="ja"
def attention_weights(hs, h):
    """hs: (N, T, H) エンコーダの状態、h: (N, H) デコーダの状態。

    戻り値 a: (N, T)。a[n] は内積 hs[n, t] . h[n] の、t についてのソフトマックス。
    """
    ### BEGIN SOLUTION
    scores = (hs * h[:, None, :]).sum(axis=2)
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade_id": "attention_weights", "grade": true, "locked": true} lang="en"
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

# %% nbgrader={"grade_id": "attention_weights", "grade": true, "locked": true} lang="ja"
hs = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
               [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
h = np.array([[np.log(2.0), 0.0],   # スコア log 2, 0, log 2 -> exp: 2, 1, 2
              [0.0, np.log(3.0)]])  # スコア 0, log 3, log 3 -> exp: 1, 3, 3
a = attention_weights(hs, h)
assert_shape(a, (2, 3), "a")
assert_close(a[0], np.array([2, 1, 2]) / 5, "例 0 の重み")
assert_close(a[1], np.array([1, 3, 3]) / 7, "例 1 の重み（その例自身の h を使う）")
a_large = attention_weights(hs[:1] * 400, np.array([[2.0, 0.0]]))  # スコア 800, 0, 800
assert_true(np.all(np.isfinite(a_large)), "スコアが大きいと inf か nan になりました。"
            "np.exp の前に、各行のスコアからその行の最大値を引いてください")
assert_close(a_large[0], np.array([0.5, 0.0, 0.5]), "スコア 800, 0, 800 に対する重み")
passed("attention_weights", attention_weights)

# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ## 2 · 注意の重みを通る逆伝播 (3点) [自動採点]
#
# 上流からの勾配 $da = \partial L / \partial a$（形 `(N, T)`）を受け取り、
# $dhs = \partial L/\partial hs$ と $dh = \partial L/\partial h$ を返します。1例ずつ
# （添字 $n$ を省いて）、2段階で考えましょう。
#
# **ソフトマックスを通る。** 分母が共通なので、どの重みもすべてのスコアに依存します。
# ソフトマックスのヤコビアンは
#
# $$\frac{\partial a_t}{\partial s_k} = a_t\,(\delta_{tk} - a_k), \qquad
# J = \mathrm{diag}(a) - a\,a^\top$$
#
# なので、スコアの勾配は次のとおりです。
#
# $$ds_k = \sum_t da_t\, a_t\,(\delta_{tk} - a_k)
#        = a_k\Big(da_k - \sum_{t} a_t\, da_t\Big).$$
#
# 2つめの項は省けません。あるスコアを上げると、ほかのすべての重みが下がるからです。
# （シグモイドと同じように対角成分 $a_k(1 - a_k)\,da_k$ だけを使うのは、よくある誤りです。）
#
# **内積を通る。** $s_t = hs_t \cdot h$ なので
#
# $$dhs_t = ds_t\, h, \qquad dh = \sum_t ds_t\, hs_t$$
#
# です。`h` は $T$ 個のスコアすべてに関わるので、その勾配は $t$ について足し合わせます。
# ブロードキャスト（または `np.einsum`）を使ってバッチ全体について書きましょう。`dhs` と
# `dh` の形は `hs` と `h` の形と同じです。テストは両方を、**あなたの** `attention_weights`
# の中心差分による数値勾配と比べます（`numerical_gradient_array(f, x, dout)` は
# `sum(f(x) * dout)` を微分します）。

# %% nbgrader={"grade_id": "attention_weights_backward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "attention_weights_backward_code", "solution": true} lang="ja"
def attention_weights_backward(hs, h, a, da):
    """hs: (N, T, H)、h: (N, H)、a: (N, T) はそれらから計算した重み、da: (N, T)。

    戻り値 (dhs: (N, T, H), dh: (N, H))。
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

# %% [markdown] lang="en"
# ## 3 · The context vector (2 points) [auto]
#
# $c_n = \sum_t a_{n,t}\, hs_{n,t}$: weight each encoder state by its attention weight and
# sum over the **time** axis. Give `a` a feature axis of length 1 (shape `(N, T, 1)`) so
# that one weight scales a whole state vector. The weights already sum to 1, so this sum
# *is* the weighted average: do not divide by $T$.

# %% [markdown] lang="ja"
# ## 3 · 文脈ベクトル (2点) [自動採点]
#
# $c_n = \sum_t a_{n,t}\, hs_{n,t}$: エンコーダの各状態にその注意の重みを掛け、**時刻**軸に
# ついて足し合わせます。`a` に長さ 1 の特徴量軸を加えて `(N, T, 1)` にすると、1つの重みが
# 状態ベクトル全体に掛かります。重みの和はすでに 1 なので、この和が*そのまま*重み付き平均
# です。$T$ で割ってはいけません。

# %% nbgrader={"grade_id": "context_vector_code", "solution": true} lang="en"
def context_vector(hs, a):
    """hs: (N, T, H) encoder states, a: (N, T) attention weights. Returns c: (N, H)."""
    ### BEGIN SOLUTION
    return (a[:, :, None] * hs).sum(axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "context_vector_code", "solution": true} lang="ja"
def context_vector(hs, a):
    """hs: (N, T, H) エンコーダの状態、a: (N, T) 注意の重み。戻り値 c: (N, H)。"""
    ### BEGIN SOLUTION
    return (a[:, :, None] * hs).sum(axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "context_vector", "grade": true, "locked": true} lang="en"
hs = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
               [[2.0, 0.0], [0.0, 2.0], [4.0, 4.0]]])
a = np.array([[0.4, 0.2, 0.4],
              [0.0, 1.0, 0.0]])  # example 1 looks at its step 1 only
c = context_vector(hs, a)
assert_shape(c, (2, 2), "c")
assert_close(c[0], np.array([0.8, 0.6]), "the context of example 0")
assert_close(c[1], hs[1, 1], "a weight of 1 on one step copies that state")
passed("context_vector", context_vector)

# %% nbgrader={"grade_id": "context_vector", "grade": true, "locked": true} lang="ja"
hs = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
               [[2.0, 0.0], [0.0, 2.0], [4.0, 4.0]]])
a = np.array([[0.4, 0.2, 0.4],
              [0.0, 1.0, 0.0]])  # 例 1 は自分のステップ 1 だけを見る
c = context_vector(hs, a)
assert_shape(c, (2, 2), "c")
assert_close(c[0], np.array([0.8, 0.6]), "例 0 の文脈ベクトル")
assert_close(c[1], hs[1, 1], "1つのステップに重み 1 を置くと、その状態がそのまま出てくる")
passed("context_vector", context_vector)

# %% [markdown] lang="en"
# The forward pass of sections 1 and 3 in one picture: the decoder state $h$ scores every
# encoder state, the softmax turns the scores into weights that sum to 1, and the weighted
# sum of the encoder states is the context vector handed to the decoder.
#
# ![Attention over the encoder states: dot-product scores, softmax weights and the context vector](attachment:attention_encoder_states.png)

# %% [markdown] lang="ja"
# 1節と3節で書いた順伝播を1枚の図にまとめます。デコーダの状態 $h$ がエンコーダの各状態に
# スコアを付け、ソフトマックスがスコアを和が 1 の重みに変え、エンコーダの状態の重み付き和が
# 文脈ベクトルとしてデコーダに渡されます。
#
# ![エンコーダの状態に対する注意: 内積のスコア、ソフトマックスの重み、文脈ベクトル](attachment:attention_encoder_states.png)

# %% [markdown] lang="en"
# ## 4 · Backward through the context vector (2 points) [auto]
#
# $c = \sum_t a_t\, hs_t$ is linear in each argument. For an upstream $dc$ of shape
# `(N, H)`, return the gradients with respect to both: `dhs` of the shape of `hs`,
# `(N, T, H)`, and `da` of the shape of `a`, `(N, T)` (one number per weight: think about
# which of the $H$ features of $dc$ each weight $a_t$ touches). (In the full model, this
# `da` is what you hand to `attention_weights_backward`, and the two `dhs` are added: the
# encoder states are used twice, for the scores and for the context.)

# %% [markdown] lang="ja"
# ## 4 · 文脈ベクトルを通る逆伝播 (2点) [自動採点]
#
# $c = \sum_t a_t\, hs_t$ はどちらの引数についても線形です。上流からの勾配 $dc$（形
# `(N, H)`）を受け取り、両方の引数についての勾配を返します。`dhs` は `hs` と同じ形
# `(N, T, H)`、`da` は `a` と同じ形 `(N, T)` です（重み1つにつき数が1つ。各重み $a_t$ が
# $dc$ の $H$ 個の特徴量のどれに関わるかを考えましょう）。（モデル全体では、この `da` を
# `attention_weights_backward` に渡し、2つの `dhs` を足し合わせます。エンコーダの状態は
# スコアと文脈ベクトルの2か所で使われるからです。）

# %% nbgrader={"grade_id": "context_vector_backward_code", "solution": true} lang="en"
def context_vector_backward(hs, a, dc):
    """hs: (N, T, H), a: (N, T), dc: (N, H). Returns (dhs: (N, T, H), da: (N, T))."""
    ### BEGIN SOLUTION
    dhs = a[:, :, None] * dc[:, None, :]
    da = (hs * dc[:, None, :]).sum(axis=2)
    return dhs, da
    ### END SOLUTION


# %% nbgrader={"grade_id": "context_vector_backward_code", "solution": true} lang="ja"
def context_vector_backward(hs, a, dc):
    """hs: (N, T, H)、a: (N, T)、dc: (N, H)。戻り値 (dhs: (N, T, H), da: (N, T))。"""
    ### BEGIN SOLUTION
    dhs = a[:, :, None] * dc[:, None, :]
    da = (hs * dc[:, None, :]).sum(axis=2)
    return dhs, da
    ### END SOLUTION


# %% nbgrader={"grade_id": "context_vector_backward", "grade": true, "locked": true} lang="en"
uses("context_vector", context_vector, "context_vector_backward")
rng = np.random.default_rng(1)
N, T, H = 3, 5, 2
hs, dc = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
a = rng.dirichlet(np.ones(T), size=N)  # rows of positive weights summing to 1
dhs, da = context_vector_backward(hs, a, dc)
assert_shape(da, (N, T), "da")
assert_gradient(dhs, numerical_gradient_array(lambda v: context_vector(v, a), hs.copy(), dc), "dhs")
assert_gradient(da, numerical_gradient_array(lambda v: context_vector(hs, v), a.copy(), dc), "da")

# %% nbgrader={"grade_id": "context_vector_backward", "grade": true, "locked": true} lang="ja"
uses("context_vector", context_vector, "context_vector_backward")
rng = np.random.default_rng(1)
N, T, H = 3, 5, 2
hs, dc = rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
a = rng.dirichlet(np.ones(T), size=N)  # 各行は和が 1 の正の重み
dhs, da = context_vector_backward(hs, a, dc)
assert_shape(da, (N, T), "da")
assert_gradient(dhs, numerical_gradient_array(lambda v: context_vector(v, a), hs.copy(), dc), "dhs")
assert_gradient(da, numerical_gradient_array(lambda v: context_vector(hs, v), a.copy(), dc), "da")

# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ## 5 · パディングした位置のマスク (2点) [自動採点]
#
# バッチには長さの違う入力が入るので、短い入力は詰め物のトークンで共通の長さ $T$ まで
# **パディング**します。エンコーダはパディングのステップでも状態を出力し、そのスコアが
# 高くなることもありえます。注意機構はそれらを無視しなければなりません。`mask: (N, T)` は
# 本物のトークンで `True`、パディングで `False` です（どの行にも本物のトークンが少なくとも
# 1つあります）。
#
# ソフトマックスの前に**スコア**をマスクします。パディングのステップのスコアを $-\infty$ に
# すると $\exp(-\infty) = 0$ となり、本物のステップが重み全体を分け合います。
#
# $$a_t = \frac{m_t \exp(s_t)}{\sum_k m_k \exp(s_k)} ,\qquad m_t \in \{0, 1\} .$$
#
# numpy での注意点:
# * パディングのスコアを `0` にしても消えません。$\exp(0 - \max) > 0$ だからです。
# * ソフトマックスの*後で*重みにマスクを掛けると、行の和が 1 でなくなります（新しい行の和で
#   割れば直ります）。
# * `-np.inf` は `np.where` でも `np.exp` でも問題ありませんが、`0 * -np.inf` や
#   `-np.inf - (-np.inf)` は `nan` になります（`RuntimeWarning` も出ます）。掛け算ではなく、
#   選択を使いましょう。`-1e9` のような大きな負の数でも構いません。

# %% nbgrader={"grade_id": "masked_attention_weights_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "masked_attention_weights_code", "solution": true} lang="ja"
def masked_attention_weights(hs, h, mask):
    """hs: (N, T, H)、h: (N, H)、mask: (N, T) の bool（本物のトークンで True）。

    戻り値 a: (N, T)。mask が False の位置はちょうど 0、各行の和は 1。
    """
    ### BEGIN SOLUTION
    scores = (hs * h[:, None, :]).sum(axis=2)
    scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION


# %% nbgrader={"grade_id": "masked_attention_weights", "grade": true, "locked": true} lang="en"
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

# %% nbgrader={"grade_id": "masked_attention_weights", "grade": true, "locked": true} lang="ja"
hs = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
               [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
h = np.array([[np.log(2.0), 0.0], [np.log(2.0), 0.0]])  # スコア log 2, 0, log 2
mask = np.array([[True, True, False],    # 2 トークンの系列のあとにパディング
                 [True, True, True]])    # パディングのない系列
a = masked_attention_weights(hs, h, mask)
assert_shape(a, (2, 3), "a")
assert_true(np.all(a[~mask] == 0), f"パディングの位置の重みはちょうど 0 のはずですが、{a[~mask]} でした")
assert_close(a[0], np.array([2 / 3, 1 / 3, 0.0]), "パディングのある例の重み")
assert_close(a[1], np.array([2, 1, 2]) / 5, "パディングのない例の重み")
hs_noisy = hs.copy()
hs_noisy[0, 2] = [100.0, 100.0]  # パディングのステップにエンコーダが何を置いていても
assert_close(masked_attention_weights(hs_noisy, h, mask), a,
             "パディングのステップに大きな状態があるときの重み")

# %% [markdown] lang="en"
# ## 6 · Confirmation test 12 (確認テスト12): seq2seq vs attention (1 + 1 + 2 points) [auto, manual]
#
# > 【問題】RNNとword2vec、seq2seqとAttentionの違いを簡潔に述べよ。
#
# *Briefly state the difference between RNN and word2vec, and between seq2seq and
# Attention.* Notebook 07 asked the first half (RNN vs word2vec); this section asks the
# second half, in three parts.
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

# %% [markdown] lang="ja"
# ## 6 · 確認テスト12: seq2seq と Attention の違い (1 + 1 + 2点) [自動採点・手動採点]
#
# > 【問題】RNNとword2vec、seq2seqとAttentionの違いを簡潔に述べよ。
#
# 前半（RNN と word2vec）はノートブック 07 で扱いました。この節では後半を、3つの問いに
# 分けて尋ねます。
#
# **6.1 [自動採点]。** 素の seq2seq と比べて、注意機構は何を変えるでしょうか。正しい説明を
# 選び、`seq2seq_vs_attention_choice` に `"a"`、`"b"`、`"c"`、`"d"` のいずれかを
# 入れてください。
#
# * **a.** 注意機構はエンコーダを両方向に走らせる。そのため、エンコーダの最後の状態が入力の
#   先頭のことも知っている。
# * **b.** 素の seq2seq は、入力の長さによらず固定長のベクトル1本をデコーダに渡す。注意機構を
#   使うと、デコーダは出力の各ステップで、エンコーダのすべての状態を、自分の現在の状態との
#   関連の強さで重み付けして読み直す。
# * **c.** 注意機構はエンコーダの状態を、より小さな固定長のベクトルに圧縮する。そのため
#   デコーダのパラメータが少なくて済む。
# * **d.** 注意機構は出力の各ステップで、スコアが最も高い入力単語を1つだけ選び、それを出力に
#   コピーする。

# %% nbgrader={"grade_id": "seq2seq_vs_attention_choice_code", "solution": true} lang="en"
# seq2seq_vs_attention_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
seq2seq_vs_attention_choice = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "seq2seq_vs_attention_choice_code", "solution": true} lang="ja"
# seq2seq_vs_attention_choice = "a"、"b"、"c"、"d" のいずれか
### BEGIN SOLUTION
seq2seq_vs_attention_choice = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "seq2seq_vs_attention_choice", "grade": true, "locked": true} lang="en"
assert_true(isinstance(seq2seq_vs_attention_choice, str)
            and seq2seq_vs_attention_choice.strip().strip("().").strip().lower()
            in {"a", "b", "c", "d"},
            'seq2seq_vs_attention_choice should be one of "a", "b", "c", "d"')
print("seq2seq_vs_attention_choice: well formed")

# %% nbgrader={"grade_id": "seq2seq_vs_attention_choice", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(seq2seq_vs_attention_choice, str)
            and seq2seq_vs_attention_choice.strip().strip("().").strip().lower()
            in {"a", "b", "c", "d"},
            'seq2seq_vs_attention_choice は "a"、"b"、"c"、"d" のいずれかにしてください')
print("seq2seq_vs_attention_choice: 形式は正しいです")

# %% [markdown] lang="en"
# **6.2 [auto].** An encoder with hidden size $H = 256$ reads a sentence of $T = 100$
# words. How many numbers computed by the encoder can the decoder draw on, in plain
# seq2seq and with attention? Set `bottleneck_sizes` to a dict with keys `"seq2seq"` and
# `"attention"` and integer values.

# %% [markdown] lang="ja"
# **6.2 [自動採点]。** 隠れ状態のサイズが $H = 256$ のエンコーダが、$T = 100$ 単語の文を
# 読みます。エンコーダが計算した数のうち、デコーダが利用できるのはいくつでしょうか。素の
# seq2seq の場合と注意機構を使う場合について答えてください。`bottleneck_sizes` に、キーが
# `"seq2seq"` と `"attention"`、値が整数の辞書を入れます。

# %% nbgrader={"grade_id": "bottleneck_sizes_code", "solution": true}
# bottleneck_sizes = {"seq2seq": ..., "attention": ...}
### BEGIN SOLUTION
bottleneck_sizes = {"seq2seq": 256, "attention": 256 * 100}
### END SOLUTION

# %% nbgrader={"grade_id": "bottleneck_sizes", "grade": true, "locked": true} lang="en"
assert_true(isinstance(bottleneck_sizes, dict)
            and set(bottleneck_sizes) == {"seq2seq", "attention"},
            'bottleneck_sizes should be a dict with exactly the keys "seq2seq" and "attention"')
print("bottleneck_sizes: well formed")

# %% nbgrader={"grade_id": "bottleneck_sizes", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(bottleneck_sizes, dict)
            and set(bottleneck_sizes) == {"seq2seq", "attention"},
            'bottleneck_sizes はキーがちょうど "seq2seq" と "attention" の2つの辞書にしてください')
print("bottleneck_sizes: 形式は正しいです")

# %% [markdown] lang="en"
# **6.3 [manual].** In a few sentences: what is the difference between seq2seq and
# attention? Say what limits plain seq2seq, what attention computes at each decoder step,
# and what it learns.

# %% [markdown] lang="ja"
# **6.3 [手動採点]。** seq2seq と Attention の違いを数文で述べてください。素の seq2seq を
# 制約しているもの、注意機構がデコーダの各ステップで計算するもの、注意機構が学習するものを
# 含めること。

# %% [markdown] nbgrader={"grade_id": "seq2seq_vs_attention_answer", "solution": true, "grade": true, "points": 2} lang="en"
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

# %% [markdown] nbgrader={"grade_id": "seq2seq_vs_attention_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** seq2seq はエンコーダ・デコーダモデルの一種です。エンコーダの RNN が入力系列
# を固定長のベクトル1本（最後の隠れ状態）に変え、デコーダの RNN はそのベクトルだけから出力
# 系列を生成します。入力がどれほど長くてもデコーダが受け取るのは同じ $H$ 個の数なので、長い
# 入力はボトルネックに押し込まれ、細部が失われます。注意機構はデコーダに加える仕組みです。
# 出力の各ステップで、エンコーダのすべての状態にデコーダの現在の状態と照らし合わせてスコアを
# 付け、ソフトマックスでスコアを重み（和は 1）に変え、エンコーダの状態の重み付き平均（文脈
# ベクトル）を出力層への入力に加えます。注意機構は、どの入力位置がどの出力位置に関連するか
# （アライメント。ヒートマップで見えます）を学習し、デコーダが利用できる情報は入力の長さと
# ともに増えます。
#
# **採点基準 (2点)。** 1点: seq2seq の制約（入力の長さによらず固定長のベクトル1本 /
# エンコーダの最後の状態だけ）。1点: 注意機構のはたらき（エンコーダの全状態に対する重みを
# 出力ステップごとに計算し直し、その重み付き和をデコーダが使う。どの入力がどの出力に関連
# するかを学習する）。「注意機構は何が重要かを学習する」と言い換えるだけで、何に対して重みを
# 付けるのかを述べていない答えは 0.5点減点。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# ## 7 · Try it: soft and sharp attention
#
# A toy task with a known answer: reverse a sequence of 6 steps. The encoder states are 6
# random unit vectors; the decoder state at output step $j$ is the state of input step
# $5 - j$, times a **scale** $\beta$. Your `attention_weights` should put most weight on
# the anti-diagonal, and your `context_vector` should then return (almost) the reversed
# states. The scale controls how sharp the weights are: small scores give nearly uniform
# weights (a blurred context), large ones nearly one-hot weights. A trained model sets that
# scale through the size of its states; Transformers divide the scores by $\sqrt{d_k}$,
# the square root of the key dimension, to keep it in check (with the encoder states as
# the keys, as here, $d_k = H$). Where two random states happen to point in similar
# directions, some weight leaks between them (a few hundredths off the diagonal).

# %% [markdown] lang="ja"
# ## 7 · 試してみよう: ぼやけた注意と鋭い注意
#
# 答えのわかっている小さな課題で試します。6ステップの系列を逆順にする課題です。エンコーダの
# 状態はランダムな単位ベクトル6本、出力ステップ $j$ でのデコーダの状態は、入力ステップ
# $5 - j$ の状態に**スケール** $\beta$ を掛けたものです。あなたの `attention_weights` は
# 反対角線にほとんどの重みを置き、`context_vector` は（ほぼ）逆順にした状態を返すはずです。
# スケールは重みの鋭さを決めます。スコアが小さいと重みはほぼ一様（ぼやけた文脈ベクトル）に、
# 大きいとほぼ one-hot になります。学習したモデルは、状態の大きさを通じてこのスケールを
# 決めます。Transformer はスコアをキーの次元の平方根 $\sqrt{d_k}$ で割り、スケールが
# 大きくなりすぎないようにしています（ここのようにエンコーダの状態をキーにするなら
# $d_k = H$ です）。ランダムな状態どうしがたまたま近い向きを向いていると、その間で重みが
# 少し漏れます（対角線の外に 100分の数ほど）。

# %% tags=["practice"] lang="en"
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

# %% tags=["practice"] lang="ja"
rng = np.random.default_rng(0)
T, H = 6, 16
states = rng.standard_normal((T, H))
states /= np.linalg.norm(states, axis=1, keepdims=True)   # 単位ベクトル: s_t = beta * cos
# 出力ステップごとに1つの「例」: hs_toy は (T_out, T_in, H)、どの行も同じ状態
hs_toy = np.repeat(states[None], T, axis=0)
queries = states[::-1]  # 出力ステップ j は入力ステップ T-1-j を探す


def reverse_weights(scale):
    return attention_weights(hs_toy, scale * queries)      # (T_out, T_in)


a_toy = reverse_weights(8.0)
fig, (ax_map, ax_scale) = plt.subplots(1, 2, figsize=(12, 4.5))
ax_map.imshow(a_toy, cmap="Blues", vmin=0, vmax=1)
for j in range(T):
    for t in range(T):
        ax_map.text(t, j, f"{a_toy[j, t]:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if a_toy[j, t] > 0.5 else "black")
ax_map.set_title("6ステップを逆順にするときの注意の重み（スケール 8）")
ax_map.set_xlabel("入力（エンコーダ）のステップ t")
ax_map.set_ylabel("出力（デコーダ）のステップ j")
for scale in [0.5, 2.0, 8.0, 32.0]:
    ax_scale.plot(range(T), reverse_weights(scale)[0], marker="o", label=f"スケール {scale:g}")
ax_scale.set_title("出力ステップ 0: 入力ステップに対する重み")
ax_scale.set_xlabel("入力（エンコーダ）のステップ t")
ax_scale.set_ylabel("注意の重み $a_t$")
ax_scale.legend()
plt.tight_layout()
plt.show()

for scale in [0.5, 2.0, 8.0, 32.0]:
    contexts = context_vector(hs_toy, reverse_weights(scale))
    error = np.linalg.norm(contexts - queries, axis=1).mean()
    print(f"スケール {scale:>4g}: 最大の重みの平均 {reverse_weights(scale).max(axis=1).mean():.2f}、"
          f"文脈ベクトルと目標の状態との距離 {error:.3f}")

# %% [markdown] lang="en"
# ## 8 · Try it: your attention converts dates
#
# The task: read a date written in one of many formats and write it in ISO form,
# `september 27, 1994` → `1994-09-27`. The inputs mix month names and their
# abbreviations (`sep`, `sep.`), weekdays, years first or last, dates in numbers only,
# and lower, Title and UPPER case. A date in numbers is written day, month, year
# (`27/09/1994`, `27/9/1994`, `27.09.1994`) or, when the 4-digit year comes first, year,
# month, day (`1994/09/27`), so no input is ambiguous. The inputs are padded with spaces
# to 29 characters. An answer counts only when all 10 characters are right, on 2,000
# held-out dates that never occur (in any format) in the 24,000 training questions.
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

# %% [markdown] lang="ja"
# ## 8 · 試してみよう: あなたの注意機構で日付を変換する
#
# 課題は、さまざまな書式で書かれた日付を読み、ISO 形式で書き出すことです
# （`september 27, 1994` → `1994-09-27`）。入力には、月の名前とその略記（`sep`、`sep.`）、
# 曜日、年が先頭の書式と末尾の書式、数字だけの日付が混ざっていて、文字は小文字・先頭だけ
# 大文字 (Title)・すべて大文字 (UPPER) のいずれかです。数字だけの日付は日・月・年の順
# （`27/09/1994`、`27/9/1994`、`27.09.1994`）か、4桁の年が先頭にあるときは年・月・日の順
# （`1994/09/27`）なので、どの入力も曖昧になりません。入力は空白で 29 文字までパディング
# されています。10 文字すべてが正しいときだけ正解とし、24,000 問の訓練データに（どの書式でも）
# 現れない 2,000 個の評価用の日付 (held-out data) で採点します。
#
# 3つのモデルを同じ設定で学習しました（埋め込み (embedding) のサイズ 16、LSTM の隠れ状態の
# サイズ 64、Adam（学習率 0.01、エポックごとに 0.8 倍）、バッチサイズ 128、勾配を大域ノルム 5
# でクリッピング、8 エポック）。
#
# * **seq2seq**: デコーダが受け取るのはエンコーダの最後の状態だけです。日付全体が、64 個の数
#   からなるベクトル1本を通らなければなりません。ノートブック 06 の工夫にならい、問題を逆順に
#   読みます（そうしないと、日付が最大 20 ステップのパディングも越えなければなりません）。
# * **reversed + peeky**: ノートブック 06 で最もよかったモデルです。最後の状態を、デコーダの
#   各ステップと出力層にも渡します。
# * **attention**: 出力の各ステップで、デコーダの状態 $h$ がエンコーダのすべての状態にスコアを
#   付け（$a = \mathrm{softmax}(hs \cdot h)$）、文脈ベクトル $c = \sum_t a_t\, hs_t$ を読み、
#   出力層は $[c\,;\,h]$ を受け取ります。
#
# 十分に学習した重みはコースに同梱されています（`rnnlib/weights/`）。作ったのは
# `python scripts/train_seq2seq_weights.py` です（乱数のシードを固定しているので、再実行すると
# 同じファイルができます。ノートブック 06 と 08 の6つのモデルで、1コアで約4分）。下の注意機構
# モデルには、注意機構の実装が**入っていません**。デコーダの各ステップで、上の節で書いた
# *あなたの* `attention_weights` と `context_vector` を実行します（学習には隠された参照実装を
# 使い、2つの逆伝播も呼びました）。この節の最後では、あなたの4つの関数すべてを使って、自分でも
# 1つ学習させます。

# %% tags=["practice"] lang="en"
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
print("held-out exact match (all 10 characters)")
print(f"{'after training':>14} {'now':>10}")
print(f"{'(2,000 dates)':>14} {'(1,000)':>10}")
for label, run in [("seq2seq", dates_plain), ("reversed + peeky", dates_peeky),
                   ("attention, your functions", dates_attention)]:
    print(f"{run.history['accuracy'][-1]:>14.3f} "
          f"{run.exact_match(questions, answers):>10.3f}  {label}")

# %% tags=["practice"] lang="ja"
from rnnlib import pretrained
from rnnlib.attention_seq2seq import AttentionFunctions
from rnnlib.embedding_lookup import embedding_forward
from rnnlib.plotting import plot_curves

yours = AttentionFunctions(weights=attention_weights, weights_backward=attention_weights_backward,
                           context=context_vector, context_backward=context_vector_backward)
dates_attention = pretrained.load("dates_attention", embed=embedding_forward, attention=yours)
dates_plain = pretrained.load("dates_seq2seq", embed=embedding_forward)
dates_peeky = pretrained.load("dates_reversed_peeky", embed=embedding_forward)
questions, answers = dates_attention.held_out(1000)  # 2,000 個のうち最初の 1,000 個
epochs = range(1, len(dates_plain.history["accuracy"]) + 1)
plot_curves({"seq2seq": dates_plain.history["accuracy"],
             "reversed + peeky": dates_peeky.history["accuracy"],
             "attention": dates_attention.history["accuracy"]},
            "日付: 学習中の評価用データでの完全一致率", "エポック",
            "評価用データでの完全一致率（10 文字すべて）", x=epochs)
plt.show()
print("評価用データでの完全一致率（10 文字すべて）")
print(f"{'学習直後':>10} {'いま':>8}")
print(f"{'(2,000 個)':>12} {'(1,000 個)':>8}")
for label, run in [("seq2seq", dates_plain), ("reversed + peeky", dates_peeky),
                   ("attention（あなたの関数）", dates_attention)]:
    print(f"{run.history['accuracy'][-1]:>14.3f} "
          f"{run.exact_match(questions, answers):>10.3f}  {label}")

# %% [markdown] lang="en"
# In 8 epochs the plain seq2seq learns the shape of the answer and some digits, but never
# all 10 characters of a held-out date; the peeky one, which consults the encoder's final
# state at every step, climbs slowly to 0.95; attention, which looks back at the
# question's characters themselves, is above 0.99 from epoch 3. The examples below
# show the difference (the plain model's dates are plausible but wrong).

# %% [markdown] lang="ja"
# 8 エポックのあいだに、素の seq2seq は答えの形と一部の数字を覚えますが、評価用の日付の
# 10 文字すべてを当てることはありません。エンコーダの最後の状態を各ステップで参照する peeky
# は、ゆっくりと 0.95 まで上がります。問題の文字そのものを振り返って見る注意機構は、3 エポック
# 目から 0.99 を超えます。下の例で違いがわかります（素のモデルの日付は、もっともらしいのに
# 間違っています）。

# %% tags=["practice"] lang="en"
examples = ["september 27, 1994", "Tue, 27 Sep 1994", "27/09/1994", "1994 SEPTEMBER 27",
            "wednesday, july 4, 2001", "03.11.1956", "feb. 29, 2024"]
rows = zip(examples, dates_attention.answer(examples), dates_peeky.answer(examples),
           dates_plain.answer(examples))
print(f"{'question':<26} {'attention':<11} {'peeky':<11} seq2seq")
for question, *outputs in rows:
    print(f"{question:<26} " + " ".join(f"{o:<11}" for o in outputs))

# %% tags=["practice"] lang="ja"
examples = ["september 27, 1994", "Tue, 27 Sep 1994", "27/09/1994", "1994 SEPTEMBER 27",
            "wednesday, july 4, 2001", "03.11.1956", "feb. 29, 2024"]
rows = zip(examples, dates_attention.answer(examples), dates_peeky.answer(examples),
           dates_plain.answer(examples))
print(f"{'問題':<24} {'attention':<11} {'peeky':<11} seq2seq")
for question, *outputs in rows:
    print(f"{question:<26} " + " ".join(f"{o:<11}" for o in outputs))

# %% [markdown] lang="en"
# Where does each output character look? Row $l$ of the heat map is the attention
# weights $a$ of output step $l$ over the input characters (padding left out). The year
# digits should look at the year, the month digits at the month name or number, the day
# digits at the day.

# %% [markdown] lang="ja"
# 出力の各文字は、入力のどこを見ているのでしょうか。ヒートマップの $l$ 行目は、出力ステップ
# $l$ の、入力の各文字に対する注意の重み $a$ です（パディングは省いています）。年の数字は
# 入力の年を、月の数字は月の名前か数字を、日の数字は日を見ているはずです。

# %% tags=["practice"] lang="en"
def attention_of(run, question):
    """``run``'s answer to ``question`` with its attention: (the input characters, padding
    left out; the output characters; weights of shape (outputs, inputs))."""
    ids, weights = run.model.generate_with_attention(
        run.encode_questions([question]), run.start_id, run.config["answer_length"])
    answer = run.vocab.decode(ids[0])
    shown = len(question.rstrip())
    return list(question[:shown]), list(answer), weights[0, :len(answer), :shown]


def attention_map(run, question, ax):
    """Draw where each output character of ``run``'s answer to ``question`` looked."""
    inputs, outputs, weights = attention_of(run, question)
    image = ax.imshow(weights, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(inputs)), inputs)
    ax.set_yticks(range(len(outputs)), outputs)
    ax.set_title(f"{question.strip()!r} → {''.join(outputs)}")
    ax.set_xlabel("input character")
    ax.set_ylabel("output character")
    return image


fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1, 1.2]})
attention_map(dates_attention, "27/09/1994", axes[0])
image = attention_map(dates_attention, "Tuesday, September 27, 1994", axes[1])
fig.colorbar(image, ax=axes, label="attention weight")
fig.suptitle("Attention weights of the date model (your functions)")
plt.show()


# %% tags=["practice"] lang="ja"
def attention_of(run, question):
    """``run`` の ``question`` への答えと、その注意の重み: (入力の文字（パディングを除く）、
    出力の文字、形が (出力の数, 入力の数) の重み)。"""
    ids, weights = run.model.generate_with_attention(
        run.encode_questions([question]), run.start_id, run.config["answer_length"])
    answer = run.vocab.decode(ids[0])
    shown = len(question.rstrip())
    return list(question[:shown]), list(answer), weights[0, :len(answer), :shown]


def attention_map(run, question, ax):
    """``run`` が ``question`` に答えたとき、出力の各文字がどこを見たかを描く。"""
    inputs, outputs, weights = attention_of(run, question)
    image = ax.imshow(weights, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(inputs)), inputs)
    ax.set_yticks(range(len(outputs)), outputs)
    ax.set_title(f"{question.strip()!r} → {''.join(outputs)}")
    ax.set_xlabel("入力の文字")
    ax.set_ylabel("出力の文字")
    return image


fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [1, 1.2]})
attention_map(dates_attention, "27/09/1994", axes[0])
image = attention_map(dates_attention, "Tuesday, September 27, 1994", axes[1])
fig.colorbar(image, ax=axes, label="注意の重み")
fig.suptitle("日付モデルの注意の重み（あなたの関数）")
plt.show()


# %% [markdown] lang="en"
# The same weights, one output character at a time, for a few held-out dates: pick a
# date and an output character to see how its attention is spread over the input.

# %% [markdown] lang="ja"
# 同じ重みを、評価用の日付いくつかについて、出力の1文字ずつ見てみましょう。日付と出力の文字を
# 選ぶと、その文字の注意が入力の上にどう分かれているかが表示されます。

# %% tags=["practice"] lang="en"
from rnnlib.explorers import attention_explorer

explorer_examples = [attention_of(dates_attention, question) for question in questions[:8]]
attention_explorer(explorer_examples, language="en")

# %% tags=["practice"] lang="ja"
from rnnlib.explorers import attention_explorer

explorer_examples = [attention_of(dates_attention, question) for question in questions[:8]]
attention_explorer(explorer_examples, language="ja")


# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ### 自分で学習させる
#
# 今度は注意機構モデルを、ここで一から自分で学習させます。データと設定は同梱のモデルと同じで、
# すべてのミニバッチのデコーダの各ステップで、**あなたの**4つの関数（2つの順伝播と2つの
# 逆伝播）を使います。評価用の日付の 95 % が正しく出力された最初のエポックで学習を止めます
# （とても混んでいるマシンでは、1分を過ぎて終わった最初のエポックで止めます）。進捗バーには、
# 学習の損失（直近のミニバッチの平均）と、直前のエポックのあとの評価用データでの完全一致率
# (exact-match accuracy) が出ます。コースの2コアのマシンでは、ほかの処理が両方のコアを使って
# いる状態で、学習のベンチマークで 23 秒、このノートブックで 39 秒かかりました。コースの
# seq2seq は float32 で学習し（README の「Training speed」の節）、あなたの関数にも float32
# の配列が渡されます。`threads=1` は BLAS のスレッド1本で学習します。これほど小さな行列では、
# ほかの処理とコアを共有しているとき、2本より数倍速くなります。

# %% tags=["practice"] lang="en"
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


# %% tags=["practice"] lang="ja"
from rnnlib.attention_seq2seq import AttentionSeq2seq
from rnnlib.seq2seq_training import train_seq2seq

config = dates_attention.config  # 同梱モデルのデータ、サイズ、学習の設定
(train_q, train_a), (test_q, test_a) = pretrained.make_dataset(config)
vocab = dates_attention.vocab
your_model = AttentionSeq2seq(len(vocab), config["embed_size"], config["hidden_size"], yours,
                              embed=embedding_forward, seed=0)
history = train_seq2seq(your_model, (vocab.encode(train_q), vocab.encode(train_a)),
                        (vocab.encode(test_q), vocab.encode(test_a)), start_id=vocab.id_of("_"),
                        epochs=config["epochs"], batch_size=config["batch_size"],
                        lr=config["lr"], lr_decay=config["lr_decay"], name="あなたの注意機構",
                        stop_at=0.95, max_seconds=60, threads=1)
your_run = pretrained.PretrainedSeq2seq("あなたのモデル", your_model, vocab, config, history)
print(f"あなたのモデル: 評価用データでの完全一致率 {history['accuracy'][-1]:.3f}（"
      f"{len(history['accuracy'])} エポック、{history['seconds']:.0f} 秒）")
print(f"同梱のモデル:   {dates_attention.history['accuracy'][-1]:.3f}（"
      f"{len(dates_attention.history['accuracy'])} エポック）")

fig, axes = plt.subplots(1, 3, figsize=(16, 4.5), gridspec_kw={"width_ratios": [1, 1, 1.2]})
plot_curves({"あなたのモデル（いま学習）": history["accuracy"],
             "同梱のモデル（十分に学習済み）": dates_attention.history["accuracy"]},
            "各エポック後の評価用データでの完全一致率", "エポック", "評価用データでの完全一致率",
            x=epochs, ax=axes[0])
attention_map(your_run, "Tuesday, September 27, 1994", axes[1])
axes[1].set_title("あなたのモデル: " + axes[1].get_title())
image = attention_map(dates_attention, "Tuesday, September 27, 1994", axes[2])
axes[2].set_title("同梱のモデル: " + axes[2].get_title())
fig.colorbar(image, ax=axes[1:], label="注意の重み")
plt.show()


# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ## まとめ
# * 素の seq2seq は、どんな長さの入力も固定長のベクトル1本に押し込みます。注意機構は
#   エンコーダの状態 `hs: (N, T, H)` をすべて取っておき、デコーダの各ステップがそれを
#   読み直せるようにします。
# * 重み: 内積のスコア $s_t = hs_t \cdot h$ に、**時刻方向の**ソフトマックス（axis 1。行の
#   最大値を引いてから）をとります。$a_t \ge 0$、$\sum_t a_t = 1$ です。文脈ベクトルは
#   $c = \sum_t a_t\, hs_t$ で、形は `(N, H)` です。デコーダは出力側のアフィン層の前で
#   $[c_j; h_j]$ を連結します。
# * 逆伝播: ソフトマックスのヤコビアンから $ds = a \odot (da - \sum_t a_t da_t)$、続いて
#   $dhs_t = ds_t\, h$、$dh = \sum_t ds_t\, hs_t$ です。文脈ベクトルを通る逆伝播は
#   $dhs_t = a_t\, dc$、$da_t = hs_t \cdot dc$ です。数値勾配がこれらを裏づけます。
# * パディングは**スコア**の段階でマスクします（ソフトマックスの前に $-\infty$）。パディングの
#   ステップの重みはちょうど 0 になり、本物のステップの重みの和は 1 のままです。
# * 重みは出力ステップと入力ステップの対応（アライメント (alignment)）を表し、ヒートマップで
#   見ることができます。
