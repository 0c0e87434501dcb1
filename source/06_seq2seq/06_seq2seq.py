# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
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
#   embedding vector, and feed the vectors one by one into an RNN. Its final hidden state
#   $h_T$, the **thought vector**, is meant to carry the meaning of the whole input.
# * **Decoder.** Another RNN starts from $h_T$. At each step it reads the embedding of the
#   previous output token (a start symbol at first), updates its state, and gives a score
#   for every token of the vocabulary; the next token is chosen from the scores (sampled,
#   or the most likely one: **greedy** decoding), embedded and fed back, until an end
#   symbol or a length limit. The ids are finally turned back into text (detokenised).
#
# $$h_t = \tanh(e_t W_x + h_{t-1} W_h + b), \qquad
# \hat y_s = \operatorname{argmax}\,(s_s W_{out} + b_{out}).$$
#
# Conventions: the code challenge follows the notes (one sentence, column vectors,
# `E: (embed, vocab)`); everything after it uses row-vector batches as in earlier
# notebooks: `ids: (N, T)` integers, `W_embed: (V, D)` (one row per token),
# `Wx: (D, H)`, `Wh: (H, H)`, `b: (H,)`, `W_out: (H, V)`, `b_out: (V,)`.

# %% nbgrader={"grade_id": "imports", "locked": true}
import numpy as np
import matplotlib.pyplot as plt

from rnnlib.datasets import gaussian_clusters_2d
from rnnlib.plotting import plot_curves
from rnnlib.testing import assert_close, assert_shape, assert_true, passed, uses
from rnnlib.vae import decode, encode, train_vae

# %% [markdown]
# ## 1 · 確認テスト: which one is seq2seq? (1 point) [auto]
#
# Which description is seq2seq?
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

# %% nbgrader={"grade_id": "seq2seq_choice_code", "solution": true}
### BEGIN SOLUTION
seq2seq_choice = 2
### END SOLUTION

# %% nbgrader={"grade_id": "seq2seq_choice", "grade": true, "locked": true}
assert_true(seq2seq_choice in (1, 2, 3, 4), "seq2seq_choice should be 1, 2, 3 or 4")
print("seq2seq_choice: one of the four numbers")

# %% [markdown]
# ## 2 · 演習チャレンジ: the encoder of the notes (1 + 2 points) [auto]
#
# A translation model reads a sentence whose words are one-hot vectors `w: (vocab,)`. The
# encoder turns each word into an embedding with the matrix `E: (embed, vocab)`, one
# column per word of the vocabulary, then runs an RNN over the embeddings (column vectors
# here, as in the notes: `W: (hidden, embed)`, `U: (hidden, hidden)`, `b: (hidden,)`).
#
# **2.1 · The exam question (1 point).** Which expression fills the blank?
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

# %% nbgrader={"grade_id": "encoder_choice_code", "solution": true}
# encoder_choice = "a", "b", "c" or "d"
### BEGIN SOLUTION
encoder_choice = "d"
### END SOLUTION

# %% nbgrader={"grade_id": "encoder_choice", "grade": true, "locked": true}
assert_true(str(encoder_choice).strip().strip("().").lower() in ("a", "b", "c", "d"),
            'encoder_choice should be one of "a", "b", "c", "d"')
print("encoder_choice: one of the four letters")

# %% [markdown]
# **2.2 · Implement it (2 points).** Fill in the one missing line of `encode_one_hot`: the
# embedding `e` of the word `w`.

# %% nbgrader={"grade_id": "encode_one_hot_code", "solution": true}
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


# %% nbgrader={"grade_id": "encode_one_hot", "grade": true, "locked": true}
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

# %% [markdown]
# Multiplying a matrix by a one-hot vector picks one of its **columns**: `E @ w` is
# `E[:, j]` for the word `j`. Real implementations never build the one-hot vectors; they
# index the embedding table directly.
#
# ## 3 · Embedding lookup by index (2 points) [auto]
#
# With the row layout `W_embed: (V, D)` (row `i` embeds token `i`; it is `E.T`), a batch of
# ids `(N, T)` becomes embeddings `(N, T, D)`. Return them by **indexing**, without
# building one-hot vectors. The visible test checks that this equals the one-hot product.

# %% nbgrader={"grade_id": "embedding_lookup_code", "solution": true}
def embedding_lookup(W_embed, ids):
    """W_embed: (V, D); ids: (N, T) ints in [0, V). Returns (N, T, D)."""
    ### BEGIN SOLUTION
    return W_embed[ids]
    ### END SOLUTION


