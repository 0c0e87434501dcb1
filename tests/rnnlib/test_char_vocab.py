import numpy as np
import pytest

from rnnlib.char_vocab import CharVocab


def test_encode_and_decode_round_trip_with_sorted_ids():
    vocab = CharVocab.from_texts(["16+75", "_91 "])
    assert vocab.chars == " +15679_"
    ids = vocab.encode(["16+75", "91 _1"])
    assert ids.shape == (2, 5) and ids.dtype.kind == "i"
    assert vocab.decode(ids) == ["16+75", "91 _1"] and vocab.decode(ids[0]) == "16+75"


def test_unknown_characters_and_ragged_strings_are_refused_with_a_clear_message():
    vocab = CharVocab("ab")
    with pytest.raises(ValueError, match=r"\['c'\] are not in the vocabulary"):
        vocab.encode(["ac"])
    with pytest.raises(ValueError, match="pad them"):
        vocab.encode(["a", "ab"])
    with pytest.raises(ValueError, match="repeated"):
        CharVocab("aba")
    assert np.array_equal(vocab.encode(["ba"]), [[1, 0]])
