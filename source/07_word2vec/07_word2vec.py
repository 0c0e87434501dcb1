# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] lang="en"
# # 07 · word2vec
#
# *Deep Learning, Day 3 — Section 6.* 単語の分散表現 = **distributed representation of
# words** (word embedding), 語彙 = **vocabulary**, 確認テスト = **confirmation test**.
#
# ## Learning goals
# After this notebook you can
# 1. say what word2vec is: a vector-space (word-embedding) model that puts every word at a
#    point of a $d$-dimensional space;
# 2. turn a text into a vocabulary, word ids and one-hot vectors;
# 3. explain why embeddings (a $V \times d$ table) beat one-hot vectors ($V \times V$),
#    with the sizes used in practice;
# 4. build (contexts, target) pairs with a window, and implement CBOW forward and backward;
# 5. write the skip-gram loss, the negative-sampling distribution (power 0.75) and the
#    negative-sampling loss;
# 6. train CBOW on a small corpus and read its embeddings: similar words, a 2-D map.
#
# ## Words as points in a vector space
# In a text a word is only a string of characters; "cat" and "dog" share no letter, and
# nothing in the strings says that they are alike. **word2vec** (Mikolov et al., 2013)
# represents every word by a vector of $d$ real numbers, a point in a $d$-dimensional
# space, and learns the points from the words' neighbours in a large corpus. This is why
# it is called a **vector space model** or a **word embedding model**: the meaning of a
# word is represented by where its point lies.
#
# * Words used in similar contexts ("cat", "dog") end up **close** to each other; closeness
#   is usually measured by the cosine similarity of their vectors.
# * **Directions** carry meaning too: in embeddings trained on large corpora the
#   difference $v(\text{king}) - v(\text{man})$ is close to
#   $v(\text{queen}) - v(\text{woman})$, so $v(\text{king}) - v(\text{man}) +
#   v(\text{woman})$ lands near $v(\text{queen})$.
# * There is no separate "embedding" output: the network's input weight matrix $W_{in}$,
#   one row per word, **is** the table of word vectors. Training the network to predict
#   words from words is only the means of getting it.
#
# ## From one-hot vectors to embeddings
# With a vocabulary of $V$ words, word $i$ can be the one-hot vector $e_i \in
# \{0,1\}^V$: all words are equally far apart and a layer on top needs $V \times V$ weights
# when predicting words from words. word2vec instead learns a dense vector of $d \ll V$
# numbers per word, the rows of $W_{in}: (V, d)$. Multiplying a one-hot vector by
# $W_{in}$ just selects a row, so `W_in[ids]` is the same as `onehot @ W_in`, without the
# zeros. Words that occur in similar contexts end up with similar rows.
#
# **Sizes in practice.** The notes' example sentence "I want to eat apples. I like
# apples." has a vocabulary of 7 words (with the period); a real vocabulary has as many
# words as a dictionary. Models keep $10^4$ to $10^6$ words (the notes mention limiting
# it to 30,000–50,000 words; the word vectors Google published with word2vec cover 3
# million words and phrases) and embeddings of 100 to 300 dimensions (the notes: a few
# hundred). With $V = 10^5$ a $V \times V$ table has $10^{10}$ numbers (40 GB in 32-bit
# floats); the $V \times d$ table with $d = 300$ has $3 \times 10^7$ (120 MB). This is what
# made learning distributed representations from large corpora feasible in realistic
# time and memory.
#
# ## CBOW and skip-gram
# word2vec slides a window of $w$ words on each side over the text. The word in the middle
# is the **centre word** (target), the $2w$ words around it are its **context words**.
#
# * **CBOW** (continuous bag of words) predicts a word from the average of its context
#   words' embeddings: $h = \frac{1}{2w}\sum_{c} W_{in}[c]$, scores $= h W_{out}$, soft-max
#   over the vocabulary.
# * **Skip-gram** predicts each context word from the centre word's embedding.
#
# ![word2vec with window 1 on the sentence "the cat eats fish .": CBOW averages the rows of W_in of the context words "cat" and "fish" and scores the vocabulary with W_out to predict the centre word "eats"; skip-gram takes the row of "eats" and predicts each context word](attachment:cbow_skipgram.png)
#
# * **Negative sampling** replaces the soft-max over all $V$ words by a few binary
#   decisions: the true word (label 1) against $k$ words drawn at random (label 0).

