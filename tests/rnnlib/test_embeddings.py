import numpy as np

from autograder.items.word2vec import (build_vocab_reference, cbow_backward_reference,
                                          cbow_forward_reference, contexts_and_target_reference)
from rnnlib.activations import softmax
from rnnlib.datasets import TOY_WORDS, toy_corpus
from rnnlib.embeddings import cosine_similarity, most_similar, project_2d
from rnnlib.optim import Adam


def test_cosine_similarity_and_projection_basics():
    assert abs(cosine_similarity(np.array([1.0, 0]), np.array([2.0, 0])) - 1.0) < 1e-9
    assert abs(cosine_similarity(np.array([1.0, 0]), np.array([0, 3.0]))) < 1e-12
    xy = project_2d(np.random.default_rng(0).standard_normal((10, 5)))
    assert xy.shape == (10, 2)


def test_toy_corpus_is_seeded():
    assert toy_corpus(seed=1, n_sentences=50) == toy_corpus(seed=1, n_sentences=50)


def test_cbow_on_the_toy_corpus_puts_words_of_one_kind_together():
    """The notebook's practice, with the references: nearest neighbours share the kind."""
    text = toy_corpus(seed=0)
    w2i, i2w = build_vocab_reference(text)
    corpus = np.array([w2i[w] for w in text.split()])
    contexts, target = contexts_and_target_reference(corpus, 1)
    rng = np.random.default_rng(0)
    params = {"W_in": rng.standard_normal((len(w2i), 10)) * 0.1,
              "W_out": rng.standard_normal((10, len(w2i))) * 0.1}
    optimizer = Adam(params, lr=0.01)
    for _ in range(15):
        order = rng.permutation(len(target))
        for start in range(0, len(target), 100):
            batch = order[start:start + 100]
            probs = softmax(cbow_forward_reference(contexts[batch], params["W_in"], params["W_out"]))
            probs[np.arange(len(batch)), target[batch]] -= 1.0
            grads = cbow_backward_reference(probs / len(batch), contexts[batch], params["W_in"],
                                            params["W_out"])
            optimizer.step(params, dict(zip(["W_in", "W_out"], grads)))
    kind_of = {w: kind for kind, words in TOY_WORDS.items() for w in words}
    for word in ["cat", "milk", "bread", "park", "girl"]:
        neighbours = [w for w, _ in most_similar(word, w2i, i2w, params["W_in"], top=3)]
        assert all(kind_of.get(w) == kind_of[word] for w in neighbours), (word, neighbours)
