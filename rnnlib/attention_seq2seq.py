"""Seq2seq with attention: at every decoder step the decoder state h looks at all encoder
states hs and reads a weighted average of them (the context vector c); the affine layer
scores the next character from [c ; h].

The attention arithmetic is not written here: notebook 08 asks you to write it, and the
model runs *your* functions. Pass them as ``AttentionFunctions``:

    weights(hs, h) -> a                         hs: (N, T, H), h: (N, H), a: (N, T)
    weights_backward(hs, h, a, da) -> (dhs, dh)
    context(hs, a) -> c                         c: (N, H)
    context_backward(hs, a, dc) -> (dhs, da)

All L decoder steps are computed in one call: the step axis is folded into the batch axis
(hs is repeated L times), so the functions see N * L rows.
"""
from typing import Callable, NamedTuple

import numpy as np

from .layers import lstm_layer_backward, lstm_layer_forward
from .seq2seq import Seq2seq
from .seq2seq_layers import (embedding_backward, embedding_forward, time_affine_backward,
                             time_affine_forward)


class AttentionFunctions(NamedTuple):
    weights: Callable
    weights_backward: Callable
    context: Callable
    context_backward: Callable


class AttentionSeq2seq(Seq2seq):
    """Encoder as in Seq2seq (all its states are kept); decoder LSTM started from the last
    encoder state; at each step attention over the encoder states; affine on [c ; h]."""

    kind = "attention_seq2seq"

    def __init__(self, vocab_size, embed_size, hidden_size, attention, seed=0):
        if not isinstance(attention, AttentionFunctions):
            raise TypeError("AttentionSeq2seq: pass the attention functions as "
                            "AttentionFunctions(weights, weights_backward, context, context_backward)")
        self.attention = attention
        super().__init__(vocab_size, embed_size, hidden_size, seed)

    def _affine_input_size(self):
        return 2 * self.config["hidden_size"]

    def decode(self, enc_hs, dec_ids):
        """Scores (N, L, V) and a cache; the cache's "weights" entry holds the attention
        weights (N, L, T): row l says where step l looked."""
        N, T, H = enc_hs.shape
        L = dec_ids.shape[1]
        xs = embedding_forward(self.params["dec.embed"], dec_ids)
        dec_hs, lstm_cache = lstm_layer_forward(self._layer("dec."), xs, enc_hs[:, -1])
        hs_rep = np.repeat(enc_hs, L, axis=0)  # (N * L, T, H): row n * L + l is step l of n
        queries = dec_hs.reshape(N * L, H)
        a = np.asarray(self.attention.weights(hs_rep, queries))
        c = np.asarray(self.attention.context(hs_rep, a))
        features = np.concatenate([c.reshape(N, L, H), dec_hs], axis=-1)
        scores = time_affine_forward(features, self.params["out.W"], self.params["out.b"])
        cache = {"dec_ids": dec_ids, "lstm": lstm_cache, "features": features,
                 "hs_rep": hs_rep, "queries": queries, "weights": a.reshape(N, L, T)}
        return scores, cache

    def decode_backward(self, cache, dscores):
        N, L, T = cache["weights"].shape
        H = self.config["hidden_size"]
        dfeatures, dW, db = time_affine_backward(cache["features"], self.params["out.W"], dscores)
        grads = {"out.W": dW, "out.b": db}
        dc = dfeatures[..., :H].reshape(N * L, H)
        a = cache["weights"].reshape(N * L, T)
        dhs_c, da = self.attention.context_backward(cache["hs_rep"], a, dc)
        dhs_a, dq = self.attention.weights_backward(cache["hs_rep"], cache["queries"], a, da)
        denc_hs = (np.asarray(dhs_c) + np.asarray(dhs_a)).reshape(N, L, T, H).sum(axis=1)
        ddec_hs = dfeatures[..., H:] + np.asarray(dq).reshape(N, L, H)
        dxs, dh0, lstm_grads = lstm_layer_backward(self._layer("dec."), cache["lstm"], ddec_hs)
        grads.update({"dec." + k: v for k, v in lstm_grads.items()})
        grads["dec.embed"] = embedding_backward(self.params["dec.embed"], cache["dec_ids"], dxs)
        denc_hs[:, -1] += dh0
        return denc_hs, grads

    def generate_with_attention(self, x_ids, start_id, length):
        """Greedy answers (N, length) and the attention weights (N, length, T) that
        produced them: weights[n, l] is where output character l of example n looked."""
        enc_hs, _ = self.encode(x_ids)
        ids = np.full((x_ids.shape[0], 1), start_id, dtype=np.int64)
        for _ in range(length):
            scores, cache = self.decode(enc_hs, ids)
            ids = np.concatenate([ids, scores[:, -1].argmax(axis=1)[:, None]], axis=1)
        return ids[:, 1:], cache["weights"]