# %% [markdown] lang="ja"
# # 07 · word2vec
#
# *講義「深層学習 Day3」Section6 に対応します。* 確認テストには講義ノートと同じ番号を付け、
# ノートの問題文を引用しています。
#
# ## 学習目標
# このノートブックを終えると、次のことができるようになります。
# 1. word2vec が何かを説明できる: すべての単語を $d$ 次元空間の点に置く、ベクトル空間モデル
#    (単語埋め込みモデル) である。
# 2. 文章から語彙 (vocabulary)、単語 ID、one-hot ベクトル (one-hot vector) をつくれる。
# 3. 埋め込み ($V \times d$ の表) が one-hot ベクトル ($V \times V$) より優れている理由を、
#    実際に使われる大きさとともに説明できる。
# 4. ウィンドウを使って (文脈, ターゲット) の組をつくり、CBOW の順伝播と逆伝播を実装できる。
# 5. スキップグラム (skip-gram) の損失、負例サンプリング (negative sampling) の分布 (0.75 乗)、
#    負例サンプリングの損失を書ける。
# 6. 小さなコーパスで CBOW を学習させ、得られた埋め込みを読み取れる: 似た単語、2次元の地図。
#
# ## ベクトル空間の点としての単語
# 文章の中の単語は、ただの文字の並び (文字列) です。"cat" と "dog" には共通の文字が1つもなく、
# 文字列のどこを見ても2つが似ていることはわかりません。**word2vec** (Mikolov ら、2013年) は、
# 各単語を $d$ 個の実数のベクトル、つまり $d$ 次元空間の1つの点で表し、その点を大きなコーパスの
# 中の周辺の単語から学習します。そのため word2vec は **ベクトル空間モデル** (vector space
# model) や **単語埋め込みモデル** (word embedding model) とも呼ばれます。単語の意味は、
# その点がどこにあるかで表されます。
#
# * 似た文脈で使われる単語 ("cat" と "dog" など) は、互いに **近く** に置かれます。近さは
#   ふつう、ベクトルのコサイン類似度 (cosine similarity) で測ります。
# * **方向** にも意味があります。大きなコーパスで学習した埋め込みでは、差
#   $v(\text{king}) - v(\text{man})$ が $v(\text{queen}) - v(\text{woman})$ に近く、
#   $v(\text{king}) - v(\text{man}) + v(\text{woman})$ は $v(\text{queen})$ の近くに来ます。
# * 「埋め込み」という別の出力があるわけではありません。ネットワークの入力側の重み行列
#   $W_{in}$ (1行が1単語) **そのもの** が単語ベクトルの表です。単語から単語を予測するように
#   ネットワークを学習させるのは、この表を得るための手段にすぎません。
#
# ## one-hot ベクトルから埋め込みへ
# 語彙が $V$ 語なら、単語 $i$ は one-hot ベクトル $e_i \in \{0,1\}^V$ で表せます。ただし、
# どの2単語の間の距離も同じになり、単語から単語を予測するときには上に載せる層に $V \times V$ 個の
# 重みが必要です。word2vec は代わりに、各単語に $d \ll V$ 個の数からなる密なベクトルを学習します。
# それが $W_{in}: (V, d)$ の各行です。one-hot ベクトルに $W_{in}$ を掛けると1行を取り出すだけ
# なので、`W_in[ids]` は `onehot @ W_in` と同じ結果を、0 との積なしで与えます。似た文脈に
# 現れる単語ほど、似た行になっていきます。
#
# **実際の大きさ。** ノートの例文 "I want to eat apples. I like apples." の語彙は (ピリオドを
# 含めて) 7語ですが、実際の語彙は辞書に載っている単語の数だけあります。実際のモデルの語彙は
# $10^4$ から $10^6$ 語 (ノートでは、覚えさせる単語を3〜5万語程度に限定するとしています。
# word2vec とともに Google が公開した単語ベクトルは、300万の単語と句を含みます)、埋め込みは
# 100 から 300 次元 (ノートでは数百程度) です。$V = 10^5$ なら、$V \times V$ の表は $10^{10}$
# 個の数 (32ビット浮動小数点数で 40 GB) になります。$d = 300$ の $V \times d$ の表なら
# $3 \times 10^7$ 個 (120 MB) です。これによって、大規模なデータからの分散表現 (distributed
# representation) の学習が、現実的な計算速度とメモリ量でできるようになりました。
#
# ## CBOW とスキップグラム
# word2vec は、左右に $w$ 語ずつのウィンドウを文章の上で滑らせます。真ん中の単語が
# **中心の単語** (ターゲット、target)、その周りの $2w$ 語が **周辺の単語** (文脈、context
# words) です。
#
# * **CBOW** (continuous bag of words) は、周辺の単語の埋め込みの平均から中心の単語を予測します:
#   $h = \frac{1}{2w}\sum_{c} W_{in}[c]$、スコア $= h W_{out}$、語彙全体でソフトマックス。
# * **スキップグラム** は、中心の単語の埋め込みから、周辺の単語を1つずつ予測します。
#
# ![文 "the cat eats fish ." の上のウィンドウ 1 の word2vec。CBOW は周辺の単語 "cat" と "fish" の W_in の行を平均し、W_out で語彙のスコアを出して中心の単語 "eats" を予測する。スキップグラムは "eats" の行から、周辺の単語をそれぞれ予測する](attachment:cbow_skipgram.png)
#
# * **負例サンプリング** は、$V$ 語すべてにわたるソフトマックスを、いくつかの2値の判定で
#   置き換えます: 正しい単語 (ラベル 1) と、ランダムに選んだ $k$ 個の単語 (ラベル 0)。

# %% nbgrader={"grade_id": "imports", "locked": true} lang="en"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import softmax
from rnnlib.datasets import toy_corpus
from rnnlib.embeddings import most_similar, project_2d
from rnnlib.gradcheck import numerical_gradient
from rnnlib.language import set_language
from rnnlib.optim import Adam
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true

set_language("en")

# %% nbgrader={"grade_id": "imports", "locked": true} lang="ja"
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import softmax
from rnnlib.datasets import toy_corpus
from rnnlib.embeddings import most_similar, project_2d
from rnnlib.gradcheck import numerical_gradient
from rnnlib.language import set_language
from rnnlib.optim import Adam
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true

set_language("ja")

# %% [markdown] lang="en"
# ## 1 · A vocabulary (1 point) [auto]
#
# Lower-case the text, put a space before each period so that `.` is a word of its own,
# split on whitespace, and number the words **in order of first appearance** from 0.
# Return both directions: `word_to_id` (`{"i": 0, ...}`) and `id_to_word` (`{0: "i", ...}`).

# %% [markdown] lang="ja"
# ## 1 · 語彙 (1点) [自動採点]
#
# 文章を小文字にし、`.` が1つの単語になるように各ピリオドの前に空白を入れ、空白で区切ります。
# 単語には **最初に現れた順に** 0 から番号を付けます。両方向の対応を返してください:
# `word_to_id` (`{"i": 0, ...}`) と `id_to_word` (`{0: "i", ...}`)。