# %% nbgrader={"grade_id": "embedding_lookup", "grade": true, "locked": true}
rng = np.random.default_rng(0)
V, D = 6, 3
W_embed = rng.standard_normal((V, D))
ids = np.array([[0, 5, 2], [3, 3, 1]])
embedded = embedding_lookup(W_embed, ids)
assert_shape(embedded, (2, 3, D), "embedded")
one_hot = np.eye(V)[ids]                 # (N, T, V)
assert_close(embedded, one_hot @ W_embed, "the lookup compared with the one-hot product")
passed("embedding_lookup", embedding_lookup)

# %% [markdown]
# ## 4 · An encoder on a batch (3 points) [auto]
#
# Embed `ids: (N, T)` with your `embedding_lookup`, run a tanh RNN over the time steps from
# a zero state, and return only the **final** state `(N, H)`: the thought vector.

# %% nbgrader={"grade_id": "rnn_encode_code", "solution": true}
def rnn_encode(ids, W_embed, Wx, Wh, b):
    """ids: (N, T); W_embed: (V, D); Wx: (D, H); Wh: (H, H); b: (H,). Returns h_T: (N, H)."""
    ### BEGIN SOLUTION
    xs = embedding_lookup(W_embed, ids)
    h = np.zeros((ids.shape[0], Wh.shape[0]))
    for t in range(ids.shape[1]):
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
    return h
    ### END SOLUTION


# %% nbgrader={"grade_id": "rnn_encode", "grade": true, "locked": true}
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

# %% [markdown]
# ## 5 · A greedy decoder (3 points) [auto]
#
# Start from the encoder's state `h: (N, H)` and the token `start_id` for every sequence.
# At each of `length` steps: embed the previous token (with `embedding_lookup` or by
# indexing), update the state with the tanh RNN (`Wx`, `Wh`, `b`), score the vocabulary
# (`h @ W_out + b_out`) and take the most likely token, which is fed in at the next step.
# Return the predicted tokens `(N, length)`; the start token is not part of the output.

# %% nbgrader={"grade_id": "greedy_decode_code", "solution": true}
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


# %% nbgrader={"grade_id": "greedy_decode", "grade": true, "locked": true}
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

# %% [markdown]
# ## 6 · Try it: reversed questions and a peeky decoder on addition
#
# The task of "Deep Learning from Scratch 2" (ch. 7): read a sum such as `16+75` character
# by character and write the answer `91`. Numbers have 1 to 3 digits, questions are padded
# with spaces to 7 characters, answers to 4; the decoder starts from the symbol `_`. An
# answer counts as right only when **every** character is right (exact match), on 2,000
# held-out sums that never occur in the 40,000 training sums.
#
# Three models, trained with the same settings (character embeddings of size 16, LSTM
# hidden size 96, Adam with learning rate 0.01 times 0.9 per epoch, batches of 128,
# gradients clipped to a global norm of 5, 20 epochs):
#
# * **baseline**: the plain seq2seq of this notebook;
# * **reversed**: the same model, but the question is fed backwards (`57+61` for `16+75`).
#   The encoder now reads the leading digits last, right before the decoder writes the
#   leading digits of the answer: what the first outputs depend on, and the gradients
#   between them, travel fewer steps;
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

# %% tags=["practice"]
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

# %% [markdown]
# Reversing the question alone lifts what the baseline reaches in 20 epochs
# (0.69 → 0.82); a peeky decoder on top gets 0.997, and passes 0.9 by
# epoch 5.
#
# The curves come from training. Now check the reversed + peeky model here, on the same
# held-out sums: the weights are loaded into the course's seq2seq model, which reverses
# each question, encodes it, and decodes greedily (the most likely character at each step,
# fed back in as the next input), as your `greedy_decode` does.

# %% tags=["practice"]
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

# %% [markdown]
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

# %% tags=["practice"]
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


# %% [markdown]
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
# * **VHRED** adds a **latent variable** in the manner of a VAE: at each turn a random
#   $z$ is drawn from a distribution computed from the context, and the decoder is
#   conditioned on it, so the same context can lead to different, more informative replies.
#
# ## 8 · 確認テスト: seq2seq, HRED, VHRED (2 points) [manual]
#
# State briefly the difference between seq2seq and HRED, and between HRED and VHRED.

# %% [markdown] nbgrader={"grade_id": "hred_vhred_answer", "solution": true, "grade": true, "points": 2}
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

