# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
# # 02 · Backpropagation through time (BPTT)
#
# *Deep Learning, Day 3 — Section 1-2.* 確認テスト = **confirmation test**,
# 演習チャレンジ = **code challenge**, 誤差逆伝播法 = **backpropagation**,
# 通時的誤差逆伝播 = **backpropagation through time**.
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
# `Wh: (H, H)`, a step is `h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b)`. Section 4 (code
# challenge 2) keeps the notes' own convention (column-vector weights named `W`, `U`,
# `V`), stated there with a table of the names.

# %% [markdown] lang="ja"
# # 02 · 通時的誤差逆伝播 (BPTT)
#
# *深層学習 Day 3 — Section 1-2。* 確認テスト (confirmation test)、演習チャレンジ
# (code challenge)、誤差逆伝播法 (backpropagation)、通時的誤差逆伝播 (backpropagation through
# time, BPTT) を扱います。
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. 合成関数に連鎖律 (chain rule) を使い、結果を数値的に確かめる。
# 2. RNN の最初の出力を、入力・重み・バイアスを使って式で書く。
# 3. RNN の 1 ステップと系列全体について勾配を導き、実装する。
# 4. ノートの BPTT のループを完成させる (ノートのコードにある 2 つのバグは直してあります)。
# 5. 逆伝播の実装を数値勾配で確かめ、多くのステップをさかのぼると勾配が消失・爆発する理由を知る。
#
# 記法はノートブック 01 と同じです。`x: (N, D)`、`h: (N, H)`、`xs: (N, T, D)`、
# `Wx: (D, H)`、`Wh: (H, H)` とし、1 ステップは `h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b)` です。
# 第 4 節 (演習チャレンジ2) だけはノートの記法 (列ベクトルで、重みの名前は `W`、`U`、`V`) を
# そのまま使います。名前の対応表はその節にあります。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.gradcheck import numerical_gradient, numerical_gradient_array
from rnnlib.language import set_language
from rnnlib.rnn_layer import rnn_layer_forward
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

set_language("en")

# %% nbgrader={"grade_id": "imports", "locked": true} lang="ja"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.gradcheck import numerical_gradient, numerical_gradient_array
from rnnlib.language import set_language
from rnnlib.rnn_layer import rnn_layer_forward
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

set_language("ja")

# %% [markdown] lang="en"
# ## 1 · Confirmation test 3 (確認テスト3): the chain rule (1 point) [auto]
#
# > 【問題】連鎖律の原理を使い、dz/dxを求めよ。<br>z = t^2<br>t = x + y
# >
# > *Use the principle of the chain rule to find dz/dx, where z = t² and t = x + y.*
#
# $z$ depends on $x$ only through the intermediate variable $t$, so the chain rule goes
# through $t$:
#
# $$\frac{dz}{dx} = \frac{dz}{dt}\,\frac{dt}{dx} .$$
#
# > **Errata in the source notes.** The notes slip twice on this line. One answer writes
# > $\frac{dz}{dy}\frac{dy}{dx}$ (erratum 8), another $\frac{dz}{dx} = \frac{dx}{dt}\,
# > \frac{dt}{dx}$ (erratum 13). Both lose the intermediate variable: the first factor must
# > take $z$ to $t$, the second $t$ to $x$. (A quick check on the second: $\frac{dx}{dt}
# > \frac{dt}{dx} = 1$ whatever $z$ is, so it cannot be the derivative of $z$.)
#
# Write `dz_dx(x, y)`. It must work on numbers and element-wise on numpy arrays.

# %% [markdown] lang="ja"
# ## 1 · 確認テスト3: 連鎖律 (1点) [自動採点]
#
# > 【問題】連鎖律の原理を使い、dz/dxを求めよ。<br>z = t^2<br>t = x + y
#
# $z$ は中間の変数 $t$ を通してしか $x$ に依存しません。そこで連鎖律 (chain rule) は $t$ を
# 経由します。
#
# $$\frac{dz}{dx} = \frac{dz}{dt}\,\frac{dt}{dx} .$$
#
# > **ノートの誤り。** ノートはこの式で 2 回書き誤っています。ある解答は
# > $\frac{dz}{dy}\frac{dy}{dx}$ と書き (誤り 8)、別の箇所は
# > $\frac{dz}{dx} = \frac{dx}{dt}\,\frac{dt}{dx}$ と書いています (誤り 13)。どちらも中間の
# > 変数を取り違えています。1 つ目の因子は $z$ から $t$ へ、2 つ目は $t$ から $x$ へ進む
# > 微分です。(2 つ目の誤りは簡単に確かめられます。$\frac{dx}{dt}\frac{dt}{dx}$ は $z$ が
# > 何であっても 1 なので、$z$ の微分にはなりえません。)
#
# `dz_dx(x, y)` を書いてください。数値でも numpy 配列 (要素ごと) でも動くようにします。

# %% nbgrader={"grade_id": "dz_dx_code", "solution": true} lang="en"
def dz_dx(x, y):
    """dz/dx for z = t**2, t = x + y. x, y: numbers or arrays of the same shape."""
    ### BEGIN SOLUTION
    return 2 * (x + y)
    ### END SOLUTION


# %% nbgrader={"grade_id": "dz_dx_code", "solution": true} lang="ja"
def dz_dx(x, y):
    """z = t**2, t = x + y のときの dz/dx。x, y: 数値、または同じ形の配列。"""
    ### BEGIN SOLUTION
    return 2 * (x + y)
    ### END SOLUTION


# %% nbgrader={"grade_id": "dz_dx", "grade": true, "locked": true} lang="en"
x0, y0 = np.array([0.3, -1.2]), np.array([0.5, 0.1])
numerical = numerical_gradient(lambda v: np.sum((v + y0) ** 2), x0.copy())
assert_close(dz_dx(x0, y0), numerical, "dz/dx against the numerical derivative", rtol=1e-6)

# %% nbgrader={"grade_id": "dz_dx", "grade": true, "locked": true} lang="ja"
x0, y0 = np.array([0.3, -1.2]), np.array([0.5, 0.1])
numerical = numerical_gradient(lambda v: np.sum((v + y0) ** 2), x0.copy())
assert_close(dz_dx(x0, y0), numerical, "dz/dx (数値微分との比較)", rtol=1e-6)