# %% nbgrader={"grade_id": "build_vocab_code", "solution": true} lang="en"
def build_vocab(text):
    """text: str. Returns (word_to_id: dict str -> int, id_to_word: dict int -> str)."""
    ### BEGIN SOLUTION
    words = text.lower().replace(".", " .").split()
    word_to_id, id_to_word = {}, {}
    for word in words:
        if word not in word_to_id:
            word_to_id[word] = len(word_to_id)
            id_to_word[word_to_id[word]] = word
    return word_to_id, id_to_word
    ### END SOLUTION


# %% nbgrader={"grade_id": "build_vocab_code", "solution": true} lang="ja"
def build_vocab(text):
    """text: str。(word_to_id: str -> int の dict, id_to_word: int -> str の dict) を返す。"""
    ### BEGIN SOLUTION
    words = text.lower().replace(".", " .").split()
    word_to_id, id_to_word = {}, {}
    for word in words:
        if word not in word_to_id:
            word_to_id[word] = len(word_to_id)
            id_to_word[word_to_id[word]] = word
    return word_to_id, id_to_word
    ### END SOLUTION


# %% nbgrader={"grade_id": "build_vocab", "grade": true, "locked": true}
word_to_id, id_to_word = build_vocab("I like apples. I want to eat apples.")
assert_close(word_to_id, {"i": 0, "like": 1, "apples": 2, ".": 3, "want": 4, "to": 5, "eat": 6},
             "word_to_id")
assert_close(id_to_word, {0: "i", 1: "like", 2: "apples", 3: ".", 4: "want", 5: "to", 6: "eat"},
             "id_to_word")

# %% [markdown] lang="en"
# The notes' sentence, as ids and one-hot vectors:

# %% [markdown] lang="ja"
# ノートの例文を、ID と one-hot ベクトルにすると次のようになります。

# %% nbgrader={"grade_id": "notes_sentence", "locked": true} lang="en"
text = "I want to eat apples. I like apples."
word_to_id, id_to_word = build_vocab(text)
corpus = np.array([word_to_id[w] for w in text.lower().replace(".", " .").split()])
print(word_to_id)
print("corpus:", corpus)
print("one-hot of 'apples':", np.eye(len(word_to_id))[word_to_id["apples"]])

# %% nbgrader={"grade_id": "notes_sentence", "locked": true} lang="ja"
text = "I want to eat apples. I like apples."
word_to_id, id_to_word = build_vocab(text)
corpus = np.array([word_to_id[w] for w in text.lower().replace(".", " .").split()])
print(word_to_id)
print("コーパス:", corpus)
print("'apples' の one-hot ベクトル:", np.eye(len(word_to_id))[word_to_id["apples"]])

# %% [markdown] lang="en"
# ## 2 · Contexts and targets (2 points) [auto]
#
# With window $w$, every word that has $w$ words on each side is a target; its contexts
# are the $w$ words before it and the $w$ words after it, in order (the target itself is
# not one of them). For the corpus `[0, 1, 2, 3]` and $w = 1$: contexts `[[0, 2], [1, 3]]`,
# targets `[1, 2]`.

# %% [markdown] lang="ja"
# ## 2 · 文脈とターゲット (2点) [自動採点]
#
# ウィンドウの大きさが $w$ のとき、左右にそれぞれ $w$ 語ある単語がすべてターゲットになります。
# その文脈は、前の $w$ 語と後ろの $w$ 語を順に並べたものです (ターゲット自身は含みません)。
# コーパス `[0, 1, 2, 3]` と $w = 1$ なら、文脈は `[[0, 2], [1, 3]]`、ターゲットは `[1, 2]` です。

# %% nbgrader={"grade_id": "contexts_and_target_code", "solution": true} lang="en"
def contexts_and_target(corpus, window):
    """corpus: (L,) word ids. Returns (contexts: (L - 2w, 2w) ints, target: (L - 2w,) ints)."""
    ### BEGIN SOLUTION
    target = corpus[window:-window]
    contexts = [[corpus[i + d] for d in range(-window, window + 1) if d != 0]
                for i in range(window, len(corpus) - window)]
    return np.array(contexts), np.array(target)
    ### END SOLUTION


# %% nbgrader={"grade_id": "contexts_and_target_code", "solution": true} lang="ja"
def contexts_and_target(corpus, window):
    """corpus: (L,) 単語 ID。(contexts: (L - 2w, 2w) の整数, target: (L - 2w,) の整数) を返す。"""
    ### BEGIN SOLUTION
    target = corpus[window:-window]
    contexts = [[corpus[i + d] for d in range(-window, window + 1) if d != 0]
                for i in range(window, len(corpus) - window)]
    return np.array(contexts), np.array(target)
    ### END SOLUTION


# %% nbgrader={"grade_id": "contexts_and_target", "grade": true, "locked": true} lang="en"
contexts, target = contexts_and_target(np.array([0, 1, 2, 3]), 1)
assert_close(contexts, np.array([[0, 2], [1, 3]]), "contexts, window 1")
assert_close(target, np.array([1, 2]), "target, window 1")
contexts, target = contexts_and_target(np.arange(6), 2)
assert_close(contexts, np.array([[0, 1, 3, 4], [1, 2, 4, 5]]), "contexts, window 2")

