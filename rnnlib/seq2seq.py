"""Encoder-decoder (seq2seq) models on characters, in numpy, with forward and backward.

* ``Seq2seq``: an LSTM encoder reads the question; its last hidden state h (the "thought
  vector") is the decoder LSTM's initial state; the decoder reads the answer so far
  (teacher forcing while training, its own outputs when generating) and a time-distributed
  affine layer scores the next character.
* ``PeekySeq2seq``: the same, but h is also concatenated to the decoder's input at every
  step and to the affine layer's input ("Deep Learning from Scratch 2", ch. 7), so every
  step of the decoder can "peek" at the question.

Both use the course-provided LSTM layer (``rnnlib.lstm_layer``) and the embedding lookup
they are given: ``embed(W, ids) -> W[ids]``, (V, E) and ids (N, T) -> (N, T, E) (your
``embedding_lookup`` of notebook 06, or ``rnnlib.embedding_lookup.embedding_forward``
after it). Parameters live in one flat
dict ``model.params`` (names "enc.embed", "enc.Wx", ..., "dec.Wx", ..., "out.W", "out.b"),
ready for ``rnnlib.optim.Adam``; ``loss_and_grads`` returns gradients with the same keys.

Ids: x_ids (N, T) question; t_ids (N, 1 + L) answer that starts with the start symbol. The
decoder reads t_ids[:, :-1] and is trained to output t_ids[:, 1:].
"""
import numpy as np

from .lstm_layer import lstm_layer_backward, lstm_layer_forward
from .recurrent_init import init_recurrent
from .seq2seq_layers import (embedding_backward, softmax_cross_entropy, time_affine_backward,
                             time_affine_forward)

_LSTM_KEYS = ("Wx", "Wh", "b")


