# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
# # 05 · Bidirectional RNN
#
# *Deep Learning, Day 3 — Section 4.* 双方向RNN = **bidirectional RNN**, 演習チャレンジ =
# **code challenge**, 順方向 / 逆方向 = **forward / backward (direction)**, 連結 =
# **concatenation**.
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

# %% [markdown] lang="ja"
# # 05 · 双方向RNN
#
# *深層学習 Day 3 — Section 4。* 双方向RNN (bidirectional RNN)、演習チャレンジ (code
# challenge)、順方向 / 逆方向 (forward / backward)、連結 (concatenation) を扱います。
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. 系列の *未来* が現在の解釈に役立つのはどんなときかを説明する。
# 2. 2 つ目の RNN を系列の逆向きに走らせ、その状態を時刻ごとに順方向の状態とそろえる。
# 3. バッチ `(N, T, D)` の上で双方向RNNを実装する。
# 4. 右側 (後ろ) の文脈が必要なタスクで、一方向では学習できず、双方向なら学習できることを示す。
#
# ## 未来が役立つわけ
# 単純な RNN の状態 $h_t$ が要約しているのは $x_0, \dots, x_t$ だけです。しかし多くのタスクでは
# 両側が必要です。「はし」が橋か箸かは、後に続く「を渡る」「で食べる」を読んで初めて決まります。
# 機械翻訳、音声認識、品詞のタグ付けなどでは、出力が必要になる前に文全体がそろっています。
# **双方向RNN** は、それぞれ自分の重みをもつ 2 つの RNN を走らせます。1 つは
# $x_0 \dots x_{T-1}$ を順方向に読んで $\overrightarrow{h}_t$ を、もう 1 つは
# $x_{T-1} \dots x_0$ を逆方向に読んで $\overleftarrow{h}_t$ を出します。時刻 $t$ は
#
# $$h_t = [\,\overrightarrow{h}_t\,;\,\overleftarrow{h}_t\,] \in \mathbb{R}^{2H}$$
#
# で表します。
#
# 記法はこれまでと同じです: `xs: (N, T, D)`、`Wx: (D, H)`、`Wh: (H, H)`、`b: (H,)`。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.datasets import next_symbol_tagging
from rnnlib.language import set_language
from rnnlib.rnn_layer import rnn_layer_forward
from rnnlib.plotting import plot_curves
from rnnlib.tagger import train_tagger
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses

set_language("en")


def simple_rnn(xs, Wx, Wh, b):
    """The tanh RNN of notebook 01 from a zero initial state: xs (N, T, D) -> hs (N, T, H)."""
    h0 = np.zeros((xs.shape[0], Wh.shape[0]))
    return rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": b}, xs, h0)[0]


# %% nbgrader={"grade_id": "imports", "locked": true} lang="ja"
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.datasets import next_symbol_tagging
from rnnlib.language import set_language
from rnnlib.rnn_layer import rnn_layer_forward
from rnnlib.plotting import plot_curves
from rnnlib.tagger import train_tagger
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses

set_language("ja")


def simple_rnn(xs, Wx, Wh, b):
    """ノートブック 01 の tanh RNN (初期状態はゼロ): xs (N, T, D) -> hs (N, T, H)。"""
    h0 = np.zeros((xs.shape[0], Wh.shape[0]))
    return rnn_layer_forward({"Wx": Wx, "Wh": Wh, "b": b}, xs, h0)[0]


# %% [markdown] lang="en"
# ## 1 · Code challenge 6 (演習チャレンジ6): lining the two directions up (1 + 2 points) [auto]
#
# > 【問題】以下は双方向RNNの順伝播を行うプログラムである。順方向については、入力から中間層への重みW_f, 一ステップ前の中間層出力から中間層への重みをU_f、逆方向に関しては同様にパラメータW_b, U_bを持ち、両者の中間層表現を合わせた特徴から出力層への重みはVである。_ rnn 関数はRNNの順伝播を表し中間層の系列を返す関数であるとする。（か）にあてはまるのはなにか。
# >
# > *The program below runs the forward pass of a bidirectional RNN. The forward direction
# > has the weight W_f from the input to the hidden layer and the weight U_f from the
# > previous step's hidden output to the hidden layer; the backward direction likewise has
# > the parameters W_b and U_b; V is the weight from the features that join the two
# > directions' hidden representations to the output layer. The function _rnn runs an RNN
# > forward and returns the sequence of hidden states. What goes into the blank (か)?*
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