# %% nbgrader={"grade_id": "contexts_and_target", "grade": true, "locked": true} lang="ja"
contexts, target = contexts_and_target(np.array([0, 1, 2, 3]), 1)
assert_close(contexts, np.array([[0, 2], [1, 3]]), "contexts (ウィンドウ 1)")
assert_close(target, np.array([1, 2]), "target (ウィンドウ 1)")
contexts, target = contexts_and_target(np.arange(6), 2)
assert_close(contexts, np.array([[0, 1, 3, 4], [1, 2, 4, 5]]), "contexts (ウィンドウ 2)")

# %% [markdown] lang="en"
# ## 3 · CBOW forward (2 points) [auto]
#
# `contexts: (N, C)` ids, one row of $C = 2w$ context words per example. Compute CBOW's
# hidden vector $h$ and the scores of every word (the equations above) for the whole
# batch at once: `(N, V)`. (The soft-max and the loss come after, in the training loop.)

# %% [markdown] lang="ja"
# ## 3 · CBOW の順伝播 (2点) [自動採点]
#
# `contexts: (N, C)` は ID で、1つの例につき $C = 2w$ 個の周辺の単語が1行に並びます。CBOW の
# 中間のベクトル $h$ と全単語のスコア (上の式) を、バッチ全体について一度に計算してください:
# `(N, V)`。(ソフトマックスと損失は、このあと学習ループの中で計算します。)

# %% nbgrader={"grade_id": "cbow_forward_code", "solution": true} lang="en"
def cbow_forward(contexts, W_in, W_out):
    """contexts: (N, C) ints, W_in: (V, d), W_out: (d, V). Returns scores: (N, V)."""
    ### BEGIN SOLUTION
    h = W_in[contexts].mean(axis=1)
    return h @ W_out
    ### END SOLUTION


# %% nbgrader={"grade_id": "cbow_forward_code", "solution": true} lang="ja"
def cbow_forward(contexts, W_in, W_out):
    """contexts: (N, C) の整数, W_in: (V, d), W_out: (d, V)。scores: (N, V) を返す。"""
    ### BEGIN SOLUTION
    h = W_in[contexts].mean(axis=1)
    return h @ W_out
    ### END SOLUTION


# %% nbgrader={"grade_id": "cbow_forward", "grade": true, "locked": true} lang="en"
W_in = np.arange(12.0).reshape(6, 2)
W_out = np.array([[1.0, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, -1]])
scores = cbow_forward(np.array([[0, 2], [1, 1]]), W_in, W_out)
assert_shape(scores, (2, 6), "scores")
assert_close(scores[0], np.array([2.0, 3, 0, 0, 0, -1]), "scores of the first example (rows 0 and 2 averaged)")

# %% nbgrader={"grade_id": "cbow_forward", "grade": true, "locked": true} lang="ja"
W_in = np.arange(12.0).reshape(6, 2)
W_out = np.array([[1.0, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, -1]])
scores = cbow_forward(np.array([[0, 2], [1, 1]]), W_in, W_out)
assert_shape(scores, (2, 6), "scores")
assert_close(scores[0], np.array([2.0, 3, 0, 0, 0, -1]), "1つ目の例のスコア (行 0 と行 2 の平均)")

# %% [markdown] lang="en"
# ## 4 · CBOW backward (3 points) [auto]
#
# Given `dscores = dL/dscores: (N, V)`, return `dW_in` and `dW_out`. The average sends
# `dh / C` to **each** context row; when a word appears several times in a batch its
# gradients must **add up**. Careful: with numpy, `dW_in[ids] += values` writes each
# repeated id once only; `np.add.at(dW_in, ids, values)` accumulates.

# %% [markdown] lang="ja"
# ## 4 · CBOW の逆伝播 (3点) [自動採点]
#
# `dscores = dL/dscores: (N, V)` が与えられたとき、`dW_in` と `dW_out` を返してください。平均を
# とっているので、**それぞれの** 文脈の行に `dh / C` が届きます。1つのバッチに同じ単語が何度も
# 現れるときは、その勾配を **足し合わせ** なければなりません。注意: numpy の
# `dW_in[ids] += values` は、重複した ID に1回しか書き込みません。`np.add.at(dW_in, ids, values)`
# なら足し合わされます。

# %% nbgrader={"grade_id": "cbow_backward_code", "solution": true} lang="en"
def cbow_backward(dscores, contexts, W_in, W_out):
    """dscores: (N, V); the rest as in cbow_forward. Returns (dW_in: (V, d), dW_out: (d, V))."""
    ### BEGIN SOLUTION
    C = contexts.shape[1]
    h = W_in[contexts].mean(axis=1)
    dW_out = h.T @ dscores
    dh = dscores @ W_out.T
    dW_in = np.zeros_like(W_in)
    for j in range(C):
        np.add.at(dW_in, contexts[:, j], dh / C)
    return dW_in, dW_out
    ### END SOLUTION


# %% nbgrader={"grade_id": "cbow_backward_code", "solution": true} lang="ja"
def cbow_backward(dscores, contexts, W_in, W_out):
    """dscores: (N, V)。残りは cbow_forward と同じ。(dW_in: (V, d), dW_out: (d, V)) を返す。"""
    ### BEGIN SOLUTION
    C = contexts.shape[1]
    h = W_in[contexts].mean(axis=1)
    dW_out = h.T @ dscores
    dh = dscores @ W_out.T
    dW_in = np.zeros_like(W_in)
    for j in range(C):
        np.add.at(dW_in, contexts[:, j], dh / C)
    return dW_in, dW_out
    ### END SOLUTION


# %% nbgrader={"grade_id": "cbow_backward", "grade": true, "locked": true} lang="en"
rng = np.random.default_rng(0)
V, d = 5, 3
contexts = np.array([[0, 1], [1, 1], [4, 0]])  # word 1 appears three times
W_in, W_out = rng.standard_normal((V, d)), rng.standard_normal((d, V))
dscores = rng.standard_normal((3, V))
dW_in, dW_out = cbow_backward(dscores, contexts, W_in, W_out)


