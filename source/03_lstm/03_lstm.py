# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
# # 03 · Long short-term memory (LSTM)
#
# *Deep Learning, Day 3 — Section 2.* 確認テスト = **confirmation test**, 演習チャレンジ =
# **code challenge**, 勾配消失 = **vanishing gradient**, 勾配爆発 = **exploding gradient**,
# 入力重み衝突 / 出力重み衝突 = **input / output weight conflict**,
# 忘却ゲート = **forget gate**, 入力ゲート = **input gate**, 出力ゲート = **output gate**,
# 覗き穴結合 = **peephole connection**.
#
# ## Learning goals
# After this notebook you can
# 1. say why a simple RNN struggles with long sequences (vanishing and exploding gradients);
# 2. clip gradients by their norm, for one array and for a whole model;
# 3. explain what the CEC, the input, output and forget gates and peephole connections fix,
#    and what the input and output weight conflicts are;
# 4. implement an LSTM cell, step and sequence, forward and backward, and check them;
# 5. train your LSTM on a long-range memory task where a simple RNN fails.
#
# ## Conventions
# As before, `x: (N, D)`, `h, c: (N, H)`, `xs: (N, T, D)`. The four gate pre-activations
# come from **one** product, $A = x W_x + h_{t-1} W_h + b$ with `Wx: (D, 4H)`,
# `Wh: (H, 4H)`, `b: (4H,)`, split into four blocks of width $H$ **in the order
# i (input gate), f (forget gate), o (output gate), g (candidate)**. The notes use another
# order; section 5 puts the two side by side.
#
# Section 3 says what each gate does to the cell state $c$; from that you write the cell
# update yourself in section 4.

# %% [markdown] lang="ja"
# # 03 · 長・短期記憶 (LSTM)
#
# *講義「深層学習 Day3」Section2 に対応します。*
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. 単純なRNNが長い系列を苦手とする理由を、勾配消失 (vanishing gradient) と勾配爆発
#    (exploding gradients) から説明できる。
# 2. 勾配をノルムでクリッピングできる（1つの配列についても、モデル全体についても）。
# 3. CEC、入力ゲート・出力ゲート・忘却ゲート、覗き穴結合がそれぞれ何を解決するのかを説明でき、
#    入力重み衝突・出力重み衝突とは何かを説明できる。
# 4. LSTMのセル・1ステップ・系列全体を、順伝播と逆伝播の両方について実装し、検証できる。
# 5. 単純なRNNでは解けない長距離の記憶課題で、自分で実装したLSTMを学習させられる。
#
# ## 記法
# これまでと同じく、`x: (N, D)`、`h, c: (N, H)`、`xs: (N, T, D)` とします。4つのゲートの
# 活性化前の値は、**1回の**積 $A = x W_x + h_{t-1} W_h + b$ からまとめて求めます
# （`Wx: (D, 4H)`、`Wh: (H, 4H)`、`b: (4H,)`）。$A$ は幅 $H$ の4つのブロックに分け、
# その順番は **i（入力ゲート）、f（忘却ゲート）、o（出力ゲート）、g（候補）** です。
# 講義ノートは別の順番を使っています。5節で両者を並べて示します。
#
# 各ゲートが記憶セル (memory cell) の状態 $c$ に何をするかは3節で説明します。
# それをもとに、4節でセルの更新式を自分で書きます。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
from functools import partial

import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import sigmoid
from rnnlib.datasets import first_token_recall
from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.language import set_language
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
from rnnlib.datasets import first_token_recall
from rnnlib.gradcheck import numerical_gradient_array
from rnnlib.language import set_language
from rnnlib.plotting import plot_curves
from rnnlib.rnn_layer_backward import RNN
from rnnlib.sequence_classifier import layer_from_functions, train_last_step_classifier
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true, passed, uses

set_language("ja")

# %% [markdown] lang="en"
# ## 1 · Why: vanishing gradients
#
# BPTT multiplies the error by the derivative of the activation at every step back. The
# sigmoid's derivative $\sigma'(u) = \sigma(u)(1 - \sigma(u))$ is at most its value at
# $u = 0$; after many steps the product of such factors shrinks towards zero (*vanishing*),
# or, with large recurrent weights, grows without bound (*exploding*).
#
# ### 1.1 · Confirmation test 5 (確認テスト5): the largest value of the sigmoid's derivative (1 point) [auto]
#
# > 【問題】シグモイド関数を微分した時、入力値が0の時に最大値をとる。その値はなにか。
# >
# > *When the sigmoid function is differentiated, the derivative takes its largest value
# > at input 0. What is that value?*
#
# Which is the maximum of $\sigma'(u)$: 0.15, 0.25, 0.35 or 0.45? Store the number in
# `sigmoid_derivative_max`.

# %% [markdown] lang="ja"
# ## 1 · なぜLSTMか：勾配消失
#
# BPTTでは、1ステップさかのぼるたびに、誤差に活性化関数の微分が掛かります。シグモイド関数の
# 微分 $\sigma'(u) = \sigma(u)(1 - \sigma(u))$ は、$u = 0$ での値より大きくなりません。
# このような因子を何ステップ分も掛け合わせると、積は0に近づいていきます（勾配消失）。
# 逆に再帰の重みが大きいと、積は際限なく大きくなります（勾配爆発）。
#
# ### 1.1 · 確認テスト5：シグモイド関数の微分の最大値 (1点) [自動採点]
#
# > 【問題】シグモイド関数を微分した時、入力値が0の時に最大値をとる。その値はなにか。
#
# $\sigma'(u)$ の最大値は 0.15、0.25、0.35、0.45 のどれですか。その数を
# `sigmoid_derivative_max` に代入してください。

# %% nbgrader={"grade_id": "sigmoid_max_code", "solution": true}
### BEGIN SOLUTION
sigmoid_derivative_max = 0.25
### END SOLUTION

# %% nbgrader={"grade_id": "sigmoid_max", "grade": true, "locked": true} lang="en"
assert_true(sigmoid_derivative_max in (0.15, 0.25, 0.35, 0.45),
            "sigmoid_derivative_max should be one of 0.15, 0.25, 0.35, 0.45")
print("sigmoid_derivative_max: one of the four choices")

# %% nbgrader={"grade_id": "sigmoid_max", "grade": true, "locked": true} lang="ja"
assert_true(sigmoid_derivative_max in (0.15, 0.25, 0.35, 0.45),
            "sigmoid_derivative_max は 0.15、0.25、0.35、0.45 のいずれかにしてください")
print("sigmoid_derivative_max: 4つの選択肢のいずれか")

