"""Hidden references and misconceptions for notebook 06_seq2seq (instructor-only).

Two conventions, as in the notebook:
* the code challenge follows the notes: one sentence, column vectors, E: (embed, vocab),
  a word w: (vocab,) one-hot, W: (H, embed), U: (H, H), b: (H,);
* everything else uses row-vector batches: W_embed: (V, D), ids: (N, T) ints,
  Wx: (D, H), Wh: (H, H), b: (H,), W_out: (H, V), b_out: (V,).
"""
import re

import numpy as np

from autograder.items.base import (Case, FunctionProblem, Misconception, ValueProblem,
                                   normalise_choice)


# --- 06_seq2seq.seq2seq_choice (1 point) --------------------------------------------------
# Confirmation test: which description is seq2seq.

SEQ2SEQ_CHOICE = ValueProblem(
    grade_id="06_seq2seq.seq2seq_choice", points=1, student_object="seq2seq_choice", answer=2,
    choice=True,
    misconceptions=[
        Misconception(
            "bidirectional_rnn",
            "choice 1 describes the bidirectional RNN (notebook 05): two RNNs over the same "
            "sequence give the features of each step; seq2seq maps one sequence to another.",
            1,
            hint_ja="(1) は双方向RNN (ノートブック05) の説明です。"
                    "同じ系列を2つのRNNが読んで各時刻の特徴量を作りますが、"
                    "seq2seq はある系列を別の系列に変換するモデルです。"),
        Misconception(
            "recursive_network",
            "choice 3 describes the recursive network over a parse tree (notebook 01): it "
            "builds one vector for a sentence but generates nothing; seq2seq maps one "
            "sequence to another.",
            3,
            hint_ja="(3) は構文木の上の再帰的ニューラルネットワーク (ノートブック01) の説明です。"
                    "文全体のベクトルを1つ作りますが、何も生成しません。"
                    "seq2seq はある系列を別の系列に変換するモデルです。"),
        Misconception(
            "lstm",
            "choice 4 describes the LSTM (notebook 03), a kind of RNN cell; seq2seq is a "
            "model built from RNNs (often LSTMs) that maps one sequence to another.",
            4,
            hint_ja="(4) は LSTM (ノートブック03) の説明で、RNN のセルの一種です。"
                    "seq2seq は RNN (多くは LSTM) で組み立てた、"
                    "ある系列を別の系列に変換するモデルです。"),
    ],
    alternatives=[np.int64(2), int("2")],
)


# --- 06_seq2seq.encoder_choice (1 point) ----------------------------------------------------------
# Code challenge 7 asked as the exam asks it: the embedding of a one-hot word.

ENCODER_CHOICE = ValueProblem(
    grade_id="06_seq2seq.encoder_choice", points=1, student_object="encoder_choice",
    answer="d", normalise=normalise_choice, choice=True,
    alternatives=["D", " (d) "],
    misconceptions=[
        Misconception(
            "transposed",
            "choice (a) multiplies by E.T: E.T is (vocab, embed) and w has vocab entries, "
            "so the product only works when embed = vocab and then picks a row instead of "
            "the word's column; the embedding of word j is column j of E: (embed, vocab).",
            "a",
            hint_ja="(a) は E.T を掛けています。E.T は (vocab, embed) なので、"
                    "積が計算できるのは embed = vocab のときだけで、"
                    "そのときも単語の列ではなく行を取り出します。"
                    "単語 j の埋め込みは E: (embed, vocab) の列 j です。"),
        Misconception(
            "row_times_matrix",
            "choice (b) puts the word on the left: w (vocab,) @ E (embed, vocab) needs "
            "embed = vocab, and then picks a row of E instead of the word's column; with E: "
            "(embed, vocab) the one-hot vector multiplies from the right.",
            "b",
            hint_ja="(b) は単語を左に置いています。"
                    "w (vocab,) @ E (embed, vocab) は embed = vocab でないと計算できず、"
                    "そのときも単語の列ではなく E の行を取り出します。"
                    "E: (embed, vocab) では one-hot ベクトルを右から掛けます。"),
        Misconception(
            "elementwise",
            "choice (c) multiplies element-wise: E * w keeps a whole (embed, vocab) matrix "
            "with zeros outside the word's column instead of one vector of size embed; the "
            "blank needs a matrix-vector product.",
            "c",
            hint_ja="(c) は要素ごとの積です。"
                    "E * w は単語の列以外が0の (embed, vocab) 行列のままで、"
                    "大きさ embed のベクトル1本にはなりません。空欄には行列とベクトルの積が入ります。"),
    ],
)