def loss_of(W_in=W_in, W_out=W_out):
    """sum(scores * dscores): its gradient is exactly the backward pass for dscores."""
    h = np.stack([W_in[row].mean(axis=0) for row in contexts])
    return np.sum((h @ W_out) * dscores)


assert_gradient(dW_out, numerical_gradient(lambda v: loss_of(W_out=v), W_out.copy()), "dW_out")
assert_gradient(dW_in, numerical_gradient(lambda v: loss_of(W_in=v), W_in.copy()), "dW_in")

# %% nbgrader={"grade_id": "cbow_backward", "grade": true, "locked": true} lang="ja"
rng = np.random.default_rng(0)
V, d = 5, 3
contexts = np.array([[0, 1], [1, 1], [4, 0]])  # 単語 1 が3回現れる
W_in, W_out = rng.standard_normal((V, d)), rng.standard_normal((d, V))
dscores = rng.standard_normal((3, V))
dW_in, dW_out = cbow_backward(dscores, contexts, W_in, W_out)


def loss_of(W_in=W_in, W_out=W_out):
    """sum(scores * dscores): この関数の勾配が、dscores に対する逆伝播そのものになる。"""
    h = np.stack([W_in[row].mean(axis=0) for row in contexts])
    return np.sum((h @ W_out) * dscores)


assert_gradient(dW_out, numerical_gradient(lambda v: loss_of(W_out=v), W_out.copy()), "dW_out")
assert_gradient(dW_in, numerical_gradient(lambda v: loss_of(W_in=v), W_in.copy()), "dW_in")

# %% [markdown] lang="en"
# ## 5 · The skip-gram loss (2 points) [auto]
#
# Skip-gram turns CBOW around: the centre word's row `W_in[target]` scores the vocabulary,
# `p = softmax(W_in[target] @ W_out)`, and **every** context word is a separate prediction.
# The loss of one example is $-\sum_{c} \log p_c$ (sum over its $2w$ context words); return
# the mean over the $N$ examples. Subtract the row maximum before `exp` for stability.

# %% [markdown] lang="ja"
# ## 5 · スキップグラムの損失 (2点) [自動採点]
#
# スキップグラムは CBOW を逆向きにしたものです。中心の単語の行 `W_in[target]` で語彙のスコアを
# 出し、`p = softmax(W_in[target] @ W_out)` とします。周辺の単語は **1つずつ** が別々の予測です。
# 1つの例の損失は $-\sum_{c} \log p_c$ (その $2w$ 個の周辺の単語についての和) です。$N$ 個の例の
# 平均を返してください。数値を安定させるため、`exp` の前に各行の最大値を引きます。

# %% nbgrader={"grade_id": "skipgram_loss_code", "solution": true} lang="en"
def skipgram_loss(target, contexts, W_in, W_out):
    """target: (N,) ids, contexts: (N, C) ids, W_in: (V, d), W_out: (d, V). Returns a float."""
    ### BEGIN SOLUTION
    scores = W_in[target] @ W_out
    scores = scores - scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    picked = np.take_along_axis(log_probs, contexts, axis=1)
    return float(-picked.sum(axis=1).mean())
    ### END SOLUTION


# %% nbgrader={"grade_id": "skipgram_loss_code", "solution": true} lang="ja"
def skipgram_loss(target, contexts, W_in, W_out):
    """target: (N,) の ID, contexts: (N, C) の ID, W_in: (V, d), W_out: (d, V)。float を返す。"""
    ### BEGIN SOLUTION
    scores = W_in[target] @ W_out
    scores = scores - scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    picked = np.take_along_axis(log_probs, contexts, axis=1)
    return float(-picked.sum(axis=1).mean())
    ### END SOLUTION


# %% nbgrader={"grade_id": "skipgram_loss", "grade": true, "locked": true} lang="en"
W_in, W_out = np.zeros((4, 2)), np.zeros((2, 4))  # all scores 0: every p = 1/4
assert_close(skipgram_loss(np.array([0]), np.array([[1, 2]]), W_in, W_out), 2 * np.log(4),
             "two contexts, uniform probabilities")
W_out = np.array([[50.0, 0, 0, 0], [0, 0, 0, 0]])
assert_close(skipgram_loss(np.array([0]), np.array([[0, 0]]), np.eye(4)[:, :2], W_out), 0.0,
             "a certain prediction costs nothing (and does not overflow)", atol=1e-9)

# %% nbgrader={"grade_id": "skipgram_loss", "grade": true, "locked": true} lang="ja"
W_in, W_out = np.zeros((4, 2)), np.zeros((2, 4))  # スコアはすべて 0: どの p も 1/4
assert_close(skipgram_loss(np.array([0]), np.array([[1, 2]]), W_in, W_out), 2 * np.log(4),
             "文脈が2つ、確率が一様")
W_out = np.array([[50.0, 0, 0, 0], [0, 0, 0, 0]])
assert_close(skipgram_loss(np.array([0]), np.array([[0, 0]]), np.eye(4)[:, :2], W_out), 0.0,
             "確実な予測の損失は 0 (オーバーフローもしない)", atol=1e-9)

# %% [markdown] lang="en"
# ## 6 · Negative sampling (1 + 2 points) [auto]
#
# Negative words are drawn from the unigram distribution raised to the power 0.75,
# $P(w) \propto \text{count}(w)^{0.75}$: frequent words are still drawn more often, but
# rare words get a bigger share than their raw frequency. Return the probabilities (they
# must sum to 1).

