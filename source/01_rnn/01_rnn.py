# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
# # 01 · Recurrent neural networks (RNN)
#
# *Deep Learning, Day 3 — Section 1.* Japanese terms appear beside the English ones the
# first time: 確認テスト (*kakunin tesuto*) = **confirmation test**, 演習チャレンジ
# (*enshū charenji*) = **code challenge**. Both carry the numbers of the study notes the
# course comes from, and each quotes the notes' question in Japanese with an English
# rendering under it.
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

# %% [markdown] lang="ja"
# # 01 · 再帰型ニューラルネットワーク (RNN)
#
# *深層学習 Day 3 — Section 1。* 確認テストと演習チャレンジには、このコースのもとになった学習ノートと同じ番号を付け、ノートの問題文をそのまま引用しています。
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. どんなデータが**時系列データ** (time-series data) なのか、なぜ順伝播型 (feed-forward) のネットワークでは扱いにくいのかを説明できる。
# 2. RNN の式を書き、3つの重み行列それぞれの役割を言える。
# 3. RNN の1ステップと系列全体の計算を、ベクトル化した numpy で実装できる。
# 4. 構文木の上の再帰的ニューラルネットワーク (recursive neural network) を読める。
# 5. 通時的誤差逆伝播 (BPTT, backpropagation through time) で小さな RNN に2進数の足し算を学習させ、初期化 (initialisation)・学習率 (learning rate)・中間層のサイズ・活性化関数によって学習がどう変わるかを確かめられる。
#
# ## このノートブックの進め方
# * `# YOUR CODE HERE` / `YOUR ANSWER HERE` と書かれたセルが解答欄です。コードを書いたら `raise NotImplementedError()` の行は消してください。
# * 各課題の下のセルは**可視テスト** (visible test) です。実行すると `OK` の行が表示されるか、どこが違うかが示されます。提出すると、同じセルで**隠しテスト** (hidden test) も別のランダムな入力で実行されます。見えている例だけに合わせず、どんな入力でも正しく動くコードを書いてください。
# * 配点は各見出しにあります。*[自動採点]* の問題は自動で採点され、*[手動採点]* の解答は担当の先生が読みます。
# * 「練習」と「試してみよう」のセルでは小さなネットワークを学習させます。採点はされません。実行してグラフを見てください。
#
# ## コース全体の約束ごと
# * バッチは**行**に並べます。入力のバッチは `x: (N, D)` (N 個の例、D 個の特徴量)、隠れ状態 (hidden state) は `h: (N, H)`、系列は `xs: (N, T, D)` (T は時刻の数) です。
# * 重みは右から掛けます。`Wx: (D, H)`、`Wh: (H, H)` なので、1ステップの計算は `x @ Wx + h @ Wh + b` となり、`b: (H,)` はバッチ全体にブロードキャストされます。
# * 乱数には必ずシードを与えます: `rng = np.random.default_rng(seed)`。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import d_tanh, sigmoid
from rnnlib.binary_adder import AdderConfig, predict_sums, train_binary_adder
from rnnlib.gradcheck import numerical_gradient, rel_error
from rnnlib.language import set_language
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses

set_language("en")

# %% nbgrader={"grade_id": "imports", "locked": true} lang="ja"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import d_tanh, sigmoid
from rnnlib.binary_adder import AdderConfig, predict_sums, train_binary_adder
from rnnlib.gradcheck import numerical_gradient, rel_error
from rnnlib.language import set_language
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses

set_language("ja")

# %% [markdown] lang="en"
# ## 1 · Confirmation test 1 (確認テスト1): the output size of a convolution (1 + 1 points) [auto]
#
# > 【問題】サイズ5×5の入力画像を、サイズ3×3のフィルタで畳み込んだ時の出力画像のサイズを答えよ。なおストライドは2、パディングは1とする。
# >
# > *A 5×5 input image is convolved with a 3×3 filter. Give the size of the output
# > image. The stride is 2 and the padding is 1.*
#
# A review of Day 2 (convolutional networks). For an input of height $H$, filter height
# $F_H$, stride $S$ and padding $P$ (added on *both* sides) the output height is
#
# $$O_H = \left\lfloor \frac{H + 2P - F_H}{S} \right\rfloor + 1 .$$
#
# The same formula holds for the width. Implement it for integers, then store the answer
# to the question (the output is square, so one number) in `conv_answer`.

# %% [markdown] lang="ja"
# ## 1 · 確認テスト1: 畳み込みの出力サイズ (1 + 1点) [自動採点]
#
# > 【問題】サイズ5×5の入力画像を、サイズ3×3のフィルタで畳み込んだ時の出力画像のサイズを答えよ。なおストライドは2、パディングは1とする。
#
# Day 2 (畳み込みニューラルネットワーク) の復習です。入力の高さを $H$、フィルタの高さを $F_H$、ストライドを $S$、パディングを $P$ (上下の*両側*に加えます) とすると、出力の高さは
#
# $$O_H = \left\lfloor \frac{H + 2P - F_H}{S} \right\rfloor + 1$$
#
# です。幅も同じ式で求まります。この式を整数について実装し、そのうえで問題の答えを `conv_answer` に入れてください (出力は正方形なので、数は1つです)。

# %% nbgrader={"grade_id": "conv_output_size_code", "solution": true} lang="en"
def conv_output_size(H, FH, stride, pad):
    """Output height of a convolution.

    H: input height, FH: filter height, stride: step between filter positions,
    pad: zero rows added on each side. Returns an int.
    """
    ### BEGIN SOLUTION
    return (H + 2 * pad - FH) // stride + 1
    ### END SOLUTION