# %% [markdown] lang="ja"
# ## 1 · 演習チャレンジ6: 2 つの方向をそろえる (1 + 2点) [自動採点]
#
# > 【問題】以下は双方向RNNの順伝播を行うプログラムである。順方向については、入力から中間層への重みW_f, 一ステップ前の中間層出力から中間層への重みをU_f、逆方向に関しては同様にパラメータW_b, U_bを持ち、両者の中間層表現を合わせた特徴から出力層への重みはVである。_ rnn 関数はRNNの順伝播を表し中間層の系列を返す関数であるとする。（か）にあてはまるのはなにか。
#
# 逆方向の RNN は `xs[:, ::-1]` を読みます。そのため、逆方向の RNN が *最初に* 出す状態
# `hs_b[:, 0]` は **最後の** 時刻のもので、`hs_b[:, k]` は時刻 `T - 1 - k` のものです。時刻 $t$
# の表現は $[\,\overrightarrow{h}_t\,;\,\overleftarrow{h}_t\,]$ です。**同じ時刻の** 2 つの状態を
# 横に並べたもので、バッチ全体では `(N, T, 2H)` になります。
#
# **1.1 · 試験形式の問題 (1点)。** 2 つの RNN が出した `hs_f, hs_b: (N, T, H)` があります。
# 空欄に入る式はどれですか。
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
# `combine_choice` に `"a"`、`"b"`、`"c"`、`"d"` のいずれかを代入してください。

# %% nbgrader={"grade_id": "combine_choice_code", "solution": true} lang="en"
# combine_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
combine_choice = "a"
### END SOLUTION

# %% nbgrader={"grade_id": "combine_choice_code", "solution": true} lang="ja"
# combine_choice = "a", "b", "c", "d" のいずれか
### BEGIN SOLUTION
combine_choice = "a"
### END SOLUTION

