# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · word2vec
#
# *Deep Learning, Day 3 — Section 6.* 単語の分散表現 = **distributed representation of
# words** (word embedding), 確認テスト = **confirmation test**.
#
# ## Learning goals
# After this notebook you can
# 1. turn a text into a vocabulary, word ids and one-hot vectors;
# 2. explain why embeddings (a $V \times d$ table) beat one-hot vectors ($V \times V$);
# 3. build (contexts, target) pairs with a window, and implement CBOW forward and backward;
# 4. write the skip-gram loss, the negative-sampling distribution (power 0.75) and the
#    negative-sampling loss;
# 5. train CBOW on a small corpus and read its embeddings: similar words, a 2-D map.
#
# ## From one-hot vectors to embeddings
# With a vocabulary of $V$ words, word $i$ can be the one-hot vector $e_i \in
# \{0,1\}^V$: all words are equally far apart and a layer on top needs $V \times V$ weights
# when predicting words from words. word2vec instead learns a dense vector of $d \ll V$
# numbers per word, the rows of $W_{in}: (V, d)$. Multiplying a one-hot vector by
# $W_{in}$ just selects a row, so `W_in[ids]` is the same as `onehot @ W_in`, without the
# zeros. Words that occur in similar contexts end up with similar rows.
#
# * **CBOW** predicts a word from the average of its context words' embeddings:
#   $h = \frac{1}{2w}\sum_{c} W_{in}[c]$, scores $= h W_{out}$, soft-max over the vocabulary.
# * **Skip-gram** predicts each context word from the centre word's embedding.
# * **Negative sampling** replaces the soft-max over all $V$ words by a few binary
#   decisions: the true word (label 1) against $k$ words drawn at random (label 0).

# %% nbgrader={"grade_id": "imports", "locked": true}
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.activations import softmax
from rnnlib.datasets import toy_corpus
from rnnlib.embeddings import most_similar, project_2d
from rnnlib.gradcheck import numerical_gradient
from rnnlib.optim import Adam
from rnnlib.testing import assert_close, assert_gradient, assert_shape, assert_true

# %% [markdown]
# ## 1 · A vocabulary (1 point) [auto]
#
# Lower-case the text, put a space before each period so that `.` is a word of its own,
# split on whitespace, and number the words **in order of first appearance** from 0.
# Return both directions: `word_to_id` (`{"i": 0, ...}`) and `id_to_word` (`{0: "i", ...}`).

# %% nbgrader={"grade_id": "build_vocab_code", "solution": true}
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


# %% nbgrader={"grade_id": "build_vocab", "grade": true, "locked": true}
word_to_id, id_to_word = build_vocab("You say goodbye. I say hello.")
assert_close(word_to_id, {"you": 0, "say": 1, "goodbye": 2, ".": 3, "i": 4, "hello": 5}, "word_to_id")
assert_close(id_to_word, {0: "you", 1: "say", 2: "goodbye", 3: ".", 4: "i", 5: "hello"}, "id_to_word")

# %% [markdown]
# The notes' sentence, as ids and one-hot vectors:

# %% nbgrader={"grade_id": "notes_sentence", "locked": true}
text = "I want to eat apples. I like apples."
word_to_id, id_to_word = build_vocab(text)
corpus = np.array([word_to_id[w] for w in text.lower().replace(".", " .").split()])
print(word_to_id)
print("corpus:", corpus)
print("one-hot of 'apples':", np.eye(len(word_to_id))[word_to_id["apples"]])

# %% [markdown]
# ## 2 · Contexts and targets (2 points) [auto]
#
# With window $w$, every word that has $w$ words on each side is a target; its contexts
# are the $w$ words before it and the $w$ words after it, in order (the target itself is
# not one of them). For the corpus `[0, 1, 2, 3]` and $w = 1$: contexts `[[0, 2], [1, 3]]`,
# targets `[1, 2]`.

# %% nbgrader={"grade_id": "contexts_and_target_code", "solution": true}
def contexts_and_target(corpus, window):
    """corpus: (L,) word ids. Returns (contexts: (L - 2w, 2w) ints, target: (L - 2w,) ints)."""
    ### BEGIN SOLUTION
    target = corpus[window:-window]
    contexts = [[corpus[i + d] for d in range(-window, window + 1) if d != 0]
                for i in range(window, len(corpus) - window)]
    return np.array(contexts), np.array(target)
    ### END SOLUTION


