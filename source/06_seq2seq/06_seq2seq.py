# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
# # 06 · Seq2seq, HRED, VHRED and the VAE
#
# *Deep Learning, Day 3 — Section 5.* 確認テスト = **confirmation test**, 演習チャレンジ =
# **code challenge**, 潜在変数 = **latent variable**, 確率分布 = **probability
# distribution**, 変分オートエンコーダ = **variational autoencoder (VAE)**.
#
# ## Learning goals
# After this notebook you can
# 1. describe the encoder–decoder (seq2seq) model: tokens → ids → embeddings → an encoder
#    RNN whose final state, the *thought vector*, starts a decoder RNN;
# 2. look up embeddings by one-hot product and by index, and say why both agree;
# 3. implement an encoder and a greedy decoder on a batch;
# 4. read how input reversal and a "peeky" decoder change what seq2seq learns on addition;
# 5. say what HRED and VHRED add to seq2seq for dialogue;
# 6. implement the VAE's reparameterisation trick and its KL term, and train a tiny VAE.
#
# ## Sequence to sequence
# Translation, dialogue or summarisation map a sequence to another sequence of a different
# length. **Seq2seq** (an *RNN encoder–decoder*) does it with two RNNs (usually LSTMs):
#
# * **Encoder.** Split the input into tokens, map each token to its id, turn the id into an
#   embedding vector, and feed the vectors one by one into an RNN. With the steps numbered
#   $1, \dots, T$, its final hidden state is $h_T$ (stack the states as `hs: (N, T, H)` and
#   it is `hs[:, -1]`): the **thought vector**, meant to carry the meaning of the whole
#   input. Notebook 08 numbers the steps from 0, so there the same vector is called
#   $h_{T-1}$.
# * **Decoder.** Another RNN, with weights of its own and a state $s_t$ that starts from
#   the thought vector: $s_0 = h_T$. At step $t$ it reads the embedding $e(\hat y_{t-1})$ of
#   the previous output token ($\hat y_0$ is a start symbol), updates its state to $s_t$,
#   and gives a score for every token of the vocabulary; the next token $\hat y_t$ is chosen
#   from the scores (sampled, or the most likely one: **greedy** decoding), embedded and fed
#   back, until an end symbol or a length limit. The ids are finally turned back into text
#   (detokenised).
#
# $$h_t = \tanh(e_t W_x + h_{t-1} W_h + b), \qquad
# s_t = \tanh\big(e(\hat y_{t-1})\, W'_x + s_{t-1} W'_h + b'\big), \qquad
# \hat y_t = \operatorname{argmax}\,(s_t W_{out} + b_{out}).$$
#
# Conventions: the code challenge follows the notes (one sentence, column vectors,
# `E: (embed, vocab)`); everything after it uses row-vector batches as in earlier
# notebooks: `ids: (N, T)` integers, `W_embed: (V, D)` (one row per token),
# `Wx: (D, H)`, `Wh: (H, H)`, `b: (H,)`, `W_out: (H, V)`, `b_out: (V,)`. In the code the
# decoder's state is `h` too (the functions take the decoder's own weights as `Wx`, `Wh`,
# `b`).

# %% [markdown] lang="ja"
# # 06 · Seq2seq、HRED、VHRED と VAE
#
# *深層学習 Day 3 — Section 5。* 講義ノートの確認テスト・演習チャレンジを、ノートと同じ番号で
# 出題します。
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. エンコーダ・デコーダ (encoder–decoder) モデル、すなわち seq2seq を説明できる:
#    トークン → ID → 埋め込み → エンコーダの RNN と進み、その最後の隠れ状態
#    (**思考ベクトル** (thought vector)) がデコーダの RNN の出発点になる。
# 2. 埋め込みを one-hot ベクトルとの積と添字による参照の両方で求め、両者が一致する理由を説明できる。
# 3. バッチ単位で動くエンコーダと貪欲法 (greedy) のデコーダを実装できる。
# 4. 入力の反転と peeky デコーダが、足し算を学ぶ seq2seq をどう変えるかを読み取れる。
# 5. 対話において HRED と VHRED が seq2seq に何を加えたかを説明できる。
# 6. VAE の再パラメータ化トリックと KL 項を実装し、小さな VAE を学習させられる。
#
# ## 系列から系列へ
# 翻訳・対話・要約は、ある系列を長さの異なる別の系列に変換する問題です。**Seq2seq**
# (sequence-to-sequence、*RNN エンコーダ・デコーダ*) は、これを 2 つの RNN (多くは LSTM)
# で行います。
#
# * **エンコーダ (encoder)。** 入力をトークンに分割し (tokenize)、各トークンを ID に変換し、
#   ID を **埋め込み** (embedding) ベクトルに変えて、1 つずつ RNN に入力します。時刻を
#   $1, \dots, T$ と番号付けると、最後の隠れ状態は $h_T$ です (状態を `hs: (N, T, H)` と
#   積み重ねれば `hs[:, -1]`)。これが **思考ベクトル** で、入力全体の意味を表すことが期待されます。
#   ノートブック 08 では時刻を 0 から数えるため、同じベクトルを $h_{T-1}$ と書きます。
# * **デコーダ (decoder)。** 独自の重みをもつもう 1 つの RNN で、その状態 $s_t$ は思考ベクトル
#   から始まります: $s_0 = h_T$。時刻 $t$ では 1 つ前の出力トークンの埋め込み
#   $e(\hat y_{t-1})$ を読み ($\hat y_0$ は開始記号)、状態を $s_t$ に更新し、語彙 (vocabulary)
#   のすべてのトークンにスコアを出します。次のトークン $\hat y_t$ はこのスコアから選びます
#   (確率に従ってサンプリングするか、最も確率の高いものを選ぶ **貪欲法** (greedy decoding))。
#   選んだトークンを埋め込んで次の入力とし、終了記号か長さの上限まで繰り返します。最後に ID を
#   文字列に戻します (detokenize)。
#
# $$h_t = \tanh(e_t W_x + h_{t-1} W_h + b), \qquad
# s_t = \tanh\big(e(\hat y_{t-1})\, W'_x + s_{t-1} W'_h + b'\big), \qquad
# \hat y_t = \operatorname{argmax}\,(s_t W_{out} + b_{out}).$$
#
# 記法: 演習チャレンジはノートに合わせて 1 文ずつ、列ベクトルで `E: (embed, vocab)` と書きます。
# それ以降はこれまでのノートブックと同じく行ベクトルのバッチです: `ids: (N, T)` は整数、
# `W_embed: (V, D)` (1 行が 1 トークン)、`Wx: (D, H)`、`Wh: (H, H)`、`b: (H,)`、
# `W_out: (H, V)`、`b_out: (V,)`。コードではデコーダの状態も `h` と書きます (関数はデコーダ
# 自身の重みを `Wx`、`Wh`、`b` として受け取ります)。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.datasets import gaussian_clusters_2d
from rnnlib.language import set_language
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses
from rnnlib.vae import decode, encode, train_vae

set_language("en")

# %% nbgrader={"grade_id": "imports", "locked": true} lang="ja"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.datasets import gaussian_clusters_2d
from rnnlib.language import set_language
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses
from rnnlib.vae import decode, encode, train_vae

set_language("ja")

# %% [markdown] lang="en"
# ## 1 · Confirmation test 9 (確認テスト9): which one is seq2seq? (1 point) [auto]
#
# > 【問題】下記の選択肢から、seq2seqについて説明しているものを選べ。
# >
# > *Choose, from the options below, the one that describes seq2seq.*
#
# 1. Two RNNs run forwards and backwards in time; their hidden states together are the
#    features of each step.
# 2. An encoder–decoder model built from RNNs, used for machine translation and similar
#    tasks.
# 3. A network that repeatedly combines neighbouring words into phrase vectors along a parse
#    tree (with shared weights) until one vector represents the whole sentence.
# 4. A kind of RNN that fixes the vanishing gradients of a simple RNN with a constant error
#    carousel (CEC) and gates.
#
# Set `seq2seq_choice` to the number of your answer.

# %% [markdown] lang="ja"
# ## 1 · 確認テスト9: seq2seq はどれか (1点) [自動採点]
#
# > 【問題】下記の選択肢から、seq2seqについて説明しているものを選べ。
# >
# > （1）時刻に関して順方向と逆方向のRNNを構成し、それら2つの中間層表現を特徴量として利用するものである。<br>
# > （2）RNNを用いたEncoder-Decoderモデルの一種であり、機械翻訳などのモデルに使われる。<br>
# > （3）構文木などの木構造に対して、隣接単語から表現ベクトル（フレーズ）を作るという演算を再帰的に行い（重みは共通）、文全体の表現ベクトルを得るニューラルネットワークである。<br>
# > （4）RNNの一種であり、単純なRNNにおいて問題となる勾配消失問題をCECとゲートの概念を導入することで解決したものである。
#
# 選んだ番号を `seq2seq_choice` に代入してください。

# %% nbgrader={"grade_id": "seq2seq_choice_code", "solution": true}
### BEGIN SOLUTION
seq2seq_choice = 2
### END SOLUTION

# %% nbgrader={"grade_id": "seq2seq_choice", "grade": true, "locked": true} lang="en"
assert_true(seq2seq_choice in (1, 2, 3, 4), "seq2seq_choice should be 1, 2, 3 or 4")
print("seq2seq_choice: one of the four numbers")