# %% [markdown] lang="en"
# ## 2 · Confirmation test 4 (確認テスト4): the first output of an RNN (2 points) [auto]
#
# > 【問題】下図のy1をx・z0・z1・win・w・woutを用いて数式で表せ。<br>※バイアスは任意の文字で定義せよ。<br>※また中間層の出力にシグモイド関数g(x)を作用させよ。
# >
# > *Express y1 of the figure below by a formula in x, z0, z1, W_in, W and W_out. Name the
# > biases with any letters you like. Apply the sigmoid function g(x) to the output of the
# > hidden layer.*
#
# The figure of the notes is the unrolled RNN of notebook 01 (section 3). Here: write
# $y_1$ in terms of $x_1$, the initial state $z_0$, the weights $W_{in}, W, W_{out}$ and
# the biases $b$ (hidden layer) and $c$ (output layer), with sigmoid as both the hidden
# activation $f$ and the output activation $g$. Start from the RNN equations of notebook
# 01 (section 3) at $t = 1$, row vectors as there. (The notes use column vectors; the
# answer is the same model.)

# %% [markdown] lang="ja"
# ## 2 · 確認テスト4: RNN の最初の出力 (2点) [自動採点]
#
# > 【問題】下図のy1をx・z0・z1・win・w・woutを用いて数式で表せ。<br>※バイアスは任意の文字で定義せよ。<br>※また中間層の出力にシグモイド関数g(x)を作用させよ。
#
# ノートの「下図」は、ノートブック 01 (第 3 節) で時間方向に展開した RNN の図です。ここでは
# $y_1$ を、入力 $x_1$、初期状態 $z_0$、重み $W_{in}, W, W_{out}$、バイアス $b$ (中間層) と
# $c$ (出力層) で表します。中間層の活性化関数 $f$ と出力層の活性化関数 $g$ はどちらも
# シグモイド関数とします。ノートブック 01 (第 3 節) の RNN の式に $t = 1$ を代入するところから
# 始めてください。ベクトルはそこと同じく行ベクトルです。(ノートは列ベクトルで書きますが、
# モデルは同じです。)

# %% nbgrader={"grade_id": "first_output_code", "solution": true} lang="en"
def first_output(x1, z0, W_in, W, W_out, b, c):
    """y_1 of a sigmoid RNN.

    x1: (N, D), z0: (N, H), W_in: (D, H), W: (H, H), W_out: (H, O), b: (H,), c: (O,).
    Returns y1: (N, O).
    """
    ### BEGIN SOLUTION
    z1 = sigmoid(x1 @ W_in + z0 @ W + b)
    return sigmoid(z1 @ W_out + c)
    ### END SOLUTION