# %% nbgrader={"grade_id": "contexts_and_target", "grade": true, "locked": true}
contexts, target = contexts_and_target(np.array([0, 1, 2, 3]), 1)
assert_close(contexts, np.array([[0, 2], [1, 3]]), "contexts, window 1")
assert_close(target, np.array([1, 2]), "target, window 1")
contexts, target = contexts_and_target(np.arange(6), 2)
assert_close(contexts, np.array([[0, 1, 3, 4], [1, 2, 4, 5]]), "contexts, window 2")

# %% [markdown]
# ## 3 · CBOW forward (2 points) [auto]
#
# `contexts: (N, C)` ids, one row of $C = 2w$ context words per example. Compute CBOW's
# hidden vector $h$ and the scores of every word (the equations above) for the whole
# batch at once: `(N, V)`. (The soft-max and the loss come after, in the training loop.)

# %% nbgrader={"grade_id": "cbow_forward_code", "solution": true}
def cbow_forward(contexts, W_in, W_out):
    """contexts: (N, C) ints, W_in: (V, d), W_out: (d, V). Returns scores: (N, V)."""
    ### BEGIN SOLUTION
    h = W_in[contexts].mean(axis=1)
    return h @ W_out
    ### END SOLUTION


# %% nbgrader={"grade_id": "cbow_forward", "grade": true, "locked": true}
W_in = np.arange(12.0).reshape(6, 2)
W_out = np.array([[1.0, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, -1]])
scores = cbow_forward(np.array([[0, 2], [1, 1]]), W_in, W_out)
assert_shape(scores, (2, 6), "scores")
assert_close(scores[0], np.array([2.0, 3, 0, 0, 0, -1]), "scores of the first example (rows 0 and 2 averaged)")

# %% [markdown]
# ## 4 · CBOW backward (3 points) [auto]
#
# Given `dscores = dL/dscores: (N, V)`, return `dW_in` and `dW_out`. The average sends
# `dh / C` to **each** context row; when a word appears several times in a batch its
# gradients must **add up**. Careful: with numpy, `dW_in[ids] += values` writes each
# repeated id once only; `np.add.at(dW_in, ids, values)` accumulates.

# %% nbgrader={"grade_id": "cbow_backward_code", "solution": true}
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


# %% nbgrader={"grade_id": "cbow_backward", "grade": true, "locked": true}
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

# %% [markdown]
# ## 5 · The skip-gram loss (2 points) [auto]
#
# Skip-gram turns CBOW around: the centre word's row `W_in[target]` scores the vocabulary,
# `p = softmax(W_in[target] @ W_out)`, and **every** context word is a separate prediction.
# The loss of one example is $-\sum_{c} \log p_c$ (sum over its $2w$ context words); return
# the mean over the $N$ examples. Subtract the row maximum before `exp` for stability.

# %% nbgrader={"grade_id": "skipgram_loss_code", "solution": true}
def skipgram_loss(target, contexts, W_in, W_out):
    """target: (N,) ids, contexts: (N, C) ids, W_in: (V, d), W_out: (d, V). Returns a float."""
    ### BEGIN SOLUTION
    scores = W_in[target] @ W_out
    scores = scores - scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    picked = np.take_along_axis(log_probs, contexts, axis=1)
    return float(-picked.sum(axis=1).mean())
    ### END SOLUTION


# %% nbgrader={"grade_id": "skipgram_loss", "grade": true, "locked": true}
W_in, W_out = np.zeros((4, 2)), np.zeros((2, 4))  # all scores 0: every p = 1/4
assert_close(skipgram_loss(np.array([0]), np.array([[1, 2]]), W_in, W_out), 2 * np.log(4),
             "two contexts, uniform probabilities")
W_out = np.array([[50.0, 0, 0, 0], [0, 0, 0, 0]])
assert_close(skipgram_loss(np.array([0]), np.array([[0, 0]]), np.eye(4)[:, :2], W_out), 0.0,
             "a certain prediction costs nothing (and does not overflow)", atol=1e-9)

# %% [markdown]
# ## 6 · Negative sampling (1 + 2 points) [auto]
#
# Negative words are drawn from the unigram distribution raised to the power 0.75,
# $P(w) \propto \text{count}(w)^{0.75}$: frequent words are still drawn more often, but
# rare words get a bigger share than their raw frequency. Return the probabilities (they
# must sum to 1).