# %% nbgrader={"grade_id": "seq2seq_choice", "grade": true, "locked": true} lang="ja"
assert_true(seq2seq_choice in (1, 2, 3, 4), "seq2seq_choice は 1、2、3、4 のいずれかにしてください")
print("seq2seq_choice: 4 つの番号のいずれかです")

# %% [markdown] lang="en"
# The whole model in one picture (the addition task of §6: characters in, characters
# out):
#
# ![The encoder reads the embedded input tokens; its final state, the thought vector, is the decoder's initial state; the decoder feeds each predicted token back as its next input](attachment:encoder_decoder.png)

# %% [markdown] lang="ja"
# モデル全体を 1 枚の図にすると次のようになります (§6 の足し算の課題: 文字を読んで文字を書きます)。
#
# ![エンコーダは埋め込んだ入力トークンを読み、その最後の状態 (思考ベクトル) がデコーダの初期状態になる。デコーダは予測したトークンを次の入力として戻す](attachment:encoder_decoder.png)

# %% [markdown] lang="en"
# ## 2 · Code challenge 7 (演習チャレンジ7): the encoder of the notes (1 + 2 points) [auto]
#
# > 【問題】機械翻訳タスクにおいて、入力は複数の単語から成る文（文章）であり、それぞれの単語はone-hotベクトルで表現されている。Encoderにおいて、それらの単語は単語埋め込みにより特徴量に変換され、そこからRNNによって（一般にはLSTMを使うことが多い）時系列の情報をもつ特徴へとエンコードされる。以下は、入力である文（文章）を時系列の情報をもつ特徴量へとエンコードする関数である。ただし_activation関数はなんらかの活性化関数を表すとする。（き）にあてはまるのはなにか。
# >
# > *In a machine translation task the input is a sentence of several words, each a one-hot
# > vector. The encoder turns the words into features by a word embedding, and an RNN
# > (usually an LSTM) encodes those into features that carry the information of the
# > sequence. The function below encodes the input sentence so; `_activation` stands for
# > some activation function. What goes into the blank (き)?*
#
# Here the encoder turns each one-hot word `w: (vocab,)` into an embedding with the
# matrix `E: (embed, vocab)`, one column per word of the vocabulary, then runs an RNN over
# the embeddings (column vectors, as in the notes: `W: (hidden, embed)`,
# `U: (hidden, hidden)`, `b: (hidden,)`; the activation is tanh).
#
# **2.1 · The exam question (1 point).** Which expression fills the blank (き)?
#
# ```python
# h = np.zeros(W.shape[0])
# for w in words:
#     e = ____
#     h = np.tanh(W @ e + U @ h + b)
# ```
#
# * **(a)** `E.T @ w`
# * **(b)** `w @ E`
# * **(c)** `E * w`
# * **(d)** `E @ w`
#
# Set `encoder_choice` to `"a"`, `"b"`, `"c"` or `"d"`.

# %% [markdown] lang="ja"
# ## 2 · 演習チャレンジ7: ノートのエンコーダ (1 + 2点) [自動採点]
#
# > 【問題】機械翻訳タスクにおいて、入力は複数の単語から成る文（文章）であり、それぞれの単語はone-hotベクトルで表現されている。Encoderにおいて、それらの単語は単語埋め込みにより特徴量に変換され、そこからRNNによって（一般にはLSTMを使うことが多い）時系列の情報をもつ特徴へとエンコードされる。以下は、入力である文（文章）を時系列の情報をもつ特徴量へとエンコードする関数である。ただし_activation関数はなんらかの活性化関数を表すとする。（き）にあてはまるのはなにか。
#
# ここでのエンコーダは、one-hot ベクトルの単語 `w: (vocab,)` を埋め込み行列
# `E: (embed, vocab)` (語彙の単語 1 つにつき 1 列) で埋め込みに変換し、その埋め込みの列に
# RNN を適用します (ノートと同じく列ベクトル: `W: (hidden, embed)`、`U: (hidden, hidden)`、
# `b: (hidden,)`。活性化関数は tanh とします)。
#
# **2.1 · 試験形式の問題 (1点)。** 空欄 (き) に入る式はどれですか。
#
# ```python
# h = np.zeros(W.shape[0])
# for w in words:
#     e = ____
#     h = np.tanh(W @ e + U @ h + b)
# ```
#
# * **(a)** `E.T @ w`
# * **(b)** `w @ E`
# * **(c)** `E * w`
# * **(d)** `E @ w`
#
# `encoder_choice` に `"a"`、`"b"`、`"c"`、`"d"` のいずれかを代入してください。

# %% nbgrader={"grade_id": "encoder_choice_code", "solution": true}
# encoder_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
encoder_choice = "d"
### END SOLUTION