# %% [markdown] lang="ja"
# ## 6 · 負例サンプリング (1 + 2点) [自動採点]
#
# 負例の単語は、ユニグラム分布 (各単語の出現頻度の分布) を 0.75 乗した分布から選びます:
# $P(w) \propto \text{count}(w)^{0.75}$。頻度の高い単語はやはり多く選ばれますが、まれな単語は
# 元の頻度よりも大きな割合を得ます。この確率を返してください (和は 1 になります)。

# %% nbgrader={"grade_id": "sampling_probs_code", "solution": true} lang="en"
def sampling_probs(counts, power=0.75):
    """counts: (V,) word counts. Returns (V,) probabilities proportional to counts**power."""
    ### BEGIN SOLUTION
    p = np.asarray(counts, dtype=float) ** power
    return p / p.sum()
    ### END SOLUTION


# %% nbgrader={"grade_id": "sampling_probs_code", "solution": true} lang="ja"
def sampling_probs(counts, power=0.75):
    """counts: (V,) 各単語の出現回数。counts**power に比例する (V,) の確率を返す。"""
    ### BEGIN SOLUTION
    p = np.asarray(counts, dtype=float) ** power
    return p / p.sum()
    ### END SOLUTION


# %% nbgrader={"grade_id": "sampling_probs", "grade": true, "locked": true} lang="en"
p = sampling_probs(np.array([16, 1]))
assert_close(p, np.array([8 / 9, 1 / 9]), "counts [16, 1]: 16**0.75 = 8 against 1")
assert_close(p.sum(), 1.0, "the probabilities sum to 1")

# %% nbgrader={"grade_id": "sampling_probs", "grade": true, "locked": true} lang="ja"
p = sampling_probs(np.array([16, 1]))
assert_close(p, np.array([8 / 9, 1 / 9]), "出現回数 [16, 1]: 16**0.75 = 8 対 1")
assert_close(p.sum(), 1.0, "確率の和は 1")

# %% [markdown] lang="en"
# For one example with hidden vector $h$, true word vector $t$ (its column of $W_{out}$)
# and $k$ negative vectors $n_1..n_k$, the loss is binary cross-entropy with the sigmoid:
#
# $$L = -\log \sigma(h \cdot t) - \sum_{j=1}^{k} \log \sigma(-h \cdot n_j).$$
#
# Return the mean over the batch.

# %% [markdown] lang="ja"
# 中間のベクトル $h$、正しい単語のベクトル $t$ ($W_{out}$ のその単語の列)、$k$ 個の負例の
# ベクトル $n_1..n_k$ をもつ1つの例について、損失はシグモイドを使った2値の交差エントロピーです:
#
# $$L = -\log \sigma(h \cdot t) - \sum_{j=1}^{k} \log \sigma(-h \cdot n_j).$$
#
# バッチ全体の平均を返してください。

# %% nbgrader={"grade_id": "negative_sampling_loss_code", "solution": true} lang="en"
def negative_sampling_loss(h, target_vectors, negative_vectors):
    """h: (N, d), target_vectors: (N, d), negative_vectors: (N, k, d). Returns a float."""
    ### BEGIN SOLUTION
    positive = np.sum(h * target_vectors, axis=1)
    negative = np.einsum("nd,nkd->nk", h, negative_vectors)
    sig = lambda u: 1.0 / (1.0 + np.exp(-u))  # noqa: E731
    return float(np.mean(-np.log(sig(positive)) - np.log(sig(-negative)).sum(axis=1)))
    ### END SOLUTION


# %% nbgrader={"grade_id": "negative_sampling_loss_code", "solution": true} lang="ja"
def negative_sampling_loss(h, target_vectors, negative_vectors):
    """h: (N, d), target_vectors: (N, d), negative_vectors: (N, k, d)。float を返す。"""
    ### BEGIN SOLUTION
    positive = np.sum(h * target_vectors, axis=1)
    negative = np.einsum("nd,nkd->nk", h, negative_vectors)
    sig = lambda u: 1.0 / (1.0 + np.exp(-u))  # noqa: E731
    return float(np.mean(-np.log(sig(positive)) - np.log(sig(-negative)).sum(axis=1)))
    ### END SOLUTION


# %% nbgrader={"grade_id": "negative_sampling_loss", "grade": true, "locked": true} lang="en"
h = np.zeros((1, 3))  # every dot product is 0: each term is log 2
assert_close(negative_sampling_loss(h, np.ones((1, 3)), np.ones((1, 4, 3))), 5 * np.log(2),
             "1 positive + 4 negatives at sigma(0) = 1/2")

# %% nbgrader={"grade_id": "negative_sampling_loss", "grade": true, "locked": true} lang="ja"
h = np.zeros((1, 3))  # 内積はすべて 0: どの項も log 2
assert_close(negative_sampling_loss(h, np.ones((1, 3)), np.ones((1, 4, 3))), 5 * np.log(2),
             "正例 1 個 + 負例 4 個、どれも sigma(0) = 1/2")

# %% [markdown] lang="en"
# ## 7 · Confirmation test 12 (確認テスト12), first half: RNN vs word2vec (2 points) [manual]
#
# > 【問題】RNNとword2vec、seq2seqとAttentionの違いを簡潔に述べよ。
# >
# > *Briefly state the difference between RNN and word2vec, and between seq2seq and
# > Attention.*
#
# This notebook asks the first half; notebook 08 asks the second (seq2seq vs attention).
# Both produce vectors from text. Compare what an RNN and word2vec each learn, what
# their vectors represent, and their cost.