# %% nbgrader={"grade_id": "first_output_code", "solution": true} lang="ja"
def first_output(x1, z0, W_in, W, W_out, b, c):
    """シグモイド RNN の y_1。

    x1: (N, D), z0: (N, H), W_in: (D, H), W: (H, H), W_out: (H, O), b: (H,), c: (O,)。
    戻り値は y1: (N, O)。
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

# %% [markdown] lang="en"
# ## 3 · The BPTT equations
#
# **Backpropagation through time (BPTT)** is ordinary backpropagation applied to the RNN
# unrolled in time. The forward pass of notebook 01 (row vectors, step $t = 1, \dots, T$):
#
# $$u_t = x_t W_{in} + z_{t-1} W + b, \quad z_t = f(u_t), \quad
#   v_t = z_t W_{out} + c, \quad y_t = g(v_t),$$
#
# and the loss of the sequence is $E = \sum_t E_t$, where $E_t$ is the error of the output
# $y_t$.
#
# **The nested view.** $E_t$ depends on $z_t$, and $z_t$ depends on $z_{t-1}$, which
# depends on $z_{t-2}$, and so on back to $z_0$. Written out,
#
# $$E_t = E_t\Big(g\big(f\big(x_t W_{in} + f\big(x_{t-1} W_{in}
#   + f(x_{t-2} W_{in} + \cdots)\, W + b\big)\, W + b\big)\, W_{out} + c\big)\Big):$$
#
# the error at step $t$ reaches back through $z_{t-1}, z_{t-2}, \dots$ to every earlier
# step, and $W_{in}$, $W$ and $b$ appear once per level of the nesting.
#
# **The errors.** Write $\delta_t = \partial E / \partial u_t$ (the error at the hidden
# pre-activation) and $\delta^{out}_t = \partial E / \partial v_t = \partial E_t /
# \partial v_t$ (at the output pre-activation). $u_t$ reaches $E$ along two paths: through
# its own output $v_t$, and through the next step's pre-activation
# $u_{t+1} = x_{t+1} W_{in} + f(u_t)\, W + b$. The chain rule adds the two:
#
# $$\delta_t = \frac{\partial E}{\partial u_t}
#   = \underbrace{\big(\delta_{t+1} W^\top\big) \odot f'(u_t)}_{\text{from all later steps}}
#   + \underbrace{\big(\delta^{out}_t W_{out}^\top\big) \odot f'(u_t)}_{\text{local: the output of step } t},
#   \qquad \delta_{T+1} = 0 .$$
#
# $\delta_{t+1}$ holds $\delta_{t+2}$ in the same way, so $\delta_t$ collects the errors of
# all outputs from step $t$ on: the error walks back one step at a time, through $W^\top$
# and the activation's derivative. Each weight is used at every step, so its gradient is a
# sum over the steps:
#
# $$\frac{\partial E}{\partial W_{in}} = \sum_t x_t^\top \delta_t, \quad
#   \frac{\partial E}{\partial W} = \sum_t z_{t-1}^\top \delta_t, \quad
#   \frac{\partial E}{\partial W_{out}} = \sum_t z_t^\top \delta^{out}_t, \quad
#   \frac{\partial E}{\partial b} = \sum_t \delta_t, \quad
#   \frac{\partial E}{\partial c} = \sum_t \delta^{out}_t .$$
#
# ![The error of BPTT flows back through time](attachment:bptt_error_flow.png)
#
# (The diagram writes the same recursion one step earlier: the error at $t-1$ from the
# error at $t$ and the output of step $t-1$.)
#
# **The update.** After the backward walk over the whole sequence, every parameter takes
# one gradient-descent step with the learning rate $\varepsilon$:
#
# $$W_{in} \leftarrow W_{in} - \varepsilon \frac{\partial E}{\partial W_{in}}, \quad
#   W \leftarrow W - \varepsilon \frac{\partial E}{\partial W}, \quad
#   W_{out} \leftarrow W_{out} - \varepsilon \frac{\partial E}{\partial W_{out}}, \quad
#   b \leftarrow b - \varepsilon \frac{\partial E}{\partial b}, \quad
#   c \leftarrow c - \varepsilon \frac{\partial E}{\partial c} .$$
#
# > **Erratum in the source notes (erratum 12).** The notes compute the output weights'
# > gradient at step $t$ as `np.dot(z[:,t+1].reshape(-1,1), delta_out[:,t].reshape(-1,1))`:
# > a column `(H, 1)` times a column `(O, 1)`. That only fits when there is a single output
# > unit ($O = 1$). The gradient is the outer product $z_t^\top \delta^{out}_t$, of shape
# > `(H, O)`: the error must be a row, `delta_out[:, t].reshape(1, -1)`.
#
# ### 3.1 · Why the output weights need no trip back in time (2 points) [manual]
# $\partial E / \partial W_{out}$ is a sum over $t$ of terms that each use only step $t$,
# whereas $\partial E / \partial W$ needs $\delta_t$, which collects errors from all later
# steps. Explain why in two or three sentences.

# %% [markdown] lang="ja"
# ## 3 · BPTT の式
#
# **通時的誤差逆伝播 (BPTT)** は、時間方向に展開した RNN にふつうの誤差逆伝播法を当てはめた
# ものです。ノートブック 01 の順伝播 (行ベクトル、時刻 $t = 1, \dots, T$) は
#
# $$u_t = x_t W_{in} + z_{t-1} W + b, \quad z_t = f(u_t), \quad
#   v_t = z_t W_{out} + c, \quad y_t = g(v_t)$$
#
# で、系列全体の誤差は $E = \sum_t E_t$ です。$E_t$ は出力 $y_t$ の誤差です。
#
# **入れ子で見る。** $E_t$ は $z_t$ に依存し、$z_t$ は $z_{t-1}$ に、$z_{t-1}$ は $z_{t-2}$ に
# 依存し、これが $z_0$ まで続きます。書き下すと
#
# $$E_t = E_t\Big(g\big(f\big(x_t W_{in} + f\big(x_{t-1} W_{in}
#   + f(x_{t-2} W_{in} + \cdots)\, W + b\big)\, W + b\big)\, W_{out} + c\big)\Big)$$
#
# となります。時刻 $t$ の誤差は $z_{t-1}, z_{t-2}, \dots$ を通ってそれ以前のすべての時刻に
# 届き、$W_{in}$、$W$、$b$ は入れ子の段ごとに 1 回ずつ現れます。
#
# **誤差 δ。** $\delta_t = \partial E / \partial u_t$ (中間層の活性化前の値に対する誤差) と
# $\delta^{out}_t = \partial E / \partial v_t = \partial E_t / \partial v_t$ (出力層の活性化前の
# 値に対する誤差) とおきます。$u_t$ から $E$ への道は 2 本あります。自分の出力 $v_t$ を通る道と、
# 次の時刻の $u_{t+1} = x_{t+1} W_{in} + f(u_t)\, W + b$ を通る道です。連鎖律はこの 2 つを
# 足し合わせます。
#
# $$\delta_t = \frac{\partial E}{\partial u_t}
#   = \underbrace{\big(\delta_{t+1} W^\top\big) \odot f'(u_t)}_{\text{後の全時刻から}}
#   + \underbrace{\big(\delta^{out}_t W_{out}^\top\big) \odot f'(u_t)}_{\text{その場の項: 時刻 } t \text{ の出力}},
#   \qquad \delta_{T+1} = 0 .$$
#
# $\delta_{t+1}$ も同じように $\delta_{t+2}$ を含むので、$\delta_t$ には時刻 $t$ 以降のすべての
# 出力の誤差が集まります。誤差は $W^\top$ と活性化関数の微分を通って 1 ステップずつ時間を
# さかのぼります。どの重みもすべての時刻で使われるので、その勾配は時刻についての和になります。
#
# $$\frac{\partial E}{\partial W_{in}} = \sum_t x_t^\top \delta_t, \quad
#   \frac{\partial E}{\partial W} = \sum_t z_{t-1}^\top \delta_t, \quad
#   \frac{\partial E}{\partial W_{out}} = \sum_t z_t^\top \delta^{out}_t, \quad
#   \frac{\partial E}{\partial b} = \sum_t \delta_t, \quad
#   \frac{\partial E}{\partial c} = \sum_t \delta^{out}_t .$$
#
# ![BPTT で誤差が時間をさかのぼる様子](attachment:bptt_error_flow.png)
#
# (図は同じ漸化式を 1 ステップ前にずらして書いています。時刻 $t-1$ の誤差を、時刻 $t$ の誤差と
# 時刻 $t-1$ の出力から求めます。)
#
# **パラメータの更新。** 系列全体を逆向きにたどり終えたら、すべてのパラメータを学習率
# (learning rate) $\varepsilon$ で 1 回ずつ勾配降下法により更新します。
#
# $$W_{in} \leftarrow W_{in} - \varepsilon \frac{\partial E}{\partial W_{in}}, \quad
#   W \leftarrow W - \varepsilon \frac{\partial E}{\partial W}, \quad
#   W_{out} \leftarrow W_{out} - \varepsilon \frac{\partial E}{\partial W_{out}}, \quad
#   b \leftarrow b - \varepsilon \frac{\partial E}{\partial b}, \quad
#   c \leftarrow c - \varepsilon \frac{\partial E}{\partial c} .$$
#
# > **ノートの誤り (誤り 12)。** ノートは時刻 $t$ の出力層の重みの勾配を
# > `np.dot(z[:,t+1].reshape(-1,1), delta_out[:,t].reshape(-1,1))` で計算しています。列
# > `(H, 1)` と列 `(O, 1)` の積なので、形が合うのは出力ユニットが 1 つ ($O = 1$) のときだけ
# > です。勾配は外積 $z_t^\top \delta^{out}_t$ で、形は `(H, O)` です。誤差のほうを行
# > `delta_out[:, t].reshape(1, -1)` にする必要があります。
#
# ### 3.1 · 出力層の重みは時間をさかのぼらなくてよいのはなぜか (2点) [手動採点]
# $\partial E / \partial W_{out}$ は、それぞれ時刻 $t$ だけを使う項の $t$ についての和です。
# 一方 $\partial E / \partial W$ には、後のすべての時刻の誤差を集めた $\delta_t$ が必要です。
# その理由を 2〜3 文で説明してください。

# %% [markdown] nbgrader={"grade_id": "output_weights_answer", "solution": true, "grade": true, "points": 2} lang="en"
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

# %% [markdown] nbgrader={"grade_id": "output_weights_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** $W_{out}$ が働くのは、1 つの時刻の中の経路 $z_t \to v_t \to y_t$ だけです。
# $W_{out}$ を変えると $y_t$ が直接変わりますが、後の時刻へ渡される値は何も変わりません。
# そのため時刻 $t$ の勾配は $z_t^\top \delta^{out}_t$ で、全体はそれを $t$ について足すだけです。
# $W$ (と $W_{in}$) は $z_t$ を決め、$z_t$ は後のすべての時刻へ渡されます。そのためこれらの
# 勾配には、後の出力すべての誤差を時間をさかのぼって集めた $\delta_t$ が必要です。
#
# **採点基準 (2点)。** 1 点: $W_{out}$ は同じ時刻の出力にしか影響しない (後の時刻への経路が
# ない) ことを述べている。1 点: $W$ / 隠れ状態は後の時刻に渡されるので、その誤差は未来から
# ($\delta_t$ を通して) 集める必要があることを述べている。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# > **Erratum in one set of notes (erratum 15).** One set of notes concludes that the
# > output weights and bias need "no sum" over time. That is wrong: $W_{out}$ and $c$ are
# > shared by all steps like every other parameter, and
# > $\partial E / \partial W_{out} = \sum_t z_t^\top \delta^{out}_t$,
# > $\partial E / \partial c = \sum_t \delta^{out}_t$ sum over $t$. What they do not need
# > is the walk back in time *inside* each term of the sum (3.1).

# %% [markdown] lang="ja"
# > **あるノートの誤り (誤り 15)。** あるノートは、出力層の重みとバイアスは時間について
# > 「総和を計算する必要がない」と結論しています。これは誤りです。$W_{out}$ と $c$ も他の
# > パラメータと同じくすべての時刻で共有されており、
# > $\partial E / \partial W_{out} = \sum_t z_t^\top \delta^{out}_t$、
# > $\partial E / \partial c = \sum_t \delta^{out}_t$ は $t$ についての和です。不要なのは、
# > 和の各項の *中で* 時間をさかのぼることのほうです (3.1)。

# %% [markdown] lang="en"
# ## 4 · Code challenge 2 (演習チャレンジ2): the BPTT loop (1 + 2 points) [auto]
#
# > 【問題】以下はBPTTを行うプログラムである。なお簡単化のため活性化関数は恒等関数であるとする。また、calculate_dout関数は損失関数を出力に関して偏微分した値を返す関数であるとする。（お）にあてはまるのはなにか。
# >
# > *The program below performs BPTT. For simplicity the activation function is the
# > identity. The function calculate_dout returns the partial derivative of the loss with
# > respect to the outputs. What goes into the blank (お)?*
#
# The code challenge of the notes uses an RNN **without activation** (identity) and their
# column-vector weights, under other names than sections 1–3:
#
# | role | this course (01, sections 1–3 here) | the notes' code challenges (section 4) |
# |---|---|---|
# | input → hidden | $W_{in}$ = `Wx`, `(D, H)` | `W`, `(H, D)` |
# | hidden → hidden (recurrent) | $W$ = `Wh`, `(H, H)` | `U`, `(H, H)` |
# | hidden → output | $W_{out}$, `(H, O)` | `V`, `(O, H)` |
#
# Careful: the letter $W$ is the *recurrent* weight in the course and the *input* weight in
# the challenge. In the challenge's names,
#
# $$h_t = x_t W^\top + h_{t-1} U^\top, \qquad o_t = h_t V^\top, \qquad
#   E = \frac{1}{2N}\sum_{t}\lVert o_t - y_t \rVert^2 .$$
#
# For each output step $t$ the loop below starts the error at $h_t$ and walks back to step
# 0, adding each step's contribution to `dW` and `dU`. The blank is the error at
# $h_{s-1}$ given the error `delta_t` at $h_s$ (both `(N, H)` row vectors): one step of
# the chain rule back through the equation of $h_s$ above.
#
# > **Errata in the source notes, fixed here (erratum 4).** (1) `dV = ...` replaced the
# > gradient of the later steps at every iteration; it must accumulate (`+=`). (2) At step 0
# > the notes read `hiddens[:, bptt_step - 1]`, i.e. `hiddens[:, -1]`: numpy's negative
# > index silently returns the **last** hidden state. The state before step 0 is the zero
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

# %% [markdown] lang="ja"
# ## 4 · 演習チャレンジ2: BPTT のループ (1 + 2点) [自動採点]
#
# > 【問題】以下はBPTTを行うプログラムである。なお簡単化のため活性化関数は恒等関数であるとする。また、calculate_dout関数は損失関数を出力に関して偏微分した値を返す関数であるとする。（お）にあてはまるのはなにか。
#
# ノートの演習チャレンジの RNN は **活性化関数なし** (恒等関数) で、重みは列ベクトルの記法です。
# 重みの名前も第 1〜3 節とは違います。
#
# | 役割 | このコース (01 とこのノートの第 1〜3 節) | ノートの演習チャレンジ (第 4 節) |
# |---|---|---|
# | 入力層 → 中間層 | $W_{in}$ = `Wx`、`(D, H)` | `W`、`(H, D)` |
# | 中間層 → 中間層 (再帰) | $W$ = `Wh`、`(H, H)` | `U`、`(H, H)` |
# | 中間層 → 出力層 | $W_{out}$、`(H, O)` | `V`、`(O, H)` |
#
# 注意: 文字 $W$ は、コースでは *中間層から中間層への* 重み、演習チャレンジでは *入力から中間層
# への* 重みです。演習チャレンジの名前で書くと
#
# $$h_t = x_t W^\top + h_{t-1} U^\top, \qquad o_t = h_t V^\top, \qquad
#   E = \frac{1}{2N}\sum_{t}\lVert o_t - y_t \rVert^2$$
#
# です。下のループは、出力の各時刻 $t$ について $h_t$ での誤差から始め、時刻 0 までさかのぼり
# ながら各時刻の寄与を `dW` と `dU` に足していきます。空欄は、$h_s$ での誤差 `delta_t` から
# 求める $h_{s-1}$ での誤差です (どちらも `(N, H)` の行ベクトル)。上の $h_s$ の式を通して、
# 連鎖律で 1 ステップさかのぼります。
#
# > **ノートの誤り (誤り 4、ここでは修正済み)。** (1) `dV = ...` は毎回それまでの時刻の勾配を
# > 上書きしていました。足し合わせる (`+=`) 必要があります。(2) 時刻 0 でノートは
# > `hiddens[:, bptt_step - 1]`、つまり `hiddens[:, -1]` を読んでいます。numpy の負の
# > インデックスは、何の警告もなく **最後の** 隠れ状態を返します。時刻 0 の前の状態は、ゼロの
# > 初期状態です。
#
# **4.1 · 試験形式の問題 (1点)。** 下の `bptt` の内側のループの最後にある空欄
# `delta_t = ____` に入るのはどれですか。
#
# * **(a)** `delta_t @ U`
# * **(b)** `delta_t @ V`
# * **(c)** `delta_t @ W`
# * **(d)** `delta_t * U`
#
# `bptt_choice` に `"a"`、`"b"`、`"c"`、`"d"` のいずれかを代入してください。

# %% nbgrader={"grade_id": "bptt_choice_code", "solution": true} lang="en"
# bptt_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
bptt_choice = "a"
### END SOLUTION

# %% nbgrader={"grade_id": "bptt_choice_code", "solution": true} lang="ja"
# bptt_choice = "a", "b", "c", "d" のいずれか
### BEGIN SOLUTION
bptt_choice = "a"
### END SOLUTION

# %% nbgrader={"grade_id": "bptt_choice", "grade": true, "locked": true} lang="en"
assert_true(str(bptt_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'bptt_choice should be one of "a", "b", "c", "d"')
print("bptt_choice: one of the four letters")

# %% nbgrader={"grade_id": "bptt_choice", "grade": true, "locked": true} lang="ja"
assert_true(str(bptt_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'bptt_choice は "a", "b", "c", "d" のいずれかにしてください')
print("bptt_choice: 4 つの記号のいずれかです")

# %% [markdown] lang="en"
# **4.2 · Implement it (2 points).** The network of the challenge is given (`rnn_net`);
# fill in the blank of `bptt`. The visible test compares your gradients with numerical
# ones.

# %% [markdown] lang="ja"
# **4.2 · 実装する (2点)。** 演習チャレンジのネットワークは用意してあります (`rnn_net`)。
# `bptt` の空欄を埋めてください。可視テストは、あなたの勾配を数値勾配と比べます。

# %% nbgrader={"grade_id": "rnn_net", "locked": true} lang="en"
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


# %% nbgrader={"grade_id": "rnn_net", "locked": true} lang="ja"
def rnn_net(xs, W, U, V):
    """演習チャレンジの、活性化関数が恒等関数の RNN。

    xs: (N, T, D), W: (H, D), U: (H, H), V: (O, H)。hiddens: (N, T, H) と
    outputs: (N, T, O) を返す。初期状態はゼロ。
    """
    N, T, _ = xs.shape
    hiddens = np.zeros((N, T, W.shape[0]))
    h = np.zeros((N, W.shape[0]))
    for t in range(T):
        h = xs[:, t] @ W.T + h @ U.T
        hiddens[:, t] = h
    return hiddens, hiddens @ V.T


# %% nbgrader={"grade_id": "bptt_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "bptt_code", "solution": true} lang="ja"
def bptt(xs, ys, W, U, V):
    """rnn_net の E = 二乗誤差の和 / (2N) の勾配 (dW, dU, dV)。

    xs: (N, T, D), ys: (N, T, O)。W, U, V と同じ形の配列を返す。
    """
    hiddens, outputs = rnn_net(xs, W, U, V)
    dW, dU, dV = np.zeros_like(W), np.zeros_like(U), np.zeros_like(V)
    do = outputs - ys
    N, T = ys.shape[:2]
    for t in reversed(range(T)):
        dV += do[:, t].T @ hiddens[:, t] / N
        delta_t = do[:, t] @ V  # h_t での誤差: (N, H)
        for s in reversed(range(t + 1)):
            prev_h = hiddens[:, s - 1] if s > 0 else np.zeros_like(hiddens[:, 0])
            dW += delta_t.T @ xs[:, s] / N
            dU += delta_t.T @ prev_h / N
            # h_{s-1} での誤差:
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

# %% [markdown] lang="en"
# ## 5 · The backward pass of one tanh step (3 points) [auto]
#
# Back to the course's convention. Forward (notebook 01): $h_t = \tanh(a_t)$ with
# $a_t = x_t W_x + h_{t-1} W_h + b$. Given the upstream gradient `dnext_h`
# $= \partial E / \partial h_t$, compute the gradients of the step's five inputs. Use the
# output `next_h` for the tanh derivative: $\tanh'(a) = 1 - \tanh^2(a)$ = `1 - next_h**2`.
# Sum the bias gradient over the batch.

# %% [markdown] lang="ja"
# ## 5 · tanh の 1 ステップの逆伝播 (3点) [自動採点]
#
# ここからはコースの記法に戻ります。順伝播 (ノートブック 01) は $h_t = \tanh(a_t)$、
# $a_t = x_t W_x + h_{t-1} W_h + b$ です。上流から来る勾配 `dnext_h`
# $= \partial E / \partial h_t$ が与えられたとき、このステップの 5 つの入力それぞれの勾配を
# 求めてください。tanh の微分には出力 `next_h` を使います:
# $\tanh'(a) = 1 - \tanh^2(a)$ = `1 - next_h**2`。バイアスの勾配はバッチについて足し合わせます。

# %% nbgrader={"grade_id": "rnn_step_backward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "rnn_step_backward_code", "solution": true} lang="ja"
def rnn_step_backward(dnext_h, x, prev_h, Wx, Wh, next_h):
    """tanh RNN の 1 ステップの逆伝播。

    dnext_h: (N, H), x: (N, D), prev_h: (N, H), Wx: (D, H), Wh: (H, H),
    next_h: (N, H) はこのステップの出力。(dx: (N, D), dprev_h: (N, H),
    dWx: (D, H), dWh: (H, H), db: (H,)) を返す。
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