# %% nbgrader={"grade_id": "conv_output_size_code", "solution": true} lang="ja"
def conv_output_size(H, FH, stride, pad):
    """畳み込みの出力の高さ。

    H: 入力の高さ、FH: フィルタの高さ、stride: フィルタを動かす幅、
    pad: 上下それぞれに加えるゼロの行数。int を返します。
    """
    ### BEGIN SOLUTION
    return (H + 2 * pad - FH) // stride + 1
    ### END SOLUTION


# %% nbgrader={"grade_id": "conv_output_size", "grade": true, "locked": true} lang="en"
assert_close(conv_output_size(28, 5, 1, 0), 24, "28x28 input, 5x5 filter, stride 1, no padding")
assert_close(conv_output_size(32, 3, 1, 1), 32, "'same' padding keeps the size")
assert_true(isinstance(conv_output_size(9, 3, 2, 0), (int, np.integer)),
            "conv_output_size should return an int (use // for the division)")

# %% nbgrader={"grade_id": "conv_output_size", "grade": true, "locked": true} lang="ja"
assert_close(conv_output_size(28, 5, 1, 0), 24, "入力 28x28、フィルタ 5x5、ストライド 1、パディングなし")
assert_close(conv_output_size(32, 3, 1, 1), 32, "'same' パディングではサイズが変わらない")
assert_true(isinstance(conv_output_size(9, 3, 2, 0), (int, np.integer)),
            "conv_output_size は int を返してください (割り算には // を使います)")

# %% nbgrader={"grade_id": "conv_answer_code", "solution": true} lang="en"
# The output size for a 5x5 input, 3x3 filter, stride 2, padding 1 (one int).
### BEGIN SOLUTION
conv_answer = 3
### END SOLUTION

# %% nbgrader={"grade_id": "conv_answer_code", "solution": true} lang="ja"
# 入力 5x5、フィルタ 3x3、ストライド 2、パディング 1 のときの出力サイズ (int を1つ)。
### BEGIN SOLUTION
conv_answer = 3
### END SOLUTION

# %% nbgrader={"grade_id": "conv_answer", "grade": true, "locked": true} lang="en"
assert_true(isinstance(conv_answer, (int, np.integer)), "conv_answer should be one int, e.g. 4")

# %% nbgrader={"grade_id": "conv_answer", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(conv_answer, (int, np.integer)), "conv_answer は int を1つにしてください (例: 4)")

# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ## 2 · 時系列データ
#
# **時系列データ** (time series) とは、時間の順に (多くは一定の間隔で) 観測された値の並びで、値どうしに統計的な依存関係があるものです。次に来る値は、それまでの値と関係しています。音声、テキスト (単語の並び)、センサーの測定値、株価などがその例です。順伝播型のネットワークは決まった大きさの入力を一度に受け取るだけで、順序という考えを持ちません。RNN は1時刻ずつ読み進め、**状態**を次の時刻へ引き継ぎます。
#
# ### 2.1 · 時系列データとは何か (1点) [手動採点]
# RNN が利用している時系列データの性質は何でしょうか。2、3文で答え、上に挙げたもの*以外*の例を2つ挙げてください。

# %% [markdown] nbgrader={"grade_id": "time_series_answer", "solution": true, "grade": true, "points": 1} lang="en"
# <!-- BEGIN SOLUTION -->
# **Model answer.** The observations are ordered and statistically dependent on earlier
# ones, so the past helps predict the present; an RNN keeps a hidden state that summarises
# the past. Examples: hourly temperature, ECG signals, video frames, keystrokes, server
# logs, DNA read along the strand.
#
# **Rubric (1 pt).** 0.5 for *order + dependence on earlier values* (just "data over time"
# earns nothing); 0.5 for two valid examples that are not audio, text or stock prices.
# <!-- END SOLUTION -->

# %% [markdown] nbgrader={"grade_id": "time_series_answer", "solution": true, "grade": true, "points": 1} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** 観測値には順序があり、それぞれが前の値に統計的に依存しているので、過去が現在の予測に役立ちます。RNN は過去をまとめた隠れ状態を持ち続けることで、この依存関係を利用します。例: 1時間ごとの気温、心電図、動画のフレーム、キー入力の記録、サーバーのログ、DNA の塩基配列。
#
# **採点基準 (1点)。** *順序と前の値への依存* を述べていれば 0.5点 (「時間とともに変わるデータ」だけでは0点)。音声・テキスト・株価以外の正しい例を2つ挙げていれば 0.5点。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
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
# > **Errata in the source notes.** The output was once written $y = g(W_{out} z + x)$:
# > the term added is the output bias $c$, not the input $x$ (which does not even have
# > the right size). The notes' model answer to 確認テスト4 (notebook 02) leaves $c$ out
# > as well.
#
# ### 3.1 · Warm-up for confirmation test 2: the three weights (1 point) [auto]
# Read the equations above and match each weight to its role: set `weight_roles` to a
# dict with keys `"W_in"`, `"W"`, `"W_out"` and values among
#
# * `"a"`: maps the input $x_t$ to the hidden layer;
# * `"b"`: maps the previous hidden state $z_{t-1}$ to the current hidden layer;
# * `"c"`: maps the hidden state $z_t$ to the output.

