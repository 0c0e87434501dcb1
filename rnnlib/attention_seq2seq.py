"""Seq2seq with attention: at every decoder step the decoder state h looks at all encoder
states hs and reads a weighted average of them (the context vector c); the affine layer
scores the next character from [c ; h].

The attention arithmetic is not written here: notebook 08 asks you to write it, and the
model runs *your* functions. Pass them as ``AttentionFunctions``:

    weights(hs, h) -> a                         hs: (N, T, H), h: (N, H), a: (N, T)
    weights_backward(hs, h, a, da) -> (dhs, dh)
    context(hs, a) -> c                         c: (N, H)
    context_backward(hs, a, dc) -> (dhs, da)

The functions are called once per decoder step, on the whole batch.
"""
from typing import Callable, NamedTuple

import numpy as np

from .lstm_layer import lstm_layer_backward, lstm_layer_forward
from .seq2seq import Seq2seq
from .seq2seq_layers import embedding_backward, time_affine_backward, time_affine_forward


class AttentionFunctions(NamedTuple):
    weights: Callable
    weights_backward: Callable
    context: Callable
    context_backward: Callable


class AttentionSeq2seq(Seq2seq):
    """Encoder as in Seq2seq (all its states are kept); decoder LSTM started from the last
    encoder state; at each step attention over the encoder states; affine on [c ; h]."""

    kind = "attention_seq2seq"

    def __init__(self, vocab_size, embed_size, hidden_size, attention, *, embed, seed=0):
        if not isinstance(attention, AttentionFunctions):
            raise TypeError("AttentionSeq2seq: pass the attention functions as AttentionFunctions("
                            "weights, weights_backward, context, context_backward)")
        self.attention = attention
        super().__init__(vocab_size, embed_size, hidden_size, embed=embed, seed=seed)

    def _affine_input_size(self):
        return 2 * self.config["hidden_size"]

    def decode(self, enc_hs, dec_ids, last_step_only=False):
        """Scores (N, L, V) and a cache; the cache's "weights" entry holds the attention
        weights (N, L, T): row l says where step l looked.

        last_step_only: score only the last step (generation needs no more): (N, 1, V).
        """
        xs = np.asarray(self.embed(self.params["dec.embed"], dec_ids))
        dec_hs, lstm_cache = lstm_layer_forward(self._layer("dec."), xs, enc_hs[:, -1])
        steps = [dec_ids.shape[1] - 1] if last_step_only else range(dec_ids.shape[1])
        weights, contexts = [], []
        for l in steps:  # one attention per decoder step, over all encoder states
            a = np.asarray(self.attention.weights(enc_hs, dec_hs[:, l]))
            weights.append(a)
            contexts.append(np.asarray(self.attention.context(enc_hs, a)))
        features = np.concatenate([np.stack(contexts, axis=1), dec_hs[:, steps]], axis=-1)
        scores = time_affine_forward(features, self.params["out.W"], self.params["out.b"])
        cache = {"dec_ids": dec_ids, "lstm": lstm_cache, "features": features,
                 "enc_hs": enc_hs, "dec_hs": dec_hs, "weights": np.stack(weights, axis=1)}
        return scores, cache

    def decode_backward(self, cache, dscores):
        enc_hs, dec_hs, weights = cache["enc_hs"], cache["dec_hs"], cache["weights"]
        H = self.config["hidden_size"]
        dfeatures, dW, db = time_affine_backward(cache["features"], self.params["out.W"], dscores)
        grads = {"out.W": dW, "out.b": db}
        denc_hs = np.zeros_like(enc_hs)
        ddec_hs = dfeatures[..., H:].copy()
        for l in range(dec_hs.shape[1]):
            dhs_c, da = self.attention.context_backward(enc_hs, weights[:, l], dfeatures[:, l, :H])
            dhs_a, dh = self.attention.weights_backward(enc_hs, dec_hs[:, l], weights[:, l], da)
            denc_hs += np.asarray(dhs_c) + np.asarray(dhs_a)
            ddec_hs[:, l] += np.asarray(dh)
        dxs, dh0, lstm_grads = lstm_layer_backward(self._layer("dec."), cache["lstm"], ddec_hs)
        grads.update({"dec." + k: v for k, v in lstm_grads.items()})
        grads["dec.embed"] = embedding_backward(self.params["dec.embed"], cache["dec_ids"], dxs)
        denc_hs[:, -1] += dh0
        return denc_hs, grads

    def _next_scores(self, enc_hs, ids):
        scores, cache = self.decode(enc_hs, ids, last_step_only=True)
        return scores[:, -1], cache["weights"][:, -1]

    def generate_with_attention(self, x_ids, start_id, length):
        """Greedy answers (N, length) and the attention weights (N, length, T) that
        produced them: weights[n, l] is where output character l of example n looked."""
        enc_hs, _ = self.encode(x_ids)
        ids = np.full((x_ids.shape[0], 1), start_id, dtype=np.int64)
        weights = []
        for _ in range(length):
            scores, a = self._next_scores(enc_hs, ids)
            weights.append(a)
            ids = np.concatenate([ids, scores.argmax(axis=1)[:, None]], axis=1)
        return ids[:, 1:], np.stack(weights, axis=1)