# %% [markdown] lang="en"
# ## 2 · Code challenge 3 (演習チャレンジ3): gradient clipping (1 + 2 + 2 points) [auto]
#
# > 【問題】RNNや深いモデルでは勾配の消失または爆発が起こる傾向がある。勾配爆発を防ぐために
# > 勾配のクリッピングを行うという手法がある。具体的には勾配のノルムがしきい値を超えたら、
# > 勾配のノルムをしきい値に正規化するというものである。以下は勾配のクリッピングを行う関数である。
# > （さ）にあてはまるのはどれか。
# >
# > *RNNs and deep models tend to have vanishing or exploding gradients. One way to prevent
# > exploding gradients is gradient clipping: when the gradient's norm exceeds a threshold,
# > the gradient's norm is normalised to the threshold. The function below clips a
# > gradient. Which expression goes into (さ)?*
#
# Exploding gradients are tamed by **clipping by norm**: when the gradient's norm exceeds
# a threshold, rescale the gradient so that its norm *equals* the threshold; otherwise
# leave it alone. The direction is kept; only the length shrinks.
#
# **2.1 · The exam question (1 point).** Which expression fills the blank `____` (the
# notes' (さ))?
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

# %% [markdown] lang="ja"
# ## 2 · 演習チャレンジ3：勾配クリッピング (1 + 2 + 2点) [自動採点]
#
# > 【問題】RNNや深いモデルでは勾配の消失または爆発が起こる傾向がある。勾配爆発を防ぐために
# > 勾配のクリッピングを行うという手法がある。具体的には勾配のノルムがしきい値を超えたら、
# > 勾配のノルムをしきい値に正規化するというものである。以下は勾配のクリッピングを行う関数である。
# > （さ）にあてはまるのはどれか。
#
# 勾配爆発は**ノルムによるクリッピング**（勾配クリッピング, gradient clipping）で抑えます。
# 勾配のノルムが閾値 (threshold) を超えたら、ノルムがちょうど閾値に*等しく*なるように勾配を
# 縮めます。超えていなければ、そのままにします。勾配の向きは変わらず、長さだけが縮みます。
#
# **2.1 · 試験形式の問題 (1点)。** 空欄 `____`（ノートの（さ））に入る式はどれですか。
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
# `clip_choice` に `"a"`、`"b"`、`"c"`、`"d"` のいずれかを代入してください。

# %% nbgrader={"grade_id": "clip_choice_code", "solution": true}
# clip_choice = "a" / "b" / "c" / "d"
### BEGIN SOLUTION
clip_choice = "d"
### END SOLUTION