# %% [markdown] lang="ja"
# ## 3 · RNN の式
#
# 時刻 $t$ に、ネットワークは入力 $x_t$ と、自分自身の1つ前の状態 $z_{t-1}$ を受け取ります。
#
# $$u_t = x_t W_{in} + z_{t-1} W + b, \qquad z_t = f(u_t),$$
# $$v_t = z_t W_{out} + c, \qquad y_t = g(v_t).$$
#
# $f$ は中間層 (hidden layer) の活性化関数 (activation function; tanh やシグモイド)、$g$ は出力層 (output layer) の活性化関数、$b$ と $c$ はバイアス (bias) です。3つの重み (weight) は、どの時刻でも同じものを使います。
#
# > **元のノートの誤り。** 出力が $y = g(W_{out} z + x)$ と書かれている箇所があります。足すのは出力のバイアス $c$ で、入力 $x$ ではありません ($x$ では大きさも合いません)。確認テスト4 (ノートブック 02) のノートの解答も、$c$ を落としています。
#
# ### 3.1 · 確認テスト2の準備: 3つの重み (1点) [自動採点]
# 上の式を読んで、それぞれの重みを役割に対応させてください。`weight_roles` を、キーが `"W_in"`、`"W"`、`"W_out"` で、値が次のどれかである辞書にします。
#
# * `"a"`: 入力 $x_t$ を中間層へ写す。
# * `"b"`: 1つ前の隠れ状態 $z_{t-1}$ を現在の中間層へ写す。
# * `"c"`: 隠れ状態 $z_t$ を出力へ写す。

# %% nbgrader={"grade_id": "weight_roles_code", "solution": true} lang="en"
# weight_roles = {"W_in": ..., "W": ..., "W_out": ...}
### BEGIN SOLUTION
weight_roles = {"W_in": "a", "W": "b", "W_out": "c"}
### END SOLUTION

# %% nbgrader={"grade_id": "weight_roles_code", "solution": true} lang="ja"
# weight_roles = {"W_in": ..., "W": ..., "W_out": ...}  (値は "a"、"b"、"c" のどれか)
### BEGIN SOLUTION
weight_roles = {"W_in": "a", "W": "b", "W_out": "c"}
### END SOLUTION

# %% nbgrader={"grade_id": "weight_roles", "grade": true, "locked": true} lang="en"
assert_true(isinstance(weight_roles, dict) and set(weight_roles) == {"W_in", "W", "W_out"},
            'weight_roles should be a dict with exactly the keys "W_in", "W" and "W_out"')
assert_true(sorted(str(v).strip().lower() for v in weight_roles.values()) == ["a", "b", "c"],
            'use each of "a", "b" and "c" once')
print("weight_roles: well formed")

# %% nbgrader={"grade_id": "weight_roles", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(weight_roles, dict) and set(weight_roles) == {"W_in", "W", "W_out"},
            'weight_roles はキーがちょうど "W_in"、"W"、"W_out" の3つの辞書にしてください')
assert_true(sorted(str(v).strip().lower() for v in weight_roles.values()) == ["a", "b", "c"],
            '"a"、"b"、"c" をそれぞれ1回ずつ使ってください')
print("weight_roles: 形式は正しい")

# %% [markdown] lang="en"
# ### 3.2 · Confirmation test 2 (確認テスト2): the third weight (2 points) [manual]
#
# > 【問題】RNNのネットワークには大きくわけて3つの重みがある。1つは入力から現在の中間層を定義する際にかけられる重み、1つは中間層から出力を定義する際にかけられる重みである。残り1つの重みについて説明せよ。
# >
# > *An RNN has three main weights. One multiplies the input when the current hidden
# > layer is computed, one multiplies the hidden layer when the output is computed.
# > Explain the remaining one.*
#
# The figure of the network in the notes labels only these two, $W_{in}$ and $W_{out}$.
# In your own words: which is the third weight, what does it do, what could the network
# not do without it, and why is the *same* matrix used at every step? (A diagram with all
# three weights follows your answer, in 3.3.)

# %% [markdown] lang="ja"
# ### 3.2 · 確認テスト2: 3つ目の重み (2点) [手動採点]
#
# > 【問題】RNNのネットワークには大きくわけて3つの重みがある。1つは入力から現在の中間層を定義する際にかけられる重み、1つは中間層から出力を定義する際にかけられる重みである。残り1つの重みについて説明せよ。
#
# ノートのネットワークの図で名前が書かれている重みは、この2つ ($W_{in}$ と $W_{out}$) だけです。3つ目の重みはどれか、それが何をしているのか、それがないとネットワークは何ができなくなるのか、なぜどの時刻でも*同じ*行列を使うのかを、自分の言葉で説明してください (3つの重みをすべて描いた図は、解答欄の後の 3.3 にあります)。

# %% [markdown] nbgrader={"grade_id": "recurrent_weight_answer", "solution": true, "grade": true, "points": 2} lang="en"
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

