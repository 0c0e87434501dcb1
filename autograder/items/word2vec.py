"""Hidden references and misconceptions for notebook 07_word2vec (instructor-only).

Conventions: a corpus is an int array of word ids; contexts: (N, 2w) ids, target: (N,);
W_in: (V, d) input embeddings (one row per word), W_out: (d, V) output weights.
"""
import numpy as np

from autograder.items.base import Case, FunctionProblem, Misconception


# --- 07_word2vec.build_vocab (1 point) ----------------------------------------------------

def vocab_cases(rng):
    words = ["I", "want", "to", "eat", "apples", "like", "you", "say", "goodbye", "hello", "The",
             "cat", "sat", "on", "mat"]
    cases = [Case(("I want to eat apples. I like apples.",), "the notes' sentence",
                  label_ja="ノートの例文")]
    for n in (8, 15):
        sentence = " ".join(rng.choice(words, size=n)) + "."
        more = " ".join(rng.choice(words, size=n // 2)) + "."
        cases.append(Case((f"{sentence} {more}",), f"{n + n // 2} random words",
                          label_ja=f"ランダムな {n + n // 2} 語"))
    return cases


def build_vocab_reference(text):
    words = text.lower().replace(".", " .").split()
    word_to_id, id_to_word = {}, {}
    for word in words:
        if word not in word_to_id:
            word_to_id[word] = len(word_to_id)
            id_to_word[word_to_id[word]] = word
    return word_to_id, id_to_word


def build_vocab_dict_fromkeys(text):
    words = text.lower().replace(".", " . ").split()
    ordered = list(dict.fromkeys(words))
    return {w: i for i, w in enumerate(ordered)}, dict(enumerate(ordered))


def build_vocab_regex(text):
    import re
    word_to_id = {}
    for word in re.findall(r"[a-z']+|\.", text.lower()):
        word_to_id.setdefault(word, len(word_to_id))
    return word_to_id, {i: w for w, i in word_to_id.items()}


def build_vocab_sorted(text):
    words = sorted(set(text.lower().replace(".", " .").split()))
    return {w: i for i, w in enumerate(words)}, dict(enumerate(words))


def build_vocab_not_lowercased(text):
    word_to_id = {}
    for word in text.replace(".", " .").split():
        word_to_id.setdefault(word, len(word_to_id))
    return word_to_id, {i: w for w, i in word_to_id.items()}


def build_vocab_period_attached(text):
    word_to_id = {}
    for word in text.lower().split():
        word_to_id.setdefault(word, len(word_to_id))
    return word_to_id, {i: w for w, i in word_to_id.items()}


BUILD_VOCAB = FunctionProblem(
    grade_id="07_word2vec.build_vocab", points=1, student_object="build_vocab",
    outputs=("word_to_id", "id_to_word"),
    make_cases=vocab_cases, reference=build_vocab_reference, rtol=0, atol=0,
    misconceptions=[
        Misconception(
            "sorted",
            "the words are numbered in alphabetical order instead of order of first appearance",
            build_vocab_sorted,
            hint_ja="単語に最初に現れた順ではなくアルファベット順で番号を付けると、この出力になります。"),
        Misconception(
            "not_lowercased",
            "the text is not lower-cased (I and i become different words)",
            build_vocab_not_lowercased,
            hint_ja="文章を小文字にしないと (I と i が別の単語になり)、この出力になります。"),
        Misconception(
            "period_attached",
            "the period stays attached to the word before it",
            build_vocab_period_attached,
            hint_ja="ピリオドを前の単語にくっつけたままにすると、この出力になります。"),
    ],
    alternatives=[build_vocab_dict_fromkeys, build_vocab_regex],
)


# --- 07_word2vec.contexts_and_target (2 points) -------------------------------------------

def window_cases(rng):
    cases = [Case((np.array([0, 1, 2, 3, 4, 1, 5, 6]), 1), "the notes' corpus, window 1",
                  label_ja="ノートの例文のコーパス、ウィンドウ 1")]
    for n, w in [(12, 2), (20, 3), (9, 1)]:
        cases.append(Case((rng.integers(0, 7, size=n), w), f"{n} words, window {w}",
                          label_ja=f"{n} 語、ウィンドウ {w}"))
    return cases


def contexts_and_target_reference(corpus, window):
    target = corpus[window:-window]
    contexts = [[corpus[i + d] for d in range(-window, window + 1) if d != 0]
                for i in range(window, len(corpus) - window)]
    return np.array(contexts), np.array(target)


def contexts_and_target_stride(corpus, window):
    corpus = np.asarray(corpus)
    n = len(corpus) - 2 * window
    offsets = [d for d in range(-window, window + 1) if d != 0]
    contexts = np.stack([corpus[window + d: window + d + n] for d in offsets], axis=1)
    return contexts, corpus[window: window + n]


def contexts_and_target_loop(corpus, window):
    contexts, target = [], []
    for i in range(window, len(corpus) - window):
        target.append(corpus[i])
        contexts.append(list(corpus[i - window:i]) + list(corpus[i + 1:i + window + 1]))
    return np.array(contexts), np.array(target)


def contexts_and_target_includes_target(corpus, window):
    contexts = [list(corpus[i - window:i + window + 1])
                for i in range(window, len(corpus) - window)]
    return np.array(contexts), np.array(corpus[window:-window])


def contexts_and_target_drops_last(corpus, window):
    contexts, target = [], []
    for i in range(window, len(corpus) - window - 1):
        target.append(corpus[i])
        contexts.append(list(corpus[i - window:i]) + list(corpus[i + 1:i + window + 1]))
    return np.array(contexts), np.array(target)


def contexts_and_target_left_only(corpus, window):
    contexts = [list(corpus[i - 2 * window:i]) for i in range(2 * window, len(corpus))]
    return np.array(contexts), np.array(corpus[2 * window:])


CONTEXTS_AND_TARGET = FunctionProblem(
    grade_id="07_word2vec.contexts_and_target", points=2, student_object="contexts_and_target",
    outputs=("contexts", "target"),
    make_cases=window_cases, reference=contexts_and_target_reference, rtol=0, atol=0,
    misconceptions=[
        Misconception(
            "includes_target",
            "the target word is included among its own contexts",
            contexts_and_target_includes_target,
            hint_ja="ターゲットの単語を自分自身の文脈に含めると、この出力になります。"),
        Misconception(
            "drops_last",
            "the last target is missing (the loop stops one word early)",
            contexts_and_target_drops_last,
            hint_ja="最後のターゲットが抜ける (ループが1語早く止まる) と、この出力になります。"),
        Misconception(
            "left_only",
            "only words to the left are used as contexts",
            contexts_and_target_left_only,
            hint_ja="左側の単語だけを文脈に使うと、この出力になります。"),
    ],
    alternatives=[contexts_and_target_stride, contexts_and_target_loop],
)


# --- 07_word2vec.cbow_forward (2 points) --------------------------------------------------

def cbow_cases(rng):
    cases = []
    for N, C, V, d in [(1, 2, 5, 3), (4, 2, 7, 4), (6, 4, 9, 5)]:
        cases.append(Case((rng.integers(0, V, size=(N, C)), rng.standard_normal((V, d)),
                           rng.standard_normal((d, V))), f"N={N}, {C} contexts, V={V}, d={d}",
                          label_ja=f"N={N}、文脈 {C} 語、V={V}、d={d}"))
    return cases


def cbow_forward_reference(contexts, W_in, W_out):
    h = W_in[contexts].mean(axis=1)
    return h @ W_out


def cbow_forward_onehot(contexts, W_in, W_out):
    V = W_in.shape[0]
    onehot = np.eye(V)[contexts]  # (N, C, V)
    h = np.einsum("ncv,vd->nd", onehot, W_in) / contexts.shape[1]
    return np.dot(h, W_out)


def cbow_forward_loop(contexts, W_in, W_out):
    total = np.zeros((contexts.shape[0], W_in.shape[1]))
    for j in range(contexts.shape[1]):
        total += W_in[contexts[:, j]]
    return (total / contexts.shape[1]) @ W_out


def cbow_forward_sum(contexts, W_in, W_out):
    return W_in[contexts].sum(axis=1) @ W_out


def cbow_forward_first_context_only(contexts, W_in, W_out):
    return W_in[contexts[:, 0]] @ W_out


CBOW_FORWARD = FunctionProblem(
    grade_id="07_word2vec.cbow_forward", points=2, student_object="cbow_forward",
    make_cases=cbow_cases, reference=cbow_forward_reference,
    misconceptions=[
        Misconception(
            "sum",
            "the context embeddings are summed instead of averaged",
            cbow_forward_sum,
            hint_ja="文脈の埋め込みを平均せずに合計すると、この出力になります。"),
        Misconception(
            "first_context_only",
            "only the first context word is used",
            cbow_forward_first_context_only,
            hint_ja="最初の周辺の単語だけを使うと、この出力になります。"),
    ],
    alternatives=[cbow_forward_onehot, cbow_forward_loop],
)


# --- 07_word2vec.cbow_backward (3 points) -------------------------------------------------

def cbow_backward_cases(rng):
    cases = []
    # the second case repeats word ids on purpose: their gradients must add up
    for N, C, V, d in [(2, 2, 5, 3), (6, 2, 3, 4), (5, 4, 8, 3)]:
        cases.append(Case((rng.standard_normal((N, V)), rng.integers(0, V, size=(N, C)),
                           rng.standard_normal((V, d)), rng.standard_normal((d, V))),
                          f"N={N}, {C} contexts, V={V}, d={d}",
                          label_ja=f"N={N}、文脈 {C} 語、V={V}、d={d}"))
    return cases


def cbow_backward_reference(dscores, contexts, W_in, W_out):
    C = contexts.shape[1]
    h = W_in[contexts].mean(axis=1)
    dW_out = h.T @ dscores
    dh = dscores @ W_out.T
    dW_in = np.zeros_like(W_in)
    for j in range(C):
        np.add.at(dW_in, contexts[:, j], dh / C)
    return dW_in, dW_out


def cbow_backward_onehot(dscores, contexts, W_in, W_out):
    V, C = W_in.shape[0], contexts.shape[1]
    counts = np.eye(V)[contexts].sum(axis=1) / C  # (N, V): how much each word took part
    h = counts @ W_in
    dh = dscores.dot(W_out.T)
    return counts.T @ dh, h.T.dot(dscores)


def cbow_backward_bincount(dscores, contexts, W_in, W_out):
    C = contexts.shape[1]
    h = W_in[contexts].mean(axis=1)
    dh = dscores @ W_out.T / C
    dW_in = np.zeros_like(W_in)
    flat_ids = contexts.reshape(-1)
    flat_dh = np.repeat(dh, C, axis=0)
    for k in range(W_in.shape[1]):
        dW_in[:, k] = np.bincount(flat_ids, weights=flat_dh[:, k], minlength=W_in.shape[0])
    return dW_in, h.T @ dscores


def cbow_backward_fancy_index_add(dscores, contexts, W_in, W_out):
    C = contexts.shape[1]
    h = W_in[contexts].mean(axis=1)
    dh = dscores @ W_out.T
    dW_in = np.zeros_like(W_in)
    for j in range(C):
        dW_in[contexts[:, j]] += dh / C
    return dW_in, h.T @ dscores


def cbow_backward_not_averaged(dscores, contexts, W_in, W_out):
    h = W_in[contexts].mean(axis=1)
    dh = dscores @ W_out.T
    dW_in = np.zeros_like(W_in)
    for j in range(contexts.shape[1]):
        np.add.at(dW_in, contexts[:, j], dh)
    return dW_in, h.T @ dscores


CBOW_BACKWARD = FunctionProblem(
    grade_id="07_word2vec.cbow_backward", points=3, student_object="cbow_backward",
    outputs=("dW_in", "dW_out"),
    make_cases=cbow_backward_cases, reference=cbow_backward_reference,
    misconceptions=[
        Misconception(
            "fancy_index_add",
            "dW_in[ids] += ... with repeated ids adds each gradient once only (use np.add.at)",
            cbow_backward_fancy_index_add,
            hint_ja="重複する ID に dW_in[ids] += ... と書くと、各勾配が1回しか足されず、この出力になります (np.add.at を使います)。"),
        Misconception(
            "not_averaged",
            "the gradient to each context embedding is not divided by the number of contexts",
            cbow_backward_not_averaged,
            hint_ja="各文脈の埋め込みへの勾配を文脈の数で割らないと、この出力になります。"),
    ],
    alternatives=[cbow_backward_onehot, cbow_backward_bincount],
)


# --- 07_word2vec.skipgram_loss (2 points) -------------------------------------------------

def skipgram_cases(rng):
    cases = []
    for N, C, V, d in [(1, 2, 5, 3), (4, 2, 7, 4), (5, 4, 9, 3)]:
        cases.append(Case((rng.integers(0, V, size=N), rng.integers(0, V, size=(N, C)),
                           rng.standard_normal((V, d)), rng.standard_normal((d, V))),
                          f"N={N}, {C} contexts, V={V}, d={d}",
                          label_ja=f"N={N}、文脈 {C} 語、V={V}、d={d}"))
    return cases


def skipgram_loss_reference(target, contexts, W_in, W_out):
    scores = W_in[target] @ W_out
    scores = scores - scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    picked = np.take_along_axis(log_probs, contexts, axis=1)
    return float(-picked.sum(axis=1).mean())


def skipgram_loss_loop(target, contexts, W_in, W_out):
    total = 0.0
    for n in range(len(target)):
        s = W_in[target[n]].dot(W_out)
        p = np.exp(s - s.max())
        p /= p.sum()
        total -= sum(np.log(p[c]) for c in contexts[n])
    return total / len(target)


def skipgram_loss_logsumexp(target, contexts, W_in, W_out):
    scores = W_in[target] @ W_out
    m = scores.max(axis=1)
    lse = m + np.log(np.exp(scores - m[:, None]).sum(axis=1))
    return float(np.mean(contexts.shape[1] * lse - np.take_along_axis(scores, contexts, 1).sum(1)))


def skipgram_loss_mean_over_contexts(target, contexts, W_in, W_out):
    scores = W_in[target] @ W_out
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return float(-np.log(np.take_along_axis(p, contexts, axis=1)).mean())


def skipgram_loss_context_as_input(target, contexts, W_in, W_out):
    scores = W_in[contexts[:, 0]] @ W_out
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(target)), target]).mean())