# %% nbgrader={"grade_id": "clip_choice", "grade": true, "locked": true}
assert_true(str(clip_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'clip_choice ∈ {"a", "b", "c", "d"}')
print("clip_choice ∈ {a, b, c, d}: OK")

# %% [markdown] lang="en"
# **2.2 · Implement it (2 points).** `clip_grad_norm` clips one array (use its
# Frobenius / L2 norm over all elements).

# %% [markdown] lang="ja"
# **2.2 · 実装 (2点)。** `clip_grad_norm` は1つの配列をクリッピングします（ノルムには、
# 全要素にわたるフロベニウスノルム（L2ノルム）を使います）。

# %% nbgrader={"grade_id": "clip_grad_norm_code", "solution": true} lang="en"
def clip_grad_norm(grad, threshold):
    """grad: array of any shape; threshold > 0. Returns the clipped gradient (same shape)."""
    norm = np.linalg.norm(grad)
    rate = threshold / norm
    ### BEGIN SOLUTION
    if rate < 1:
        return grad * rate
    return grad
    ### END SOLUTION


# %% nbgrader={"grade_id": "clip_grad_norm_code", "solution": true} lang="ja"
def clip_grad_norm(grad, threshold):
    """grad: 任意の形状の配列、threshold > 0。クリッピングした勾配（形状は grad と同じ）を返す。"""
    norm = np.linalg.norm(grad)
    rate = threshold / norm
    ### BEGIN SOLUTION
    if rate < 1:
        return grad * rate
    return grad
    ### END SOLUTION


# %% nbgrader={"grade_id": "clip_grad_norm", "grade": true, "locked": true} lang="en"
assert_close(clip_grad_norm(np.array([3.0, 4.0]), 1.0), np.array([0.6, 0.8]), "norm 5 clipped to 1")
assert_close(clip_grad_norm(np.array([0.3, 0.4]), 1.0), np.array([0.3, 0.4]), "norm 0.5 left alone")

# %% nbgrader={"grade_id": "clip_grad_norm", "grade": true, "locked": true} lang="ja"
assert_close(clip_grad_norm(np.array([3.0, 4.0]), 1.0), np.array([0.6, 0.8]), "ノルム5を1にクリッピング")
assert_close(clip_grad_norm(np.array([0.3, 0.4]), 1.0), np.array([0.3, 0.4]), "ノルム0.5はそのまま")

# %% [markdown] lang="en"
# > **Errata in the source notes.** Their answer returned `gradient * rate` although the
# > argument was named `grad` (a `NameError`), and the text said clipping happens "when the
# > quotient is ≥ 0"; it happens when `threshold / norm < 1`.
#
# **2.3 (2 points).** In a model, clip **all** gradients together by their *global* norm
# $\sqrt{\sum_k \lVert g_k \rVert^2}$, so that their relative sizes are kept. Return a
# new list; do not modify the arrays you were given.

# %% [markdown] lang="ja"
# > **講義ノートの誤り。** ノートの解答は、引数の名前が `grad` なのに `gradient * rate` を
# > 返していました（これでは `NameError` になります）。また本文には「割り算の結果が0以上」のときに
# > クリッピングするとありましたが、正しくは `threshold / norm < 1` のときです。
#
# **2.3 (2点)。** モデルでは、**すべての**勾配をまとめて、*全体の*ノルム
# $\sqrt{\sum_k \lVert g_k \rVert^2}$ でクリッピングします。こうすると、勾配どうしの大きさの
# 比が保たれます。新しいリストを返し、渡された配列そのものは書き換えないでください。

# %% nbgrader={"grade_id": "clip_grads_global_code", "solution": true} lang="en"
def clip_grads_global(grads, threshold):
    """grads: list of arrays (any shapes); returns the list clipped by their global norm."""
    ### BEGIN SOLUTION
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    rate = threshold / total
    if rate < 1:
        return [g * rate for g in grads]
    return [g.copy() for g in grads]
    ### END SOLUTION


# %% nbgrader={"grade_id": "clip_grads_global_code", "solution": true} lang="ja"
def clip_grads_global(grads, threshold):
    """grads: 配列（形状は任意）のリスト。全体のノルムでクリッピングしたリストを返す。"""
    ### BEGIN SOLUTION
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    rate = threshold / total
    if rate < 1:
        return [g * rate for g in grads]
    return [g.copy() for g in grads]
    ### END SOLUTION


# %% nbgrader={"grade_id": "clip_grads_global", "grade": true, "locked": true} lang="en"
clipped = clip_grads_global([np.array([3.0]), np.array([[4.0]])], 1.0)
assert_close(clipped, [np.array([0.6]), np.array([[0.8]])], "global norm 5 clipped to 1")
assert_close(clip_grads_global([np.array([0.1]), np.array([0.2])], 1.0),
             [np.array([0.1]), np.array([0.2])], "small gradients left alone")

# %% nbgrader={"grade_id": "clip_grads_global", "grade": true, "locked": true} lang="ja"
clipped = clip_grads_global([np.array([3.0]), np.array([[4.0]])], 1.0)
assert_close(clipped, [np.array([0.6]), np.array([[0.8]])], "全体のノルム5を1にクリッピング")
assert_close(clip_grads_global([np.array([0.1]), np.array([0.2])], 1.0),
             [np.array([0.1]), np.array([0.2])], "小さい勾配はそのまま")

# %% [markdown] lang="en"
# ## 3 · From the CEC to the LSTM
#
# * **CEC (constant error carousel).** Store the memory in a cell whose state is carried
#   unchanged, $c_t = c_{t-1} + \text{input}$, so $\partial c_t / \partial c_{t-1} = 1$: the
#   error neither vanishes nor explodes however far back it goes. But the CEC has no
#   weights of its own: it cannot *learn* what to store or when, and every input is
#   written with the same weight whatever its relevance.
# * **Input and output weight conflicts (入力重み衝突 / 出力重み衝突).** A plain recurrent
#   unit has one fixed weight for each input it receives. Suppose an input is irrelevant
#   now but needed many steps later. To store it, its weight must be large; yet the same
#   weight also writes everything else that arrives in between, and that disturbs what was
#   stored. One weight cannot both say "write this and keep it for later" and "ignore
#   this now": that is the *input weight conflict*. Reading has the same problem: with
#   one output weight, a unit cannot both emit its memory at the step that needs it and
#   stay silent at all the other steps, where the memory would only disturb the rest of
#   the network: that is the *output weight conflict*.
# * **Input and output gates** answer both conflicts by making writing and reading depend
#   on the input. At each step, from $x_t$ and $h_{t-1}$, the input gate $i$ decides how
#   much of the candidate is written into the cell, and the output gate $o$ how much of
#   the cell is read out. Each gate has its own weight matrices, which are learnt.
# * **Forget gate.** Without it the cell only accumulates: stale information stays forever.
#   $f$ decides, per unit and per step, how much of $c_{t-1}$ to keep.
# * **Peephole connections** let the gates also see the cell state ($c_{t-1}$ or $c_t$),
#   through weights of their own, not only $x_t$ and $h_{t-1}$. The notes add that in
#   practice they brought little gain in accuracy; a large comparison of LSTM variants
#   (Greff et al., 2017) found that removing them hardly matters, and the LSTM layers of
#   PyTorch and Keras, like this notebook's, have none (section 9 adds them as an optional
#   exercise).
#
# In equations, with $A$ split into its four blocks as in the conventions:
#
# $$i = \sigma(A_i),\quad f = \sigma(A_f),\quad o = \sigma(A_o),\quad g = \tanh(A_g).$$
#
# The three gates are sigmoids, a number between 0 and 1 per unit: how much to let
# through. The candidate $g$ is a tanh: the value that may be written. How they are
# combined with $c_{t-1}$ is the code challenge of section 4.
#
# ### 3.1 · Confirmation test 6 (確認テスト6): which gate? (1 point) [auto]
#
# > 【問題】以下の文章をLSTMに入力し空欄に当てはまる単語を予測したいとする。文中の「とても」という
# > 言葉は空欄の予測においてなくなっても影響を及ぼさないと考えられる。このような場合、どのゲートが
# > 作用すると考えられるか。
# >
# > 「映画おもしろかったね。ところで、とてもお腹が空いたから何か____。」
# >
# > *We feed the sentence below to an LSTM and want to predict the word in the blank. The
# > word 「とても」 ("very") can be dropped without affecting the prediction of the blank.
# > Which gate would act in such a case?*
# >
# > *"The movie was fun. By the way, I'm **very** hungry, so something ____."* (the blank:
# > something to *eat*)
#
# Store `"input gate"`, `"output gate"` or `"forget gate"` in `which_gate` (English or
# Japanese, e.g. `"入力ゲート"`, or both: `"input gate (入力ゲート)"`).

# %% [markdown] lang="ja"
# ## 3 · CECからLSTMへ
#
# * **CEC（定誤差カルーセル, constant error carousel）。** 記憶をセルに蓄え、その状態を変えずに
#   次のステップへ運びます：$c_t = c_{t-1} + \text{入力}$。すると $\partial c_t / \partial c_{t-1} = 1$
#   となり、どれだけ過去にさかのぼっても、誤差は消失も爆発もしません。ただし、CECは自分の重みを
#   持ちません。何をいつ記憶するかを*学習*できず、入力はその重要さに関係なく、すべて同じ重みで
#   書き込まれます。
# * **入力重み衝突 (input weight conflict) と出力重み衝突 (output weight conflict)。**
#   単純な再帰型のユニットでは、受け取る入力ごとに重みが1つ決まっています。ある入力が、今は
#   関係ないけれども何ステップも後で必要になるとしましょう。これを記憶するには、重みを大きく
#   しなければなりません。ところが同じ重みは、その間に届くほかの入力もすべて書き込んでしまい、
#   記憶した値をかき乱します。「この入力を書き込んで後まで保つ」ことと「今はこの入力を無視する」
#   ことを、1つの重みで両立させることはできません。これが*入力重み衝突*です。読み出しにも同じ
#   問題があります。出力の重みが1つしかないと、記憶が必要なステップではそれを出力し、ほかの
#   すべてのステップでは黙っている（記憶がネットワークのほかの部分を乱さない）という使い分けが
#   できません。これが*出力重み衝突*です。
# * **入力ゲート (input gate) と出力ゲート (output gate)** は、書き込みと読み出しを入力に応じて
#   変えられるようにして、この2つの衝突を解消します。各ステップで $x_t$ と $h_{t-1}$ から、
#   入力ゲート $i$ は候補のどれだけをセルに書き込むかを、出力ゲート $o$ はセルのどれだけを
#   読み出すかを決めます。どちらのゲートも専用の重み行列を持ち、それが学習されます。
# * **忘却ゲート (forget gate)。** これがないと、セルは足し込むだけになり、古くなった情報が
#   いつまでも残ります。$f$ はユニットごと・ステップごとに、$c_{t-1}$ をどれだけ残すかを決めます。
# * **覗き穴結合 (peephole connection)** は、ゲートが $x_t$ と $h_{t-1}$ だけでなく、セルの状態
#   （$c_{t-1}$ や $c_t$）も専用の重みを介して見られるようにする結合です。ただし講義ノートに
#   あるとおり、実際には精度はあまり向上しませんでした。LSTMの変種を大規模に比較した研究
#   （Greff ら, 2017）でも、覗き穴結合を除いてもほとんど差がないという結果でした。PyTorch や
#   Keras のLSTMレイヤーにも、このノートブックのLSTMにも、覗き穴結合はありません（9節で任意の
#   発展課題として実装します）。
#
# 式で書くと、記法の節のとおり $A$ を4つのブロックに分けて、次のようになります。
#
# $$i = \sigma(A_i),\quad f = \sigma(A_f),\quad o = \sigma(A_o),\quad g = \tanh(A_g).$$
#
# 3つのゲートはシグモイドなので、ユニットごとに0から1の値をとります。これが「どれだけ通すか」の
# 割合です。候補 (candidate) $g$ は tanh で、セルに書き込まれうる値です。これらを $c_{t-1}$ と
# どう組み合わせるかが、4節の演習チャレンジです。
#
# ### 3.1 · 確認テスト6：どのゲートか (1点) [自動採点]
#
# > 【問題】以下の文章をLSTMに入力し空欄に当てはまる単語を予測したいとする。文中の「とても」という
# > 言葉は空欄の予測においてなくなっても影響を及ぼさないと考えられる。このような場合、どのゲートが
# > 作用すると考えられるか。
# >
# > 「映画おもしろかったね。ところで、とてもお腹が空いたから何か____。」
#
# 答えのゲートを `which_gate` に文字列で代入してください。`"input gate"`、`"output gate"`、
# `"forget gate"` のような英語でも、`"入力ゲート"` のような日本語でも、両方
# （`"入力ゲート (input gate)"`）でもかまいません。

# %% nbgrader={"grade_id": "which_gate_code", "solution": true} lang="en"
### BEGIN SOLUTION
which_gate = "forget gate"
### END SOLUTION

# %% nbgrader={"grade_id": "which_gate_code", "solution": true} lang="ja"
### BEGIN SOLUTION
which_gate = "忘却ゲート"
### END SOLUTION

# %% nbgrader={"grade_id": "which_gate", "grade": true, "locked": true} lang="en"
assert_true(isinstance(which_gate, str), 'which_gate should be a string, e.g. "input gate"')
print("which_gate: a string")

# %% nbgrader={"grade_id": "which_gate", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(which_gate, str), 'which_gate は文字列にしてください（例："入力ゲート"）')
print("which_gate: 文字列")

# %% [markdown] lang="en"
# ## 4 · Code challenge 4 (演習チャレンジ4): the cell update (1 + 2 points) [auto]
#
# > 【問題】以下のプログラムはLSTMの順伝播を行うプログラムである。ただし`_sigmoid`関数は要素ごとに
# > シグモイド関数を作用させる関数である。（け）にあてはまるのはなにか。
# >
# > *The program below runs the LSTM's forward pass; `_sigmoid` applies the sigmoid
# > element-wise. What goes into (け)?*
#
# Given the three gates, the candidate `a` ($= g$) and the previous cell state `prev_c`,
# the LSTM writes the new cell state and reads the new hidden state out of it through a
# tanh. Section 3 says what each gate does to the cell.
#
# **4.1 · The exam question (1 point).** Which expression fills the blank `____` (the
# notes' (け))? Only the two lines around the blank are shown.
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

# %% [markdown] lang="ja"
# ## 4 · 演習チャレンジ4：セルの更新 (1 + 2点) [自動採点]
#
# > 【問題】以下のプログラムはLSTMの順伝播を行うプログラムである。ただし`_sigmoid`関数は要素ごとに
# > シグモイド関数を作用させる関数である。（け）にあてはまるのはなにか。
#
# 3つのゲート、候補 `a`（$= g$）、1つ前のセルの状態 `prev_c` が与えられると、LSTMは新しい
# セルの状態を書き込み、そこから tanh を通して新しい隠れ状態を読み出します。各ゲートがセルに
# 何をするかは3節のとおりです。
#
# **4.1 · 試験形式の問題 (1点)。** 空欄 `____`（ノートの（け））に入る式はどれですか。
# ここでは、空欄の前後の2行だけを示します。
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
# `cell_update_choice` に `"a"`、`"b"`、`"c"`、`"d"` のいずれかを代入してください。

# %% nbgrader={"grade_id": "cell_update_choice_code", "solution": true}
# cell_update_choice = "a" / "b" / "c" / "d"
### BEGIN SOLUTION
cell_update_choice = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "cell_update_choice", "grade": true, "locked": true}
assert_true(str(cell_update_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'cell_update_choice ∈ {"a", "b", "c", "d"}')
print("cell_update_choice ∈ {a, b, c, d}: OK")

# %% [markdown] lang="en"
# **4.2 · Implement it (2 points).** Compute the new cell state and the new hidden state.
#
# > **Erratum in the source notes.** Their answer used an undefined `c` for the previous
# > cell state (it is `prev_c`) and applied an extra activation to all pre-activations
# > before splitting the gates; section 5 shows where each activation belongs.

# %% [markdown] lang="ja"
# **4.2 · 実装 (2点)。** 新しいセルの状態と新しい隠れ状態を計算してください。
#
# > **講義ノートの誤り。** ノートの解答は、1つ前のセルの状態として、定義されていない `c` を
# > 使っていました（正しくは `prev_c`）。また、ゲートに分ける前の活性化前の値すべてに、余分な
# > 活性化関数を掛けていました。それぞれの活性化関数をどこに掛けるかは5節で示します。

# %% nbgrader={"grade_id": "lstm_cell_update_code", "solution": true} lang="en"
def lstm_cell_update(input_gate, forget_gate, output_gate, a, prev_c):
    """All arguments (N, H). Returns (c, h): the new cell and hidden states, both (N, H)."""
    ### BEGIN SOLUTION
    c = input_gate * a + forget_gate * prev_c
    h = output_gate * np.tanh(c)
    ### END SOLUTION
    return c, h


# %% nbgrader={"grade_id": "lstm_cell_update_code", "solution": true} lang="ja"
def lstm_cell_update(input_gate, forget_gate, output_gate, a, prev_c):
    """引数はすべて (N, H)。(c, h)、つまり新しいセルの状態と新しい隠れ状態（どちらも (N, H)）を返す。"""
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

# %% [markdown] lang="en"
# ## 5 · One LSTM step (3 points) [auto]
#
# With the cell update written, here is the whole cell: the cell state $c$ runs along the
# top (the CEC), the forget gate scales it, the input gate adds the gated candidate, and
# the output gate reads it out through a tanh. The dashed peepholes are the optional
# connections of section 3, which this notebook's LSTM leaves out (section 9 adds them).
#
# ![The LSTM cell: the cell state, the three gates and the candidate](attachment:lstm_cell.png)
#
# > **Erratum in the source notes.** One implementation in the notes computes the new
# > hidden state as `h_next = np.tanh(h_prev) * outputgate`: it squashes the *previous
# > hidden state* and never reads the cell. The read-out uses the **new cell state**,
# > $h_t = o \odot \tanh(c_t)$, as in your `lstm_cell_update`; with the notes' line,
# > nothing stored in the cell would ever reach the output.
#
# **Two conventions to keep apart.**
#
# *Gate order.* The notes split the pre-activations with `a, i, f, o = np.hsplit(lstm_in, 4)`:
# the candidate comes first and is called $a$. This course (and `Wx`, `Wh`, `b` here)
# puts the candidate last and calls it $g$:
#
# | columns of $A$ | $0 \dots H-1$ | $H \dots 2H-1$ | $2H \dots 3H-1$ | $3H \dots 4H-1$ |
# |---|---|---|---|---|
# | this course | i (input gate) | f (forget gate) | o (output gate) | g (candidate) |
# | the notes | a (candidate) | i (input gate) | f (forget gate) | o (output gate) |
#
# Weights trained in one order give nonsense in the other: reorder the blocks when you
# move between them. (The notes also store the weights transposed, `x.dot(W.T)`.)
#
# *Return order.* `lstm_step_forward` returns **`(next_h, next_c)`**, hidden state first,
# like PyTorch's `(h, c)` and like section 6 unpacks it. The notes' `lstm` function
# returns `c, h`, cell first, and so does your `lstm_cell_update`, which keeps the notes'
# order. If you call it here, mind the order when you unpack and when you return.
#
# **The task.** Compute $A$, split it into the four blocks **i, f, o, g** (in that
# order), apply sigmoid to the three gates and tanh to the candidate, then update $c$ and
# $h$ as in section 4. Your `lstm_cell_update` can do the last part.

# %% [markdown] lang="ja"
# ## 5 · LSTMの1ステップ (3点) [自動採点]
#
# セルの更新式を書いたところで、セル全体を見てみましょう。セルの状態 $c$ は上側を流れます
# （CEC）。忘却ゲートがそれを縮め、入力ゲートを通した候補が足され、出力ゲートが tanh を通して
# 読み出します。破線の覗き穴結合は3節で触れた任意の結合で、このノートブックのLSTMでは使いません（9節で追加します）。
#
# ![LSTMのセル：セルの状態、3つのゲートと候補](attachment:lstm_cell.png)
#
# > **講義ノートの誤り。** ノートのLSTMの実装の1つは、新しい隠れ状態を
# > `h_next = np.tanh(h_prev) * outputgate` で計算しています。これは*1つ前の隠れ状態*に tanh を
# > 掛けているだけで、セルを読み出していません。読み出しには**新しいセルの状態**を使います：
# > $h_t = o \odot \tanh(c_t)$（あなたの `lstm_cell_update` と同じです）。ノートの式のままでは、
# > セルに蓄えた情報が出力に届くことはありません。
#
# **混同しやすい2つの約束ごと。**
#
# *ゲートの順番。* 講義ノートは活性化前の値を `a, i, f, o = np.hsplit(lstm_in, 4)` で分けて
# います。候補が先頭にあり、$a$ と呼ばれています。このコース（ここでの `Wx`、`Wh`、`b`）では、
# 候補は最後にあり、$g$ と呼びます。
#
# | $A$ の列 | $0 \dots H-1$ | $H \dots 2H-1$ | $2H \dots 3H-1$ | $3H \dots 4H-1$ |
# |---|---|---|---|---|
# | このコース | i（入力ゲート） | f（忘却ゲート） | o（出力ゲート） | g（候補） |
# | 講義ノート | a（候補） | i（入力ゲート） | f（忘却ゲート） | o（出力ゲート） |
#
# 一方の順番で学習した重みを他方の順番で使うと、でたらめな結果になります。行き来するときは
# ブロックを並べ替えてください。（講義ノートは重みを転置した形 `x.dot(W.T)` でも持っています。）
#
# *戻り値の順番。* `lstm_step_forward` は **`(next_h, next_c)`**、つまり隠れ状態を先に返します。
# PyTorch の `(h, c)` と同じ順番で、6節でもこの順番で受け取ります。一方、講義ノートの `lstm`
# 関数は `c, h` とセルを先に返します。あなたの `lstm_cell_update` もノートに合わせてこの順番です。
# ここでそれを呼ぶなら、受け取るときと返すときの順番に気をつけてください。
#
# **課題。** $A$ を計算し、4つのブロック **i, f, o, g**（この順番）に分け、3つのゲートには
# シグモイドを、候補には tanh を掛けます。そのあと4節と同じように $c$ と $h$ を更新します。
# 最後の部分は、あなたの `lstm_cell_update` に任せられます。

# %% nbgrader={"grade_id": "lstm_step_forward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "lstm_step_forward_code", "solution": true} lang="ja"
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """LSTMの1ステップ。

    x: (N, D), prev_h: (N, H), prev_c: (N, H), Wx: (D, 4H), Wh: (H, 4H), b: (4H,)。
    (next_h, next_c) を返す（どちらも (N, H)）。
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

# %% [markdown] lang="en"
# ## 6 · A whole sequence (2 points) [auto]
#
# Run your step over the sequence with the initial cell state $c_0 = 0$ and return all
# hidden states (the cell states stay inside the layer).

# %% [markdown] lang="ja"
# ## 6 · 系列全体 (2点) [自動採点]
#
# セルの初期状態を $c_0 = 0$ として、系列全体にわたってあなたの1ステップを実行し、すべての
# 隠れ状態を返してください（セルの状態はレイヤーの内側にとどまります）。

# %% nbgrader={"grade_id": "lstm_forward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "lstm_forward_code", "solution": true} lang="ja"
def lstm_forward(xs, h0, Wx, Wh, b):
    """xs: (N, T, D), h0: (N, H), Wx: (D, 4H), Wh: (H, 4H), b: (4H,)。hs: (N, T, H) を返す。"""
    ### BEGIN SOLUTION
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h, c = h0, np.zeros_like(h0)
    for t in range(T):
        h, c = lstm_step_forward(xs[:, t], h, c, Wx, Wh, b)
        hs[:, t] = h
    return hs
    ### END SOLUTION


# %% nbgrader={"grade_id": "lstm_forward", "grade": true, "locked": true} lang="en"
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

# %% nbgrader={"grade_id": "lstm_forward", "grade": true, "locked": true} lang="ja"
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
assert_close(hs[:, 0], first_h, "hs[:, 0]（h0 と c0 = 0 からの1ステップ）")
expected_hs = np.array([[[0.14893278, 0.16884523], [0.24518125, 0.27487598], [0.29919803, 0.34303597]],
                        [[0.16932521, 0.21052355], [0.26966484, 0.34492398], [0.31122521, 0.40767481]]])
assert_close(hs, expected_hs, "hs")
passed("lstm_forward", lstm_forward)

# %% [markdown] lang="en"
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

# %% [markdown] lang="ja"
# ## 7 · 1ステップの逆伝播 (4点) [自動採点]
#
# 1ステップには出力が2つあるので、上流から2つの勾配 `dnext_h` と `dnext_c` が届きます。
# まず入力から順伝播の値を計算し直し、そこから逆にたどります。
#
# * $h = o \odot \tanh(c)$ を通って：$\partial o = \partial h \odot \tanh(c)$。セルには
#   `dnext_c` に**加えて** $\partial h \odot o \odot (1 - \tanh^2 c)$ が届きます。
# * $c = f \odot c_{t-1} + i \odot g$ を通って：$\partial i = \partial c \odot g$、
#   $\partial f = \partial c \odot c_{t-1}$、$\partial g = \partial c \odot i$、
#   $\partial c_{t-1} = \partial c \odot f$。
# * 活性化関数を通って：i, f, o には $\sigma' = \sigma(1-\sigma)$、g には $\tanh' = 1 - g^2$
#   を掛けます。4つのブロックを (i, f, o, g) の順に並べて $\partial A: (N, 4H)$ にします。
# * $A = x W_x + h_{t-1} W_h + b$ を通って：ノートブック02と同じです。

# %% nbgrader={"grade_id": "lstm_step_backward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "lstm_step_backward_code", "solution": true} lang="ja"
def lstm_step_backward(dnext_h, dnext_c, x, prev_h, prev_c, Wx, Wh, b):
    """LSTMの1ステップの逆伝播。

    dnext_h, dnext_c: (N, H) 上流からの勾配。ほかの引数は lstm_step_forward と同じ。
    (dx: (N, D), dprev_h: (N, H), dprev_c: (N, H), dWx: (D, 4H), dWh: (H, 4H), db: (4H,))
    を返す。
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

# %% [markdown] lang="en"
# ## 8 · BPTT through the LSTM (3 points) [auto]
#
# Run the forward pass again (keeping every $h_t$ and $c_t$), then walk back in time. Two
# gradients travel from step $t+1$ to step $t$: the hidden one (add it to `dhs[:, t]`)
# and the cell one (it is step $t$'s `dnext_c`). Both start at zero after the last step.

# %% [markdown] lang="ja"
# ## 8 · LSTMの通時的誤差逆伝播 (BPTT) (3点) [自動採点]
#
# 順伝播をもう一度実行し（$h_t$ と $c_t$ をすべて取っておきます）、時間をさかのぼります。
# ステップ $t+1$ からステップ $t$ へは2つの勾配が流れます。隠れ状態の勾配（`dhs[:, t]` に
# 足します）と、セルの勾配（ステップ $t$ の `dnext_c` になります）です。どちらも、最後の
# ステップの後ではゼロから始めます。

# %% nbgrader={"grade_id": "lstm_backward_code", "solution": true} lang="en"
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


# %% nbgrader={"grade_id": "lstm_backward_code", "solution": true} lang="ja"
def lstm_backward(dhs, xs, h0, Wx, Wh, b):
    """dhs: (N, T, H)。ほかの引数は lstm_forward と同じ（c0 = 0）。

    (dxs: (N, T, D), dh0: (N, H), dWx: (D, 4H), dWh: (H, 4H), db: (4H,)) を返す。
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

# %% [markdown] lang="en"
# ## 9 · Optional extension: peephole connections (2 points) [auto]
#
# The curriculum marks this item optional: nothing later in the course uses it, and the
# notes report little gain from peepholes in practice. It is graded like the others.
#
# With **peephole connections** (覗き穴結合) each gate also sees the cell, through a weight
# vector of its own: one weight per unit, an element-wise product rather than a matrix.
# The input and forget gates look at the cell state they are about to change,
# $c_{t-1}$; the output gate, computed after the update, looks at the new state $c_t$:
#
# $$i = \sigma(A_i + p_i \odot c_{t-1}), \qquad f = \sigma(A_f + p_f \odot c_{t-1}),
# \qquad o = \sigma(A_o + p_o \odot c_t),$$
#
# with $A$, the candidate $g$, $c_t$ and $h_t$ as in section 5. Implement
# `lstm_peephole_step_forward`, which returns `(next_h, next_c)` like `lstm_step_forward`.

# %% [markdown] lang="ja"
# ## 9 · 発展（任意）：覗き穴結合 (2点) [自動採点]
#
# カリキュラムではこの項目は任意です。この先のコースでは使わず、講義ノートも覗き穴結合による改善は
# 実際には小さいと述べています。採点はほかの項目と同じように行います。
#
# **覗き穴結合 (peephole connection)** では、各ゲートが専用の重みベクトルを通してセルも見ます。
# 重みはユニットごとに1つで、行列ではなく要素ごとの積です。入力ゲートと忘却ゲートは、これから
# 変える前のセルの状態 $c_{t-1}$ を見ます。出力ゲートはセルの更新の後で計算するので、新しい状態
# $c_t$ を見ます。
#
# $$i = \sigma(A_i + p_i \odot c_{t-1}), \qquad f = \sigma(A_f + p_f \odot c_{t-1}),
# \qquad o = \sigma(A_o + p_o \odot c_t)$$
#
# $A$、候補 $g$、$c_t$、$h_t$ は5節と同じです。`lstm_step_forward` と同じく `(next_h, next_c)`
# を返す `lstm_peephole_step_forward` を実装してください。

# %% nbgrader={"grade_id": "peephole_step_forward_code", "solution": true} lang="en"
def lstm_peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    """One LSTM step with peephole connections.

    x: (N, D), prev_h, prev_c: (N, H), Wx: (D, 4H), Wh: (H, 4H), b: (4H,), blocks in the
    order i, f, o, g; p_i, p_f, p_o: (H,), the peephole weights of the three gates.
    Returns (next_h, next_c), each (N, H).
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i = sigmoid(A[:, :H] + p_i * prev_c)
    f = sigmoid(A[:, H:2 * H] + p_f * prev_c)
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    o = sigmoid(A[:, 2 * H:3 * H] + p_o * next_c)
    next_h = o * np.tanh(next_c)
    ### END SOLUTION
    return next_h, next_c

# %% nbgrader={"grade_id": "peephole_step_forward_code", "solution": true} lang="ja"
def lstm_peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, p_i, p_f, p_o):
    """覗き穴結合のあるLSTMの1ステップ。

    x: (N, D)、prev_h, prev_c: (N, H)、Wx: (D, 4H)、Wh: (H, 4H)、b: (4H,)。ブロックの順番は
    i, f, o, g。p_i, p_f, p_o: (H,)、3つのゲートの覗き穴の重み。
    (next_h, next_c) を返す（どちらも (N, H)）。
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    A = x @ Wx + prev_h @ Wh + b
    i = sigmoid(A[:, :H] + p_i * prev_c)
    f = sigmoid(A[:, H:2 * H] + p_f * prev_c)
    next_c = f * prev_c + i * np.tanh(A[:, 3 * H:])
    o = sigmoid(A[:, 2 * H:3 * H] + p_o * next_c)
    next_h = o * np.tanh(next_c)
    ### END SOLUTION
    return next_h, next_c

# %% nbgrader={"grade_id": "peephole_step_forward", "grade": true, "locked": true} lang="en"
uses("lstm_step_forward", lstm_step_forward, "lstm_peephole_step_forward")
x, prev_h, prev_c = np.array([[0.5]]), np.array([[0.1]]), np.array([[0.8]])
Wx, Wh, b = np.array([[0.2, 0.3, 0.4, 0.5]]), np.array([[0.1, -0.2, 0.3, -0.4]]), np.zeros(4)
next_h, next_c = lstm_peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b,
                                            np.array([0.5]), np.array([-0.5]), np.array([1.0]))
assert_close(next_c, np.array([[0.47563969]]), "next_c of a one-unit example")
assert_close(next_h, np.array([[0.29638974]]), "next_h of a one-unit example")
zero = np.zeros(1)
plain = lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
assert_close(lstm_peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, zero, zero, zero), plain,
             "with zero peepholes, the plain LSTM step (your lstm_step_forward)",
             rtol=1e-6)

# %% nbgrader={"grade_id": "peephole_step_forward", "grade": true, "locked": true} lang="ja"
uses("lstm_step_forward", lstm_step_forward, "lstm_peephole_step_forward")
x, prev_h, prev_c = np.array([[0.5]]), np.array([[0.1]]), np.array([[0.8]])
Wx, Wh, b = np.array([[0.2, 0.3, 0.4, 0.5]]), np.array([[0.1, -0.2, 0.3, -0.4]]), np.zeros(4)
next_h, next_c = lstm_peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b,
                                            np.array([0.5]), np.array([-0.5]), np.array([1.0]))
assert_close(next_c, np.array([[0.47563969]]), "ユニット1つの例の next_c")
assert_close(next_h, np.array([[0.29638974]]), "ユニット1つの例の next_h")
zero = np.zeros(1)
plain = lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
assert_close(lstm_peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, zero, zero, zero), plain,
             "覗き穴の重みが0なら普通のLSTMの1ステップ（あなたの lstm_step_forward）と同じ",
             rtol=1e-6)

# %% [markdown] lang="en"
# ## 10 · Confirmation test 7 (確認テスト7): the weaknesses of the CEC and of the LSTM (1 + 2 points) [auto + manual]
#
# > 【問題】LSTMとCECが抱える課題について、それぞれ簡潔に述べよ。
# >
# > *State briefly the problem of the LSTM and the problem of the CEC.*
#
# The course asks it in two parts: a choice about the CEC, then a written answer about
# the LSTM.
#
# Which statement about the CEC is true? Store the letter in `cec_weakness`.
#
# * `"a"`: its gradient vanishes over long sequences, like a simple RNN's;
# * `"b"`: its gradient is always 1 and it has no weights, so on its own it cannot learn
#   what to keep or when;
# * `"c"`: it has too many weights to train quickly.

# %% [markdown] lang="ja"
# ## 10 · 確認テスト7：CECとLSTMの課題 (1 + 2点) [自動採点 + 手動採点]
#
# > 【問題】LSTMとCECが抱える課題について、それぞれ簡潔に述べよ。
#
# このコースでは2つに分けて問います。まずCECについての選択問題、次にLSTMについての記述問題です。
#
# CECについて正しい記述はどれですか。その記号を `cec_weakness` に代入してください。
#
# * `"a"`：単純なRNNと同じく、長い系列では勾配が消失する。
# * `"b"`：勾配は常に1で、自分の重みを持たない。そのため単独では、何をいつ保持するかを学習
#   できない。
# * `"c"`：重みが多すぎて、すばやく学習できない。

# %% nbgrader={"grade_id": "cec_weakness_code", "solution": true}
### BEGIN SOLUTION
cec_weakness = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "cec_weakness", "grade": true, "locked": true} lang="en"
assert_true(str(cec_weakness).strip().lower() in ("a", "b", "c"), 'cec_weakness: one of "a", "b", "c"')
print("cec_weakness: one of the three letters")

# %% nbgrader={"grade_id": "cec_weakness", "grade": true, "locked": true} lang="ja"
assert_true(str(cec_weakness).strip().lower() in ("a", "b", "c"), 'cec_weakness は "a"、"b"、"c" のいずれか')
print("cec_weakness: 3つの記号のいずれか")

# %% [markdown] lang="en"
# **[manual, 2 points]** What is the main weakness of the LSTM itself, and how does it
# follow from its structure? Give numbers for an LSTM with $D = H = 100$.

# %% [markdown] lang="ja"
# **[手動採点, 2点]** LSTMそのものの主な課題は何ですか。それはLSTMのどのような構造から
# 生じますか。$D = H = 100$ のLSTMについて、具体的な数で示してください。

# %% [markdown] nbgrader={"grade_id": "lstm_weakness_answer", "solution": true, "grade": true, "points": 2} lang="en"
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

# %% [markdown] nbgrader={"grade_id": "lstm_weakness_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** 計算コストです。4つのブロック（3つのゲートと候補）がそれぞれ入力の重み・
# 再帰の重み・バイアスを持つため、同じ幅の単純なRNNと比べて、パラメータ数も計算時間もおよそ
# 4倍になります。$D = H = 100$ なら、パラメータ数は
# $4(100 \cdot 100 + 100 \cdot 100 + 100) = 80{,}400$ で、単純なRNNの $20{,}100$ の4倍です。
# 1ステップあたりの積和演算も4倍になり、状態が1つ増える分、逆伝播も長くなります。
#
# **採点基準 (2点)。** 1点：パラメータが多い・計算負荷が高いことを、4つのゲートブロック
# （または「3つのゲートとセル」）と結びつけて述べている。1点：数が正しい（80,400、または
# 単純なRNNの20,100の4倍。バイアスを含めるかどうかを明記していれば、含めなくてもよい）。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# ## 11 · Practice: remembering across 60 steps
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

# %% [markdown] lang="ja"
# ## 11 · 練習：60ステップ前の記号を覚えておく
#
# 課題：60ステップの系列で、各ステップに4種類の記号のどれか1つ（2倍した one-hot ベクトル）が
# 現れます。ステップ0では、それに加えて「この記号を覚えておけ」という**目印**の入力も点灯します。
# 残りの59ステップには、同じ強さのランダムな記号が目印なしで現れます。最後に、目印の付いた記号を
# 答えます（当てずっぽうなら正解率0.25）。単純なRNNはすべての入力を同じ重みで状態に足し込むので、
# 59個の邪魔な記号が記憶を上書きしてしまいます。しかも、目印の記号を保つように教えるはずの勾配は、
# 59個のヤコビ行列の積です（ノートブック02）。LSTMなら、入力ゲートを目印のときだけ開き、
# 忘却ゲートでセルを保つことができます。
#
# 単純なRNN（ノートブック01–02でコースが用意したレイヤー）と**あなたの**LSTM（上で実装した
# `lstm_forward`、`lstm_backward`）を、同じ条件で学習させます。最適化は Adam、バッチサイズ32、
# 勾配は**あなたの** `clip_grads_global` でノルム5にクリッピング、200イテレーション、最後の
# 隠れ状態からソフトマックスで読み出し、隠れ状態のサイズは32です。LSTMの忘却ゲートのバイアスは
# 5から始めます。すると $f \approx 0.993$ となり、学習の最初から、セルの
# $0.993^{59} \approx 0.67$ が59ステップの間隔を越えて残ります（バイアスが3なら
# $f \approx 0.95$ で、$0.95^{59} \approx 0.05$ しか残りません）。
#
# 1回の実行では、たまたま運が良かったり悪かったりします。そこで各モデルを5つのシード（重みの
# 初期値と事例の順番）で学習させます。グラフはシードにわたる平均と範囲を、表はシードごとの結果を
# 示します。実行には20秒ほどかかります。

# %% tags=["practice"] lang="en"
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

# %% tags=["practice"] lang="ja"
from rnnlib.plotting import plot_spread

recall = partial(first_token_recall, T=60, n_symbols=4)
my_lstm = layer_from_functions(lstm_forward, lstm_backward, gates=4, memory_gate_block=1,
                               memory_gate_bias=5.0)
seeds = range(5)
runs = {name: [train_last_step_classifier(name, layer, recall, n_classes=4, hidden_size=32,
                                          iterations=200, batch_size=32,
                                          clip=clip_grads_global, seed=seed)
               for seed in seeds]
        for name, layer in [("単純なRNN", RNN), ("あなたのLSTM", my_lstm)]}
plot_spread({name: [r.accuracies for r in rs] for name, rs in runs.items()},
            "59ステップの邪魔な入力より前に目印を付けた記号を答える（当てずっぽう = 0.25）",
            "イテレーション", "検証データの正解率", x=runs["単純なRNN"][0].iterations)
plt.show()
print(f"{'最終正解率':<14}" + "".join(f"{'シード' + str(s):>9}" for s in seeds)
      + f"{'最小':>8}{'最大':>7}{'秒':>9}")
for name, rs in runs.items():
    finals = [r.accuracies[-1] for r in rs]
    print(f"{name:<14}" + "".join(f"{a:>9.3f}" for a in finals)
          + f"{min(finals):>8.3f}{max(finals):>7.3f}{sum(r.seconds for r in rs):>9.1f}")

# %% [markdown] lang="en"
# ## Summary
# * Gradients through many steps are products of Jacobians: they vanish or explode.
#   Clipping by norm (`threshold / norm < 1`) stops the explosion without changing the
#   direction; it does not help against vanishing.
# * The CEC carries the error with gradient 1 but cannot learn. One fixed weight cannot
#   both store an input for later and ignore it now, nor both emit the memory when needed
#   and stay silent otherwise (the input and output weight conflicts): the input and
#   output gates make writing and reading depend on the input. The forget gate clears
#   stale memory; peepholes let the gates see the cell, for little gain in practice.
# * LSTM step: $A = xW_x + hW_h + b \to (i, f, o, g)$, $c = f \odot c + i \odot g$,
#   $h = o \odot \tanh c$ (the notes order the blocks a, i, f, o; your step returns
#   $(h, c)$, the notes' function $(c, h)$). Its backward pass sends the cell gradient
#   back through $f$ alone, which is why memory survives many steps.
# * The LSTM's own weakness is the question of section 10; the GRU (next notebook) answers
#   it with fewer gates.

# %% [markdown] lang="ja"
# ## まとめ
# * 多くのステップを通る勾配はヤコビ行列の積なので、消失したり爆発したりします。ノルムによる
#   クリッピング（`threshold / norm < 1` のとき）は、向きを変えずに爆発を止めます。ただし、
#   消失には効きません。
# * CECは勾配1で誤差を運びますが、学習はできません。固定された1つの重みでは、入力を後のために
#   記憶しつつ今は無視することも、必要なときだけ記憶を出力して普段は黙っていることもできません
#   （入力重み衝突・出力重み衝突）。入力ゲートと出力ゲートは、書き込みと読み出しを入力に応じて
#   変えられるようにします。忘却ゲートは古い記憶を消し、覗き穴結合はゲートにセルを見せます
#   （実際の効果は小さいものでした）。
# * LSTMの1ステップ：$A = xW_x + hW_h + b \to (i, f, o, g)$、$c = f \odot c + i \odot g$、
#   $h = o \odot \tanh c$（講義ノートのブロックの順番は a, i, f, o。あなたの1ステップは
#   $(h, c)$ を、ノートの関数は $(c, h)$ を返します）。逆伝播ではセルの勾配が $f$ だけを掛けられて
#   さかのぼるので、記憶が多くのステップを越えて残ります。
# * LSTM自身の課題は10節の問題でした。次のノートブックのGRUは、ゲートを減らすことでこれに
#   答えます。