# --- 06_seq2seq.encode_one_hot (2 points) -------------------------------------------------
# Code challenge: the encoder of the notes, one-hot words.

def encode_one_hot_cases(rng):
    cases = []
    # embed == vocab in the first case, so the transposed product has the right shape
    # there and the mistake can be recognised from its values.
    for T, V, D, H in [(3, 4, 4, 3), (4, 6, 3, 2), (2, 5, 4, 4), (5, 7, 2, 3)]:
        words = np.eye(V)[rng.integers(0, V, size=T)]
        cases.append(Case((words, rng.standard_normal((D, V)), rng.standard_normal((H, D)) * 0.6,
                           rng.standard_normal((H, H)) * 0.6, rng.standard_normal(H) * 0.2),
                          f"{T} words, vocab {V}, embed {D}, hidden {H}",
                          label_ja=f"{T} 単語、vocab {V}、embed {D}、hidden {H}"))
    return cases


def encode_one_hot_reference(words, E, W, U, b):
    h = np.zeros(W.shape[0])
    for w in words:
        e = E @ w
        h = np.tanh(W @ e + U @ h + b)
    return h


def encode_one_hot_dot(words, E, W, U, b):
    h = np.zeros(W.shape[0])
    for w in words:
        h = np.tanh(W.dot(E.dot(w)) + U.dot(h) + b)
    return h


def encode_one_hot_column(words, E, W, U, b):
    h = np.zeros(W.shape[0])
    for w in words:
        e = E[:, np.argmax(w)]
        h = np.tanh(W @ e + U @ h + b)
    return h


def encode_one_hot_transposed(words, E, W, U, b):
    h = np.zeros(W.shape[0])
    for w in words:
        e = E.T @ w
        h = np.tanh(W @ e + U @ h + b)
    return h


ENCODE_ONE_HOT = FunctionProblem(
    grade_id="06_seq2seq.encode_one_hot", points=2, student_object="encode_one_hot",
    make_cases=encode_one_hot_cases, reference=encode_one_hot_reference,
    misconceptions=[
        # E.T @ w, w @ E and E[word] are the same row of E: one mistake, one hint.
        Misconception(
            "transposed",
            "the embedding takes a row of E (E.T @ w or w @ E) instead of a column (E @ w; "
            "E is (embed, vocab))",
            encode_one_hot_transposed,
            hint_ja="埋め込みとして E の列 (E @ w) ではなく行 (E.T @ w や w @ E) を取り出すと、"
                    "この出力になります。E は (embed, vocab) なので、単語の埋め込みは列です。"),
    ],
    alternatives=[encode_one_hot_dot, encode_one_hot_column],
)


# --- 06_seq2seq.embedding_lookup (2 points) -----------------------------------------------

def embedding_cases(rng):
    cases = []
    for N, T, V, D in [(2, 3, 5, 5), (3, 4, 7, 3), (1, 6, 4, 4), (4, 2, 9, 2)]:
        cases.append(Case((rng.standard_normal((V, D)), rng.integers(0, V, size=(N, T))),
                          f"N={N}, T={T}, V={V}, D={D}"))
    return cases


def embedding_lookup_reference(W_embed, ids):
    return W_embed[ids]


def embedding_lookup(W_embed, ids):
    """The notebook name, bound to the reference (alternatives call it as students do)."""
    return embedding_lookup_reference(W_embed, ids)


def embedding_lookup_take(W_embed, ids):
    return np.take(W_embed, ids, axis=0)


def embedding_lookup_one_hot(W_embed, ids):
    return np.eye(W_embed.shape[0])[ids] @ W_embed