# %% [markdown] nbgrader={"grade_id": "recurrent_weight_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** 3つ目は $W$ (中間層から中間層への重み) です。1つ前の時刻の情報を現在の隠れ状態へ運ぶ重みで、これがあるからネットワークは「再帰型」になります。$W$ がなければ各時刻は $x_t$ しか見られず、時刻ごとに別々に順伝播型ネットワークを当てはめるのと同じになって、文脈を使えません。1つの $W$ をすべての時刻で共有するので、決まった数のパラメータで任意の長さの系列を扱え、どの位置にも同じ規則を当てはめられます。
#
# **採点基準 (2点)。** 1点: $W$ ($z_{t-1}$ に掛かる、中間層から中間層への重み) を挙げ、前の状態 (過去の文脈) を現在の時刻へ渡すことを述べている (ないと記憶がなく、各時刻が独立になる)。1点: 重みの共有について、「任意の系列長を扱える」「パラメータ数が一定」「どの時刻にも同じ規則」のどれか1つを述べている。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# ### 3.3 · The whole picture, and the names of the weights
#
# ![An RNN drawn folded, with a loop on the hidden layer, and unrolled over three time steps: W_in from the input to the hidden layer, W from one hidden state to the next, W_out from the hidden layer to the output, the same weights at every step](attachment:rnn_folded_unrolled.png)
#
# On the left, the network folded, as the notes draw it, but with all three weights
# labelled: the loop on the hidden layer is $W$. On the right, the same network unrolled
# in time: one copy per time step, with the same $W_{in}$, $W$ and $W_{out}$ in every copy.
#
# The letters change between the notes' equations, the course's code and the notes'
# code challenges (演習チャレンジ), so here they are side by side:
#
# | In the equations | In the course's code (01–02) | In the notes' code challenges | Shape in the course | Role |
# |---|---|---|---|---|
# | $W_{in}$ | `Wx` (`W_in` in the binary adder) | `W` | `(D, H)` | input $x_t$ → hidden layer |
# | $W$ | `Wh` (`W` in the binary adder) | `U` | `(H, H)` | previous hidden state $z_{t-1}$ → hidden layer |
# | $W_{out}$ | `W_out` | `V` | `(H, O)` | hidden state $z_t$ → output |
#
# Watch the letter `W`: in the equations and in the code of 01–02 it is the *recurrent*
# weight, in the code challenges of the BPTT, LSTM, GRU and bidirectional sections
# (notebooks 02–05) it is the *input* weight. Those challenges also multiply from the
# left (`x.dot(W.T)`), so their matrices are the transposes of ours, e.g. `W: (H, D)`.
#
# The notes write the hidden state as $z_t$; the code calls it `h` (`prev_h`, `next_h`,
# `hs`). Later in the course $z$ names other things: the GRU's update gate in notebook 04
# and the VAE's latent variable in notebook 06.

# %% [markdown] lang="ja"
# ### 3.3 · 全体の図と、重みの呼び名
#
# ![中間層にループのある畳んだ RNN と、3時刻分に展開した RNN。W_in は入力から中間層へ、W は1つ前の隠れ状態から次の隠れ状態へ、W_out は中間層から出力へ。どの時刻でも同じ重み](attachment:rnn_folded_unrolled.png)
#
# 左は、ノートと同じ畳んだ形のネットワークですが、3つの重みすべてに名前を付けてあります。中間層のループが $W$ です。右は同じネットワークを時間方向に展開したもので、時刻ごとに1つずつコピーがあり、どのコピーも同じ $W_{in}$、$W$、$W_{out}$ を使います。
#
# ノートの式、このコースのコード、ノートの演習チャレンジのコードでは、同じ重みに別の文字が使われています。並べると次のとおりです。
#
# | 式での記号 | コースのコード (01–02) | ノートの演習チャレンジ | コースでの形 | 役割 |
# |---|---|---|---|---|
# | $W_{in}$ | `Wx` (2進数の足し算では `W_in`) | `W` | `(D, H)` | 入力 $x_t$ → 中間層 (入力から中間層への重み) |
# | $W$ | `Wh` (2進数の足し算では `W`) | `U` | `(H, H)` | 1つ前の隠れ状態 $z_{t-1}$ → 中間層 (中間層から中間層への重み) |
# | $W_{out}$ | `W_out` | `V` | `(H, O)` | 隠れ状態 $z_t$ → 出力 (中間層から出力層への重み) |
#
# 文字 `W` に注意してください。式と 01–02 のコードでは*中間層から中間層への*重みですが、BPTT・LSTM・GRU・双方向RNN の演習チャレンジ (ノートブック 02–05) では*入力の*重みです。これらの演習チャレンジは重みを左から掛ける (`x.dot(W.T)`) ので、行列の形もこのコースの転置になります (例: `W: (H, D)`)。
#
# ノートは隠れ状態を $z_t$ と書きますが、コードでは `h` (`prev_h`、`next_h`、`hs`) と呼びます。このコースの後半では $z$ は別のものを表します。ノートブック 04 では GRU の更新ゲート (update gate)、ノートブック 06 では VAE の潜在変数 (latent variable) です。

