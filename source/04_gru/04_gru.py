# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
# # 04 · Gated recurrent unit (GRU)
#
# *Deep Learning, Day 3 — Section 3.* 確認テスト = **confirmation test**, 演習チャレンジ =
# **code challenge**, リセットゲート = **reset gate**, 更新ゲート = **update gate**.
# The confirmation test and the code challenge carry the notes' numbers and quote the
# notes' question.
#
# ## Learning goals
# After this notebook you can
# 1. write the GRU equations and say what the reset and update gates do;
# 2. compare the GRU with the LSTM: gates, state, parameter count;
# 3. implement a GRU step and sequence, forward and backward, and check them;
# 4. train RNN, LSTM and GRU on the same long-range memory task and compare accuracy,
#    time and size;
# 5. say how PyTorch's `nn.GRU` differs from the GRU of this course.
#
# ## The GRU
# The LSTM has many parameters and costs much computation per step. The GRU simplifies it:
# it keeps **one** state $h$ (no separate cell) and has **two** gates, computed from the
# input and the previous state:
#
# $$z = \sigma(x W_z + h U_z) \quad\text{(update gate)},\qquad
#   r = \sigma(x W_r + h U_r) \quad\text{(reset gate)},$$
# $$\bar h = \tanh\big(x W + (r \odot h)\, U\big) \quad\text{(candidate)}.$$
#
# The reset gate decides how much of the old state the candidate $\bar h$ may look at.
# The update gate makes the new state, per unit, a weighted average of the old state $h$
# and the candidate $\bar h$, with weights that add up to 1.
#
# > **Letters.** In this notebook $z$ is the **update gate**. Mind the letter when you
# > compare: in notebooks 01–02 the notes' $z_t$ was the hidden state of the simple RNN,
# > and in notebook 06 $z$ is the VAE's latent variable. The hidden state of the GRU is
# > $h$ here.
#
# > **Convention.** In this course, as in the source notes, $z \to 1$ takes the candidate
# > and $z \to 0$ keeps the old state. Other texts and libraries may use the opposite role;
# > section 1.3 compares this GRU with PyTorch's `nn.GRU` (which differs in more than
# > that).
#
# Row-vector batches as before: `x: (N, D)`, `h: (N, H)`.

# %% [markdown] lang="ja"
# # 04 · ゲート付き回帰型ユニット (GRU)
#
# *講義「深層学習 Day3」Section3 に対応します。* 確認テストと演習チャレンジには、講義ノートと
# 同じ番号を付け、ノートの問題文をそのまま引用しています。
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. GRU の式を書き、リセットゲート (reset gate) と更新ゲート (update gate) の役割を説明できる。
# 2. GRU と LSTM を、ゲート・状態・パラメータ数の点で比べられる。
# 3. GRU の1ステップと系列全体を、順伝播と逆伝播の両方について実装し、検証できる。
# 4. 同じ長距離の記憶課題で単純なRNN・LSTM・GRU を学習させ、正解率・計算時間・大きさを比べられる。
# 5. PyTorch の `nn.GRU` がこのコースの GRU とどう違うかを説明できる。
#
# ## GRU
# LSTM はパラメータ数が多く、1ステップあたりの計算量も大きくなります。GRU (gated recurrent
# unit) は LSTM を簡略化したモデルです。状態は $h$ の **1つだけ** で (記憶セルを別に持ちません)、
# ゲートは **2つ** です。どちらのゲートも入力と1つ前の状態から計算します。
#
# $$z = \sigma(x W_z + h U_z) \quad\text{(更新ゲート)},\qquad
#   r = \sigma(x W_r + h U_r) \quad\text{(リセットゲート)},$$
# $$\bar h = \tanh\big(x W + (r \odot h)\, U\big) \quad\text{(候補)}.$$
#
# リセットゲートは、新しい隠れ状態の候補 (candidate) $\bar h$ が古い状態をどれだけ参照できるかを
# 決めます。更新ゲートは、新しい状態をユニットごとに古い状態 $h$ と候補 $\bar h$ の重み付き平均に
# します。2つの重みの和は 1 です。
#
# > **文字について。** このノートブックの $z$ は **更新ゲート** です。ほかのノートブックと
# > 比べるときは注意してください。ノートブック 01–02 ではノートの $z_t$ は単純なRNNの隠れ状態
# > (hidden state) でした。ノートブック 06 では $z$ は VAE の潜在変数です。GRU の隠れ状態は、
# > ここでは $h$ と書きます。
#
# > **約束事。** このコースでは講義ノートと同じく、$z \to 1$ で候補を取り込み、$z \to 0$ で
# > 古い状態を保ちます。教科書やライブラリによっては逆の役割にしているものもあります。
# > 1.3 節で、このGRUと PyTorch の `nn.GRU` を比べます (違いはそれだけではありません)。
#
# これまでと同じく行ベクトルのバッチで書きます: `x: (N, D)`、`h: (N, H)`。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.clipping import clip_global_norm
from rnnlib.datasets import first_token_recall
from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.language import set_language
from rnnlib.lstm_layer import LSTM
from rnnlib.plotting import plot_curves
from rnnlib.rnn_layer_backward import RNN
from rnnlib.sequence_classifier import layer_from_functions, train_last_step_classifier
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