class Seq2seq:
    """LSTM encoder -> last state -> LSTM decoder -> affine scores over the vocabulary."""

    kind = "seq2seq"
    peeky = False

    def __init__(self, vocab_size, embed_size, hidden_size, *, embed, seed=0):
        if not callable(embed):
            raise TypeError(f"{type(self).__name__}: pass embed=, the embedding lookup "
                            "embed(W, ids) -> W[ids] (your embedding_lookup)")
        self.embed = embed
        V, E, H = vocab_size, embed_size, hidden_size
        self.config = {"kind": self.kind, "vocab_size": V, "embed_size": E, "hidden_size": H}
        rng = np.random.default_rng(seed)
        params = {"enc.embed": rng.standard_normal((V, E)) * 0.1,
                  "dec.embed": rng.standard_normal((V, E)) * 0.1}
        # LSTM gate blocks i, f, o, g; forget-gate bias +1 so that memory is kept at first
        for prefix, D in (("enc.", E), ("dec.", self._decoder_input_size())):
            layer = init_recurrent(rng, D, H, gates=4, memory_gate_block=1, memory_gate_bias=1.0)
            params.update({prefix + k: v for k, v in layer.items()})
        A = self._affine_input_size()
        params["out.W"] = rng.standard_normal((A, V)) / np.sqrt(A)
        params["out.b"] = np.zeros(V)
        self.params = params

    # sizes of the parts that differ between the variants
    def _decoder_input_size(self):
        return self.config["embed_size"] + (self.config["hidden_size"] if self.peeky else 0)

    def _affine_input_size(self):
        return self.config["hidden_size"] * (2 if self.peeky else 1)

    def _layer(self, prefix):
        """The LSTM's parameters as the dict rnnlib.lstm_layer expects (the same arrays)."""
        return {k: self.params[prefix + k] for k in _LSTM_KEYS}

    # --- encoder --------------------------------------------------------------------
    def encode(self, x_ids):
        """All encoder states hs: (N, T, H), and the cache for encode_backward."""
        xs = np.asarray(self.embed(self.params["enc.embed"], x_ids))
        N, H = x_ids.shape[0], self.config["hidden_size"]
        hs, lstm_cache = lstm_layer_forward(self._layer("enc."), xs, np.zeros((N, H)))
        return hs, (x_ids, lstm_cache)

    def encode_backward(self, cache, dhs):
        """Gradients of the encoder's parameters from dhs: (N, T, H)."""
        x_ids, lstm_cache = cache
        dxs, _, grads = lstm_layer_backward(self._layer("enc."), lstm_cache, dhs)
        grads = {"enc." + k: v for k, v in grads.items()}
        grads["enc.embed"] = embedding_backward(self.params["enc.embed"], x_ids, dxs)
        return grads

    # --- decoder --------------------------------------------------------------------
    def decode(self, enc_hs, dec_ids):
        """Scores (N, L, V) of the next character after each of dec_ids (N, L), and a cache.

        The decoder starts from the encoder's last state h = enc_hs[:, -1].
        """
        h = enc_hs[:, -1]
        L = dec_ids.shape[1]
        xs = np.asarray(self.embed(self.params["dec.embed"], dec_ids))
        if self.peeky:
            xs = np.concatenate([xs, np.repeat(h[:, None], L, axis=1)], axis=-1)
        dec_hs, lstm_cache = lstm_layer_forward(self._layer("dec."), xs, h)
        features = dec_hs
        if self.peeky:
            features = np.concatenate([dec_hs, np.repeat(h[:, None], L, axis=1)], axis=-1)
        scores = time_affine_forward(features, self.params["out.W"], self.params["out.b"])
        return scores, (enc_hs.shape, dec_ids, lstm_cache, features)

    def decode_backward(self, cache, dscores):
        """(d enc_hs (N, T, H), gradients of the decoder and affine parameters)."""
        enc_shape, dec_ids, lstm_cache, features = cache
        E, H = self.config["embed_size"], self.config["hidden_size"]
        dfeatures, dW, db = time_affine_backward(features, self.params["out.W"], dscores)
        grads = {"out.W": dW, "out.b": db}
        ddec_hs = dfeatures[..., :H]
        dh = dfeatures[..., H:].sum(axis=1) if self.peeky else 0.0
        dxs, dh0, lstm_grads = lstm_layer_backward(self._layer("dec."), lstm_cache, ddec_hs)
        grads.update({"dec." + k: v for k, v in lstm_grads.items()})
        if self.peeky:
            dh = dh + dxs[..., E:].sum(axis=1)
        grads["dec.embed"] = embedding_backward(self.params["dec.embed"], dec_ids, dxs[..., :E])
        denc_hs = np.zeros(enc_shape)
        denc_hs[:, -1] = dh0 + dh
        return denc_hs, grads

    # --- the whole model ------------------------------------------------------------
    def loss(self, x_ids, t_ids):
        """Mean cross-entropy per answer character (teacher forcing)."""
        enc_hs, _ = self.encode(x_ids)
        scores, _ = self.decode(enc_hs, t_ids[:, :-1])
        return softmax_cross_entropy(scores, t_ids[:, 1:])[0]

    def loss_and_grads(self, x_ids, t_ids):
        """(loss, grads): grads has the keys of self.params.

        x_ids: (N, T) question ids; t_ids: (N, 1 + L) answer ids starting with the start id.
        """
        enc_hs, enc_cache = self.encode(x_ids)
        scores, dec_cache = self.decode(enc_hs, t_ids[:, :-1])
        loss, dscores = softmax_cross_entropy(scores, t_ids[:, 1:])
        denc_hs, grads = self.decode_backward(dec_cache, dscores)
        grads.update(self.encode_backward(enc_cache, denc_hs))
        return loss, grads

    def generate(self, x_ids, start_id, length):
        """Greedy decoding: (N, length) ids, each the most likely character after the ones
        before it (the decoder is re-run on the growing answer; answers are short)."""
        enc_hs, _ = self.encode(x_ids)
        ids = np.full((x_ids.shape[0], 1), start_id, dtype=np.int64)
        for _ in range(length):
            scores, _ = self._next_scores(enc_hs, ids)
            ids = np.concatenate([ids, scores.argmax(axis=1)[:, None]], axis=1)
        return ids[:, 1:]

    def _next_scores(self, enc_hs, ids):
        """Scores (N, V) of the character after ids (N, L), and what a subclass may add."""
        return self.decode(enc_hs, ids)[0][:, -1], None


class PeekySeq2seq(Seq2seq):
    """Seq2seq whose decoder sees the encoder's last state h at every step: h is
    concatenated to each decoder input and to each input of the affine layer."""

    kind = "peeky_seq2seq"
    peeky = True