# %% [markdown] lang="en"
# ## 6 · BPTT over a whole sequence (3 points) [auto]
#
# `dhs[:, t]` is the gradient of the loss with respect to `hs[:, t]` coming from *above*
# (the outputs). The state $h_t$ also feeds step $t+1$, so the total gradient at $h_t$ is
# `dhs[:, t]` **plus** the `dprev_h` returned by step $t+1$. Walk back from $t = T-1$ to
# $0$ with your `rnn_step_backward`, summing the weight gradients over time. The state
# before step 0 is `h0`; return its gradient as `dh0`.

# %% [markdown] lang="ja"
# ## 6 · 系列全体の BPTT (3点) [自動採点]
#
# `dhs[:, t]` は、*上* (出力) から来る `hs[:, t]` についての損失の勾配です。状態 $h_t$ は
# 時刻 $t+1$ にも渡されるので、$h_t$ での勾配の合計は `dhs[:, t]` **に**、時刻 $t+1$ が返す
# `dprev_h` を **足したもの** です。あなたの `rnn_step_backward` を使って $t = T-1$ から $0$
# までさかのぼり、重みの勾配を時刻について足し合わせてください。時刻 0 の前の状態は `h0` です。
# その勾配を `dh0` として返します。

# %% nbgrader={"grade_id": "rnn_backward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "rnn_backward_code", "solution": true} lang="ja"
def rnn_backward(dhs, xs, h0, Wx, Wh, hs):
    """tanh RNN の系列全体の逆伝播。

    dhs: (N, T, H) 上流からの勾配, xs: (N, T, D), h0: (N, H), Wx: (D, H),
    Wh: (H, H), hs: (N, T, H) 順伝播の状態。
    (dxs: (N, T, D), dh0: (N, H), dWx: (D, H), dWh: (H, H), db: (H,)) を返す。
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

# %% [markdown] lang="en"
# ## 7 · Try it: vanishing and exploding gradients
#
# Send a unit gradient into the last state of a 60-step sequence and follow its norm back
# with your `rnn_step_backward`. One step back multiplies the gradient (a row vector) by
# $\mathrm{diag}(1 - h_t^2)\,W_h^\top$: the derivative of tanh, then the recurrent weight.
# After $k$ steps back it has been multiplied by $k$ such factors. Two *different* numbers
# of $W_h$ tell what that product does:
#
# * The **largest singular value** $\sigma_{\max}(W_h)$ is the most $W_h$ can stretch any
#   vector in one step. With $|f'| \le 1$ for tanh, the growth over $k$ steps is bounded:
#
#   $$\Big\lVert \frac{\partial h_T}{\partial h_{T-k}} \Big\rVert
#     \le \big(\sigma_{\max}(W_h)\,\max|f'|\big)^k \le \sigma_{\max}(W_h)^k .$$
#
#   So $\sigma_{\max} < 1$ guarantees that the gradient vanishes. $\sigma_{\max} > 1$ only
#   *allows* it to grow; it does not make it grow.
# * The **spectral radius** $\rho(W_h)$, the largest absolute eigenvalue, sets the
#   long-run rate: $\lVert W_h^k \rVert^{1/k} \to \rho(W_h)$ as $k$ grows, so over many
#   steps a product of $W_h$'s shrinks or grows like $\rho^k$, and the tanh derivatives
#   (at most 1) only shrink it further. Always $\rho \le \sigma_{\max}$; for a random
#   non-symmetric matrix $\sigma_{\max}$ is clearly larger.
#
# The demo rescales a random $W_h$ to a chosen **spectral radius** $\rho$, not to a chosen
# largest singular value. The cell prints both numbers for each matrix, computed with
# `np.linalg.eigvals` and `np.linalg.svd`. Look at $\rho = 0.9$: its $\sigma_{\max}$ is
# above 1, and the gradient still vanishes, at the rate $\rho$ sets. At $\rho = 1$ the
# recurrent weight alone would keep the norm in the long run, and $\tanh' < 1$ makes it
# vanish slowly. Clearly above 1 ($\rho = 3$) the gradient explodes; the derivatives of
# saturated tanh units (close to 0) hold the growth back, which is why $\rho = 1.5$ stays
# roughly level here.

# %% [markdown] lang="ja"
# ## 7 · 試してみよう: 勾配消失と勾配爆発
#
# 60 ステップの系列の最後の状態に大きさ 1 の勾配を入れ、あなたの `rnn_step_backward` で
# さかのぼりながら、そのノルム (norm) を追いかけます。1 ステップさかのぼるたびに、勾配
# (行ベクトル) には $\mathrm{diag}(1 - h_t^2)\,W_h^\top$ が掛かります。tanh の微分と、中間層から
# 中間層への重みです。$k$ ステップさかのぼると、この因子が $k$ 個掛かっています。その積が
# どうなるかは、$W_h$ の *異なる* 2 つの数で決まります。
#
# * **最大特異値** (largest singular value) $\sigma_{\max}(W_h)$ は、$W_h$ が 1 ステップで
#   ベクトルを引き伸ばせる最大の倍率です。tanh では $|f'| \le 1$ なので、$k$ ステップでの増え方
#   には上限があります。
#
#   $$\Big\lVert \frac{\partial h_T}{\partial h_{T-k}} \Big\rVert
#     \le \big(\sigma_{\max}(W_h)\,\max|f'|\big)^k \le \sigma_{\max}(W_h)^k$$
#
#   したがって $\sigma_{\max} < 1$ なら勾配は必ず消失します。$\sigma_{\max} > 1$ は勾配が
#   増えることを *許す* だけで、増えることを保証しません。
# * **スペクトル半径** (spectral radius) $\rho(W_h)$ は固有値の絶対値の最大値で、長い目で見た
#   変化率を決めます。$k$ を大きくすると $\lVert W_h^k \rVert^{1/k} \to \rho(W_h)$ となるので、
#   多くのステップにわたる $W_h$ の積は $\rho^k$ のように縮むか伸びるかします。tanh の微分
#   (1 以下) はそれをさらに縮めるだけです。常に $\rho \le \sigma_{\max}$ で、対称でないランダムな
#   行列では $\sigma_{\max}$ のほうがはっきり大きくなります。
#
# このデモはランダムな $W_h$ を、指定した **スペクトル半径** $\rho$ になるよう定数倍しています。
# 最大特異値を指定しているのではありません。セルは各行列について両方の値を
# `np.linalg.eigvals` と `np.linalg.svd` で計算して表示します。$\rho = 0.9$ の行を見てください。
# $\sigma_{\max}$ は 1 より大きいのに、勾配は $\rho$ が決める速さで消失します。$\rho = 1$ では、
# 重みだけなら長い目で見てノルムは保たれますが、$\tanh' < 1$ のためゆっくり消失します。
# 1 よりはっきり大きい $\rho = 3$ では勾配爆発が起きます。飽和した tanh のユニットの微分
# (0 に近い) が増加を抑えるので、ここでは $\rho = 1.5$ はおおよそ横ばいになります。

# %% tags=["practice"] lang="en"
def scaled_recurrent_weight(rng, H, rho):
    """A random (H, H) weight rescaled so that its spectral radius is rho."""
    Wh = rng.standard_normal((H, H))
    return Wh * (rho / np.max(np.abs(np.linalg.eigvals(Wh))))


def spectral_radius(Wh):
    """The largest absolute eigenvalue of Wh."""
    return np.max(np.abs(np.linalg.eigvals(Wh)))


def largest_singular_value(Wh):
    """The largest singular value of Wh (its 2-norm)."""
    return np.linalg.svd(Wh, compute_uv=False)[0]


def gradient_norms_back_in_time(rho, T=60, H=32, D=4, seed=0):
    """||dL/dh_{T-1-k}|| for k = 0..T-1 after a unit gradient at the last state."""
    rng = np.random.default_rng(seed)
    Wh = scaled_recurrent_weight(rng, H, rho)
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


rhos = [0.5, 0.9, 1.0, 1.5, 3.0]
print("W_h of each curve (H = 32, seed 0): spectral radius and largest singular value")
print(f"{'ρ set':>8}{'ρ(W_h)':>10}{'σ_max(W_h)':>14}")
for rho in rhos:
    Wh = scaled_recurrent_weight(np.random.default_rng(0), 32, rho)  # the matrix of the curve
    print(f"{rho:>8}{spectral_radius(Wh):>10.3f}{largest_singular_value(Wh):>14.3f}")
curves = {f"ρ = {rho}": gradient_norms_back_in_time(rho) for rho in rhos}
plot_curves(curves, "Gradient norm flowing back through time", "steps back",
            "||dL/dh||", logy=True)
plt.show()

# %% tags=["practice"] lang="ja"
def scaled_recurrent_weight(rng, H, rho):
    """ランダムな (H, H) の重みを、スペクトル半径が rho になるよう定数倍したもの。"""
    Wh = rng.standard_normal((H, H))
    return Wh * (rho / np.max(np.abs(np.linalg.eigvals(Wh))))


def spectral_radius(Wh):
    """Wh の固有値の絶対値の最大値。"""
    return np.max(np.abs(np.linalg.eigvals(Wh)))


def largest_singular_value(Wh):
    """Wh の最大特異値 (2 ノルム)。"""
    return np.linalg.svd(Wh, compute_uv=False)[0]


def gradient_norms_back_in_time(rho, T=60, H=32, D=4, seed=0):
    """最後の状態に大きさ 1 の勾配を入れたときの ||dL/dh_{T-1-k}|| (k = 0..T-1)。"""
    rng = np.random.default_rng(seed)
    Wh = scaled_recurrent_weight(rng, H, rho)
    Wx = rng.standard_normal((D, H)) * 0.1
    xs, h0 = rng.standard_normal((1, T, D)), np.zeros((1, H))
    hs = rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": np.zeros(H)}, xs, h0)[0]
    states_before = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)  # 各 t の h_{t-1}
    dh = rng.standard_normal((1, H))
    dh /= np.linalg.norm(dh)
    norms = []
    for t in reversed(range(T)):
        norms.append(np.linalg.norm(dh))
        _, dh, _, _, _ = rnn_step_backward(dh, xs[:, t], states_before[:, t], Wx, Wh, hs[:, t])
    return norms


rhos = [0.5, 0.9, 1.0, 1.5, 3.0]
print("各曲線の W_h (H = 32、シード 0): スペクトル半径と最大特異値")
print(f"{'設定した ρ':>8}{'ρ(W_h)':>10}{'σ_max(W_h)':>14}")
for rho in rhos:
    Wh = scaled_recurrent_weight(np.random.default_rng(0), 32, rho)  # 曲線と同じ行列
    print(f"{rho:>8}{spectral_radius(Wh):>10.3f}{largest_singular_value(Wh):>14.3f}")
curves = {f"ρ = {rho}": gradient_norms_back_in_time(rho) for rho in rhos}
plot_curves(curves, "時間をさかのぼる勾配のノルム", "さかのぼったステップ数",
            "||dL/dh||", logy=True)
plt.show()

# %% [markdown] lang="en"
# **Explore it.** The explorer below does the same for a 16 × 16 recurrent weight
# (seed 0): move the spectral radius $\rho$ between 0.5 and 1.5 and switch the activation
# between tanh and the identity. It shows $\rho$ and $\sigma_{\max}$ of the matrix beside
# the curve. With the identity only $W$ acts: find a $\rho$ below 1 whose $\sigma_{\max}$ is
# above 1. The first step back may then exceed 1, as $\sigma_{\max}$ allows, and the norm
# falls all the same.

# %% [markdown] lang="ja"
# **動かしてみよう。** 下のエクスプローラーは、16 × 16 の中間層から中間層への重み (シード 0)
# で同じことをします。スペクトル半径 $\rho$ を 0.5 から 1.5 の間で動かし、活性化関数を tanh と
# 恒等関数 (identity) で切り替えてください。行列の $\rho$ と $\sigma_{\max}$ が曲線の横に
# 表示されます。恒等関数では $W$ だけが働きます。$\rho$ が 1 より小さく $\sigma_{\max}$ が
# 1 より大きい設定を探してください。最初の 1 ステップでは $\sigma_{\max}$ が許すとおり 1 を
# 超えることがありますが、それでもノルムは減っていきます。

# %% tags=["practice"] lang="en"
from rnnlib.explorers import gradient_scale_explorer

gradient_scale_explorer(language="en")

# %% tags=["practice"] lang="ja"
from rnnlib.explorers import gradient_scale_explorer

gradient_scale_explorer(language="ja")

# %% [markdown] lang="en"
# **Truncated BPTT** stops the backward walk after $k$ steps. It is cheaper and, when
# gradients vanish anyway, loses little; when the early steps matter, it biases the
# gradient. Below: the relative error of $\partial E/\partial W_h$ computed with
# truncation $k$ against the full BPTT, for a loss on the last state only. The cell prints
# $\rho$ and $\sigma_{\max}$ of the two matrices it uses.

# %% [markdown] lang="ja"
# **打ち切り型 BPTT** (truncated BPTT) は、時間をさかのぼる計算を $k$ ステップで打ち切ります。計算が
# 安く、どうせ勾配が消失する場合は失うものがわずかです。最初のほうのステップが重要な場合は、
# 勾配に偏りが生じます。下の図は、最後の状態だけに損失があるとき、打ち切りの長さ $k$ で
# 計算した $\partial E/\partial W_h$ の、完全な BPTT に対する相対誤差です。セルは使う 2 つの
# 行列の $\rho$ と $\sigma_{\max}$ も表示します。

# %% tags=["practice"] lang="en"
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
    Wh = scaled_recurrent_weight(rng, H, rho)
    print(f"ρ = {rho}: spectral radius {spectral_radius(Wh):.3f}, "
          f"largest singular value {largest_singular_value(Wh):.3f}")
    Wx = rng.standard_normal((D, H)) * 0.5
    xs, h0 = rng.standard_normal((1, T, D)), np.zeros((1, H))
    hs = rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": np.zeros(H)}, xs, h0)[0]
    dhs = np.zeros_like(hs)
    dhs[:, -1] = 1.0
    full = truncated_dWh(T, dhs, xs, h0, Wx, Wh, hs)
    ks = list(range(1, T))  # k = T is the full BPTT itself
    errors = [np.linalg.norm(truncated_dWh(k, dhs, xs, h0, Wx, Wh, hs) - full) / np.linalg.norm(full)
              for k in ks]
    plt.semilogy(ks, errors, label=f"ρ = {rho}")
plt.title("Truncated BPTT: error of dWh against full BPTT")
plt.xlabel("truncation length k")
plt.ylabel("||dWh_k - dWh|| / ||dWh||")
plt.legend()
plt.show()

# %% tags=["practice"] lang="ja"
def truncated_dWh(k, dhs, xs, h0, Wx, Wh, hs):
    """各位置から最大 k ステップだけさかのぼって足した dWh (k >= T なら完全な BPTT)。"""
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
    Wh = scaled_recurrent_weight(rng, H, rho)
    print(f"ρ = {rho}: スペクトル半径 {spectral_radius(Wh):.3f}、"
          f"最大特異値 {largest_singular_value(Wh):.3f}")
    Wx = rng.standard_normal((D, H)) * 0.5
    xs, h0 = rng.standard_normal((1, T, D)), np.zeros((1, H))
    hs = rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": np.zeros(H)}, xs, h0)[0]
    dhs = np.zeros_like(hs)
    dhs[:, -1] = 1.0
    full = truncated_dWh(T, dhs, xs, h0, Wx, Wh, hs)
    ks = list(range(1, T))  # k = T が完全な BPTT そのもの
    errors = [np.linalg.norm(truncated_dWh(k, dhs, xs, h0, Wx, Wh, hs) - full) / np.linalg.norm(full)
              for k in ks]
    plt.semilogy(ks, errors, label=f"ρ = {rho}")
plt.title("打ち切り型 BPTT: 完全な BPTT に対する dWh の誤差")
plt.xlabel("打ち切りの長さ k")
plt.ylabel("||dWh_k - dWh|| / ||dWh||")
plt.legend()
plt.show()

# %% [markdown] lang="en"
# ## Summary
# * The chain rule multiplies local derivatives along the path through the intermediate
#   variable: $\frac{dz}{dx} = \frac{dz}{dt}\frac{dt}{dx}$.
# * BPTT is backpropagation on the network unrolled in time. $E_t$ depends on every
#   earlier state, so the error $\delta_t$ collects its own output's term and the term
#   $\delta_{t+1} W^\top$ from step $t+1$, times the activation's derivative.
# * Every weight is shared by all steps, so every gradient, the output weights' included,
#   is a sum over $t$; then each parameter takes one step $W \leftarrow W - \varepsilon\,
#   \partial E / \partial W$. Output weights need no trip back in time; recurrent and input
#   weights do.
# * Check a backward pass with centred-difference numerical gradients (relative error
#   around 1e-8 in float64 when it is right).
# * Repeated multiplication by the recurrent Jacobian makes gradients vanish or explode
#   over long sequences. $\sigma_{\max}(W)^k$ (times the activation's derivative) bounds
#   the growth over $k$ steps; the spectral radius $\rho(W)$ sets the long-run rate. This
#   is the motivation for LSTM and GRU (next notebooks) and for gradient clipping.

# %% [markdown] lang="ja"
# ## まとめ
# * 連鎖律は、中間の変数を通る経路に沿って局所的な微分を掛け合わせます:
#   $\frac{dz}{dx} = \frac{dz}{dt}\frac{dt}{dx}$。
# * BPTT は、時間方向に展開したネットワークでの誤差逆伝播法です。$E_t$ はそれ以前のすべての
#   状態に依存するので、誤差 $\delta_t$ には自分の出力の項と、時刻 $t+1$ からの項
#   $\delta_{t+1} W^\top$ が集まり、活性化関数の微分が掛かります。
# * どの重みもすべての時刻で共有されるので、出力層の重みも含めて勾配はすべて $t$ についての
#   和です。そのうえで各パラメータを $W \leftarrow W - \varepsilon\,\partial E / \partial W$ で
#   1 回更新します。出力層の重みは時間をさかのぼる必要がなく、中間層から中間層への重みと入力の
#   重みはさかのぼる必要があります。
# * 逆伝播の実装は、中心差分による数値勾配で確かめます (正しければ float64 で相対誤差は
#   1e-8 程度)。
# * 再帰のヤコビ行列 (Jacobian) を繰り返し掛けるので、長い系列では勾配が消失・爆発します。$k$ ステップでの
#   増え方の上限は $\sigma_{\max}(W)^k$ (と活性化関数の微分の積) で、長い目で見た変化率は
#   スペクトル半径 $\rho(W)$ が決めます。これが LSTM と GRU (次のノートブック)、そして勾配
#   クリッピング (gradient clipping) の動機です。