# %% [markdown] lang="en"
# ## 4 · Code challenge 1 (演習チャレンジ1): a recursive network over a parse tree (1 + 2 points) [auto]
#
# > 【問題】以下は再帰型ニューラルネットワークにおいて構文木を入力として再帰的に文全体の表現ベクトルを得るプログラムである。ただし、ニューラルネットワークの重みパラメータはグローバル変数として定義してあるものとし、_activation 関数はなんらかの活性化関数であるとする。木構造は再帰的な辞書で定義してあり、rootが最も外側の辞書であると仮定する。（く）にあてはまるのはどれか。
# >
# > *Below is a program that takes a parse tree as input and computes, recursively, a
# > vector for the whole sentence with a "再帰型" neural network. The network's weights
# > are global variables and `_activation` is some activation function. The tree is a
# > recursive dict; the root is the outermost dict. Which expression fills blank (く)?*
#
# **One Japanese word, two networks.** The notes call both networks
# 再帰型ニューラルネットワーク: the *recurrent* networks of this course (along time) and,
# in this question, a *recursive* network (over a tree). The course keeps them apart:
# 再帰型ニューラルネットワーク (recurrent) for RNNs, 再帰的ニューラルネットワーク
# (recursive) for tree networks.
#
# A *recursive* neural network combines the vectors of a tree bottom-up,
# like a parse tree read from the words up to the sentence. A leaf is a word vector of
# size $D$; an inner node is a dict `{"left": ..., "right": ...}`. An inner node's vector
# is again of size $D$: one learnt layer with weights `W: (D, 2D)`, bias `b: (D,)` and a
# tanh reads **both** children, the left one's $D$ numbers first, then the right one's,
# so that the phrase vector depends on each child and on their order. The same `W` and
# `b` are used at every node. (Unlike the notes, `W` and `b` are passed as arguments
# rather than globals, and the activation is tanh.)
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

# %% [markdown] lang="ja"
# ## 4 · 演習チャレンジ1: 構文木の上の再帰的ニューラルネットワーク (1 + 2点) [自動採点]
#
# > 【問題】以下は再帰型ニューラルネットワークにおいて構文木を入力として再帰的に文全体の表現ベクトルを得るプログラムである。ただし、ニューラルネットワークの重みパラメータはグローバル変数として定義してあるものとし、_activation 関数はなんらかの活性化関数であるとする。木構造は再帰的な辞書で定義してあり、rootが最も外側の辞書であると仮定する。（く）にあてはまるのはどれか。
#
# **同じ言葉で呼ばれる2つのネットワーク。** ノートは、このコースの主題である時間方向のネットワーク (recurrent neural network) も、この問題の木の上のネットワーク (recursive neural network) も、どちらも「再帰型ニューラルネットワーク」と呼んでいます。この2つは別物なので、このコースでは前者を再帰型ニューラルネットワーク、後者を再帰的ニューラルネットワークと書き分けます。
#
# 再帰的ニューラルネットワークは、構文木を単語から文へと下から順にたどりながら、木のベクトルを組み合わせていきます。葉は大きさ $D$ の単語ベクトル、内部のノードは辞書 `{"left": ..., "right": ...}` です。内部ノードのベクトルも大きさ $D$ です。重み `W: (D, 2D)`、バイアス `b: (D,)` と tanh からなる学習可能な1つの層が、子を**両方とも**読みます。左の子の $D$ 個の数を先に、続けて右の子の $D$ 個を読むので、句のベクトルはそれぞれの子とその順序の両方に依存します。どのノードでも同じ `W` と `b` を使います。(ノートと違い、ここでは `W` と `b` をグローバル変数ではなく引数で渡し、活性化関数は tanh とします。)
#
# **4.1 · 試験形式の問題 (1点)。** 空欄に入る式はどれですか。
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
# `traverse_choice` に `"a"`、`"b"`、`"c"`、`"d"` のどれかを入れてください。