SKIPGRAM_LOSS = FunctionProblem(
    grade_id="07_word2vec.skipgram_loss", points=2, student_object="skipgram_loss",
    make_cases=skipgram_cases, reference=skipgram_loss_reference,
    misconceptions=[
        Misconception(
            "mean_over_contexts",
            "the loss is averaged over the context positions instead of summed",
            skipgram_loss_mean_over_contexts,
            hint_ja="損失を周辺の単語の位置について合計せずに平均すると、この出力になります。"),
        Misconception(
            "context_as_input",
            "a context word predicts the target (that is CBOW's direction)",
            skipgram_loss_context_as_input,
            hint_ja="周辺の単語からターゲットを予測すると (それは CBOW の向きです)、この出力になります。"),
    ],
    alternatives=[skipgram_loss_loop, skipgram_loss_logsumexp],
)


# --- 07_word2vec.sampling_probs (1 point) -------------------------------------------------

def sampling_cases(rng):
    cases = [Case((np.array([5, 1, 3, 1]), 0.75), "counts [5, 1, 3, 1]", label_ja="出現回数 [5, 1, 3, 1]")]
    for V in (6, 12):
        cases.append(Case((rng.integers(1, 50, size=V), 0.75), f"{V} words", label_ja=f"{V} 語"))
    cases.append(Case((rng.integers(1, 20, size=5), 0.5), "power 0.5", label_ja="0.5 乗"))
    return cases