def embedding_lookup_columns(W_embed, ids):
    return W_embed[:, ids]


def embedding_lookup_flat(W_embed, ids):
    return W_embed[ids.reshape(-1)]


def embedding_lookup_off_by_one(W_embed, ids):
    return W_embed[(ids + 1) % W_embed.shape[0]]


EMBEDDING_LOOKUP = FunctionProblem(
    grade_id="06_seq2seq.embedding_lookup", points=2, student_object="embedding_lookup",
    make_cases=embedding_cases, reference=embedding_lookup_reference,
    misconceptions=[
        Misconception(
            "columns",
            "the ids index the columns of W_embed instead of its rows",
            embedding_lookup_columns,
            hint_ja="ID で W_embed の行ではなく列を参照すると、この出力になります。"),
        Misconception(
            "flat",
            "the batch and time axes are flattened away",
            embedding_lookup_flat,
            hint_ja="バッチの軸と時刻の軸を1つに平らにしてしまうと、この出力になります。"),
        Misconception(
            "off_by_one",
            "the ids are shifted by one (counting from 1)",
            embedding_lookup_off_by_one,
            hint_ja="ID を1つずらして (1から数えて) 参照すると、この出力になります。"),
    ],
    alternatives=[embedding_lookup_take, embedding_lookup_one_hot],
)


# --- 06_seq2seq.rnn_encode (3 points) -----------------------------------------------------
# Encoder: embed, run a tanh RNN, keep the final state.

def encoder_cases(rng):
    cases = []
    for N, T, V, D, H in [(2, 3, 5, 3, 4), (3, 5, 6, 2, 3), (1, 4, 4, 4, 2)]:
        cases.append(Case((rng.integers(0, V, size=(N, T)), rng.standard_normal((V, D)),
                           rng.standard_normal((D, H)) * 0.6, rng.standard_normal((H, H)) * 0.6,
                           rng.standard_normal(H) * 0.2), f"N={N}, T={T}, V={V}, D={D}, H={H}"))
    return cases


def rnn_encode_reference(ids, W_embed, Wx, Wh, b):
    xs = W_embed[ids]
    h = np.zeros((ids.shape[0], Wh.shape[0]))
    for t in range(ids.shape[1]):
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
    return h


def rnn_encode_with_lookup(ids, W_embed, Wx, Wh, b):
    h = np.zeros((len(ids), Wh.shape[0]))
    for x in np.moveaxis(embedding_lookup(W_embed, ids), 1, 0):
        h = np.tanh(x @ Wx + h @ Wh + b)
    return h


def rnn_encode_one_hot(ids, W_embed, Wx, Wh, b):
    xs = np.eye(W_embed.shape[0])[ids] @ W_embed @ Wx
    h = np.zeros((ids.shape[0], Wh.shape[0]))
    for t in range(ids.shape[1]):
        h = np.tanh(xs[:, t] + h @ Wh + b)
    return h


def rnn_encode_all_states(ids, W_embed, Wx, Wh, b):
    xs, states = W_embed[ids], []
    h = np.zeros((ids.shape[0], Wh.shape[0]))
    for t in range(ids.shape[1]):
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
        states.append(h)
    return np.stack(states, axis=1)


def rnn_encode_first_state(ids, W_embed, Wx, Wh, b):
    xs = W_embed[ids]
    return np.tanh(xs[:, 0] @ Wx + b)


def rnn_encode_no_recurrence(ids, W_embed, Wx, Wh, b):
    return np.tanh(W_embed[ids][:, -1] @ Wx + b)


def rnn_encode_reversed(ids, W_embed, Wx, Wh, b):
    xs = W_embed[ids[:, ::-1]]
    h = np.zeros((ids.shape[0], Wh.shape[0]))
    for t in range(ids.shape[1]):
        h = np.tanh(xs[:, t] @ Wx + h @ Wh + b)
    return h


