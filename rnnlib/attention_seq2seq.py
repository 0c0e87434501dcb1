"""Seq2seq with attention: at every decoder step the decoder state h looks at all encoder
states hs and reads a weighted average of them (the context vector c); the affine layer
scores the next character from [c ; h].

The attention arithmetic is not written here: notebook 08 asks you to write it, and the
model runs *your* functions. Pass them as ``AttentionFunctions``:

    weights(hs, h) -> a                         hs: (N, T, H), h: (N, H), a: (N, T)
    weights_backward(hs, h, a, da) -> (dhs, dh)
    context(hs, a) -> c                         c: (N, H)
    context_backward(hs, a, dc) -> (dhs, da)

The functions are called once per decoder step, on the whole batch, with arrays of the
model's dtype (float32 unless the model was made with dtype=np.float64).
"""
from typing import Callable, NamedTuple

import numpy as np

from .lstm_layer import lstm_scan, lstm_scan_backward, lstm_step
from .seq2seq import Seq2seq
from .seq2seq_layers import embedding_backward


class AttentionFunctions(NamedTuple):
    weights: Callable
    weights_backward: Callable
    context: Callable
    context_backward: Callable


class AttentionSeq2seq(Seq2seq):
    """Encoder as in Seq2seq (all its states are kept); decoder LSTM started from the last
    encoder state; at each step attention over the encoder states; affine on [c ; h]."""

    kind = "attention_seq2seq"

    def __init__(self, vocab_size, embed_size, hidden_size, attention, *, embed, seed=0,
                 dtype=np.float32):
        if not isinstance(attention, AttentionFunctions):
            raise TypeError("AttentionSeq2seq: pass the attention functions as AttentionFunctions("
                            "weights, weights_backward, context, context_backward)")
        self.attention = attention
        super().__init__(vocab_size, embed_size, hidden_size, embed=embed, seed=seed, dtype=dtype)

    def _affine_input_size(self):
        return 2 * self.config["hidden_size"]

    def _attend(self, enc_hs, h):
        """(context c (N, H), weights a (N, T)) of decoder states h: (N, H), by your functions."""
        a = np.asarray(self.attention.weights(enc_hs, h), dtype=self.dtype)
        return np.asarray(self.attention.context(enc_hs, a), dtype=self.dtype), a

    def decode(self, enc_hs, dec_ids):
        """Scores (N, L, V) and a cache; the cache's "weights" entry holds the attention
        weights (N, L, T): row l says where step l looked."""
        p, H = self.params, self.config["hidden_size"]
        N, L = dec_ids.shape
        enc_hs = np.ascontiguousarray(enc_hs, dtype=self.dtype)
        xs = self._embed("dec.embed", dec_ids).transpose(1, 0, 2).reshape(L * N, -1)  # time-major
        ax = (xs @ p["dec.Wx"] + p["dec.b"]).reshape(L, N, -1)
        hs, lstm_cache = lstm_scan(ax, enc_hs[:, -1], p["dec.Wh"])
        dec_hs = hs[1:]                                                       # (L, N, H)
        contexts = np.empty_like(dec_hs)
        weights = np.empty((L, N, enc_hs.shape[1]), self.dtype)
        for l in range(L):  # one attention per decoder step, over all encoder states
            contexts[l], weights[l] = self._attend(enc_hs, dec_hs[l])
        W = p["out.W"]
        scores = contexts.reshape(L * N, H) @ W[:H]
        scores += dec_hs.reshape(L * N, H) @ W[H:]
        scores += p["out.b"]
        cache = {"dec_ids": dec_ids, "xs": xs, "lstm": lstm_cache, "contexts": contexts,
                 "enc_hs": enc_hs, "dec_hs": dec_hs, "weights": weights.transpose(1, 0, 2)}
        return scores.reshape(L, N, -1).transpose(1, 0, 2), cache

    def decode_backward(self, cache, dscores):
        enc_hs, dec_hs, contexts = cache["enc_hs"], cache["dec_hs"], cache["contexts"]
        weights = cache["weights"]
        p, H = self.params, self.config["hidden_size"]
        N, L, V = dscores.shape
        ds = dscores.transpose(1, 0, 2).reshape(L * N, V)                 # time-major copy
        W = p["out.W"]
        dW = np.empty_like(W)
        dW[:H] = contexts.reshape(L * N, H).T @ ds
        dW[H:] = dec_hs.reshape(L * N, H).T @ ds
        grads = {"out.W": dW, "out.b": ds.sum(axis=0)}
        dcontexts = (ds @ W[:H].T).reshape(L, N, H)
        ddec_hs = (ds @ W[H:].T).reshape(L, N, H)
        denc_hs = np.zeros_like(enc_hs)
        att = self.attention
        for l in range(L):
            dhs_c, da = att.context_backward(enc_hs, weights[:, l], dcontexts[l])
            dhs_a, dh = att.weights_backward(enc_hs, dec_hs[l], weights[:, l], da)
            denc_hs += dhs_c
            denc_hs += dhs_a
            ddec_hs[l] += dh
        dax, dh0, dWh, _ = lstm_scan_backward(cache["lstm"], ddec_hs)
        dax_flat = dax.reshape(L * N, -1)
        grads.update({"dec.Wx": cache["xs"].T @ dax_flat, "dec.Wh": dWh,
                      "dec.b": dax_flat.sum(axis=0)})
        grads["dec.embed"] = embedding_backward(p["dec.embed"], cache["dec_ids"].T,
                                                dax_flat @ p["dec.Wx"].T)
        denc_hs[:, -1] += dh0
        return denc_hs, grads

    def _start(self, enc_hs):
        enc_hs = np.ascontiguousarray(enc_hs, dtype=self.dtype)
        h = enc_hs[:, -1].copy()
        return {"h": h, "c": np.zeros_like(h), "enc_hs": enc_hs}

    def _step(self, state, ids):
        """One decoder step: (scores (N, V), attention weights (N, T))."""
        p, H = self.params, self.config["hidden_size"]
        x = self._embed("dec.embed", ids[:, None])[:, 0]
        state["h"], state["c"] = lstm_step(x @ p["dec.Wx"] + p["dec.b"], state["h"], state["c"],
                                           p["dec.Wh"])
        c, a = self._attend(state["enc_hs"], state["h"])
        return c @ p["out.W"][:H] + state["h"] @ p["out.W"][H:] + p["out.b"], a

    def generate_with_attention(self, x_ids, start_id, length):
        """Greedy answers (N, length) and the attention weights (N, length, T) that
        produced them: weights[n, l] is where output character l of example n looked."""
        out, weights = self._generate(x_ids, start_id, length)
        return out, np.stack(weights, axis=1)