def sampling_probs_reference(counts, power=0.75):
    p = np.asarray(counts, dtype=float) ** power
    return p / p.sum()


def sampling_probs_exp_log(counts, power=0.75):
    p = np.exp(power * np.log(np.asarray(counts, dtype=float)))
    return p / np.sum(p)


def sampling_probs_power_function(counts, power=0.75):
    p = np.power(counts, power)
    return p / p.sum()


def sampling_probs_no_power(counts, power=0.75):
    p = np.asarray(counts, dtype=float)
    return p / p.sum()


def sampling_probs_not_renormalised(counts, power=0.75):
    p = np.asarray(counts, dtype=float)
    return (p / p.sum()) ** power


SAMPLING_PROBS = FunctionProblem(
    grade_id="07_word2vec.sampling_probs", points=1, student_object="sampling_probs",
    make_cases=sampling_cases, reference=sampling_probs_reference,
    misconceptions=[
        Misconception(
            "no_power",
            "the counts are not raised to the power (plain unigram frequencies)",
            sampling_probs_no_power,
            hint_ja="出現回数をべき乗しない (ただのユニグラムの頻度のままにする) と、この出力になります。"),
        Misconception(
            "not_renormalised",
            "the power is applied after normalising, so the result does not sum to 1",
            sampling_probs_not_renormalised,
            hint_ja="正規化したあとでべき乗すると、和が 1 にならず、この出力になります。"),
    ],
    alternatives=[sampling_probs_exp_log, sampling_probs_power_function],
)