RNN_ENCODE = FunctionProblem(
    grade_id="06_seq2seq.rnn_encode", points=3, student_object="rnn_encode",
    depends_on=("06_seq2seq.embedding_lookup",),
    make_cases=encoder_cases, reference=rnn_encode_reference,
    misconceptions=[
        Misconception(
            "all_states",
            "every state is returned instead of the final one (the thought vector)",
            rnn_encode_all_states,
            hint_ja="最後の状態 (思考ベクトル) だけでなく、すべての時刻の状態を返すと、"
                    "この出力になります。"),
        Misconception(
            "first_state", "only the first token is encoded", rnn_encode_first_state,
            hint_ja="最初のトークンだけをエンコードすると、この出力になります。"),
        Misconception(
            "no_recurrence",
            "the previous state h @ Wh is left out",
            rnn_encode_no_recurrence,
            hint_ja="1つ前の状態の項 h @ Wh を抜かすと、この出力になります。"),
        Misconception(
            "reversed", "the tokens are read last to first", rnn_encode_reversed,
            hint_ja="トークンを最後から最初へ逆順に読むと、この出力になります。"),
    ],
    alternatives=[rnn_encode_with_lookup, rnn_encode_one_hot],
)


# --- 06_seq2seq.greedy_decode (3 points) --------------------------------------------------

def decoder_cases(rng):
    cases = []
    for N, V, D, H, length in [(3, 6, 3, 4, 5), (2, 5, 4, 3, 4), (4, 8, 2, 5, 6)]:
        # Large weights make the argmax depend on the state and the previous token, so each
        # mistake changes the output tokens.
        cases.append(Case((np.tanh(rng.standard_normal((N, H)) * 2), int(rng.integers(0, V)),
                           length, rng.standard_normal((V, D)) * 1.5,
                           rng.standard_normal((D, H)) * 1.5, rng.standard_normal((H, H)) * 1.5,
                           rng.standard_normal(H) * 0.3,
                           rng.standard_normal((H, V)) * 2, rng.standard_normal(V) * 0.3),
                          f"N={N}, V={V}, D={D}, H={H}, {length} steps",
                          label_ja=f"N={N}, V={V}, D={D}, H={H}, {length} ステップ"))
    return cases