# %% nbgrader={"grade_id": "sampling_probs_code", "solution": true}
def sampling_probs(counts, power=0.75):
    """counts: (V,) word counts. Returns (V,) probabilities proportional to counts**power."""
    ### BEGIN SOLUTION
    p = np.asarray(counts, dtype=float) ** power
    return p / p.sum()
    ### END SOLUTION


# %% nbgrader={"grade_id": "sampling_probs", "grade": true, "locked": true}
p = sampling_probs(np.array([16, 1]))
assert_close(p, np.array([8 / 9, 1 / 9]), "counts [16, 1]: 16**0.75 = 8 against 1")
assert_close(p.sum(), 1.0, "the probabilities sum to 1")

# %% [markdown]
# For one example with hidden vector $h$, true word vector $t$ (its column of $W_{out}$)
# and $k$ negative vectors $n_1..n_k$, the loss is binary cross-entropy with the sigmoid:
#
# $$L = -\log \sigma(h \cdot t) - \sum_{j=1}^{k} \log \sigma(-h \cdot n_j).$$
#
# Return the mean over the batch.

# %% nbgrader={"grade_id": "negative_sampling_loss_code", "solution": true}
def negative_sampling_loss(h, target_vectors, negative_vectors):
    """h: (N, d), target_vectors: (N, d), negative_vectors: (N, k, d). Returns a float."""
    ### BEGIN SOLUTION
    positive = np.sum(h * target_vectors, axis=1)
    negative = np.einsum("nd,nkd->nk", h, negative_vectors)
    sig = lambda u: 1.0 / (1.0 + np.exp(-u))  # noqa: E731
    return float(np.mean(-np.log(sig(positive)) - np.log(sig(-negative)).sum(axis=1)))
    ### END SOLUTION


# %% nbgrader={"grade_id": "negative_sampling_loss", "grade": true, "locked": true}
h = np.zeros((1, 3))  # every dot product is 0: each term is log 2
assert_close(negative_sampling_loss(h, np.ones((1, 3)), np.ones((1, 4, 3))), 5 * np.log(2),
             "1 positive + 4 negatives at sigma(0) = 1/2")

# %% [markdown]
# ## 7 · 確認テスト: RNN vs word2vec (2 points) [manual]
# Both produce vectors from text. Compare what an RNN and word2vec each learn, what
# their vectors represent, and their cost.

# %% [markdown] nbgrader={"grade_id": "rnn_vs_word2vec_answer", "solution": true, "grade": true, "points": 2}
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

# %% [markdown]
# ## 8 · Practice: CBOW on a small corpus
#
# `toy_corpus()` makes 2,000 template sentences ("the cat eats fish .", "i like tea .",
# ...) in which words of one kind appear in the same contexts. We train CBOW with
# window 1, $d = 10$, a full soft-max (the vocabulary has 42 words) and Adam, using
# **your** `build_vocab`, `contexts_and_target`, `cbow_forward` and `cbow_backward`.

# %% tags=["practice"]
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

# %% [markdown]
# The embeddings of the five kinds of words, projected on their first two principal
# components:

# %% tags=["practice"]
from rnnlib.datasets import TOY_WORDS

xy = project_2d(params["W_in"])
fig, ax = plt.subplots(figsize=(7, 6))
for kind, words in TOY_WORDS.items():
    ids = [word_to_id[w] for w in words]
    ax.scatter(xy[ids, 0], xy[ids, 1], label=kind)
    for i in ids:
        ax.annotate(id_to_word[i], xy[i], fontsize=8)
ax.set_title("CBOW embeddings, first two principal components")
ax.set_xlabel("component 1")
ax.set_ylabel("component 2")
ax.legend()
plt.show()

# %% [markdown]
# ## Summary
# * Vocabulary → ids → one-hot; an embedding table `W_in: (V, d)` replaces one-hot
#   products by row look-ups, with $V d$ instead of $V^2$ weights.
# * CBOW averages the context embeddings to predict the target; its backward pass spreads
#   `dh / C` over the context rows and must accumulate repeated words (`np.add.at`).
# * Skip-gram predicts each context word from the target; negative sampling replaces the
#   soft-max by a few sigmoid decisions against words drawn with $P \propto
#   \text{count}^{0.75}$.
# * Words used in the same contexts get similar vectors: cosine similarity finds them.