# --- 07_word2vec.negative_sampling_loss (2 points) ----------------------------------------

def negative_cases(rng):
    cases = []
    for N, k, d in [(1, 2, 3), (4, 5, 4), (6, 3, 8)]:
        cases.append(Case((rng.standard_normal((N, d)), rng.standard_normal((N, d)),
                           rng.standard_normal((N, k, d))), f"N={N}, {k} negatives, d={d}",
                          label_ja=f"N={N}、負例 {k} 個、d={d}"))
    return cases


def negative_sampling_loss_reference(h, target_vectors, negative_vectors):
    positive = np.sum(h * target_vectors, axis=1)
    negative = np.einsum("nd,nkd->nk", h, negative_vectors)
    # -log sigmoid(s) = log(1 + exp(-s)) = logaddexp(0, -s): exact for every score s, where
    # -log(sigmoid(s)) becomes inf once sigmoid(s) underflows to 0 (s below about -37)
    loss = np.logaddexp(0, -positive) + np.logaddexp(0, negative).sum(axis=1)
    return float(loss.mean())


def negative_sampling_loss_logaddexp(h, target_vectors, negative_vectors):
    positive = (h * target_vectors).sum(axis=1)
    negative = (h[:, None, :] * negative_vectors).sum(axis=2)
    return float(np.mean(np.logaddexp(0, -positive) + np.logaddexp(0, negative).sum(axis=1)))