# %% [markdown] lang="ja"
# ## 7 · 確認テスト12 (前半): RNN と word2vec の違い (2点) [手動採点]
#
# > 【問題】RNNとword2vec、seq2seqとAttentionの違いを簡潔に述べよ。
#
# このノートブックでは前半を尋ねます。後半 (seq2seq と Attention) はノートブック 08 で扱います。
# どちらも文章からベクトルをつくります。RNN と word2vec がそれぞれ何を学習し、そのベクトルが何を
# 表し、どれだけの計算を要するかを比べてください。

# %% [markdown] nbgrader={"grade_id": "rnn_vs_word2vec_answer", "solution": true, "grade": true, "points": 2} lang="en"
# <!-- BEGIN SOLUTION -->
# **Model answer.** An RNN reads a sequence step by step and carries a hidden state, so
# its vectors depend on the whole preceding context (a sentence or a time series); it
# needs a forward and backward pass through every step and is trained for a task.
# word2vec learns one fixed vector per word from its co-occurring neighbours in a window,
# with a shallow network (an embedding table and an output layer), so it is cheap to
# train on large corpora; the same word always gets the same vector whatever the sentence,
# and word order beyond the window is ignored.
#
# **Rubric (2 pts).** 1 pt: what is represented (context-dependent state of a sequence vs
# one fixed vector per word from window co-occurrence). 1 pt: cost or structure
# (recurrent, step by step vs shallow, fast, large vocabularies).
# <!-- END SOLUTION -->

# %% [markdown] nbgrader={"grade_id": "rnn_vs_word2vec_answer", "solution": true, "grade": true, "points": 2} lang="ja"
# <!-- BEGIN SOLUTION -->
# **模範解答。** RNN は系列を1ステップずつ読み、隠れ状態を持ち運びます。そのためベクトルは、
# それより前の文脈全体 (文や時系列) に依存します。どのステップについても順伝播と逆伝播が必要で、
# 何かの課題のために学習します。word2vec は、ウィンドウの中で一緒に現れる周辺の単語から、
# 1単語に1つの固定したベクトルを学習します。ネットワークは浅い (埋め込みの表と出力層だけ) ので、
# 大きなコーパスでも安く学習できます。その代わり、同じ単語はどんな文の中でも同じベクトルになり、
# ウィンドウより外の語順は無視されます。
#
# **採点基準 (2点)。** 1点: 何を表すか (系列の文脈に依存する状態 と、ウィンドウ内の共起から
# 得た1単語1つの固定ベクトル)。1点: 計算量または構造 (再帰的に1ステップずつ と、浅く速く
# 大きな語彙を扱える)。
# <!-- END SOLUTION -->

# %% [markdown] lang="en"
# ## 8 · Practice: CBOW on a small corpus
#
# `toy_corpus()` makes 2,000 template sentences ("the cat eats fish .", "i like tea .",
# ...) in which words of one kind appear in the same contexts. We train CBOW with
# window 1, $d = 10$, a full soft-max (the vocabulary has 42 words) and Adam, using
# **your** `build_vocab`, `contexts_and_target`, `cbow_forward` and `cbow_backward`.
# The trained `W_in` is the embedding table: its rows are the word vectors we look at.

# %% [markdown] lang="ja"
# ## 8 · 練習: 小さなコーパスで CBOW を学習する
#
# `toy_corpus()` は、ひな形から 2,000 個の英文 ("the cat eats fish ."、"i like tea ." など)
# をつくります。同じ種類の単語は同じ文脈に現れます。ウィンドウ 1、$d = 10$、語彙全体での
# ソフトマックス (語彙は 42 語) と Adam で CBOW を学習させます。使うのは **あなたの**
# `build_vocab`、`contexts_and_target`、`cbow_forward`、`cbow_backward` です。学習後の `W_in`
# が埋め込みの表で、その各行がこれから調べる単語ベクトルです。

# %% tags=["practice"] lang="en"
text = toy_corpus(seed=0)
word_to_id, id_to_word = build_vocab(text)
corpus = np.array([word_to_id[w] for w in text.split()])
contexts, target = contexts_and_target(corpus, 1)
rng = np.random.default_rng(0)
V, d = len(word_to_id), 10
params = {"W_in": rng.standard_normal((V, d)) * 0.1, "W_out": rng.standard_normal((d, V)) * 0.1}
optimizer = Adam(params, lr=0.01)
losses = []
for epoch in range(15):
    order = rng.permutation(len(target))
    for start in range(0, len(target), 100):
        batch = order[start:start + 100]
        probs = softmax(cbow_forward(contexts[batch], params["W_in"], params["W_out"]))
        losses.append(-np.mean(np.log(probs[np.arange(len(batch)), target[batch]])))
        dscores = probs.copy()
        dscores[np.arange(len(batch)), target[batch]] -= 1.0
        dW_in, dW_out = cbow_backward(dscores / len(batch), contexts[batch], params["W_in"],
                                      params["W_out"])
        optimizer.step(params, {"W_in": dW_in, "W_out": dW_out})
plt.plot(losses)
plt.title("CBOW training loss")
plt.xlabel("mini-batch")
plt.ylabel("cross-entropy")
plt.show()
for word in ["cat", "milk", "bread", "park", "girl"]:
    neighbours = ", ".join(f"{w} ({s:.2f})" for w, s in most_similar(word, word_to_id, id_to_word,
                                                                      params["W_in"], top=4))
    print(f"{word:>6}: {neighbours}")

