"""A character vocabulary: strings <-> arrays of integer ids (the seq2seq practice tasks)."""
import numpy as np


class CharVocab:
    """A fixed, ordered set of characters; id i is ``chars[i]``.

    Build it from the strings a task can produce (``CharVocab.from_texts``) and store
    ``chars`` with a trained model, so that the ids mean the same thing when it is loaded.
    """

    def __init__(self, chars):
        chars = "".join(chars)
        if len(set(chars)) != len(chars):
            raise ValueError(f"CharVocab: repeated characters in {chars!r}")
        self.chars = chars
        self.char_to_id = {c: i for i, c in enumerate(chars)}

    @classmethod
    def from_texts(cls, *text_lists):
        """The sorted set of characters in the given lists of strings."""
        return cls(sorted({c for texts in text_lists for text in texts for c in text}))

    def __len__(self):
        return len(self.chars)

    def id_of(self, char):
        return self.char_to_id[char]

    def encode(self, texts):
        """Equal-length strings -> (N, T) int array of ids."""
        lengths = {len(t) for t in texts}
        if len(lengths) != 1:
            raise ValueError("CharVocab.encode: strings must have one length (pad them), "
                             f"got lengths {sorted(lengths)}")
        unknown = sorted({c for t in texts for c in t} - set(self.chars))
        if unknown:
            raise ValueError(f"CharVocab.encode: characters {unknown} are not in the vocabulary")
        return np.array([[self.char_to_id[c] for c in t] for t in texts], dtype=np.int64)

    def decode(self, ids):
        """(N, T) or (T,) ids -> list of strings or one string."""
        ids = np.asarray(ids)
        if ids.ndim == 1:
            return "".join(self.chars[i] for i in ids)
        return ["".join(self.chars[i] for i in row) for row in ids]
