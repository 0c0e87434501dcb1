import numpy as np
import pytest

from rnnlib.embedding_lookup import embedding_forward as EMBED
from rnnlib.seq2seq import PeekySeq2seq
from rnnlib.seq2seq_training import exact_match, train_seq2seq

pytestmark = pytest.mark.training


class FixedAnswers:
    """A stand-in model whose generate returns preset answers."""

    def __init__(self, answers):
        self.answers = answers

    def generate(self, x_ids, start_id, length):
        return self.answers[x_ids[:, 0]]


def test_exact_match_counts_only_answers_right_in_every_position():
    answers = np.array([[1, 2, 3], [1, 2, 4], [5, 5, 5]])
    x = np.arange(3)[:, None]
    t = np.concatenate([np.zeros((3, 1), dtype=int), [[1, 2, 3], [1, 2, 3], [5, 5, 5]]], axis=1)
    assert exact_match(FixedAnswers(answers), x, t, start_id=0, batch_size=2) == 2 / 3


def test_training_learns_to_copy_a_short_sequence():
    """End to end: copy 3 symbols (ids 1..4, start id 0) to near-perfect exact match."""
    rng = np.random.default_rng(0)
    x = rng.integers(1, 5, size=(600, 3))
    t = np.concatenate([np.zeros((600, 1), dtype=int), x], axis=1)
    model = PeekySeq2seq(5, 8, 32, embed=EMBED, seed=0)
    before = exact_match(model, x[500:], t[500:], start_id=0)
    history = train_seq2seq(model, (x[:500], t[:500]), (x[500:], t[500:]), start_id=0,
                            epochs=12, batch_size=50, lr=1e-2, lr_decay=0.95, progress=False)
    assert len(history["accuracy"]) == 12 and len(history["batch_loss"]) == 12 * 10
    assert history["loss"][-1] < history["loss"][0] / 3
    assert before < 0.2 and history["accuracy"][-1] > 0.9


def test_training_is_reproducible_under_a_seed():
    rng = np.random.default_rng(1)
    x = rng.integers(1, 5, size=(100, 3))
    t = np.concatenate([np.zeros((100, 1), dtype=int), x], axis=1)
    runs = [train_seq2seq(PeekySeq2seq(5, 4, 8, embed=EMBED, seed=2), (x, t), (x[:20], t[:20]), 0,
                          epochs=2, batch_size=25, seed=3, progress=False)["batch_loss"]
            for _ in range(2)]
    np.testing.assert_array_equal(runs[0], runs[1])


def test_float32_training_reaches_the_accuracy_of_float64_within_noise():
    """The course trains in float32 (speed); the same run in float64 (the gradient checks'
    dtype) must end at the same held-out exact match, epoch by epoch, within noise."""
    from rnnlib.char_vocab import CharVocab
    from rnnlib.datasets import START, addition_dataset

    (train_q, train_a), (test_q, test_a) = addition_dataset(seed=3, n_train=4000, n_test=400,
                                                            max_digits=2)
    vocab = CharVocab.from_texts(train_q, train_a, test_q, test_a, [START])

    def encode(questions, answers):
        return vocab.encode(questions)[:, ::-1], vocab.encode(answers)

    curves = {}
    for dtype in (np.float32, np.float64):
        model = PeekySeq2seq(len(vocab), 8, 64, embed=EMBED, seed=0, dtype=dtype)
        history = train_seq2seq(model, encode(train_q, train_a), encode(test_q, test_a),
                                vocab.id_of(START), epochs=12, batch_size=64, lr=1e-2,
                                lr_decay=0.9, progress=False)
        assert all(p.dtype == dtype for p in model.params.values())
        curves[dtype] = np.array(history["accuracy"])
    assert curves[np.float32][-1] > 0.9
    np.testing.assert_allclose(curves[np.float32], curves[np.float64], atol=0.03)


def test_training_stops_at_the_target_accuracy_and_records_times():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 5, size=(600, 3))
    t = np.concatenate([np.zeros((600, 1), dtype=int), x], axis=1)
    model = PeekySeq2seq(5, 8, 32, embed=EMBED, seed=0)
    history = train_seq2seq(model, (x[:500], t[:500]), (x[500:], t[500:]), start_id=0,
                            epochs=30, batch_size=50, lr=1e-2, progress=False, stop_at=0.5)
    assert history["accuracy"][-1] >= 0.5 > max(history["accuracy"][:-1], default=0.0)
    assert len(history["time"]) == len(history["scoring"]) == len(history["accuracy"]) < 30
    assert np.all(np.diff(history["time"]) > 0) and history["seconds"] >= history["time"][-1]


def test_blas_threads_sets_the_count_for_the_block_and_restores_it():

    from rnnlib.seq2seq_training import _openblas_threads, blas_threads

    found = _openblas_threads()
    if found is None:
        pytest.skip("numpy does not use OpenBLAS here")
    get, _ = found
    before = get()
    with blas_threads(1):
        assert get() == 1
    assert get() == before
    with blas_threads(None):
        assert get() == before