# %% tags=["practice"] lang="ja"
text = toy_corpus(seed=0)
word_to_id, id_to_word = build_vocab(text)
corpus = np.array([word_to_id[w] for w in text.split()])
contexts, target = contexts_and_target(corpus, 1)
rng = np.random.default_rng(0)
V, d = len(word_to_id), 10
params = {"W_in": rng.standard_normal((V, d)) * 0.1, "W_out": rng.standard_normal((d, V)) * 0.1}
optimizer = Adam(params, lr=0.01)
losses = []
for epoch in range(15):
    order = rng.permutation(len(target))
    for start in range(0, len(target), 100):
        batch = order[start:start + 100]
        probs = softmax(cbow_forward(contexts[batch], params["W_in"], params["W_out"]))
        losses.append(-np.mean(np.log(probs[np.arange(len(batch)), target[batch]])))
        dscores = probs.copy()
        dscores[np.arange(len(batch)), target[batch]] -= 1.0
        dW_in, dW_out = cbow_backward(dscores / len(batch), contexts[batch], params["W_in"],
                                      params["W_out"])
        optimizer.step(params, {"W_in": dW_in, "W_out": dW_out})
plt.plot(losses)
plt.title("CBOW の学習の損失")
plt.xlabel("ミニバッチ")
plt.ylabel("交差エントロピー")
plt.show()
for word in ["cat", "milk", "bread", "park", "girl"]:
    neighbours = ", ".join(f"{w} ({s:.2f})" for w, s in most_similar(word, word_to_id, id_to_word,
                                                                      params["W_in"], top=4))
    print(f"{word:>6}: {neighbours}")

# %% [markdown] lang="en"
# Each word's nearest neighbours by cosine similarity are words of its own kind: the
# points of one kind lie close together. The embeddings of the five kinds of words,
# projected on their first two principal components:

# %% [markdown] lang="ja"
# コサイン類似度で最も近い単語は、どれも同じ種類の単語です。同じ種類の単語の点は、互いに近くに
# 集まっています。5種類の単語の埋め込みを、第1・第2主成分に射影して描きます。

# %% tags=["practice"] lang="en"
from rnnlib.datasets import TOY_WORDS

kind_names = {"animal": "animals", "person": "people", "food": "food", "drink": "drinks",
              "place": "places"}
xy = project_2d(params["W_in"])
fig, ax = plt.subplots(figsize=(7, 6))
for kind, words in TOY_WORDS.items():
    ids = [word_to_id[w] for w in words]
    ax.scatter(xy[ids, 0], xy[ids, 1], label=kind_names.get(kind, kind))
    for i in ids:
        ax.annotate(id_to_word[i], xy[i], fontsize=8)
ax.set_title("CBOW embeddings, first two principal components")
ax.set_xlabel("component 1")
ax.set_ylabel("component 2")
ax.legend()
plt.show()

# %% tags=["practice"] lang="ja"
from rnnlib.datasets import TOY_WORDS

kind_names = {"animal": "動物", "person": "人", "food": "食べ物", "drink": "飲み物",
              "place": "場所"}
xy = project_2d(params["W_in"])
fig, ax = plt.subplots(figsize=(7, 6))
for kind, words in TOY_WORDS.items():
    ids = [word_to_id[w] for w in words]
    ax.scatter(xy[ids, 0], xy[ids, 1], label=kind_names.get(kind, kind))
    for i in ids:
        ax.annotate(id_to_word[i], xy[i], fontsize=8)
ax.set_title("CBOW の埋め込み (第1・第2主成分)")
ax.set_xlabel("第1主成分")
ax.set_ylabel("第2主成分")
ax.legend()
plt.show()

# %% [markdown] lang="en"
# ## Summary
# * word2vec is a vector space (word embedding) model: every word is a point in a
#   $d$-dimensional space, similar words lie close together and directions carry meaning.
#   The trained input weight matrix `W_in` is the embedding table.
# * Vocabulary → ids → one-hot; an embedding table `W_in: (V, d)` replaces one-hot
#   products by row look-ups, with $V d$ instead of $V^2$ weights. In practice $V$ is
#   $10^4$–$10^6$ words and $d$ is 100–300.
# * CBOW averages the context embeddings to predict the target; its backward pass spreads
#   `dh / C` over the context rows and must accumulate repeated words (`np.add.at`).
# * Skip-gram predicts each context word from the target; negative sampling replaces the
#   soft-max by a few sigmoid decisions against words drawn with $P \propto
#   \text{count}^{0.75}$.
# * Words used in the same contexts get similar vectors: cosine similarity finds them.

# %% [markdown] lang="ja"
# ## まとめ
# * word2vec はベクトル空間モデル (単語埋め込みモデル) です。各単語は $d$ 次元空間の点で、
#   似た単語は近くに集まり、方向にも意味があります。学習した入力側の重み行列 `W_in` が、
#   そのまま埋め込みの表です。
# * 語彙 → ID → one-hot ベクトル。埋め込みの表 `W_in: (V, d)` を使えば、one-hot ベクトルとの積が
#   行の参照に置き換わり、重みは $V^2$ 個ではなく $V d$ 個で済みます。実際には $V$ は
#   $10^4$〜$10^6$ 語、$d$ は 100〜300 です。
# * CBOW は周辺の単語の埋め込みを平均してターゲットを予測します。その逆伝播は `dh / C` を
#   文脈の各行に配り、重複する単語の勾配を足し合わせなければなりません (`np.add.at`)。
# * スキップグラムはターゲットから周辺の単語を1つずつ予測します。負例サンプリングは
#   ソフトマックスを、$P \propto \text{count}^{0.75}$ で選んだ単語に対するいくつかの
#   シグモイドの判定で置き換えます。
# * 同じ文脈で使われる単語は似たベクトルになり、コサイン類似度で見つけられます。