def greedy_decode_reference(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    token = np.full(h.shape[0], start_id)
    out = []
    for _ in range(length):
        h = np.tanh(W_embed[token] @ Wx + h @ Wh + b)
        token = np.argmax(h @ W_out + b_out, axis=1)
        out.append(token)
    return np.stack(out, axis=1)


def greedy_decode_with_lookup(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    out = np.zeros((len(h), length), dtype=int)
    previous = np.full((len(h), 1), start_id)
    for t in range(length):
        h = np.tanh(embedding_lookup(W_embed, previous)[:, 0] @ Wx + h @ Wh + b)
        out[:, t] = (h @ W_out + b_out).argmax(axis=-1)
        previous = out[:, t:t + 1]
    return out


def greedy_decode_softmax(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    tokens = [np.full(len(h), start_id)]
    for _ in range(length):
        h = np.tanh(W_embed[tokens[-1]] @ Wx + h @ Wh + b)
        scores = h @ W_out + b_out
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        tokens.append(np.argmax(probs / probs.sum(axis=1, keepdims=True), axis=1))
    return np.array(tokens[1:]).T


def greedy_decode_always_start(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    token, out = np.full(h.shape[0], start_id), []
    for _ in range(length):
        h = np.tanh(W_embed[token] @ Wx + h @ Wh + b)
        out.append(np.argmax(h @ W_out + b_out, axis=1))
    return np.stack(out, axis=1)


def greedy_decode_with_start(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    token, out = np.full(h.shape[0], start_id), [np.full(h.shape[0], start_id)]
    for _ in range(length - 1):
        h = np.tanh(W_embed[token] @ Wx + h @ Wh + b)
        token = np.argmax(h @ W_out + b_out, axis=1)
        out.append(token)
    return np.stack(out, axis=1)


def greedy_decode_zero_state(h, start_id, length, W_embed, Wx, Wh, b, W_out, b_out):
    token, out = np.full(h.shape[0], start_id), []
    h = np.zeros_like(h)
    for _ in range(length):
        h = np.tanh(W_embed[token] @ Wx + h @ Wh + b)
        token = np.argmax(h @ W_out + b_out, axis=1)
        out.append(token)
    return np.stack(out, axis=1)


GREEDY_DECODE = FunctionProblem(
    grade_id="06_seq2seq.greedy_decode", points=3, student_object="greedy_decode",
    depends_on=("06_seq2seq.embedding_lookup",),
    make_cases=decoder_cases, reference=greedy_decode_reference,
    misconceptions=[
        Misconception(
            "always_start",
            "the start token is fed at every step instead of the previous prediction",
            greedy_decode_always_start,
            hint_ja="1つ前の予測ではなく、毎時刻に開始トークンを入力すると、この出力になります。"),
        Misconception(
            "start_in_output",
            "the start token is returned as the first output",
            greedy_decode_with_start,
            hint_ja="開始トークンを最初の出力として返すと、この出力になります。"),
        Misconception(
            "zero_state",
            "the decoder starts from zeros instead of the encoder's state",
            greedy_decode_zero_state,
            hint_ja="デコーダをエンコーダの状態ではなくゼロから始めると、この出力になります。"),
    ],
    alternatives=[greedy_decode_with_lookup, greedy_decode_softmax],
)


# --- 06_seq2seq.vae_blank (1 point) -------------------------------------------------------
# VAE confirmation test.

_ARTICLES = re.compile(r"\b(a|an|the)\b")


_DISTRIBUTION_FORMS = {
    "probability distribution", "probability distributions", "確率分布", "distribution",
    "distributions", "probabilistic distribution", "random variable", "random variables",
    "stochastic variable", "gaussian distribution", "normal distribution",
    "latent distribution", "statistical distribution", "確率変数", "正規分布", "ガウス分布",
    "分布", "確率的な分布", "潜在分布",
}


# The misconceptions' words in Japanese, so that their hints name them too.
_WRONG_FORMS = {"ノイズ": "noise", "ボトルネック": "bottleneck"}


def normalise_vae_blank(text):
    """Lower case, no punctuation or articles; any accepted form of the answer becomes
    'probability distribution' (a Gaussian is the usual choice of that distribution)."""
    words = re.sub(r"[^\w\s]", " ", str(text).lower())
    words = " ".join(_ARTICLES.sub(" ", words).split())
    if words in _DISTRIBUTION_FORMS:
        return "probability distribution"
    return _WRONG_FORMS.get(words, words)


VAE_BLANK = ValueProblem(
    grade_id="06_seq2seq.vae_blank", points=1, student_object="vae_blank",
    answer="probability distribution", normalise=normalise_vae_blank, free_text=True,
    misconceptions=[
        Misconception(
            "denoising_autoencoder",
            "a denoising autoencoder (noise added to the input) is taken for a VAE",
            "noise",
            hint_ja="入力にノイズを加える雑音除去自己符号化器 (denoising autoencoder) を VAE と取り違えています。"),
        Misconception(
            "size_not_distribution",
            "the latent variable is described by its size, not by what it is (a distribution)",
            "bottleneck",
            hint_ja="潜在変数を、それが何であるか (分布) ではなく、その大きさで説明しています。"),
    ],
    alternatives=["A probability distribution.", "確率分布", "Random variables",
                  "a Gaussian distribution", "確率分布 (probability distribution)", "確率変数",
                  "正規分布", "ガウス分布"],
)


# --- 06_seq2seq.reparameterize (2 points) -------------------------------------------------

def reparameterize_cases(rng):
    cases = []
    for N, Z in [(3, 2), (5, 4), (1, 3)]:
        cases.append(Case((rng.standard_normal((N, Z)), rng.standard_normal((N, Z)),
                           rng.standard_normal((N, Z))), f"N={N}, latent {Z}",
                          label_ja=f"N={N}, 潜在変数 {Z} 次元"))
    return cases


def reparameterize_reference(mu, log_var, eps):
    return mu + np.exp(0.5 * log_var) * eps


def reparameterize_sqrt(mu, log_var, eps):
    return mu + np.sqrt(np.exp(log_var)) * eps


def reparameterize_std_first(mu, log_var, eps):
    std = np.exp(log_var / 2)
    return eps * std + mu


def reparameterize_variance(mu, log_var, eps):
    return mu + np.exp(log_var) * eps


def reparameterize_log_var_as_std(mu, log_var, eps):
    return mu + log_var * eps


def reparameterize_no_mean(mu, log_var, eps):
    return np.exp(0.5 * log_var) * eps


REPARAMETERIZE = FunctionProblem(
    grade_id="06_seq2seq.reparameterize", points=2, student_object="reparameterize",
    make_cases=reparameterize_cases, reference=reparameterize_reference,
    misconceptions=[
        Misconception(
            "variance",
            "eps is scaled by the variance exp(log_var) instead of the standard deviation "
            "exp(log_var / 2)",
            reparameterize_variance,
            hint_ja="eps に標準偏差 exp(log_var / 2) ではなく分散 exp(log_var) を掛けると、"
                    "この出力になります。"),
        Misconception(
            "log_var_as_std",
            "log_var is used as the standard deviation",
            reparameterize_log_var_as_std,
            hint_ja="log_var をそのまま標準偏差として使うと、この出力になります。"),
        Misconception(
            "no_mean", "the mean mu is not added", reparameterize_no_mean,
            hint_ja="平均 mu を足し忘れると、この出力になります。"),
    ],
    alternatives=[reparameterize_sqrt, reparameterize_std_first],
)


# --- 06_seq2seq.kl_divergence (2 points) --------------------------------------------------

def kl_cases(rng):
    cases = []
    for N, Z in [(3, 2), (4, 5), (1, 3), (2, 1)]:
        cases.append(Case((rng.standard_normal((N, Z)), rng.standard_normal((N, Z)) * 0.7),
                          f"N={N}, latent {Z}", label_ja=f"N={N}, 潜在変数 {Z} 次元"))
    return cases


def kl_divergence_reference(mu, log_var):
    return -0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=1)


def kl_divergence_variance(mu, log_var):
    var = np.exp(log_var)
    return 0.5 * (var + mu**2 - 1 - np.log(var)).sum(axis=-1)


def kl_divergence_loop(mu, log_var):
    out = np.zeros(mu.shape[0])
    for n in range(mu.shape[0]):
        for j in range(mu.shape[1]):
            s2 = np.exp(log_var[n, j])
            out[n] += 0.5 * (s2 + mu[n, j] ** 2 - 1 - log_var[n, j])
    return out


def kl_divergence_sign(mu, log_var):
    return 0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=1)


def kl_divergence_no_half(mu, log_var):
    return -np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=1)


def kl_divergence_mean(mu, log_var):
    return -0.5 * np.mean(1 + log_var - mu**2 - np.exp(log_var), axis=1)


def kl_divergence_total(mu, log_var):
    return -0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var))


KL_DIVERGENCE = FunctionProblem(
    grade_id="06_seq2seq.kl_divergence", points=2, student_object="kl_divergence",
    make_cases=kl_cases, reference=kl_divergence_reference,
    misconceptions=[
        Misconception(
            "sign", "the sign is flipped (KL is never negative)", kl_divergence_sign,
            hint_ja="符号が逆になっていると、この出力になります (KL ダイバージェンスは負になりません)。"),
        Misconception(
            "no_half", "the factor 1/2 is missing", kl_divergence_no_half,
            hint_ja="係数 1/2 が抜けていると、この出力になります。"),
        Misconception(
            "mean",
            "the latent dimensions are averaged instead of summed",
            kl_divergence_mean,
            hint_ja="潜在変数の次元について和ではなく平均をとると、この出力になります。"),
        Misconception(
            "summed_over_batch",
            "the whole batch is summed into one number instead of one KL per example",
            kl_divergence_total,
            hint_ja="例ごとに1つの KL ではなく、バッチ全体を1つの数に合計すると、この出力になります。"),
    ],
    alternatives=[kl_divergence_variance, kl_divergence_loop],
)