def negative_sampling_loss_loop(h, target_vectors, negative_vectors):
    total = 0.0
    for n in range(len(h)):
        total -= np.log(1 / (1 + np.exp(-h[n].dot(target_vectors[n]))))
        for k in range(negative_vectors.shape[1]):
            total -= np.log(1 / (1 + np.exp(h[n].dot(negative_vectors[n, k]))))
    return total / len(h)


def negative_sampling_loss_wrong_sign(h, target_vectors, negative_vectors):
    positive = np.sum(h * target_vectors, axis=1)
    negative = np.einsum("nd,nkd->nk", h, negative_vectors)
    return float((-np.log(1 / (1 + np.exp(-positive)))
                  - np.log(1 / (1 + np.exp(-negative))).sum(axis=1)).mean())


def negative_sampling_loss_no_negatives(h, target_vectors, negative_vectors):
    positive = np.sum(h * target_vectors, axis=1)
    return float(np.mean(-np.log(1 / (1 + np.exp(-positive)))))


def negative_sampling_loss_mean_negatives(h, target_vectors, negative_vectors):
    positive = np.sum(h * target_vectors, axis=1)
    negative = np.einsum("nd,nkd->nk", h, negative_vectors)
    return float((-np.log(1 / (1 + np.exp(-positive)))
                  - np.log(1 / (1 + np.exp(negative))).mean(axis=1)).mean())


NEGATIVE_SAMPLING_LOSS = FunctionProblem(
    grade_id="07_word2vec.negative_sampling_loss", points=2,
    student_object="negative_sampling_loss",
    make_cases=negative_cases, reference=negative_sampling_loss_reference,
    misconceptions=[
        Misconception(
            "wrong_sign",
            "the negatives use log sigmoid(h.n) instead of log sigmoid(-h.n)",
            negative_sampling_loss_wrong_sign,
            hint_ja="負例に log sigmoid(-h.n) ではなく log sigmoid(h.n) を使うと、この出力になります。"),
        Misconception(
            "no_negatives",
            "the negative samples are left out of the loss",
            negative_sampling_loss_no_negatives,
            hint_ja="損失から負例を落とすと、この出力になります。"),
        Misconception(
            "mean_negatives",
            "the negative terms are averaged instead of summed",
            negative_sampling_loss_mean_negatives,
            hint_ja="負例の項を合計せずに平均すると、この出力になります。"),
    ],
    alternatives=[negative_sampling_loss_logaddexp, negative_sampling_loss_loop],
)