# %% nbgrader={"grade_id": "traverse_choice_code", "solution": true} lang="en"
# traverse_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
traverse_choice = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "traverse_choice_code", "solution": true} lang="ja"
# traverse_choice = "a"、"b"、"c"、"d" のどれか
### BEGIN SOLUTION
traverse_choice = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "traverse_choice", "grade": true, "locked": true} lang="en"
assert_true(str(traverse_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'traverse_choice should be one of "a", "b", "c", "d"')
print("traverse_choice: one of the four letters")

# %% nbgrader={"grade_id": "traverse_choice", "grade": true, "locked": true} lang="ja"
assert_true(str(traverse_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'traverse_choice は "a"、"b"、"c"、"d" のどれかにしてください')
print("traverse_choice: 4つの選択肢のどれか")

# %% [markdown] lang="en"
# **4.2 · Implement it (2 points).** Complete `traverse`; it calls itself on the children.

# %% [markdown] lang="ja"
# **4.2 · 実装しよう (2点)。** `traverse` を完成させてください。子に対しては自分自身を呼び出します。

# %% nbgrader={"grade_id": "traverse_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "traverse_code", "solution": true} lang="ja"
def traverse(node, W, b):
    """構文木のノードのベクトル。

    node: 形 (D,) の葉のベクトル、または辞書 {"left": node, "right": node}。
    W: (D, 2D)、b: (D,)。形 (D,) の配列を返します。
    """
    if not isinstance(node, dict):
        return node
    left = traverse(node["left"], W, b)
    right = traverse(node["right"], W, b)
    ### BEGIN SOLUTION
    return np.tanh(W @ np.concatenate([left, right]) + b)
    ### END SOLUTION


# %% nbgrader={"grade_id": "traverse", "grade": true, "locked": true} lang="en"
tree = {"left": np.array([1.0, 0.0]),
        "right": {"left": np.array([0.0, 1.0]), "right": np.array([1.0, 1.0])}}
W_tree = np.array([[0.5, -0.2, 0.1, 0.3], [-0.4, 0.6, 0.2, -0.1]])
b_tree = np.array([0.05, -0.05])
assert_close(traverse(np.array([3.0, 4.0]), W_tree, b_tree), np.array([3.0, 4.0]),
             "a leaf is its own vector")
assert_close(traverse(tree, W_tree, b_tree), np.array([0.63275226, -0.42860237]), "tree vector")

# %% nbgrader={"grade_id": "traverse", "grade": true, "locked": true} lang="ja"
tree = {"left": np.array([1.0, 0.0]),
        "right": {"left": np.array([0.0, 1.0]), "right": np.array([1.0, 1.0])}}
W_tree = np.array([[0.5, -0.2, 0.1, 0.3], [-0.4, 0.6, 0.2, -0.1]])
b_tree = np.array([0.05, -0.05])
assert_close(traverse(np.array([3.0, 4.0]), W_tree, b_tree), np.array([3.0, 4.0]),
             "葉のベクトルはそのまま")
assert_close(traverse(tree, W_tree, b_tree), np.array([0.63275226, -0.42860237]), "木のベクトル")

# %% [markdown] lang="en"
# **4.3 · The picture.** What you have just implemented, drawn on a four-word sentence:
#
# ![A parse tree of four words: each inner node concatenates its left and right child into one vector of size 2D and applies one layer with the shared W and b; the root gives the sentence vector](attachment:recursive_tree.png)
#
# Every inner node puts its children side by side, left then right, into one vector of
# size $2D$, and the one layer with the shared `W: (D, 2D)` and `b` brings it back to
# size $D$. Going up the tree, the root's vector stands for the whole sentence.

# %% [markdown] lang="ja"
# **4.3 · 図で確かめる。** いま実装したものを、4単語の文で描くと次のようになります。
#
# ![4単語の構文木。内部ノードはどれも左の子と右の子を連結して大きさ 2D のベクトルにし、共通の W と b をもつ1つの層を当てはめる。根のベクトルが文全体のベクトル](attachment:recursive_tree.png)
#
# 内部ノードはどれも、子のベクトルを左、右の順に並べて連結 (concatenation) し、大きさ $2D$ のベクトルにします。共通の `W: (D, 2D)` と `b` をもつ1つの層が、それを大きさ $D$ に戻します。木を上にたどり、根のベクトルが文全体を表します。

# %% [markdown] lang="en"
# ## 5 · One RNN step (2 points) [auto]
#
# With tanh as the hidden activation and row-vector batches, one step is
#
# $$h_t = \tanh(x_t W_x + h_{t-1} W_h + b).$$
#
# (`Wx` is $W_{in}$ and `Wh` is $W$ of section 3; `h` is the notes' $z$.) Implement it
# without a loop over the batch.

# %% [markdown] lang="ja"
# ## 5 · RNN の1ステップ (2点) [自動採点]
#
# 中間層の活性化関数を tanh とし、バッチを行ベクトルで表すと、1ステップは
#
# $$h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$$
#
# です (`Wx` は §3 の $W_{in}$、`Wh` は $W$ で、`h` はノートの $z$ です)。バッチについてのループを使わずに実装してください。

# %% nbgrader={"grade_id": "rnn_step_forward_code", "solution": true} lang="en"
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One step of a tanh RNN.

    x: (N, D) inputs at this step, prev_h: (N, H) previous hidden state,
    Wx: (D, H), Wh: (H, H), b: (H,). Returns next_h: (N, H).
    """
    ### BEGIN SOLUTION
    return np.tanh(x @ Wx + prev_h @ Wh + b)
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_step_forward_code", "solution": true} lang="ja"
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """tanh を使う RNN の1ステップ。

    x: (N, D) この時刻の入力、prev_h: (N, H) 1つ前の隠れ状態、
    Wx: (D, H)、Wh: (H, H)、b: (H,)。next_h: (N, H) を返します。
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

# %% [markdown] lang="en"
# ## 6 · A whole sequence (3 points) [auto]
#
# Run the step over $t = 0, \dots, T-1$, starting from the given initial state `h0`, and
# return **all** hidden states: `hs[:, t]` is the state *after* reading `xs[:, t]`.
# Use your `rnn_step_forward`.

# %% [markdown] lang="ja"
# ## 6 · 系列全体 (3点) [自動採点]
#
# 与えられた初期状態 `h0` から始めて $t = 0, \dots, T-1$ についてステップを繰り返し、隠れ状態を**すべて**返してください。`hs[:, t]` は `xs[:, t]` を読んだ*後*の状態です。自分で書いた `rnn_step_forward` を使ってください。

# %% nbgrader={"grade_id": "rnn_forward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "rnn_forward_code", "solution": true} lang="ja"
def rnn_forward(xs, h0, Wx, Wh, b):
    """tanh を使う RNN の、系列全体の順伝播。

    xs: (N, T, D) 入力、h0: (N, H) 隠れ状態の初期値、Wx: (D, H)、Wh: (H, H)、b: (H,)。
    hs: (N, T, H)、つまり各ステップの後の隠れ状態を返します。
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


# %% nbgrader={"grade_id": "rnn_forward", "grade": true, "locked": true} lang="en"
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

# %% nbgrader={"grade_id": "rnn_forward", "grade": true, "locked": true} lang="ja"
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
assert_close(hs[:, 0], expected_hs[:, 0], "hs[:, 0] (最初のステップ)")
assert_close(hs, expected_hs, "hs")

# %% [markdown] lang="en"
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
# > **Erratum in the source notes.** Their code applied `d_sigmoid(y)` to the output,
# > the derivative at the output value instead of at the pre-activation, which computes
# > the wrong delta.
#
# Each run stops as soon as all 256 held-out sums are exact. How many iterations that
# takes depends on the random start, so the network is trained from 5 seeds (initial
# weights and order of the examples; about half a minute in all).

# %% [markdown] lang="ja"
# ## 7 · 練習: RNN が2進数の足し算を覚える
#
# 128 未満の2つの数を、**下の桁 (最下位ビット) から順に** 1ビットずつ入力します。ネットワークは各時刻で和の1ビットを出力します。第 $t$ ビットを正しく出すには、時刻 $t-1$ からの繰り上がりを覚えておかなければなりません。これこそが隠れ状態の役目です。
#
# 設定 (ノートと同じ): 8ビット、中間層のサイズ 16、学習率 0.1、重みは標準偏差 1 で生成、中間層と出力層の活性化関数はシグモイド、損失は二乗誤差で、1例ごとに系列全体の BPTT を行います。コードは `rnnlib/binary_adder.py` にあり、逆伝播の部分を下に表示します。出力のデルタ (delta) に注目してください。$y_t$ はすでにシグモイドの*出力*なので、その微分は $y_t(1-y_t)$ です。
#
# > **元のノートの誤り。** ノートのコードは出力に `d_sigmoid(y)` を適用していました。これは活性化前の値ではなく出力の値での微分なので、デルタが正しく求まりません。
#
# 学習は、評価用の256個の和がすべて正しくなった時点で止まります。そこまでの反復回数はランダムな初期値によって変わるので、5つのシード (重みの初期値と例の順序) で学習させます (全部で30秒ほどかかります)。

# %% tags=["practice"]
import inspect
import rnnlib.binary_adder as binary_adder

print(inspect.getsource(binary_adder.backward))

# %% tags=["practice"] lang="en"
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

# %% tags=["practice"] lang="ja"
seeds = range(5)
adder_runs = [train_binary_adder(AdderConfig(stop_when_perfect=True, seed=seed)) for seed in seeds]
print("評価用の和がすべて正しくなった反復回数: " + "、".join(
    f"{r.first_perfect_iteration()} (シード {s})" for s, r in zip(seeds, adder_runs)) + " 回")

longest = max(adder_runs, key=lambda r: len(r.iterations)).iterations
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
plot_curves({f"シード {s}": r.losses for s, r in zip(seeds, adder_runs)}, "2進数の足し算: 損失",
            "反復回数", "訓練損失", x=longest, ax=ax_loss)
plot_curves({f"シード {s}": r.accuracies for s, r in zip(seeds, adder_runs)},
            "2進数の足し算: 評価用の和の完全一致率", "反復回数", "完全一致の割合", x=longest,
            ax=ax_acc)
plt.show()

run = adder_runs[0]
a = np.array([16, 45, 100, 127, 3])
b_ = np.array([75, 19, 27, 127, 120])
for left, right, total in zip(a, b_, predict_sums(run.params, a, b_)):
    print(f"{left:3d} + {right:3d} = {total:3d}   {'OK' if total == left + right else '誤り'}")

# %% [markdown] lang="en"
# ## 8 · Try it
#
# Each curve below is a fresh run of 3,000 iterations; change the settings and re-run.
# **Weight scale, learning rate and hidden size** (the notes' suggestions: scale 1 → 10,
# learning rate 0.1 → 0.01, hidden size 16 → 32):

# %% [markdown] lang="ja"
# ## 8 · 試してみよう
#
# 下の各曲線は、3,000反復の学習を新しく1回ずつ行ったものです。設定を変えて実行し直してみてください。まずは**重みのスケール、学習率、中間層のサイズ**です (ノートの提案: スケール 1 → 10、学習率 0.1 → 0.01、中間層のサイズ 16 → 32)。

# %% tags=["practice"] lang="en"
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

# %% tags=["practice"] lang="ja"
def held_out_accuracy(**settings):
    """AdderConfig の項目を指定して3,000反復学習したときの、評価用の和の完全一致率の推移。"""
    result = train_binary_adder(AdderConfig(iterations=3000, **settings))
    return result.iterations, result.accuracies


settings = {
    "ノートの既定値": {},
    "重みのスケール 10": {"weight_scale": 10.0},
    "学習率 0.01": {"learning_rate": 0.01},
    "学習率 0.5": {"learning_rate": 0.5},
    "中間層のサイズ 32": {"hidden_size": 32},
}
curves = {}
for label, overrides in settings.items():
    iterations, curves[label] = held_out_accuracy(**overrides)
plot_curves(curves, "2進数の足し算: ハイパーパラメータの影響", "反復回数",
            "評価用の和の完全一致率", x=iterations)
plt.show()

# %% [markdown] lang="en"
# **Initialisation.** Xavier draws weights with standard deviation $1/\sqrt{n_{in}}$,
# He with $\sqrt{2/n_{in}}$ (suited to ReLU). Compare them with the fixed scale 1:

# %% [markdown] lang="ja"
# **初期化。** Xavier の初期化は標準偏差 $1/\sqrt{n_{in}}$ で、He の初期化は $\sqrt{2/n_{in}}$ (ReLU 向き) で重みを生成します。固定のスケール 1 と比べてみましょう。

# %% tags=["practice"] lang="en"
curves = {}
for label, init in [("scale 1", "scale"), ("Xavier", "xavier"), ("He", "he")]:
    iterations, curves[label] = held_out_accuracy(weight_init=init)
plot_curves(curves, "Binary addition: initialisation", "iteration", "held-out exact sums",
            x=iterations)
plt.show()

# %% tags=["practice"] lang="ja"
curves = {}
for label, init in [("スケール 1", "scale"), ("Xavier", "xavier"), ("He", "he")]:
    iterations, curves[label] = held_out_accuracy(weight_init=init)
plot_curves(curves, "2進数の足し算: 初期化", "反復回数", "評価用の和の完全一致率",
            x=iterations)
plt.show()

# %% [markdown] lang="en"
# **Hidden activation.** The derivative of tanh is $1 - \tanh^2(u)$.
#
# > **Errata in the source notes.** Their `d_tanh(x)` returned `np.tanh(x)`, the function
# > itself. Their tanh run then computed the hidden state as `z = d_tanh(u)`: that is
# > tanh only because of this bug, and with a correct `d_tanh` the same line would give
# > $1 - \tanh^2(u)$ instead of the activation. The forward pass calls `np.tanh(u)`;
# > `d_tanh` belongs to the backward pass. A numerical gradient shows the difference at
# > once:

# %% [markdown] lang="ja"
# **中間層の活性化関数。** tanh の微分は $1 - \tanh^2(u)$ です。
#
# > **元のノートの誤り。** ノートの `d_tanh(x)` は `np.tanh(x)`、つまり関数そのものを返していました。さらにノートの tanh の実行例では、隠れ状態を `z = d_tanh(u)` で計算しています。これが tanh になるのはこの誤りのおかげにすぎず、`d_tanh` を正しく直すと、同じ行は活性化ではなく $1 - \tanh^2(u)$ を計算してしまいます。順伝播では `np.tanh(u)` を呼び、`d_tanh` は逆伝播で使います。数値微分と比べると、違いはすぐにわかります。

# %% tags=["practice"] lang="en"
u = np.linspace(-2.0, 2.0, 7)
numerical = numerical_gradient(lambda v: np.sum(np.tanh(v)), u.copy())
print("relative error of 1 - tanh(u)**2:", rel_error(numerical, d_tanh(u)))
print("relative error of the notes' tanh(u):", rel_error(numerical, np.tanh(u)))

# %% tags=["practice"] lang="ja"
u = np.linspace(-2.0, 2.0, 7)
numerical = numerical_gradient(lambda v: np.sum(np.tanh(v)), u.copy())
print("1 - tanh(u)**2 の相対誤差:", rel_error(numerical, d_tanh(u)))
print("ノートの tanh(u) の相対誤差:", rel_error(numerical, np.tanh(u)))

# %% [markdown] lang="en"
# With ReLU the hidden state is unbounded and the gradient through $W$ can grow step
# after step (*exploding gradients*); the right-hand plot shows the gradient norm of $W$
# on a log scale.

# %% [markdown] lang="ja"
# ReLU では隠れ状態に上限がないので、$W$ を通る勾配が時刻を遡るたびに大きくなっていくことがあります。これを*勾配爆発* (exploding gradients) といいます。右のグラフは $W$ の勾配のノルムを対数目盛で示しています。

# %% tags=["practice"] lang="en"
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

# %% tags=["practice"] lang="ja"
accuracy, grad_norm = {}, {}
for activation in ["sigmoid", "tanh", "relu"]:
    result = train_binary_adder(AdderConfig(iterations=3000, activation=activation))
    accuracy[activation], grad_norm[activation] = result.accuracies, result.grad_norms
    iterations = result.iterations
fig, (ax_acc, ax_grad) = plt.subplots(1, 2, figsize=(11, 4))
plot_curves(accuracy, "2進数の足し算: 中間層の活性化関数", "反復回数", "評価用の和の完全一致率",
            x=iterations, ax=ax_acc)
plot_curves(grad_norm, "W の勾配のノルム", "反復回数", "100反復ごとの ||dW|| の最大値",
            x=iterations, logy=True, ax=ax_grad)
plt.show()

# %% [markdown] lang="en"
# ## Summary
# * A time series is ordered and each value depends on earlier ones; an RNN carries a
#   hidden state from step to step to use that dependence.
# * $u_t = x_t W_{in} + z_{t-1} W + b$, $z_t = f(u_t)$, $y_t = g(z_t W_{out} + c)$: $W_{in}$
#   reads the input, $W$ carries the past, $W_{out}$ produces the output; all three are
#   shared across time. (The notes' code challenges call them `W`, `U`, `V`.)
# * A sequence forward pass is a loop of the step function that keeps every hidden state.
# * Recursive networks apply the same combination bottom-up over a tree instead of along a
#   sequence.
# * Training needs the gradient through every step (BPTT, next notebook); the scale of the
#   weights and the activation decide whether that gradient survives many steps.

# %% [markdown] lang="ja"
# ## まとめ
# * 時系列データには順序があり、各値は前の値に依存しています。RNN はこの依存関係を使うために、隠れ状態を時刻から時刻へ引き継ぎます。
# * $u_t = x_t W_{in} + z_{t-1} W + b$、$z_t = f(u_t)$、$y_t = g(z_t W_{out} + c)$。$W_{in}$ は入力を読み、$W$ は過去を運び、$W_{out}$ は出力を作ります。3つとも全時刻で共有されます (ノートの演習チャレンジでは `W`、`U`、`V` と呼ばれます)。
# * 系列全体の順伝播は、ステップ関数をループで繰り返し、隠れ状態をすべて保存するだけです。
# * 再帰的ニューラルネットワークは、同じ組み合わせの計算を、系列に沿ってではなく木の上で下から順に当てはめます。
# * 学習にはすべてのステップを通る勾配が必要です (BPTT、次のノートブック)。その勾配が多くのステップを越えて残るかどうかは、重みのスケールと活性化関数で決まります。