set_language("en")

# %% nbgrader={"grade_id": "imports", "locked": true} lang="ja"
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.clipping import clip_global_norm
from rnnlib.datasets import first_token_recall
from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.language import set_language
from rnnlib.lstm_layer import LSTM
from rnnlib.plotting import plot_curves
from rnnlib.rnn_layer_backward import RNN
from rnnlib.sequence_classifier import layer_from_functions, train_last_step_classifier
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

set_language("ja")

# %% [markdown] lang="en"
# ## 1 · Code challenge 5 (演習チャレンジ5): the GRU cell (1 + 2 points) [auto]
#
# > 【問題】GRU(Gated Recurrent Unit)もLSTMと同様にRNNの一種であり、単純なRNNにおいて問題となる勾配消失問題を解決し、長期的な依存関係を学習することができる。LSTMに比べ変数の数やゲートの数が少なく、より単純なモデルであるが、タスクによってはLSTMより良い性能を発揮する。以下のプログラムはGRUの順伝播を行うプログラムである。ただし_sigmoid関数は要素ごとにシグモイド関数を作用させる関数である。（こ）にあてはまるのはどれか。
# >
# > *The GRU (gated recurrent unit), like the LSTM, is a kind of RNN: it overcomes the
# > vanishing gradients of a simple RNN and can learn long-range dependencies. It has
# > fewer variables and gates than the LSTM and is a simpler model, yet on some tasks it
# > does better than the LSTM. The program below computes the GRU's forward pass; the
# > function _sigmoid applies the sigmoid element by element. Which expression fills the
# > blank (こ)?*
#
# **1.1 · The exam question (1 point).** The notes' program multiplies by transposed
# weights (`x.dot(W_r.T)`); here, as everywhere in this course, the weights are multiplied
# from the right. The gates and the candidate are computed; which expression fills the
# blank?
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

# %% [markdown] lang="ja"
# ## 1 · 演習チャレンジ5: GRU のセル (1 + 2点) [自動採点]
#
# > 【問題】GRU(Gated Recurrent Unit)もLSTMと同様にRNNの一種であり、単純なRNNにおいて問題となる勾配消失問題を解決し、長期的な依存関係を学習することができる。LSTMに比べ変数の数やゲートの数が少なく、より単純なモデルであるが、タスクによってはLSTMより良い性能を発揮する。以下のプログラムはGRUの順伝播を行うプログラムである。ただし_sigmoid関数は要素ごとにシグモイド関数を作用させる関数である。（こ）にあてはまるのはどれか。
#
# **1.1 · 試験と同じ形の問題 (1点)。** ノートのプログラムは転置した重みを掛けています
# (`x.dot(W_r.T)`)。このコースではどこでも、重みを右から掛けます。ゲートと候補はすでに
# 計算してあります。空欄に入る式はどれでしょうか。
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
# `gru_choice` に `"a"`、`"b"`、`"c"`、`"d"` のいずれかを入れてください。

