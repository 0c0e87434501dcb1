"""The shipped seq2seq weights (rnnlib/weights) reach the course's targets on held-out data."""
import numpy as np
import pytest

from autograder.items import attention as reference
from rnnlib import pretrained
from rnnlib.attention_seq2seq import AttentionFunctions
from rnnlib.embedding_lookup import embedding_forward as EMBED

pytestmark = pytest.mark.slow

REFERENCE = AttentionFunctions(
    reference.attention_weights_reference, reference.attention_weights_backward_reference,
    reference.context_vector_reference, reference.context_vector_backward_reference)


def test_every_model_ships_and_the_files_stay_small():
    paths = [pretrained.weights_path(name) for name in pretrained.NAMES]
    assert all(p.exists() for p in paths), [p for p in paths if not p.exists()]
    assert sum(p.stat().st_size for p in paths) < 3e6


def test_reversed_peeky_addition_answers_over_90_percent_of_held_out_sums():
    run = pretrained.load("addition_reversed_peeky", embed=EMBED)
    questions, answers = run.held_out()
    accuracy = run.exact_match(questions, answers)
    assert accuracy > 0.9
    # the recorded history is honest (float32 storage may flip an answer or two)
    assert accuracy == pytest.approx(run.history["accuracy"][-1], abs=0.005)
    assert run.answer(["16+75", "999+1"]) == ["91", "1000"]


def test_the_addition_histories_rank_peeky_over_reversed_over_baseline():
    final = {name: pretrained.load(name, embed=EMBED).history["accuracy"][-1]
             for name in ("addition_baseline", "addition_reversed", "addition_reversed_peeky")}
    assert (final["addition_baseline"] < final["addition_reversed"]
            < final["addition_reversed_peeky"])
    baseline = pretrained.load("addition_baseline", embed=EMBED)
    assert baseline.exact_match(*baseline.held_out(500)) == pytest.approx(
        final["addition_baseline"], abs=0.06)  # a sample of the same held-out set


def test_attention_converts_over_99_percent_of_held_out_dates_and_beats_plain_seq2seq():
    attention = pretrained.load("dates_attention", embed=EMBED, attention=REFERENCE)
    questions, answers = attention.held_out()
    accuracy = attention.exact_match(questions, answers)
    assert accuracy > 0.99
    plain = pretrained.load("dates_seq2seq", embed=EMBED)
    assert plain.exact_match(questions[:500], answers[:500]) < accuracy
    assert attention.answer(["september 27, 1994"]) == ["1994-09-27"]


def test_attention_weights_of_the_shipped_model_are_distributions_over_the_question():
    run = pretrained.load("dates_attention", embed=EMBED, attention=REFERENCE)
    ids, weights = run.model.generate_with_attention(run.encode_questions(["27/09/1994"]),
                                                     run.start_id, run.config["answer_length"])
    assert weights.shape == (1, 10, run.config["question_width"])
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-6)  # float32


def test_a_missing_weights_file_names_the_file_and_the_command_that_makes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(pretrained, "WEIGHTS_DIR", tmp_path)
    with pytest.raises(FileNotFoundError) as error:
        pretrained.load("addition_reversed_peeky", embed=EMBED)
    message = str(error.value)
    assert str(tmp_path / "addition_reversed_peeky.npz") in message
    assert "python scripts/train_seq2seq_weights.py" in message


def test_the_attention_model_asks_for_its_attention_functions():
    with pytest.raises(ValueError, match="AttentionFunctions"):
        pretrained.load("dates_attention", embed=EMBED)


def test_a_saved_model_loads_back_with_the_same_answers(tmp_path, monkeypatch):
    from rnnlib.char_vocab import CharVocab
    from rnnlib.seq2seq import PeekySeq2seq

    vocab = CharVocab("0123456789+ _")
    model = PeekySeq2seq(len(vocab), 4, 8, embed=EMBED, seed=3)
    config = {"task": "addition", "data_seed": 0, "n_train": 10, "n_test": 5,
              "question_width": 7, "answer_length": 4, "reverse_input": True}
    history = {"accuracy": [0.1, 0.2], "loss": [2.0, 1.0]}
    pretrained.save(tmp_path / "tiny.npz", model, vocab, config, history)
    monkeypatch.setattr(pretrained, "WEIGHTS_DIR", tmp_path)
    run = pretrained.load("tiny", embed=EMBED)
    assert isinstance(run.model, PeekySeq2seq)
    assert run.history["accuracy"] == pytest.approx([0.1, 0.2])
    x = run.encode_questions(["16+75", "1+2"])
    np.testing.assert_array_equal(x[0], vocab.encode(["  57+61"])[0])  # padded, then reversed
    expected = model.generate(x, vocab.id_of("_"), 4)
    np.testing.assert_array_equal(run.model.generate(x, run.start_id, 4), expected)


def test_saving_the_same_model_twice_writes_the_same_bytes(tmp_path):
    """The weights script is reproducible bit for bit: a file depends only on its contents
    (np.savez_compressed would stamp each member with the current time)."""
    import time

    from rnnlib.char_vocab import CharVocab
    from rnnlib.seq2seq import PeekySeq2seq

    vocab = CharVocab("0123456789+ _")
    model = PeekySeq2seq(len(vocab), 4, 8, embed=EMBED, seed=3)
    config = {"task": "addition", "data_seed": 0, "n_train": 10, "n_test": 5,
              "question_width": 7, "answer_length": 4, "reverse_input": True}
    history = {"accuracy": [0.1, 0.2], "loss": [2.0, 1.0], "time": [1.0, 2.0]}
    pretrained.save(tmp_path / "a.npz", model, vocab, config, history)
    time.sleep(2.1)  # zip dates have a resolution of two seconds
    pretrained.save(tmp_path / "b.npz", model, vocab, config, history)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