# %% [markdown]
# ## 9 · From autoencoder to VAE
#
# An **autoencoder** (unsupervised: the input is its own target) compresses $x$ into a
# latent code $z$ with an encoder and reconstructs $\hat x$ from $z$ with a decoder. Nothing
# says how the codes are arranged, so a random point of the latent space may decode to
# nonsense.
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
# ## 10 · 確認テスト: fill in the blank (1 point) [auto]
#
# "A VAE introduces a ____ into the latent variable of an autoencoder." Set `vae_blank`
# to the missing words (English or Japanese).

# %% nbgrader={"grade_id": "vae_blank_code", "solution": true}
### BEGIN SOLUTION
vae_blank = "probability distribution"
### END SOLUTION

# %% nbgrader={"grade_id": "vae_blank", "grade": true, "locked": true}
assert_true(isinstance(vae_blank, str) and vae_blank.strip() != "", "vae_blank should be a non-empty string")
print("an answer is given")

# %% [markdown]
# ## 11 · The reparameterisation trick (2 points) [auto]
#
# Implement the trick of §9: return the code $z$ for the given $\mu$, $\log\sigma^2$ and
# noise $\varepsilon$ (all `(N, Z)`).

# %% nbgrader={"grade_id": "reparameterize_code", "solution": true}
def reparameterize(mu, log_var, eps):
    """mu, log_var, eps: (N, Z). Returns z: (N, Z)."""
    ### BEGIN SOLUTION
    return mu + np.exp(0.5 * log_var) * eps
    ### END SOLUTION


# %% nbgrader={"grade_id": "reparameterize", "grade": true, "locked": true}
mu = np.array([[1.0, 2.0]])
log_var = np.array([[0.0, np.log(4.0)]])      # variances 1 and 4: standard deviations 1 and 2
eps = np.array([[0.5, -1.0]])
assert_close(reparameterize(mu, log_var, eps), np.array([[1.5, 0.0]]), "z")
# Many draws have the intended mean and standard deviation:
eps = np.random.default_rng(0).standard_normal((20000, 2))
z = reparameterize(np.zeros((20000, 2)) + mu, np.zeros((20000, 2)) + log_var, eps)
assert_close(z.std(axis=0), np.array([1.0, 2.0]), "the standard deviation of z", rtol=0.03)

# %% [markdown]
# ## 12 · The KL term (2 points) [auto]
#
# Return the KL divergence of $\mathcal{N}(\mu, \operatorname{diag}\exp(\log\sigma^2))$
# from $\mathcal{N}(0, I)$ for **each example**: a vector `(N,)`, summed over the latent
# dimensions (formula in §9).

# %% nbgrader={"grade_id": "kl_divergence_code", "solution": true}
def kl_divergence(mu, log_var):
    """mu, log_var: (N, Z). Returns kl: (N,), one value per example."""
    ### BEGIN SOLUTION
    return -0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "kl_divergence", "grade": true, "locked": true}
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

# %% [markdown]
# ## 13 · Try it: a tiny VAE on 2-D points
#
# Four clusters of points in the plane; a VAE with a 2-D latent space (encoder and decoder
# with one tanh layer of 32 units, Adam, 3,000 batches of 128) trained with **your**
# `reparameterize` and `kl_divergence` (`rnnlib.vae` uses them in its forward pass).
# Look at where the encoder puts each cluster's means $\mu$, and at what the decoder makes
# of random draws $z \sim \mathcal{N}(0, I)$.

# %% tags=["practice"]
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

# %% [markdown]
# The clusters keep their places in the latent space, squeezed into the region that the
# prior covers; decoding draws from the prior gives points on the clusters, with a few
# between them (the decoder has to fill the whole latent space). Try it: change the
# weight of the KL term by passing a different `noise_var` to `train_vae` (a small
# `noise_var` makes reconstruction matter more, like a plain autoencoder; a large one
# pulls every code towards the prior).

# %% [markdown]
# ## Summary
# * Seq2seq = an encoder RNN whose final state (thought vector) initialises a decoder RNN
#   that generates the output token by token, feeding back its own predictions.
# * An embedding lookup `W_embed[ids]` is the one-hot product without the zeros; with the
#   notes' layout `E: (embed, vocab)` it is the column `E @ w`.
# * Greedy decoding takes the most likely token at each step and feeds it back; the start
#   token is an input, not an output.
# * HRED adds a context RNN over utterances (conversation history); VHRED adds a VAE-style
#   latent variable for diverse replies.
# * A VAE makes the latent code a probability distribution: $z = \mu + \sigma \odot
#   \varepsilon$ keeps sampling differentiable, and the KL term
#   $-\frac12\sum(1 + \log\sigma^2 - \mu^2 - \sigma^2)$ keeps the codes near
#   $\mathcal{N}(0, I)$.