# %% nbgrader={"grade_id": "gru_choice_code", "solution": true}
# gru_choice = "a" / "b" / "c" / "d"
### BEGIN SOLUTION
gru_choice = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "gru_choice", "grade": true, "locked": true} lang="en"
assert_true(str(gru_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'gru_choice should be one of "a", "b", "c", "d"')
print("gru_choice: one of the four letters")

# %% nbgrader={"grade_id": "gru_choice", "grade": true, "locked": true} lang="ja"
assert_true(str(gru_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'gru_choice は "a"、"b"、"c"、"d" のいずれかにしてください')
print("gru_choice: 4つの記号のいずれかです")

# %% [markdown] lang="en"
# **1.2 · Implement it (2 points).** Complete the last line of `gru_cell` with the update
# of this course's convention.

# %% [markdown] lang="ja"
# **1.2 · 実装する (2点)。** `gru_cell` の最後の行を、このコースの約束事に従った更新式で
# 完成させてください。

# %% nbgrader={"grade_id": "gru_cell_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "gru_cell_code", "solution": true} lang="ja"
def gru_cell(x, h, W_r, U_r, W_z, U_z, W, U):
    """バイアスなしの GRU の1ステップ。

    x: (N, D), h: (N, H), W_r, W_z, W: (D, H), U_r, U_z, U: (H, H)。h_new: (N, H) を返す。
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

# %% [markdown] lang="en"
# ### 1.3 · The GRU cell as a diagram, and PyTorch's `nn.GRU`
#
# The cell you have just completed:
#
# ![The GRU cell: the reset gate r scales the old state inside the candidate h̃; the update gate z mixes the old state and the candidate into h_new = (1 − z) ⊙ h + z ⊙ h̃](attachment:gru_cell.png)
#
# **PyTorch's `nn.GRU` is not the same model with the gate flipped.** Its documentation
# gives (written here with row vectors and weights on the right, as in this course)
#
# $$r = \sigma(x W_{ir} + b_{ir} + h W_{hr} + b_{hr}), \qquad
#   z = \sigma(x W_{iz} + b_{iz} + h W_{hz} + b_{hz}),$$
# $$n = \tanh\big(x W_{in} + b_{in} + r \odot (h W_{hn} + b_{hn})\big), \qquad
#   h' = (1 - z) \odot n + z \odot h .$$
#
# It differs from this course's GRU in three ways:
#
# 1. **The role of $z$.** In PyTorch $z \to 1$ keeps the old state. Since
#    $1 - \sigma(a) = \sigma(-a)$, negating the weights and biases of the $z$ block turns
#    one gate into the other; this difference alone would be a mere renaming.
# 2. **Two biases per block**, $b_{i\ast}$ and $b_{h\ast}$. For the gates only their sum
#    matters (our one bias $= b_{i\ast} + b_{h\ast}$); $b_{hn}$, however, sits inside the
#    reset gate's product.
# 3. **Where the reset gate acts.** PyTorch applies $r$ *after* the recurrent product,
#    $r \odot (h W_{hn})$; this course (and the notes) applies it *before*,
#    $(r \odot h)\, U$. Unit $j$ of the first is $r_j \sum_k h_k U_{kj}$: one factor for
#    the whole sum. In the second each $h_k$ is scaled by its own $r_k$:
#    $\sum_k r_k h_k U_{kj}$.
#
# With $z \mapsto 1 - z$ and the biases mapped ($b_{hn} = 0$), the two forms give the same
# new state only when $H = 1$ (then $r$, $h$ and $U$ are numbers and
# $r \odot (h U) = (r \odot h) U$) or when $r = 1$ (no reset at all). With $H > 1$ and a
# reset gate that acts, they are two different GRU variants: PyTorch's (also cuDNN's;
# Keras calls it `reset_after=True`) and the one used here, where, as in Cho et al.'s
# original GRU paper (2014), the reset gate scales $h$ before the product. Both are in use;
# just do not expect the weights of one to give the outputs of the other. The course's own
# tests check this claim numerically.

# %% [markdown] lang="ja"
# ### 1.3 · 図で見る GRU のセルと、PyTorch の `nn.GRU`
#
# いま完成させたセルを図にすると次のようになります。
#
# ![GRU のセル。リセットゲート r は候補 h̃ の中で古い状態に掛かり、更新ゲート z は古い状態と候補を混ぜて h_new = (1 − z) ⊙ h + z ⊙ h̃ をつくる](attachment:gru_cell.png)
#
# **PyTorch の `nn.GRU` は、ゲートの向きを逆にしただけの同じモデルではありません。**
# PyTorch のドキュメントの式を、このコースと同じく行ベクトルで、重みを右から掛ける形に
# 書き直すと次のとおりです。
#
# $$r = \sigma(x W_{ir} + b_{ir} + h W_{hr} + b_{hr}), \qquad
#   z = \sigma(x W_{iz} + b_{iz} + h W_{hz} + b_{hz}),$$
# $$n = \tanh\big(x W_{in} + b_{in} + r \odot (h W_{hn} + b_{hn})\big), \qquad
#   h' = (1 - z) \odot n + z \odot h .$$
#
# このコースの GRU との違いは3つあります。
#
# 1. **$z$ の役割。** PyTorch では $z \to 1$ で古い状態を保ちます。$1 - \sigma(a) = \sigma(-a)$
#    なので、$z$ のブロックの重みとバイアスの符号を反転すれば、一方のゲートが他方のゲートに
#    なります。違いがこれだけなら、単なる呼び方の違いです。
# 2. **ブロックごとにバイアスが2つ** ($b_{i\ast}$ と $b_{h\ast}$) あります。ゲートでは和だけが
#    効きます (このコースのバイアス 1つ $= b_{i\ast} + b_{h\ast}$)。ただし $b_{hn}$ は
#    リセットゲートとの積の内側にあります。
# 3. **リセットゲートが掛かる位置。** PyTorch は $r$ を再帰の積の *後で* 掛けます:
#    $r \odot (h W_{hn})$。このコース (と講義ノート) は積の *前で* 掛けます: $(r \odot h)\, U$。
#    前者のユニット $j$ は $r_j \sum_k h_k U_{kj}$ で、和全体に1つの係数が掛かります。後者では
#    各 $h_k$ にそれぞれの $r_k$ が掛かります: $\sum_k r_k h_k U_{kj}$。
#
# $z \mapsto 1 - z$ と置き換え、バイアスを対応させても ($b_{hn} = 0$)、2つの形が同じ新しい
# 状態を与えるのは $H = 1$ のとき ($r$、$h$、$U$ がすべて数になり、
# $r \odot (h U) = (r \odot h) U$ が成り立つ) か、$r = 1$ のとき (リセットがまったく
# 働かない) だけです。$H > 1$ でリセットゲートが働けば、2つは別の GRU の変種です。
# PyTorch の形 (cuDNN も同じで、Keras では `reset_after=True` と呼びます) と、ここで使う形
# です。ここで使う形では、Cho らの GRU の原論文 (2014年) と同じく、リセットゲートが積の前で
# $h$ に掛かります。どちらも実際に使われていますが、一方の重みを他方に入れても (H > 1 では) 同じ出力には
# なりません。この主張は、コースのテストで数値的に確かめています。

# %% [markdown] lang="en"
# ## 2 · Confirmation test 8 (確認テスト8): LSTM vs GRU (1 + 1 + 2 points) [auto + manual]
#
# > 【問題】LSTMとGRUの違いを簡潔に述べよ。
# >
# > *Briefly state the difference between the LSTM and the GRU.*
#
# The question comes in two parts: first count, then compare.
#
# **2.1 [auto].** Count the trainable parameters of one layer with input size $D$ and
# hidden size $H$, biases included (one bias vector per block): an LSTM as in notebook 03
# and a GRU as in section 3 below (with biases).

# %% [markdown] lang="ja"
# ## 2 · 確認テスト8: LSTM と GRU の違い (1 + 1 + 2点) [自動採点 + 手動採点]
#
# > 【問題】LSTMとGRUの違いを簡潔に述べよ。
#
# この問いを2つに分けて尋ねます。まず数え、それから比べます。
#
# **2.1 [自動採点]。** 入力の大きさ $D$、隠れ状態の大きさ $H$ の層1つについて、学習する
# パラメータの数を数えてください。バイアスも含めます (ブロックごとにバイアスのベクトルが1つ)。
# LSTM はノートブック 03 のもの、GRU は下の 3節のもの (バイアスあり) です。

# %% nbgrader={"grade_id": "param_counts_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "param_counts_code", "solution": true} lang="ja"
def lstm_param_count(D, H):
    """LSTM の層1つの重みとバイアスの数 (int)。"""
    ### BEGIN SOLUTION
    return 4 * (D * H + H * H + H)
    ### END SOLUTION


def gru_param_count(D, H):
    """GRU の層1つの重みとバイアスの数 (int)。"""
    ### BEGIN SOLUTION
    return 3 * (D * H + H * H + H)
    ### END SOLUTION


# %% nbgrader={"grade_id": "lstm_param_count", "grade": true, "locked": true} lang="en"
assert_true(isinstance(lstm_param_count(2, 3), (int, np.integer)), "lstm_param_count should return an int")
assert_close(lstm_param_count(1, 1), 12, "an LSTM with D = H = 1")

# %% nbgrader={"grade_id": "lstm_param_count", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(lstm_param_count(2, 3), (int, np.integer)), "lstm_param_count は int を返してください")
assert_close(lstm_param_count(1, 1), 12, "D = H = 1 の LSTM")

# %% nbgrader={"grade_id": "gru_param_count", "grade": true, "locked": true} lang="en"
assert_true(isinstance(gru_param_count(2, 3), (int, np.integer)), "gru_param_count should return an int")
assert_close(gru_param_count(1, 1), 9, "a GRU with D = H = 1")

# %% nbgrader={"grade_id": "gru_param_count", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(gru_param_count(2, 3), (int, np.integer)), "gru_param_count は int を返してください")
assert_close(gru_param_count(1, 1), 9, "D = H = 1 の GRU")

# %% [markdown] lang="en"
# **2.2 [manual, 2 points]** Compare the LSTM and the GRU: their gates, their state, and
# what the GRU gives up or gains. When would you try the GRU first?

# %% [markdown] lang="ja"
# **2.2 [手動採点、2点]** LSTM と GRU を比べてください。ゲート、状態、そして GRU が何を
# 手放し、何を得ているか。どんなときに GRU を先に試しますか。

# %% [markdown] nbgrader={"grade_id": "lstm_vs_gru_answer", "solution": true, "grade": true, "points": 2} lang="en"
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

# %% [markdown] nbgrader={"grade_id": "lstm_vs_gru_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** LSTM には3つのゲート (入力・忘却・出力) があり、隠れ状態 $h$ とは別に
# 記憶セルの状態 $c$ を持ちます (セルの中に CEC があります)。GRU のゲートはリセットゲートと
# 更新ゲートの2つで、状態は1つだけです。更新ゲートが入力ゲートと忘却ゲートの役割をまとめて
# 担い ($1 - z$ で保ち、$z$ で書き込む)、出力ゲートはありません。そのため GRU の重みの
# ブロックは4つではなく3つで、パラメータ数は約 25 % 少なく、1ステップの計算も軽くなります。
# それでも多くの場合 LSTM と同じくらいよく学習します。一方、LSTM は独立したセルと出力ゲートに
# よって細かく制御できるので、特に難しい長距離の課題で有利になることがあります。計算資源や
# データが限られているときは、GRU を先に試します。
#
# **採点基準 (2点)。** 1点: ゲートと状態 (3つのゲート + セル と、2つのゲート・セルなし)。
# 1点: その結果 (パラメータが少ない・速い、更新ゲートが入力ゲートと忘却ゲートをまとめる) と、
# 妥当な「どんなときに」。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# ## 3 · One GRU step with stacked weights (3 points) [auto]
#
# For speed the three blocks are stacked as in notebook 03: `Wx: (D, 3H)`, `Wh: (H, 3H)`,
# `b: (3H,)`, **block order z, r, h̄**. The candidate's recurrent block multiplies
# $r \odot h$, so it cannot be computed in the same product as the gates:
#
# $$z = \sigma(x W_{x,z} + h W_{h,z} + b_z), \quad r = \sigma(x W_{x,r} + h W_{h,r} + b_r),$$
# $$\bar h = \tanh\big(x W_{x,\bar h} + (r \odot h) W_{h,\bar h} + b_{\bar h}\big), \quad
#   h_{new} = (1 - z) \odot h + z \odot \bar h .$$

# %% [markdown] lang="ja"
# ## 3 · 重みをまとめた GRU の1ステップ (3点) [自動採点]
#
# 計算を速くするため、ノートブック 03 と同じく3つのブロックの重みを横に並べてまとめます:
# `Wx: (D, 3H)`、`Wh: (H, 3H)`、`b: (3H,)`。**ブロックの順番は z、r、h̄** です。候補の再帰の
# ブロックは $r \odot h$ に掛かるので、ゲートと同じ1回の積では計算できません。
#
# $$z = \sigma(x W_{x,z} + h W_{h,z} + b_z), \quad r = \sigma(x W_{x,r} + h W_{h,r} + b_r),$$
# $$\bar h = \tanh\big(x W_{x,\bar h} + (r \odot h) W_{h,\bar h} + b_{\bar h}\big), \quad
#   h_{new} = (1 - z) \odot h + z \odot \bar h .$$

# %% nbgrader={"grade_id": "gru_step_forward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "gru_step_forward_code", "solution": true} lang="ja"
def gru_step_forward(x, prev_h, Wx, Wh, b):
    """GRU の1ステップ。x: (N, D), prev_h: (N, H), Wx: (D, 3H), Wh: (H, 3H), b: (3H,)。

    next_h: (N, H) を返す。
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

# %% [markdown] lang="en"
# ## 4 · A whole sequence (2 points) [auto]

# %% [markdown] lang="ja"
# ## 4 · 系列全体 (2点) [自動採点]

# %% nbgrader={"grade_id": "gru_forward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "gru_forward_code", "solution": true} lang="ja"
def gru_forward(xs, h0, Wx, Wh, b):
    """xs: (N, T, D), h0: (N, H), Wx: (D, 3H), Wh: (H, 3H), b: (3H,)。hs: (N, T, H) を返す。"""
    ### BEGIN SOLUTION
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = gru_step_forward(xs[:, t], h, Wx, Wh, b)
        hs[:, t] = h
    return hs
    ### END SOLUTION


# %% nbgrader={"grade_id": "gru_forward", "grade": true, "locked": true} lang="en"
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

# %% nbgrader={"grade_id": "gru_forward", "grade": true, "locked": true} lang="ja"
uses("gru_step_forward", gru_step_forward, "gru_forward")
N, T, D, H = 2, 3, 3, 2
h0 = np.linspace(-0.3, 0.4, N * H).reshape(N, H)
Wx = np.linspace(-1.0, 1.0, D * 3 * H).reshape(D, 3 * H)
Wh = np.linspace(0.6, -0.6, H * 3 * H).reshape(H, 3 * H)
b = np.linspace(0.0, 0.5, 3 * H)
xs = np.linspace(-0.3, 0.6, N * T * D).reshape(N, T, D)
hs = gru_forward(xs, h0, Wx, Wh, b)
assert_shape(hs, (N, T, H), "hs")
assert_close(hs[:, 0], gru_step_forward(xs[:, 0], h0, Wx, Wh, b), "hs[:, 0] は h0 から1ステップ進めたもの")
assert_close(hs[:, 2], gru_step_forward(xs[:, 2], hs[:, 1], Wx, Wh, b), "hs[:, 2] は hs[:, 1] の次のステップ")
passed("gru_forward", gru_forward)

# %% [markdown] lang="en"
# ## 5 · The backward pass of one step (4 points) [auto]
#
# Recompute the forward quantities, then go back through
# $h_{new} = (1-z) h + z \bar h$ (three paths: to $h$ directly, to $z$, to $\bar h$),
# through $\bar h$'s tanh and its product $(r \odot h) W_{h,\bar h}$ (which reaches both
# $r$ and $h$), and through the two sigmoids. `prev_h` receives gradient along **four**
# paths: directly, through $r \odot h$, and through the recurrent products of $z$ and $r$.
# Stack the pre-activation gradients in the order z, r, h̄; the candidate's block of
# `dWh` pairs with $r \odot h$, the other two with $h$.

# %% [markdown] lang="ja"
# ## 5 · 1ステップの逆伝播 (4点) [自動採点]
#
# 順伝播の値を計算し直してから、逆にたどります。まず $h_{new} = (1-z) h + z \bar h$ を通り
# (経路は3つ: $h$ へ直接、$z$ へ、$\bar h$ へ)、次に $\bar h$ の tanh とその積
# $(r \odot h) W_{h,\bar h}$ を通り (この積は $r$ と $h$ の両方に届きます)、最後に2つの
# シグモイドを通ります。`prev_h` には **4つ** の経路から勾配が届きます: 直接の経路、
# $r \odot h$ を通る経路、$z$ と $r$ の再帰の積を通る経路です。活性化前の値の勾配は z、r、h̄ の
# 順に並べてください。`dWh` の候補のブロックは $r \odot h$ と、残りの2つのブロックは $h$ と
# 組になります。

# %% nbgrader={"grade_id": "gru_step_backward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "gru_step_backward_code", "solution": true} lang="ja"
def gru_step_backward(dnext_h, x, prev_h, Wx, Wh, b):
    """GRU の1ステップの逆伝播。引数は gru_step_forward と同じで、dnext_h: (N, H) が加わる。

    (dx: (N, D), dprev_h: (N, H), dWx: (D, 3H), dWh: (H, 3H), db: (3H,)) を返す。
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

# %% [markdown] lang="en"
# ## 6 · BPTT through the GRU (3 points) [auto]
#
# As for the simple RNN: recompute the states, walk back in time, add the gradient from
# step $t+1$ to `dhs[:, t]`, and sum the weight gradients.

# %% [markdown] lang="ja"
# ## 6 · GRU の BPTT (3点) [自動採点]
#
# 単純なRNNのときと同じです。状態を計算し直し、時間を逆向きにたどり、時刻 $t+1$ から来た勾配を
# `dhs[:, t]` に足し、重みの勾配は全時刻にわたって合計します。

# %% nbgrader={"grade_id": "gru_backward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "gru_backward_code", "solution": true} lang="ja"
def gru_backward(dhs, xs, h0, Wx, Wh, b):
    """dhs: (N, T, H)。残りの引数は gru_forward と同じ。

    (dxs: (N, T, D), dh0: (N, H), dWx: (D, 3H), dWh: (H, 3H), db: (3H,)) を返す。
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

# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ## 7 · 練習: 単純なRNN・LSTM・GRU を並べて比べる
#
# 課題はノートブック 03 と同じです。記号が 60 ステップ続き、時刻 0 では目印の入力も点灯します。
# その後に続く 59 ステップの紛らわしい入力のあとで、ネットワークは目印の付いていた記号を
# 答えます。単純なRNNと LSTM はコースが用意した層 (ノートブック 01–03) で、GRU は
# **あなたの実装** です。学習の条件はすべて同じです: Adam、バッチサイズ 32、勾配のノルムを 5 で
# クリッピング、200 回の反復、隠れ状態の大きさ 32、シードはそれぞれ 5 つ (グラフはシードの平均と
# 範囲を、表はシードごとの値を示します)。LSTM の忘却ゲート (forget gate) のバイアスは
# ノートブック 03 と同じく 5 から始めます。GRU の更新ゲートのバイアスは -2 から始めます
# ($z \approx 0.12$)。こうすると、最初のうちは状態をほぼ保ちます。パラメータ数は **あなたの**
# `lstm_param_count` と `gru_param_count` (2節) に、読み出し層の分を足したものです。
# 実行には30秒ほどかかります。

# %% tags=["practice"] lang="en"
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

# %% tags=["practice"] lang="ja"
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
        for name, layer in [("単純なRNN", RNN), ("LSTM", lstm), ("あなたのGRU", my_gru)]}

fig, (ax_acc, ax_bar) = plt.subplots(1, 2, figsize=(13, 4))
plot_spread({name: [r.accuracies for r in rs] for name, rs in runs.items()},
            "59 ステップの紛らわしい入力を越えた想起 (偶然の正解率 = 0.25)", "反復",
            "検証データの正解率", x=runs["単純なRNN"][0].iterations, ax=ax_acc)
# パラメータ数: 2節のあなたの関数で数える (入力 D = 5: 目印 + 4つの記号、H = 32)。
# 読み出し層の分を足す
D, H = 5, 32
readout = H * 4 + 4
n_params = [D * H + H * H + H + readout, lstm_param_count(D, H) + readout,
            gru_param_count(D, H) + readout]
ax_bar.bar(list(runs), n_params, color=["C0", "C1", "C2"])
ax_bar.set_title("パラメータ数 (再帰の層 + 読み出し層)")
ax_bar.set_xlabel("モデル")
ax_bar.set_ylabel("パラメータ数")
plt.show()
print(f"{'最終正解率':<14}" + "".join(f"{'シード' + str(s):>9}" for s in seeds)
      + f"{'最小':>8}{'最大':>7}{'パラメータ数':>12}{'秒':>9}")
for (name, rs), count in zip(runs.items(), n_params):
    finals = [r.accuracies[-1] for r in rs]
    print(f"{name:<14}" + "".join(f"{a:>9.3f}" for a in finals)
          + f"{min(finals):>8.3f}{max(finals):>7.3f}{count:>12,}"
          + f"{sum(r.seconds for r in rs):>9.1f}")
print("(秒: 5つのシードの合計。あなたの GRU の逆伝播は順伝播を計算し直すので、キャッシュを "
      "持つコースの層とそのまま比べることはできません)")

# %% [markdown] lang="en"
# ## Summary
# * GRU: update gate $z$ and reset gate $r$, one state, $h_{new} = (1-z) h + z \bar h$ with
#   $\bar h = \tanh(x W + (r \odot h) U)$.
# * PyTorch's `nn.GRU` is another variant: its $z \to 1$ keeps the old state, each block
#   has two biases, and its reset gate multiplies the recurrent product,
#   $r \odot (h W_{hn} + b_{hn})$. With $z \mapsto 1 - z$ it equals this GRU only for
#   $H = 1$ or $r = 1$. (Its parameter count is $3(DH + H^2 + 2H)$.)
# * Parameters: LSTM $4(DH + H^2 + H)$, GRU $3(DH + H^2 + H)$: a GRU is about 25 % smaller
#   and faster per step.
# * Both gated networks carry information across many steps where a simple RNN cannot;
#   starting the "keep" gate open (LSTM forget bias > 0, GRU update bias < 0) helps them
#   learn quickly.

# %% [markdown] lang="ja"
# ## まとめ
# * GRU: 更新ゲート $z$ とリセットゲート $r$、状態は1つ。$h_{new} = (1-z) h + z \bar h$、
#   ただし $\bar h = \tanh(x W + (r \odot h) U)$。
# * PyTorch の `nn.GRU` は別の変種です。$z \to 1$ で古い状態を保ち、ブロックごとにバイアスが
#   2つあり、リセットゲートは再帰の積に掛かります: $r \odot (h W_{hn} + b_{hn})$。
#   $z \mapsto 1 - z$ と置き換えても、このコースの GRU と一致するのは $H = 1$ か $r = 1$ の
#   ときだけです (パラメータ数は $3(DH + H^2 + 2H)$)。
# * パラメータ数: LSTM は $4(DH + H^2 + H)$、GRU は $3(DH + H^2 + H)$。GRU は約 25 % 小さく、
#   1ステップの計算も速くなります。
# * ゲートを持つ2つのネットワークは、単純なRNNにはできない長いステップにわたる情報の運搬が
#   できます。「保つ」側のゲートを開いた状態から始める (LSTM の忘却ゲートのバイアス > 0、GRU の
#   更新ゲートのバイアス < 0) と、速く学習できます。
