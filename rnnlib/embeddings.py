"""Looking at word embeddings: cosine similarity, nearest words, a 2-D projection."""
import numpy as np


def cosine_similarity(a, b, eps=1e-8):
    """Cosine of the angle between vectors a and b (1: same direction)."""
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), eps))


def most_similar(word, word_to_id, id_to_word, embeddings, top=5):
    """The ``top`` words whose embedding rows are closest in cosine similarity to ``word``'s.

    embeddings: (V, d). Returns a list of (word, similarity), best first.
    """
    if word not in word_to_id:
        raise KeyError(f"{word!r} is not in the vocabulary")
    unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-8)
    similarity = unit @ unit[word_to_id[word]]
    order = [i for i in np.argsort(-similarity) if i != word_to_id[word]]
    return [(id_to_word[i], float(similarity[i])) for i in order[:top]]


def project_2d(embeddings):
    """The embeddings' coordinates on their first two principal components: (V, 2)."""
    centred = embeddings - embeddings.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T