# %% nbgrader={"grade_id": "encoder_choice", "grade": true, "locked": true} lang="en"
assert_true(str(encoder_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'encoder_choice should be one of "a", "b", "c", "d"')
print("encoder_choice: one of the four letters")

# %% nbgrader={"grade_id": "encoder_choice", "grade": true, "locked": true} lang="ja"
assert_true(str(encoder_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'encoder_choice は "a"、"b"、"c"、"d" のいずれかにしてください')
print("encoder_choice: 4 つの記号のいずれかです")

# %% [markdown] lang="en"
# **2.2 · Implement it (2 points).** Fill in the one missing line of `encode_one_hot`: the
# embedding `e` of the word `w`.

# %% [markdown] lang="ja"
# **2.2 · 実装 (2点)。** `encode_one_hot` の欠けている 1 行、つまり単語 `w` の埋め込み `e`
# を書いてください。

# %% nbgrader={"grade_id": "encode_one_hot_code", "solution": true} lang="en"
def encode_one_hot(words, E, W, U, b):
    """words: (T, vocab), one one-hot row per word; E: (embed, vocab); W: (hidden, embed);
    U: (hidden, hidden); b: (hidden,). Returns the final state h: (hidden,)."""
    h = np.zeros(W.shape[0])
    for w in words:
        ### BEGIN SOLUTION
        e = E @ w
        ### END SOLUTION
        h = np.tanh(W @ e + U @ h + b)
    return h


# %% nbgrader={"grade_id": "encode_one_hot_code", "solution": true} lang="ja"
def encode_one_hot(words, E, W, U, b):
    """words: (T, vocab)、1 行が 1 単語の one-hot ベクトル。E: (embed, vocab)、
    W: (hidden, embed)、U: (hidden, hidden)、b: (hidden,)。最後の状態 h: (hidden,) を返す。"""
    h = np.zeros(W.shape[0])
    for w in words:
        ### BEGIN SOLUTION
        e = E @ w
        ### END SOLUTION
        h = np.tanh(W @ e + U @ h + b)
    return h


# %% nbgrader={"grade_id": "encode_one_hot", "grade": true, "locked": true} lang="en"
E = np.array([[0.1, 0.2, 0.3],
              [-0.4, 0.5, 0.0]])          # embed 2, vocab 3: column j embeds word j
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
U = 0.5 * np.eye(3)
b = np.zeros(3)
words = np.eye(3)[[2, 0]]                 # word 2, then word 0
h1 = np.tanh(W @ E[:, 2] + b)
expected = np.tanh(W @ E[:, 0] + U @ h1 + b)
h = encode_one_hot(words, E, W, U, b)
assert_shape(h, (3,), "h")
assert_close(h, expected, "the final state h")

# %% nbgrader={"grade_id": "encode_one_hot", "grade": true, "locked": true} lang="ja"
E = np.array([[0.1, 0.2, 0.3],
              [-0.4, 0.5, 0.0]])          # embed 2、vocab 3: 列 j が単語 j の埋め込み
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
U = 0.5 * np.eye(3)
b = np.zeros(3)
words = np.eye(3)[[2, 0]]                 # 単語 2、次に単語 0
h1 = np.tanh(W @ E[:, 2] + b)
expected = np.tanh(W @ E[:, 0] + U @ h1 + b)
h = encode_one_hot(words, E, W, U, b)
assert_shape(h, (3,), "h")
assert_close(h, expected, "最後の状態 h")

# %% [markdown] lang="en"
# Multiplying a matrix by a one-hot vector picks one of its **columns**: `E @ w` is
# `E[:, j]` for the word `j`. Real implementations never build the one-hot vectors; they
# index the embedding table directly.
#
# **Sizes in practice.** The addition task of §6 has a vocabulary of 13 characters (the ten
# digits, `+`, the space and the start symbol `_`) and embeddings of 16 dimensions. A
# translation model works on words (or pieces of words): vocabularies of $10^4$ to $10^5$
# tokens and embeddings of a few hundred dimensions (256 to 1,024 is common). With 50,000
# words and 512 dimensions, one one-hot product costs 25.6 million multiply-adds, all but
# 512 of them with a zero, to read one column of `E`: that is why the lookup is an index.
#
# ## 3 · Embedding lookup by index (2 points) [auto]
#
# With the row layout `W_embed: (V, D)` (row `i` embeds token `i`; it is `E.T`), a batch of
# ids `(N, T)` becomes embeddings `(N, T, D)`. Return them by **indexing**, without
# building one-hot vectors. The visible test checks that this equals the one-hot product.

# %% [markdown] lang="ja"
# 行列に one-hot ベクトルを掛けると、その行列の **列** が 1 つ取り出されます。単語 `j` なら
# `E @ w` は `E[:, j]` です。実際の実装では one-hot ベクトルを作らず、埋め込みの表を添字で
# 直接参照します。
#
# **実際の大きさ。** §6 の足し算の課題では、語彙は 13 文字 (数字 10 個、`+`、空白、開始記号
# `_`)、埋め込みは 16 次元です。翻訳モデルは単語 (または単語の断片) を扱い、語彙は $10^4$ から
# $10^5$ トークン、埋め込みは数百次元 (256〜1,024 がよく使われます) になります。語彙 50,000、
# 512 次元なら、one-hot ベクトルとの積 1 回に 2,560 万回の積和が必要で、そのうち 512 回を除く
# すべてが 0 との積です。`E` の 1 列を読むだけのためにです。これが埋め込みを添字で参照する理由です。
#
# ## 3 · 添字による埋め込みの参照 (2点) [自動採点]
#
# 行の並び `W_embed: (V, D)` (行 `i` がトークン `i` の埋め込みで、`E.T` にあたります) では、
# ID のバッチ `(N, T)` は埋め込み `(N, T, D)` になります。one-hot ベクトルを作らずに、
# **添字** で参照して返してください。可視テストは、結果が one-hot ベクトルとの積に一致するかを
# 確かめます。

# %% nbgrader={"grade_id": "embedding_lookup_code", "solution": true} lang="en"
def embedding_lookup(W_embed, ids):
    """W_embed: (V, D); ids: (N, T) ints in [0, V). Returns (N, T, D)."""
    ### BEGIN SOLUTION
    return W_embed[ids]
    ### END SOLUTION


# %% nbgrader={"grade_id": "embedding_lookup_code", "solution": true} lang="ja"
def embedding_lookup(W_embed, ids):
    """W_embed: (V, D)、ids: (N, T) は [0, V) の整数。(N, T, D) を返す。"""
    ### BEGIN SOLUTION
    return W_embed[ids]
    ### END SOLUTION


# %% nbgrader={"grade_id": "embedding_lookup", "grade": true, "locked": true} lang="en"
rng = np.random.default_rng(0)
V, D = 6, 3
W_embed = rng.standard_normal((V, D))
ids = np.array([[0, 5, 2], [3, 3, 1]])
embedded = embedding_lookup(W_embed, ids)
assert_shape(embedded, (2, 3, D), "embedded")
one_hot = np.eye(V)[ids]                 # (N, T, V)
assert_close(embedded, one_hot @ W_embed, "the lookup compared with the one-hot product")
passed("embedding_lookup", embedding_lookup)

# %% nbgrader={"grade_id": "embedding_lookup", "grade": true, "locked": true} lang="ja"
rng = np.random.default_rng(0)
V, D = 6, 3
W_embed = rng.standard_normal((V, D))
ids = np.array([[0, 5, 2], [3, 3, 1]])
embedded = embedding_lookup(W_embed, ids)
assert_shape(embedded, (2, 3, D), "embedded")
one_hot = np.eye(V)[ids]                 # (N, T, V)
assert_close(embedded, one_hot @ W_embed, "添字による参照と one-hot ベクトルとの積の比較")
passed("embedding_lookup", embedding_lookup)

# %% [markdown] lang="en"
# ## 4 · An encoder on a batch (3 points) [auto]
#
# Embed `ids: (N, T)` with your `embedding_lookup`, run a tanh RNN over the time steps from
# a zero state, and return only the **final** state `(N, H)`: the thought vector.

# %% [markdown] lang="ja"
# ## 4 · バッチで動くエンコーダ (3点) [自動採点]
#
# `ids: (N, T)` をあなたの `embedding_lookup` で埋め込み、ゼロの状態から始めて時刻ごとに
# tanh の RNN を適用し、**最後の** 状態 `(N, H)`、つまり思考ベクトルだけを返してください。

# %% nbgrader={"grade_id": "rnn_encode_code", "solution": true} lang="en"
def rnn_encode(ids, W_embed, Wx, Wh, b):
    """ids: (N, T); W_embed: (V, D); Wx: (D, H); Wh: (H, H); b: (H,). Returns h_T: (N, H)."""
    ### BEGIN SOLUTION
    xs = embedding_lookup(W_embed, ids)
    h = np.zeros((ids.shape[0], Wh.shape[0]))
    for t in range(ids.shape[1]):
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
    return h
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_encode_code", "solution": true} lang="ja"
def rnn_encode(ids, W_embed, Wx, Wh, b):
    """ids: (N, T)、W_embed: (V, D)、Wx: (D, H)、Wh: (H, H)、b: (H,)。h_T: (N, H) を返す。"""
    ### BEGIN SOLUTION
    xs = embedding_lookup(W_embed, ids)
    h = np.zeros((ids.shape[0], Wh.shape[0]))
    for t in range(ids.shape[1]):
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
    return h
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_encode", "grade": true, "locked": true} lang="en"
uses("embedding_lookup", embedding_lookup, "rnn_encode")
rng = np.random.default_rng(1)
V, D, H = 5, 3, 4
W_embed = rng.standard_normal((V, D))
Wx, Wh, b = rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, np.full(H, 0.1)
ids = np.array([[1, 4, 0], [2, 2, 3]])
h = rnn_encode(ids, W_embed, Wx, Wh, b)
assert_shape(h, (2, H), "the thought vector")
h_first = np.tanh(W_embed[ids[:, 0]] @ Wx + b)
assert_close(rnn_encode(ids[:, :1], W_embed, Wx, Wh, b), h_first, "the state after one token")
h_two = np.tanh(W_embed[ids[:, 1]] @ Wx + h_first @ Wh + b)
assert_close(rnn_encode(ids[:, :2], W_embed, Wx, Wh, b), h_two, "the state after two tokens")
changed = ids.copy()
changed[:, 0] = (ids[:, 0] + 1) % V
assert_true(not np.allclose(rnn_encode(changed, W_embed, Wx, Wh, b), h),
            "the final state should depend on the first token too (h @ Wh carries it)")
print("the thought vector depends on every token")

# %% nbgrader={"grade_id": "rnn_encode", "grade": true, "locked": true} lang="ja"
uses("embedding_lookup", embedding_lookup, "rnn_encode")
rng = np.random.default_rng(1)
V, D, H = 5, 3, 4
W_embed = rng.standard_normal((V, D))
Wx, Wh, b = rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, np.full(H, 0.1)
ids = np.array([[1, 4, 0], [2, 2, 3]])
h = rnn_encode(ids, W_embed, Wx, Wh, b)
assert_shape(h, (2, H), "思考ベクトル")
h_first = np.tanh(W_embed[ids[:, 0]] @ Wx + b)
assert_close(rnn_encode(ids[:, :1], W_embed, Wx, Wh, b), h_first, "1 トークン読んだ後の状態")
h_two = np.tanh(W_embed[ids[:, 1]] @ Wx + h_first @ Wh + b)
assert_close(rnn_encode(ids[:, :2], W_embed, Wx, Wh, b), h_two, "2 トークン読んだ後の状態")
changed = ids.copy()
changed[:, 0] = (ids[:, 0] + 1) % V
assert_true(not np.allclose(rnn_encode(changed, W_embed, Wx, Wh, b), h),
            "最後の状態は最初のトークンにも依存するはずです (h @ Wh がそれを運びます)")
print("思考ベクトルはすべてのトークンに依存しています")

# %% [markdown] lang="en"
# ## 5 · A greedy decoder (3 points) [auto]
#
# Start from the encoder's state `h: (N, H)` and the token `start_id` for every sequence.
# At each of `length` steps: embed the previous token (with `embedding_lookup` or by
# indexing), update the state with the tanh RNN (`Wx`, `Wh`, `b`), score the vocabulary
# (`h @ W_out + b_out`) and take the most likely token, which is fed in at the next step.
# Return the predicted tokens `(N, length)`; the start token is not part of the output.

# %% [markdown] lang="ja"
# ## 5 · 貪欲法のデコーダ (3点) [自動採点]
#
# エンコーダの状態 `h: (N, H)` と、すべての系列に共通の開始トークン `start_id` から始めます。
# `length` 回の各時刻で、1 つ前のトークンを埋め込み (`embedding_lookup` でも添字でも構いません)、
# tanh の RNN (`Wx`、`Wh`、`b`) で状態を更新し、語彙のスコア (`h @ W_out + b_out`) を求めて
# 最も確率の高いトークンを選びます。選んだトークンが次の時刻の入力になります。予測したトークン
# `(N, length)` を返してください。開始トークンは出力に含めません。

# %% nbgrader={"grade_id": "greedy_decode_code", "solution": true} lang="en"
def greedy_decode(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    """h: (N, H) initial state; start_id: int; length: int; W_embed: (V, D); Wx: (D, H);
    Wh: (H, H); b: (H,); W_out: (H, V); b_out: (V,). Returns ids: (N, length) ints."""
    ### BEGIN SOLUTION
    token = np.full(h.shape[0], start_id)
    out = []
    for _ in range(length):
        h = np.tanh(embedding_lookup(W_embed, token[:, None])[:, 0] @ Wx + h @ Wh + b)
        token = np.argmax(h @ W_out + b_out, axis=1)
        out.append(token)
    return np.stack(out, axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "greedy_decode_code", "solution": true} lang="ja"
def greedy_decode(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    """h: (N, H) は初期状態、start_id: 整数、length: 整数、W_embed: (V, D)、Wx: (D, H)、
    Wh: (H, H)、b: (H,)、W_out: (H, V)、b_out: (V,)。整数の ids: (N, length) を返す。"""
    ### BEGIN SOLUTION
    token = np.full(h.shape[0], start_id)
    out = []
    for _ in range(length):
        h = np.tanh(embedding_lookup(W_embed, token[:, None])[:, 0] @ Wx + h @ Wh + b)
        token = np.argmax(h @ W_out + b_out, axis=1)
        out.append(token)
    return np.stack(out, axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "greedy_decode", "grade": true, "locked": true} lang="en"
uses("embedding_lookup", embedding_lookup, "greedy_decode")
# A decoder that counts: the embedding is one-hot, the state copies it, and W_out scores
# token (i + 1) mod 3 highest after token i.
W_embed, Wx, Wh, b = np.eye(3), 5 * np.eye(3), np.zeros((3, 3)), np.zeros(3)
W_out, b_out = np.roll(np.eye(3), 1, axis=1), np.zeros(3)
tokens = greedy_decode(np.zeros((2, 3)), 0, 4, W_embed, Wx, Wh, b, W_out, b_out)
assert_shape(tokens, (2, 4), "tokens")
assert_close(tokens, np.array([[1, 2, 0, 1], [1, 2, 0, 1]]), "the counting decoder's tokens")
# A decoder that ignores its input and keeps its initial state: the output must follow h.
h0 = np.array([[0.0, 0.0, 3.0], [3.0, 0.0, 0.0]])
tokens = greedy_decode(h0, 0, 3, W_embed, np.zeros((3, 3)), np.eye(3), b, W_out, b_out)
assert_close(tokens, np.array([[0, 0, 0], [1, 1, 1]]), "tokens from the initial state alone")

# %% nbgrader={"grade_id": "greedy_decode", "grade": true, "locked": true} lang="ja"
uses("embedding_lookup", embedding_lookup, "greedy_decode")
# 数を数えるデコーダ: 埋め込みは one-hot、状態はそれを写し、W_out はトークン i の次に
# トークン (i + 1) mod 3 に最も高いスコアを付ける。
W_embed, Wx, Wh, b = np.eye(3), 5 * np.eye(3), np.zeros((3, 3)), np.zeros(3)
W_out, b_out = np.roll(np.eye(3), 1, axis=1), np.zeros(3)
tokens = greedy_decode(np.zeros((2, 3)), 0, 4, W_embed, Wx, Wh, b, W_out, b_out)
assert_shape(tokens, (2, 4), "tokens")
assert_close(tokens, np.array([[1, 2, 0, 1], [1, 2, 0, 1]]), "数を数えるデコーダのトークン")
# 入力を無視して初期状態を保つデコーダ: 出力は h だけで決まるはず。
h0 = np.array([[0.0, 0.0, 3.0], [3.0, 0.0, 0.0]])
tokens = greedy_decode(h0, 0, 3, W_embed, np.zeros((3, 3)), np.eye(3), b, W_out, b_out)
assert_close(tokens, np.array([[0, 0, 0], [1, 1, 1]]), "初期状態だけから出たトークン")

# %% [markdown] lang="en"
# ## 6 · Try it: reversed questions and a peeky decoder on addition
#
# The task of "Deep Learning from Scratch 2" (ch. 7): read a sum such as `16+75` character
# by character and write the answer `91`. Numbers have 1 to 3 digits, questions are padded
# with spaces at the end to 7 characters, answers to 4; the decoder starts from the symbol
# `_`. An answer counts as right only when **every** character is right (exact match), on
# 2,000 held-out sums that never occur in the 40,000 training sums.
#
# Three models, trained with the same settings (character embeddings of size 16, LSTM
# hidden size 96, Adam with learning rate 0.01 times 0.9 per epoch, batches of 128,
# gradients clipped to a global norm of 5, 20 epochs):
#
# * **baseline**: the plain seq2seq of this notebook;
# * **reversed**: the same model, but the padded question is fed backwards: `16+75␣␣`
#   (␣ = space) is read as `␣␣57+61`. Both operands now come digit by digit from the units
#   up, and the **first** operand comes last: its leading digit `1` is the very last
#   character read, right before the decoder writes the leading digit of the answer. This
#   holds for the first operand only: the second one is read first, so its leading digit
#   `7` is the fourth of the seven characters, three steps before the end (as far from the
#   decoder as in the unreversed `16+75␣␣`). What the answer's first digits depend on, and
#   the gradients between them, travel fewer steps for the first operand;
# * **reversed + peeky**: in addition the encoder's final state $h$ is concatenated to the
#   decoder's input at *every* step and to the input of the output layer, so no step has
#   to carry the question through the decoder's own memory.
#
# The fully trained weights ship with the course (`rnnlib/weights/`, with the accuracy
# recorded after every epoch); they were made by `python scripts/train_seq2seq_weights.py`,
# which anyone can re-run (seeded: a re-run writes the same files again; the six models of
# notebooks 06 and 08 take about four minutes on one core). At the end of this section
# you train the reversed + peeky model yourself. The models look their characters up with
# **your** `embedding_lookup`.

# %% [markdown] lang="ja"
# ## 6 · 試してみよう: 足し算で、問題の反転と peeky デコーダ
#
# 『ゼロから作るDeep Learning ❷ 自然言語処理編』(7 章) の課題です。`16+75` のような式を 1 文字ずつ
# 読み、答え `91` を書きます。数は 1〜3 桁で、問題は末尾に空白を足して 7 文字に、答えは 4 文字に
# そろえます。デコーダは記号 `_` から書き始めます。答えは **すべての** 文字が合っているときだけ
# 正解とし (完全一致率 (exact-match accuracy))、学習用の 40,000 問には含まれないテスト用の
# 2,000 問で測ります。
#
# 同じ設定 (文字の埋め込み 16 次元、LSTM の隠れ状態 96 次元、学習率 0.01 でエポックごとに 0.9 倍
# する Adam、バッチ 128、勾配のノルム全体を 5 でクリッピング、20 エポック) で 3 つのモデルを
# 学習させました。
#
# * **ベースライン**: このノートブックの素の seq2seq。
# * **反転**: 同じモデルですが、空白を足した問題を逆順に入力します。`16+75␣␣` (␣ は空白) は
#   `␣␣57+61` として読まれます。どちらの項も一の位から順に読まれ、しかも **最初の** 項が最後に
#   来ます。その最上位の桁 `1` は最後に読まれる文字で、デコーダが答えの最上位の桁を書く直前に
#   あたります。ただしこれが成り立つのは最初の項だけです。2 番目の項は先に読まれるので、
#   その最上位の桁 `7` は 7 文字中 4 番目、終わりから 3 ステップ手前にあります (反転しない
#   `16+75␣␣` でもデコーダからの距離は同じです)。最初の項については、答えの最初の桁が依存する
#   情報も、その間を流れる勾配も、たどるステップが少なくなります。
# * **反転 + peeky**: さらに、エンコーダの最後の状態 $h$ をデコーダの *すべての* 時刻の入力と
#   出力層の入力に連結します。こうすると、問題の内容をデコーダ自身の記憶だけで運ぶ必要がなくなります。
#
# 学習済みの重みはコースに同梱されています (`rnnlib/weights/`、エポックごとの正解率の記録つき)。
# これは `python scripts/train_seq2seq_weights.py` で作ったもので、誰でも再実行できます
# (乱数の種を固定しているので、再実行すると同じファイルができます。ノートブック 06 と 08 の
# 6 つのモデルで、1 コアでおよそ 4 分です)。この節の最後では、反転 + peeky のモデルを自分で
# 学習させます。どのモデルも文字の埋め込みを **あなたの** `embedding_lookup` で参照します。

# %% tags=["practice"] lang="en"
from rnnlib import pretrained

addition_runs = {label: pretrained.load(name, embed=embedding_lookup) for label, name in [
    ("baseline", "addition_baseline"),
    ("reversed", "addition_reversed"),
    ("reversed + peeky", "addition_reversed_peeky")]}
epochs = range(1, len(addition_runs["baseline"].history["accuracy"]) + 1)
plot_curves({label: run.history["accuracy"] for label, run in addition_runs.items()},
            "Addition: held-out exact match during training", "epoch",
            "held-out exact match (whole answer right)", x=epochs)
plt.show()
print(f"{'model':<18} {'after 5 epochs':>15} {'final':>7}")
for label, run in addition_runs.items():
    accuracy = run.history["accuracy"]
    print(f"{label:<18} {accuracy[4]:>15.3f} {accuracy[-1]:>7.3f}")

# %% tags=["practice"] lang="ja"
from rnnlib import pretrained

addition_runs = {label: pretrained.load(name, embed=embedding_lookup) for label, name in [
    ("ベースライン", "addition_baseline"),
    ("反転", "addition_reversed"),
    ("反転 + peeky", "addition_reversed_peeky")]}
epochs = range(1, len(addition_runs["ベースライン"].history["accuracy"]) + 1)
plot_curves({label: run.history["accuracy"] for label, run in addition_runs.items()},
            "足し算: 学習中のテストデータでの完全一致率", "エポック",
            "テストデータでの完全一致率 (答え全体が正解)", x=epochs)
plt.show()
print(f"{'モデル':<14} {'5エポック後':>11} {'最終':>5}")
for label, run in addition_runs.items():
    accuracy = run.history["accuracy"]
    print(f"{label:<14} {accuracy[4]:>15.3f} {accuracy[-1]:>7.3f}")

# %% [markdown] lang="en"
# Reversing the question alone lifts what the baseline reaches in 20 epochs
# (0.69 → 0.82); a peeky decoder on top gets 0.997, and passes 0.9 by
# epoch 5.
#
# The curves come from training. Now check the reversed + peeky model here, on the same
# held-out sums: the weights are loaded into the course's seq2seq model, which reverses
# each question, encodes it, and decodes greedily (the most likely character at each step,
# fed back in as the next input), as your `greedy_decode` does.

# %% [markdown] lang="ja"
# 問題を反転するだけで、20 エポックで到達する完全一致率がベースラインより上がります (0.69 → 0.82)。
# さらに peeky デコーダを加えると 0.997 に達し、5 エポック目までに 0.9 を超えます。
#
# これらの曲線は学習中の記録です。次は反転 + peeky のモデルを、同じテスト用の問題でここで確かめます。
# 重みはコースの seq2seq モデルに読み込まれます。このモデルは各問題を反転してエンコードし、
# あなたの `greedy_decode` と同じく貪欲法でデコードします (各時刻で最も確率の高い文字を選び、
# 次の入力として戻します)。

# %% tags=["practice"] lang="en"
peeky = addition_runs["reversed + peeky"]
questions, answers = peeky.held_out(1000)
predicted = peeky.answer(questions)
truth = [a.strip("_ ") for a in answers]
right = [p == t for p, t in zip(predicted, truth)]
print(f"reversed + peeky: {np.mean(right):.3f} exact match "
      f"on the first {len(questions)} held-out sums")
wrong = [i for i, r in enumerate(right) if not r]
for i in list(range(6)) + wrong[:4]:
    mark = "ok   " if right[i] else "WRONG"
    print(f"  {mark} {questions[i].strip():>8} = {predicted[i]:<5} (true {truth[i]})")

# %% tags=["practice"] lang="ja"
peeky = addition_runs["反転 + peeky"]
questions, answers = peeky.held_out(1000)
predicted = peeky.answer(questions)
truth = [a.strip("_ ") for a in answers]
right = [p == t for p, t in zip(predicted, truth)]
print(f"反転 + peeky: テスト用の最初の {len(questions)} 問で"
      f"完全一致率 {np.mean(right):.3f}")
wrong = [i for i, r in enumerate(right) if not r]
for i in list(range(6)) + wrong[:4]:
    mark = "正解" if right[i] else "誤り"
    print(f"  {mark} {questions[i].strip():>8} = {predicted[i]:<5} (正しい答え {truth[i]})")

# %% [markdown] lang="en"
# ### Train your own
#
# Now train the reversed + peeky model yourself, from scratch, here: the shipped model's
# data and settings, **your** `embedding_lookup` looking up the characters, and training
# stops after the first epoch in which 90 % of the held-out sums come out right (or, on a
# very busy machine, after the first epoch that ends past a minute). The bar shows the
# training loss (the mean of the last minibatches) and the held-out exact match after the
# last epoch. On the course's 2-core machine it took 14 s in the training benchmark and
# 41 s in this notebook while other jobs kept both cores busy: the course's seq2seq trains
# in float32 and runs the LSTM's input products for all time steps at once (README,
# "Training speed"). `threads=1` trains with one BLAS thread: for matrices this small,
# several times faster than two when other jobs share the cores.
#
# Watch the two numbers on the bar: the loss falls within the first epoch, but exact match
# lags behind, since one wrong character out of four makes the whole answer wrong.

# %% [markdown] lang="ja"
# ### 自分で学習させる
#
# 反転 + peeky のモデルを、ここでゼロから学習させてみましょう。データと設定は同梱のモデルと同じで、
# 文字の埋め込みは **あなたの** `embedding_lookup` で参照します。学習は、テスト用の問題の 90 % に
# 正解した最初のエポックの後で止まります (非常に混んだマシンでは、1 分を過ぎて終わった最初の
# エポックの後で止まります)。進捗バーには学習の損失 (最後のいくつかのミニバッチの平均) と、直前の
# エポック後のテストデータでの完全一致率が表示されます。コースの 2 コアのマシンでは、学習の
# ベンチマークで 14 秒、他の処理が両方のコアを使っている中でこのノートブックでは 41 秒かかりました。
# コースの seq2seq は float32 で学習し、LSTM の入力側の積を全時刻まとめて計算します (README の
# 「Training speed」)。`threads=1` は BLAS のスレッド 1 本で学習します。これほど小さな行列では、
# 他の処理とコアを分け合うとき、2 本より数倍速くなります。
#
# バーの 2 つの数字に注目してください。損失は最初のエポックのうちに下がりますが、完全一致率は
# 遅れて上がります。4 文字のうち 1 文字でも間違えると、答え全体が不正解になるからです。

# %% tags=["practice"] lang="en"
from rnnlib.seq2seq import PeekySeq2seq
from rnnlib.seq2seq_training import train_seq2seq

config = peeky.config  # the shipped model's data, sizes and training settings
(train_q, train_a), (test_q, test_a) = pretrained.make_dataset(config)
vocab = peeky.vocab


def addition_ids(questions, answers):
    """Ids of the questions, reversed, (N, 7), and of the answers, (N, 5)."""
    return vocab.encode(questions)[:, ::-1], vocab.encode(answers)


yours = PeekySeq2seq(len(vocab), config["embed_size"], config["hidden_size"],
                     embed=embedding_lookup, seed=0)
history = train_seq2seq(yours, addition_ids(train_q, train_a), addition_ids(test_q, test_a),
                        start_id=vocab.id_of("_"), epochs=config["epochs"],
                        batch_size=config["batch_size"], lr=config["lr"],
                        lr_decay=config["lr_decay"], name="your reversed + peeky",
                        stop_at=0.9, max_seconds=60, threads=1)

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_curves({"yours, trained just now": history["accuracy"],
             "shipped, fully trained": peeky.history["accuracy"]},
            "Held-out exact match after each epoch", "epoch",
            "held-out exact match", x=epochs, ax=left)
plot_curves({"your training loss": history["batch_loss"]}, "Your run: training loss",
            "minibatch", "cross-entropy per character", ax=right)
plt.show()
mine = pretrained.PretrainedSeq2seq("yours", yours, vocab, config, history)
print(f"yours:   {history['accuracy'][-1]:.3f} held-out exact match after "
      f"{len(history['accuracy'])} epochs, {history['seconds']:.0f} s")
print(f"shipped: {peeky.history['accuracy'][-1]:.3f} after {len(peeky.history['accuracy'])} epochs")
examples = ["16+75", "999+1", "512+488", "7+8", "350+650"]
for question, a, b in zip(examples, mine.answer(examples), peeky.answer(examples)):
    print(f"  {question:>8} = {a:<5} (yours)  {b:<5} (shipped)")


# %% tags=["practice"] lang="ja"
from rnnlib.seq2seq import PeekySeq2seq
from rnnlib.seq2seq_training import train_seq2seq

config = peeky.config  # 同梱モデルのデータ、大きさ、学習の設定
(train_q, train_a), (test_q, test_a) = pretrained.make_dataset(config)
vocab = peeky.vocab


def addition_ids(questions, answers):
    """反転した問題の ID (N, 7) と、答えの ID (N, 5)。"""
    return vocab.encode(questions)[:, ::-1], vocab.encode(answers)


yours = PeekySeq2seq(len(vocab), config["embed_size"], config["hidden_size"],
                     embed=embedding_lookup, seed=0)
history = train_seq2seq(yours, addition_ids(train_q, train_a), addition_ids(test_q, test_a),
                        start_id=vocab.id_of("_"), epochs=config["epochs"],
                        batch_size=config["batch_size"], lr=config["lr"],
                        lr_decay=config["lr_decay"], name="あなたの反転 + peeky",
                        stop_at=0.9, max_seconds=60, threads=1)

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
plot_curves({"あなたのモデル (いま学習)": history["accuracy"],
             "同梱モデル (学習済み)": peeky.history["accuracy"]},
            "各エポック後のテストデータでの完全一致率", "エポック",
            "テストデータでの完全一致率", x=epochs, ax=left)
plot_curves({"あなたの学習の損失": history["batch_loss"]}, "あなたの学習: 損失",
            "ミニバッチ", "1 文字あたりの交差エントロピー", ax=right)
plt.show()
mine = pretrained.PretrainedSeq2seq("yours", yours, vocab, config, history)
print(f"あなたのモデル: {len(history['accuracy'])} エポック、{history['seconds']:.0f} 秒で"
      f"テストデータでの完全一致率 {history['accuracy'][-1]:.3f}")
print(f"同梱モデル: {len(peeky.history['accuracy'])} エポックで {peeky.history['accuracy'][-1]:.3f}")
examples = ["16+75", "999+1", "512+488", "7+8", "350+650"]
for question, a, b in zip(examples, mine.answer(examples), peeky.answer(examples)):
    print(f"  {question:>8} = {a:<5} (あなた)  {b:<5} (同梱)")


# %% [markdown] lang="en"
# ## 7 · HRED and VHRED
#
# Seq2seq answers one utterance at a time: it has no memory of the conversation, so
# "Yes." after "Parakeets are cute, aren't they?" gets a reply that ignores the parakeets.
#
# * **HRED** (hierarchical recurrent encoder–decoder) = seq2seq + a **context RNN**. Each
#   utterance is encoded as in seq2seq; the context RNN runs over the sequence of those
#   utterance vectors, and its state initialises the decoder. The reply depends on the
#   last $n-1$ utterances, not just the last one.
# * HRED's weaknesses: its only randomness is in picking words, so for the same context it
#   gives replies that are the same in substance (no variety in the *flow* of the
#   conversation), and it tends to give short, bland answers ("I see.").
# * **VHRED** adds a **latent variable** in the manner of a VAE (§9): at each turn a random
#   $z$ is drawn from a distribution computed from the context, and the decoder is
#   conditioned on it, so the same context can lead to different, more informative replies.
#
# ## 8 · Confirmation test 10 (確認テスト10): seq2seq, HRED, VHRED (2 points) [manual]
#
# > 【問題】seq2seqとHRED、HREDとVHREDの違いを簡潔に述べよ。
# >
# > *State briefly the difference between seq2seq and HRED, and between HRED and VHRED.*

# %% [markdown] lang="ja"
# ## 7 · HRED と VHRED
#
# Seq2seq は発話 (utterance) 1 つごとに応答します。会話の記憶をもたないので、「インコって
# かわいいよね」の後の「うん」には、インコを無視した応答が返ってきます。
#
# * **HRED** (hierarchical recurrent encoder–decoder) = seq2seq + **文脈 RNN** (context RNN)。
#   各発話を seq2seq と同じようにエンコードし、その発話ベクトルの列に文脈 RNN を適用します。
#   文脈 RNN の状態がデコーダの初期状態になります。応答は直前の発話だけでなく、過去 $n-1$ 個の
#   発話に依存します。
# * HRED の弱点: ランダム性が単語の選び方にしかないので、同じ文脈には内容の同じ応答を返します
#   (会話の *流れ* に多様性がありません)。また、短く情報量の乏しい応答 (「そうですね」) をしがちです。
# * **VHRED** は VAE (§9) にならって **潜在変数** (latent variable) を加えます。各ターンで、
#   文脈から計算した分布に従ってランダムな $z$ を引き、デコーダをそれに条件づけます。こうして
#   同じ文脈からでも、異なる、より情報量の多い応答が出せるようになります。
#
# ## 8 · 確認テスト10: seq2seq、HRED、VHRED (2点) [手動採点]
#
# > 【問題】seq2seqとHRED、HREDとVHREDの違いを簡潔に述べよ。

# %% [markdown] nbgrader={"grade_id": "hred_vhred_answer", "solution": true, "grade": true, "points": 2} lang="en"
# <!-- BEGIN SOLUTION -->
# **Model answer.** Seq2seq maps one input sequence to one output sequence (one question,
# one answer) with no memory of earlier turns. HRED adds a context RNN over the encoded
# utterances, so the reply takes the conversation so far into account. VHRED adds to HRED
# a VAE-style latent variable (a random variable drawn from a distribution conditioned on
# the context), which gives the replies variety and substance that HRED, whose only
# randomness is word sampling, lacks (HRED tends to give the same, short, dull replies).
#
# **Rubric (2 pts).** 1 pt: seq2seq vs HRED: HRED conditions on earlier utterances
# through a context RNN (hierarchy: utterance encoder, then context). 1 pt: HRED vs VHRED:
# VHRED adds a latent random variable as in a VAE, and why (diverse / less bland replies).
# <!-- END SOLUTION -->

# %% [markdown] nbgrader={"grade_id": "hred_vhred_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** Seq2seq は 1 つの入力系列を 1 つの出力系列に変換します (一問一答) が、それ
# 以前のやり取りを覚えていません。HRED はエンコードした発話の列に文脈 RNN を加え、それまでの
# 会話を踏まえて応答します。VHRED は HRED に VAE と同じ考え方の潜在変数 (文脈に条件づけた分布から
# 引く確率変数) を加えます。これにより、ランダム性が単語のサンプリングにしかない HRED には
# ない多様さと中身が応答に生まれます (HRED は同じような、短く退屈な応答をしがちです)。
#
# **採点基準 (2点)。** 1 点: seq2seq と HRED の違い。HRED は文脈 RNN を通じて過去の発話に
# 条件づける (階層構造: 発話のエンコーダ、その上に文脈)。1 点: HRED と VHRED の違い。VHRED は
# VAE のような潜在的な確率変数を加えること、およびその理由 (多様で、ありきたりでない応答)。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# HRED and VHRED side by side: utterance encoders, a context RNN over the dialogue, and, in
# VHRED, a latent $z_n$ drawn at each turn.
#
# ![HRED: utterance encoders feed a context RNN whose state starts the decoder; VHRED adds a latent variable z drawn from a distribution computed from the context](attachment:hred_vhred.png)
#
# ## 9 · From autoencoder to VAE
#
# **Notation.** From here on $z$ is the VAE's **latent variable**, the code of an input.
# The letter had other jobs before: in notebooks 01–02, as in the notes, $z_t$ was the
# hidden state of the RNN, and in 04 $z$ was the GRU's update gate.
#
# An **autoencoder** (unsupervised: the input is its own target) compresses $x$ into a
# latent code $z$ with an encoder and reconstructs $\hat x$ from $z$ with a decoder. The
# code usually has far fewer dimensions than $x$, so an autoencoder is a **dimensionality
# reduction** learned from the inputs alone, without labels: a non-linear relative of PCA
# (an autoencoder with linear layers trained on the squared error finds the same subspace
# as PCA's leading components). Nothing says how the codes are arranged, so a random point
# of the latent space may decode to nonsense.
#
# A **variational autoencoder** changes what the encoder outputs: a mean $\mu$ and a
# log-variance $\log\sigma^2$ instead of one code; the code is drawn as $z \sim
# \mathcal{N}(\mu, \operatorname{diag}\sigma^2)$, and a penalty keeps these close to
# $\mathcal{N}(0, I)$:
#
# $$\mathcal{L}(x) = \underbrace{\tfrac{1}{2\sigma_x^2}\lVert x - \hat x \rVert^2}_{\text{reconstruction}}
# + \underbrace{D_{KL}\big(\mathcal{N}(\mu, \sigma^2)\,\Vert\,\mathcal{N}(0, I)\big)}_{\text{regulariser}},
# \qquad D_{KL} = -\tfrac12 \sum_{j} \big(1 + \log\sigma_j^2 - \mu_j^2 - \sigma_j^2\big).$$
#
# Then the latent space is filled without gaps, and decoding $z \sim \mathcal{N}(0, I)$
# generates new data.
#
# **The reparameterisation trick.** Sampling is not differentiable in $\mu$ and $\sigma$.
# Draw the noise first, $\varepsilon \sim \mathcal{N}(0, I)$, and write
# $z = \mu + \sigma \odot \varepsilon$ with $\sigma = \exp(\tfrac12 \log\sigma^2)$: now
# $z$ is a differentiable function of $\mu$ and $\log\sigma^2$, and the randomness is an input.
#
# ## 10 · Confirmation test 11 (確認テスト11): fill in the blank (1 point) [auto]
#
# > 【問題】VAEに関する下記の説明文中の空欄に当てはまる言葉を答えよ。
# > 自己符号化器の潜在変数に____を導入したもの。
# >
# > *Fill in the blank in this description of the VAE: "An autoencoder whose latent
# > variable has a ____ introduced into it."*
#
# Set `vae_blank` to the missing words (English or Japanese).

# %% [markdown] lang="ja"
# HRED と VHRED を並べた図です。発話のエンコーダ、会話全体にわたる文脈 RNN、そして VHRED では
# 各ターンで引かれる潜在変数 $z_n$ があります。
#
# ![HRED: 発話のエンコーダの出力が文脈 RNN に入り、その状態がデコーダの出発点になる。VHRED はさらに、文脈から計算した分布に従う潜在変数 z を加える](attachment:hred_vhred.png)
#
# ## 9 · 自己符号化器から VAE へ
#
# **記号について。** ここからの $z$ は VAE の **潜在変数**、つまり入力の符号 (code) です。
# この文字はこれまで別の意味で使われてきました。ノートブック 01–02 ではノートに合わせて $z_t$ を
# RNN の隠れ状態とし、04 では $z$ が GRU の更新ゲートでした。
#
# **自己符号化器** (オートエンコーダ、autoencoder) は教師なし学習 (入力そのものが目標) の一つで、
# エンコーダで $x$ を潜在変数の符号 $z$ に圧縮し、デコーダで $z$ から $\hat x$ を復元します。
# 符号の次元はふつう $x$ よりずっと小さいので、自己符号化器はラベルなしで入力だけから学習する
# **次元削減** (dimensionality reduction) の方法といえます。主成分分析 (PCA) の非線形版にあたります
# (線形の層だけの自己符号化器を二乗誤差で学習すると、PCA の上位の主成分と同じ部分空間が得られます)。
# ただし、符号がどう並ぶかには何の決まりもないので、潜在空間のランダムな点をデコードすると
# 意味のない出力になることがあります。
#
# **変分自己符号化器** (VAE、variational autoencoder) は、エンコーダの出力を変えます。符号を
# 1 つ出すのではなく、平均 $\mu$ と分散の対数 $\log\sigma^2$ を出し、符号を
# $z \sim \mathcal{N}(\mu, \operatorname{diag}\sigma^2)$ として引きます。さらに、罰則項が
# これを $\mathcal{N}(0, I)$ の近くに保ちます。
#
# $$\mathcal{L}(x) = \underbrace{\tfrac{1}{2\sigma_x^2}\lVert x - \hat x \rVert^2}_{\text{復元誤差}}
# + \underbrace{D_{KL}\big(\mathcal{N}(\mu, \sigma^2)\,\Vert\,\mathcal{N}(0, I)\big)}_{\text{正則化項}},
# \qquad D_{KL} = -\tfrac12 \sum_{j} \big(1 + \log\sigma_j^2 - \mu_j^2 - \sigma_j^2\big).$$
#
# 第 2 項は KL ダイバージェンス (KL divergence) です。こうすると潜在空間がすき間なく埋まり、
# $z \sim \mathcal{N}(0, I)$ をデコードすれば新しいデータを生成できます。
#
# **再パラメータ化トリック** (reparameterisation trick)。サンプリングという操作は $\mu$ と
# $\sigma$ について微分できません。そこで先にノイズ $\varepsilon \sim \mathcal{N}(0, I)$ を引き、
# $\sigma = \exp(\tfrac12 \log\sigma^2)$ として $z = \mu + \sigma \odot \varepsilon$ と書きます。
# これで $z$ は $\mu$ と $\log\sigma^2$ の微分可能な関数になり、乱数は入力の一つになります。
#
# ## 10 · 確認テスト11: 空欄補充 (1点) [自動採点]
#
# > 【問題】VAEに関する下記の説明文中の空欄に当てはまる言葉を答えよ。
# > 自己符号化器の潜在変数に____を導入したもの。
#
# 空欄に入る言葉を `vae_blank` に代入してください (日本語でも英語でも構いません)。

# %% nbgrader={"grade_id": "vae_blank_code", "solution": true} lang="en"
### BEGIN SOLUTION
vae_blank = "probability distribution"
### END SOLUTION

# %% nbgrader={"grade_id": "vae_blank_code", "solution": true} lang="ja"
### BEGIN SOLUTION
vae_blank = "確率分布"
### END SOLUTION

# %% nbgrader={"grade_id": "vae_blank", "grade": true, "locked": true} lang="en"
assert_true(isinstance(vae_blank, str) and vae_blank.strip() != "", "vae_blank should be a non-empty string")
print("an answer is given")

# %% nbgrader={"grade_id": "vae_blank", "grade": true, "locked": true} lang="ja"
assert_true(isinstance(vae_blank, str) and vae_blank.strip() != "", "vae_blank は空でない文字列にしてください")
print("答えが入力されています")

# %% [markdown] lang="en"
# ## 11 · The reparameterisation trick (2 points) [auto]
#
# Implement the trick of §9: return the code $z$ for the given $\mu$, $\log\sigma^2$ and
# noise $\varepsilon$ (all `(N, Z)`).

# %% [markdown] lang="ja"
# ## 11 · 再パラメータ化トリック (2点) [自動採点]
#
# §9 のトリックを実装してください。与えられた $\mu$、$\log\sigma^2$、ノイズ $\varepsilon$
# (どれも `(N, Z)`) に対する符号 $z$ を返します。

# %% nbgrader={"grade_id": "reparameterize_code", "solution": true} lang="en"
def reparameterize(mu, log_var, eps):
    """mu, log_var, eps: (N, Z). Returns z: (N, Z)."""
    ### BEGIN SOLUTION
    return mu + np.exp(0.5 * log_var) * eps
    ### END SOLUTION


# %% nbgrader={"grade_id": "reparameterize_code", "solution": true} lang="ja"
def reparameterize(mu, log_var, eps):
    """mu、log_var、eps: (N, Z)。z: (N, Z) を返す。"""
    ### BEGIN SOLUTION
    return mu + np.exp(0.5 * log_var) * eps
    ### END SOLUTION


# %% nbgrader={"grade_id": "reparameterize", "grade": true, "locked": true} lang="en"
mu = np.array([[1.0, 2.0]])
log_var = np.array([[0.0, np.log(4.0)]])      # variances 1 and 4: standard deviations 1 and 2
eps = np.array([[0.5, -1.0]])
assert_close(reparameterize(mu, log_var, eps), np.array([[1.5, 0.0]]), "z")
# Many draws have the intended mean and standard deviation:
eps = np.random.default_rng(0).standard_normal((20000, 2))
z = reparameterize(np.zeros((20000, 2)) + mu, np.zeros((20000, 2)) + log_var, eps)
assert_close(z.std(axis=0), np.array([1.0, 2.0]), "the standard deviation of z", rtol=0.03)

# %% nbgrader={"grade_id": "reparameterize", "grade": true, "locked": true} lang="ja"
mu = np.array([[1.0, 2.0]])
log_var = np.array([[0.0, np.log(4.0)]])      # 分散 1 と 4: 標準偏差 1 と 2
eps = np.array([[0.5, -1.0]])
assert_close(reparameterize(mu, log_var, eps), np.array([[1.5, 0.0]]), "z")
# 多数引けば、意図した平均と標準偏差になる:
eps = np.random.default_rng(0).standard_normal((20000, 2))
z = reparameterize(np.zeros((20000, 2)) + mu, np.zeros((20000, 2)) + log_var, eps)
assert_close(z.std(axis=0), np.array([1.0, 2.0]), "z の標準偏差", rtol=0.03)

# %% [markdown] lang="en"
# ## 12 · The KL term (2 points) [auto]
#
# Return the KL divergence of $\mathcal{N}(\mu, \operatorname{diag}\exp(\log\sigma^2))$
# from $\mathcal{N}(0, I)$ for **each example**: a vector `(N,)`, summed over the latent
# dimensions (formula in §9).

# %% [markdown] lang="ja"
# ## 12 · KL 項 (2点) [自動採点]
#
# $\mathcal{N}(\mu, \operatorname{diag}\exp(\log\sigma^2))$ の $\mathcal{N}(0, I)$ に対する
# KL ダイバージェンスを **例ごとに** 返してください。潜在変数の次元について和をとったベクトル
# `(N,)` です (式は §9)。

# %% nbgrader={"grade_id": "kl_divergence_code", "solution": true} lang="en"
def kl_divergence(mu, log_var):
    """mu, log_var: (N, Z). Returns kl: (N,), one value per example."""
    ### BEGIN SOLUTION
    return -0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "kl_divergence_code", "solution": true} lang="ja"
def kl_divergence(mu, log_var):
    """mu、log_var: (N, Z)。kl: (N,) (例ごとに 1 つの値) を返す。"""
    ### BEGIN SOLUTION
    return -0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "kl_divergence", "grade": true, "locked": true} lang="en"
kl = kl_divergence(np.zeros((3, 2)), np.zeros((3, 2)))
assert_shape(kl, (3,), "kl")
assert_close(kl, np.zeros(3), "KL of N(0, I) from itself")
assert_close(kl_divergence(np.array([[1.0, 0.0]]), np.zeros((1, 2))), np.array([0.5]),
             "KL when the mean is off by 1 in one dimension")
# Against a Monte-Carlo estimate, E_q[log q(z) - log p(z)], for one 1-D Gaussian:
m, s = 0.7, 0.5
z = m + s * np.random.default_rng(0).standard_normal(200000)
estimate = np.mean(-0.5 * ((z - m) / s) ** 2 - np.log(s) + 0.5 * z**2)
assert_close(kl_divergence(np.array([[m]]), np.array([[np.log(s**2)]])), np.array([estimate]),
             "KL compared with a Monte-Carlo estimate", rtol=0.02)

# %% nbgrader={"grade_id": "kl_divergence", "grade": true, "locked": true} lang="ja"
kl = kl_divergence(np.zeros((3, 2)), np.zeros((3, 2)))
assert_shape(kl, (3,), "kl")
assert_close(kl, np.zeros(3), "N(0, I) の自分自身に対する KL")
assert_close(kl_divergence(np.array([[1.0, 0.0]]), np.zeros((1, 2))), np.array([0.5]),
             "平均が 1 つの次元で 1 ずれたときの KL")
# モンテカルロ推定 E_q[log q(z) - log p(z)] との比較 (1 次元の正規分布 1 つ):
m, s = 0.7, 0.5
z = m + s * np.random.default_rng(0).standard_normal(200000)
estimate = np.mean(-0.5 * ((z - m) / s) ** 2 - np.log(s) + 0.5 * z**2)
assert_close(kl_divergence(np.array([[m]]), np.array([[np.log(s**2)]])), np.array([estimate]),
             "KL とモンテカルロ推定の比較", rtol=0.02)

# %% [markdown] lang="en"
# The VAE of §9–12 in one picture: the encoder's mean and log-variance, the code drawn by
# the reparameterisation trick, and the decoder.
#
# ![An autoencoder maps each input to one code point; a VAE's encoder outputs a mean and a log-variance, the code is the mean plus the standard deviation times external noise, and the decoder reconstructs the input](attachment:vae.png)
#
# ## 13 · Try it: a tiny VAE on 2-D points
#
# Four clusters of points in the plane; a VAE with a 2-D latent space (encoder and decoder
# with one tanh layer of 32 units, Adam, 3,000 batches of 128) trained with **your**
# `reparameterize` and `kl_divergence` (`rnnlib.vae` uses them in its forward pass).
# Look at where the encoder puts each cluster's means $\mu$, and at what the decoder makes
# of random draws $z \sim \mathcal{N}(0, I)$.

# %% [markdown] lang="ja"
# §9–12 の VAE を 1 枚の図にまとめます。エンコーダが出す平均と分散の対数、再パラメータ化
# トリックで引く符号、そしてデコーダです。
#
# ![自己符号化器は入力ごとに 1 点の符号を作る。VAE のエンコーダは平均と分散の対数を出し、符号は平均に標準偏差と外から与えたノイズの積を足したもので、デコーダが入力を復元する](attachment:vae.png)
#
# ## 13 · 試してみよう: 2 次元の点で小さな VAE
#
# 平面上の 4 つの点の集まり (クラスタ) を、潜在空間が 2 次元の VAE (エンコーダもデコーダも
# 32 ユニットの tanh 層 1 つ、Adam、128 個のバッチを 3,000 回) で学習させます。使うのは
# **あなたの** `reparameterize` と `kl_divergence` です (`rnnlib.vae` の順伝播がこれらを
# 呼びます)。エンコーダが各クラスタの平均 $\mu$ をどこに置くか、そしてランダムに引いた
# $z \sim \mathcal{N}(0, I)$ をデコーダが何に変えるかを見てください。

# %% tags=["practice"] lang="en"
points, cluster = gaussian_clusters_2d(np.random.default_rng(0), 2000)
vae = train_vae(points, reparameterize, kl_divergence, seed=0)
print(f"trained in {vae.seconds:.1f} s: reconstruction {vae.reconstruction[-1]:.2f}, "
      f"KL {vae.kl[-1]:.2f} per example")
plot_curves({"reconstruction": vae.reconstruction, "KL": vae.kl}, "VAE training loss (mean per example)",
            "iteration", "loss term", x=vae.iterations)
plt.show()

mu, log_var = encode(vae.params, points)
generated = decode(vae.params, np.random.default_rng(1).standard_normal((1000, 2)))
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
for k in range(4):
    axes[0].scatter(*points[cluster == k].T, s=4, label=f"cluster {k}")
    axes[1].scatter(*mu[cluster == k].T, s=4, label=f"cluster {k}")
circle = np.linspace(0, 2 * np.pi, 100)
axes[1].plot(2 * np.cos(circle), 2 * np.sin(circle), "k--", lw=1, label="2 sd of N(0, I)")
axes[2].scatter(*points.T, s=3, c="lightgray", label="training data")
axes[2].scatter(*generated.T, s=3, label="decoded z ~ N(0, I)")
titles = ["data x", "latent means mu = encoder(x)", "new points from the prior"]
labels = [("x1", "x2"), ("z1", "z2"), ("x1", "x2")]
for ax, title, (xlabel, ylabel) in zip(axes, titles, labels):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_aspect("equal")
    ax.legend(markerscale=3, fontsize=8)
plt.show()
print(f"mean posterior standard deviation: {np.exp(0.5 * log_var).mean():.2f} "
      "(the prior's is 1: each point's code is a small cloud, not a single point)")

# %% tags=["practice"] lang="ja"
points, cluster = gaussian_clusters_2d(np.random.default_rng(0), 2000)
vae = train_vae(points, reparameterize, kl_divergence, seed=0)
print(f"学習時間 {vae.seconds:.1f} 秒: 1 例あたり復元誤差 {vae.reconstruction[-1]:.2f}、"
      f"KL {vae.kl[-1]:.2f}")
plot_curves({"復元誤差": vae.reconstruction, "KL": vae.kl}, "VAE の学習の損失 (1 例あたりの平均)",
            "反復", "損失の項", x=vae.iterations)
plt.show()

mu, log_var = encode(vae.params, points)
generated = decode(vae.params, np.random.default_rng(1).standard_normal((1000, 2)))
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
for k in range(4):
    axes[0].scatter(*points[cluster == k].T, s=4, label=f"クラスタ {k}")
    axes[1].scatter(*mu[cluster == k].T, s=4, label=f"クラスタ {k}")
circle = np.linspace(0, 2 * np.pi, 100)
axes[1].plot(2 * np.cos(circle), 2 * np.sin(circle), "k--", lw=1, label="N(0, I) の 2 標準偏差")
axes[2].scatter(*points.T, s=3, c="lightgray", label="学習データ")
axes[2].scatter(*generated.T, s=3, label="z ~ N(0, I) をデコードした点")
titles = ["データ x", "潜在変数の平均 mu = エンコーダ(x)", "事前分布から生成した新しい点"]
labels = [("x1", "x2"), ("z1", "z2"), ("x1", "x2")]
for ax, title, (xlabel, ylabel) in zip(axes, titles, labels):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_aspect("equal")
    ax.legend(markerscale=3, fontsize=8)
plt.show()
print(f"事後分布の標準偏差の平均: {np.exp(0.5 * log_var).mean():.2f} "
      "(事前分布では 1。各点の符号は 1 点ではなく、小さな雲です)")

# %% [markdown] lang="en"
# The clusters keep their places in the latent space, squeezed into the region that the
# prior covers; decoding draws from the prior gives points on the clusters, with a few
# between them (the decoder has to fill the whole latent space). Try it: change the
# weight of the KL term by passing a different `noise_var` to `train_vae` (a small
# `noise_var` makes reconstruction matter more, like a plain autoencoder; a large one
# pulls every code towards the prior).

# %% [markdown] lang="ja"
# クラスタは潜在空間でも互いの位置関係を保ち、事前分布 $\mathcal{N}(0, I)$ が覆う領域に押し
# 込められています。事前分布から引いた点をデコードすると、ほとんどはクラスタの上に、いくつかは
# クラスタの間に来ます (デコーダは潜在空間全体を埋めなければならないからです)。試してみましょう:
# `train_vae` に別の `noise_var` を渡すと、KL 項の重みが変わります (`noise_var` が小さいと復元が
# 重視されて素の自己符号化器に近づき、大きいとすべての符号が事前分布に引き寄せられます)。

# %% [markdown] lang="en"
# ## Summary
# * Seq2seq = an encoder RNN whose final state (thought vector, $h_T$ with steps numbered
#   from 1) initialises a decoder RNN that generates the output token by token, feeding
#   back its own predictions.
# * An embedding lookup `W_embed[ids]` is the one-hot product without the zeros; with the
#   notes' layout `E: (embed, vocab)` it is the column `E @ w`. Vocabularies run from a
#   dozen characters (here) to $10^4$–$10^5$ words with embeddings of a few hundred
#   dimensions (translation).
# * Greedy decoding takes the most likely token at each step and feeds it back; the start
#   token is an input, not an output.
# * HRED adds a context RNN over utterances (conversation history); VHRED adds a VAE-style
#   latent variable for diverse replies.
# * An autoencoder is a dimensionality reduction learned without labels. A VAE makes the
#   latent code a probability distribution: $z = \mu + \sigma \odot \varepsilon$ keeps
#   sampling differentiable, and the KL term
#   $-\frac12\sum(1 + \log\sigma^2 - \mu^2 - \sigma^2)$ keeps the codes near
#   $\mathcal{N}(0, I)$.

# %% [markdown] lang="ja"
# ## まとめ
# * Seq2seq = エンコーダの RNN の最後の状態 (思考ベクトル。時刻を 1 から数えれば $h_T$) が
#   デコーダの RNN の初期状態になり、デコーダが自分の予測を入力に戻しながら 1 トークンずつ出力を
#   生成するモデルです。
# * 埋め込みの参照 `W_embed[ids]` は、0 との積を省いた one-hot ベクトルとの積です。ノートの並び
#   `E: (embed, vocab)` では列 `E @ w` になります。語彙の大きさは、ここでの十数文字から、
#   翻訳での $10^4$〜$10^5$ 語 (埋め込みは数百次元) までさまざまです。
# * 貪欲法のデコードは各時刻で最も確率の高いトークンを選んで入力に戻します。開始トークンは入力で
#   あって、出力ではありません。
# * HRED は発話の列に文脈 RNN を加え (会話の履歴)、VHRED は多様な応答のために VAE のような
#   潜在変数を加えます。
# * 自己符号化器はラベルなしで学習する次元削減です。VAE は潜在変数の符号を確率分布にします。
#   $z = \mu + \sigma \odot \varepsilon$ でサンプリングを微分可能に保ち、KL 項
#   $-\frac12\sum(1 + \log\sigma^2 - \mu^2 - \sigma^2)$ で符号を $\mathcal{N}(0, I)$ の近くに
#   保ちます。