# %% nbgrader={"grade_id": "combine_choice", "grade": true, "locked": true} lang="en"
assert_true(str(combine_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'combine_choice should be one of "a", "b", "c", "d"')
print("combine_choice: one of the four letters")

# %% nbgrader={"grade_id": "combine_choice", "grade": true, "locked": true} lang="ja"
assert_true(str(combine_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'combine_choice は "a", "b", "c", "d" のいずれかにしてください')
print("combine_choice: 4 つの記号のいずれかです")

# %% [markdown] lang="en"
# **1.2 · Implement it (2 points).**
#
# > **From the notes' `axis=1` to `axis=-1`.** The notes' program loops over the examples
# > of the batch and joins the states of *one* example at a time. There the forward states
# > and the backward states each have shape `(T, H)`: time on axis 0, features on axis 1,
# > so joining the features is `axis=1`. Here the whole batch is joined at once: `hs_f` and
# > `hs_b` are `(N, T, H)`, axis 1 is now the **time** axis, and the features are on axis
# > 2. `axis=-1`, the last axis, names the feature axis in both cases, which is why the
# > course writes it.
#
# > **Erratum in the source notes (erratum 3).** Their answer built `hs` as a Python
# > *list* of the concatenated states and then called `hs.dot(V.T)`: a list has no `.dot`.
# > Work with arrays (`np.concatenate` on the whole batch, or `np.stack` a list first).

# %% [markdown] lang="ja"
# **1.2 · 実装する (2点)。**
#
# > **ノートの `axis=1` から `axis=-1` へ。** ノートのプログラムはバッチの例を 1 つずつループで
# > 回し、*1 つの* 例の状態どうしを連結しています。そこでは順方向の状態も逆方向の状態も形
# > `(T, H)` で、軸 0 が時刻、軸 1 が特徴量です。だから特徴量どうしの連結は `axis=1` です。
# > ここではバッチ全体を一度に連結します。`hs_f` と `hs_b` は `(N, T, H)` で、軸 1 は **時刻** の
# > 軸になり、特徴量は軸 2 にあります。最後の軸を表す `axis=-1` は、どちらの場合も特徴量の軸を
# > 指します。コースが `axis=-1` と書くのはそのためです。
#
# > **ノートの誤り (誤り 3)。** ノートの解答は、連結した状態の Python の *リスト* として `hs` を
# > 作り、そのあと `hs.dot(V.T)` を呼んでいます。リストには `.dot` がありません。配列で計算して
# > ください (バッチ全体に `np.concatenate` を使うか、リストを先に `np.stack` します)。

# %% nbgrader={"grade_id": "combine_directions_code", "solution": true} lang="en"
def combine_directions(hs_f, hs_b):
    """hs_f: (N, T, H) forward states in time order; hs_b: (N, T, H) backward states in the
    order the backward RNN produced them. Returns hs: (N, T, 2H), forward features first."""
    ### BEGIN SOLUTION
    return np.concatenate([hs_f, hs_b[:, ::-1]], axis=-1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "combine_directions_code", "solution": true} lang="ja"
def combine_directions(hs_f, hs_b):
    """hs_f: (N, T, H) 時刻順の順方向の状態。hs_b: (N, T, H) 逆方向の RNN が出した順のままの
    逆方向の状態。hs: (N, T, 2H) を返す (順方向の特徴量が先)。"""
    ### BEGIN SOLUTION
    return np.concatenate([hs_f, hs_b[:, ::-1]], axis=-1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "combine_directions", "grade": true, "locked": true} lang="en"
hs_f = np.arange(12.0).reshape(1, 3, 4)          # step t holds 4t .. 4t+3
hs_b = -np.arange(12.0).reshape(1, 3, 4)[:, ::-1]  # produced last-step first
hs = combine_directions(hs_f, hs_b)
assert_shape(hs, (1, 3, 8), "hs")
assert_close(hs[0, 0], np.array([0.0, 1, 2, 3, 0, -1, -2, -3]), "hs at step 0")
assert_close(hs[0, 2], np.array([8.0, 9, 10, 11, -8, -9, -10, -11]), "hs at step 2")
passed("combine_directions", combine_directions)

# %% nbgrader={"grade_id": "combine_directions", "grade": true, "locked": true} lang="ja"
hs_f = np.arange(12.0).reshape(1, 3, 4)          # 時刻 t は 4t .. 4t+3
hs_b = -np.arange(12.0).reshape(1, 3, 4)[:, ::-1]  # 最後の時刻から順に出したもの
hs = combine_directions(hs_f, hs_b)
assert_shape(hs, (1, 3, 8), "hs")
assert_close(hs[0, 0], np.array([0.0, 1, 2, 3, 0, -1, -2, -3]), "時刻 0 の hs")
assert_close(hs[0, 2], np.array([8.0, 9, 10, 11, -8, -9, -10, -11]), "時刻 2 の hs")
passed("combine_directions", combine_directions)

# %% [markdown] lang="en"
# The picture of what you just wrote: the two RNNs over the same inputs, and at every time
# step the forward and the backward state of that step joined on the feature axis.
#
# ![A bidirectional RNN: the forward and the backward state of each step, concatenated](attachment:bidirectional_rnn.png)

# %% [markdown] lang="ja"
# いま書いたものを図にすると次のようになります。同じ入力の上を 2 つの RNN が走り、各時刻で
# その時刻の順方向の状態と逆方向の状態が特徴量の軸で連結されます。
#
# ![双方向RNN: 各時刻の順方向と逆方向の状態を連結する](attachment:bidirectional_rnn.png)

# %% [markdown] lang="en"
# ## 2 · A bidirectional RNN on a batch (3 points) [auto]
#
# Run `simple_rnn` (defined above) forward with the `_f` parameters, run it on the
# time-reversed sequence with the `_b` parameters, and combine the two with your
# `combine_directions`.

# %% [markdown] lang="ja"
# ## 2 · バッチ上の双方向RNN (3点) [自動採点]
#
# `simple_rnn` (上で定義済み) を `_f` のパラメータで順方向に走らせ、時刻を逆にした系列の上で
# `_b` のパラメータで走らせ、2 つをあなたの `combine_directions` でまとめてください。

# %% nbgrader={"grade_id": "bidirectional_rnn_forward_code", "solution": true} lang="en"
def bidirectional_rnn_forward(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    """xs: (N, T, D); forward and backward parameters Wx: (D, H), Wh: (H, H), b: (H,).

    Returns hs: (N, T, 2H), hs[:, t] = [forward state at t ; backward state at t].
    """
    ### BEGIN SOLUTION
    hs_f = simple_rnn(xs, Wx_f, Wh_f, b_f)
    hs_b = simple_rnn(xs[:, ::-1], Wx_b, Wh_b, b_b)
    return combine_directions(hs_f, hs_b)
    ### END SOLUTION


# %% nbgrader={"grade_id": "bidirectional_rnn_forward_code", "solution": true} lang="ja"
def bidirectional_rnn_forward(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b):
    """xs: (N, T, D)。順方向と逆方向のパラメータは Wx: (D, H), Wh: (H, H), b: (H,)。

    hs: (N, T, 2H) を返す。hs[:, t] = [時刻 t の順方向の状態 ; 時刻 t の逆方向の状態]。
    """
    ### BEGIN SOLUTION
    hs_f = simple_rnn(xs, Wx_f, Wh_f, b_f)
    hs_b = simple_rnn(xs[:, ::-1], Wx_b, Wh_b, b_b)
    return combine_directions(hs_f, hs_b)
    ### END SOLUTION


# %% nbgrader={"grade_id": "bidirectional_rnn_forward", "grade": true, "locked": true} lang="en"
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

# %% nbgrader={"grade_id": "bidirectional_rnn_forward", "grade": true, "locked": true} lang="ja"
uses("combine_directions", combine_directions, "bidirectional_rnn_forward")
rng = np.random.default_rng(0)
N, T, D, H = 2, 5, 3, 4
xs = rng.standard_normal((N, T, D))
params_f = [rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, np.zeros(H)]
params_b = [rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, np.zeros(H)]
hs = bidirectional_rnn_forward(xs, *params_f, *params_b)
assert_shape(hs, (N, T, 2 * H), "hs")
assert_close(hs[:, :, :H], simple_rnn(xs, *params_f), "順方向の半分")
# 最後の時刻の逆方向の状態は x_{T-1} しか読んでいない:
last_only = simple_rnn(xs[:, -1:], *params_b)[:, 0]
assert_close(hs[:, -1, H:], last_only, "最後の時刻の逆方向の半分")
assert_true(not np.allclose(hs[:, 0, H:], last_only),
            "時刻 0 の逆方向の半分は系列全体を読んでいるはずです")
print("時刻 0 の逆方向の半分は系列全体を読んでいます")

# %% [markdown] lang="en"
# ## 3 · Written question: when not to use it (2 points) [manual]
#
# A bidirectional RNN cannot produce its output for step $t$ before it has read the whole
# sequence. Name a task where that rules it out, and one where it is the better choice,
# and say why in each case.

# %% [markdown] lang="ja"
# ## 3 · 記述問題: 使えない場面 (2点) [手動採点]
#
# 双方向RNNは、系列全体を読み終えるまで時刻 $t$ の出力を出せません。そのために使えないタスクを
# 1 つ、双方向RNNのほうが適しているタスクを 1 つ挙げ、それぞれ理由を述べてください。

# %% [markdown] nbgrader={"grade_id": "when_bidirectional_answer", "solution": true, "grade": true, "points": 2} lang="en"
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

# %% [markdown] nbgrader={"grade_id": "when_bidirectional_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** 入力が届くそばから出力が必要な場合や、未来そのものを予測する場合には使えません。
# 例: 遅延の小さいリアルタイム音声認識、次の単語の予測 / 言語モデルによる文の生成、時系列の
# 予測。系列全体が先にそろっていて、各位置が両側に依存する場合には双方向RNNのほうが適して
# います。例: 品詞や固有表現のタグ付け、機械翻訳のエンコーダ、文の空欄補充、オフラインの
# 音声認識。
#
# **採点基準 (2点)。** 1 点: 使えないタスクとその理由 (オンライン処理 / 生成 / 未来が予測対象)
# を正しく挙げている。1 点: 適しているタスクとその理由 (系列全体が手元にある、両側の文脈が
# 必要) を正しく挙げている。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# ## 4 · Practice: a task that needs the right-hand context
#
# Each step shows one of 4 symbols (one-hot); the tag of step $t$ is the symbol at step
# $t+1$ (the last step is tagged with its own symbol). A forward RNN has not seen
# $x_{t+1}$ when it must tag step $t$: it can only guess (chance 0.25 on 11 of the 12
# steps). A bidirectional one has. Both are trained the same way (Adam, batches of 32,
# 400 iterations, hidden size 16 per direction, a soft-max read-out at every step), each
# from 5 seeds: the plot shows the mean and the range over the seeds, the table every
# seed. The bidirectional tagger runs **your** `bidirectional_rnn_forward`.

# %% [markdown] lang="ja"
# ## 4 · 練習: 右側の文脈が必要なタスク
#
# 各時刻に 4 種類の記号のどれか 1 つ (one-hot ベクトル) が現れます。時刻 $t$ のタグは、時刻
# $t+1$ の記号です (最後の時刻には自分自身の記号をタグとして付けます)。順方向の RNN は、時刻
# $t$ にタグを付けるときにまだ $x_{t+1}$ を見ていないので、当て推量しかできません (12 時刻の
# うち 11 時刻で偶然の正解率 0.25)。双方向の RNN は見ています。どちらも同じ方法で学習します
# (Adam、バッチサイズ 32、400 回の反復、方向ごとに隠れ状態の大きさ 16、各時刻にソフトマックス
# の出力層)。それぞれ 5 つのシードから学習し、図はシードについての平均と範囲を、表は各シードの
# 結果を示します。双方向のタグ付けモデル (tagger) は **あなたの** `bidirectional_rnn_forward` を使います。

# %% tags=["practice"] lang="en"
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

# %% tags=["practice"] lang="ja"
from rnnlib.plotting import plot_spread

tagging = partial(next_symbol_tagging, T=12, n_symbols=4)
seeds = range(5)
runs = {name: [train_tagger(name, forward, tagging, n_classes=4, seed=seed) for seed in seeds]
        for name, forward in [("順方向のみ", None), ("双方向", bidirectional_rnn_forward)]}
plot_spread({name: [r.accuracies for r in rs] for name, rs in runs.items()},
            "各時刻に次の記号のタグを付ける", "反復回数",
            "検証データでの正解率 (全時刻)", x=runs["順方向のみ"][0].iterations)
plt.show()
print(f"{'最終的な正解率':<15}" + "".join(f"{'シード ' + str(s):>9}" for s in seeds)
      + f"{'最小':>8}{'最大':>7}{'パラメータ数':>12}{'秒':>9}")
for name, rs in runs.items():
    finals = [r.accuracies[-1] for r in rs]
    print(f"{name:<15}" + "".join(f"{a:>9.3f}" for a in finals)
          + f"{min(finals):>8.3f}{max(finals):>7.3f}{rs[0].n_params:>12}"
          + f"{sum(r.seconds for r in rs):>9.1f}")

# %% [markdown] lang="en"
# ## Summary
# * A bidirectional RNN = a forward and a backward RNN with separate weights; step $t$ is
#   represented by both states, so it sees the whole sequence.
# * The backward states come out last-step first: reverse them along the **time** axis
#   before concatenating along the **feature** axis (`axis=-1`: axis 1 for one example
#   `(T, H)` as in the notes, axis 2 for a batch `(N, T, H)`).
# * It doubles the state size and needs the complete sequence before any output: good for
#   tagging, encoding and offline recognition; not for generation or online prediction.

# %% [markdown] lang="ja"
# ## まとめ
# * 双方向RNN = 別々の重みをもつ順方向の RNN と逆方向の RNN。時刻 $t$ を両方の状態で表すので、
#   系列全体が見えます。
# * 逆方向の状態は最後の時刻から順に出てきます。**時刻** の軸で逆順に戻してから、**特徴量** の
#   軸で連結します (`axis=-1`。ノートのように 1 つの例 `(T, H)` なら軸 1、バッチ `(N, T, H)`
#   なら軸 2 です)。
# * 状態の大きさは 2 倍になり、出力の前に系列全体が必要です。タグ付け、エンコード、オフラインの
#   認識には向きますが、生成やオンラインの予測には向きません。
