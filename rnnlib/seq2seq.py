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

dtype: the parameters' dtype, float32 by default (training and answering; half the memory
traffic of float64 and faster matrix products); float64 for gradient checks.

Ids: x_ids (N, T) question; t_ids (N, 1 + L) answer that starts with the start symbol. The
decoder reads t_ids[:, :-1] and is trained to output t_ids[:, 1:].

Inside, the decoder works time-major, (L, N, ...): each step's slice is contiguous. The
peeky part [x ; h] @ Wx = x @ Wx[:E] + h @ Wx[E:] is the same at every step, so h @ Wx[E:]
is computed once, not L times (likewise for the affine layer's [hs ; h] @ W).
"""
import numpy as np

from .lstm_layer import (
    lstm_layer_backward,
    lstm_layer_forward,
    lstm_scan,
    lstm_scan_backward,
    lstm_step,
)
from .recurrent_init import init_recurrent
from .seq2seq_layers import embedding_backward, softmax_cross_entropy

_LSTM_KEYS = ("Wx", "Wh", "b")


class Seq2seq:
    """LSTM encoder -> last state -> LSTM decoder -> affine scores over the vocabulary."""

    kind = "seq2seq"
    peeky = False

    def __init__(self, vocab_size, embed_size, hidden_size, *, embed, seed=0, dtype=np.float32):
        if not callable(embed):
            raise TypeError(f"{type(self).__name__}: pass embed=, the embedding lookup "
                            "embed(W, ids) -> W[ids] (your embedding_lookup)")
        self.embed = embed
        self.dtype = np.dtype(dtype)
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
        self.params = {k: v.astype(self.dtype) for k, v in params.items()}

    # sizes of the parts that differ between the variants
    def _decoder_input_size(self):
        return self.config["embed_size"] + (self.config["hidden_size"] if self.peeky else 0)

    def _affine_input_size(self):
        return self.config["hidden_size"] * (2 if self.peeky else 1)

    def _layer(self, prefix):
        """The LSTM's parameters as the dict rnnlib.lstm_layer expects (the same arrays)."""
        return {k: self.params[prefix + k] for k in _LSTM_KEYS}

    def _embed(self, name, ids):
        return np.asarray(self.embed(self.params[name], ids), dtype=self.dtype)

    # --- encoder --------------------------------------------------------------------
    def encode(self, x_ids):
        """All encoder states hs: (N, T, H), and the cache for encode_backward."""
        xs = self._embed("enc.embed", x_ids)
        N, H = x_ids.shape[0], self.config["hidden_size"]
        hs, lstm_cache = lstm_layer_forward(self._layer("enc."), xs, np.zeros((N, H), self.dtype))
        return hs, (x_ids, lstm_cache)

    def encode_backward(self, cache, dhs):
        """Gradients of the encoder's parameters from dhs: (N, T, H)."""
        x_ids, lstm_cache = cache
        dxs, _, grads = lstm_layer_backward(self._layer("enc."), lstm_cache, dhs)
        grads = {"enc." + k: v for k, v in grads.items()}
        grads["enc.embed"] = embedding_backward(self.params["enc.embed"], x_ids, dxs)
        return grads

    # --- decoder --------------------------------------------------------------------
    def _peek(self, h):
        """The parts of the LSTM's and the affine layer's inputs that are the same at every
        step: (b + h @ Wx[E:] (N, 4H) or b, h @ W[H:] + b_out (N, V) or b_out)."""
        p, H, E = self.params, self.config["hidden_size"], self.config["embed_size"]
        if not self.peeky:
            return p["dec.b"], p["out.b"]
        return h @ p["dec.Wx"][E:] + p["dec.b"], h @ p["out.W"][H:] + p["out.b"]

    def decode(self, enc_hs, dec_ids):
        """Scores (N, L, V) of the next character after each of dec_ids (N, L), and a cache.

        The decoder starts from the encoder's last state h = enc_hs[:, -1].
        """
        p, E, H = self.params, self.config["embed_size"], self.config["hidden_size"]
        N, L = dec_ids.shape
        h = np.asarray(enc_hs[:, -1], dtype=self.dtype)
        xs = self._embed("dec.embed", dec_ids).transpose(1, 0, 2).reshape(L * N, E)  # time-major
        lstm_in, out_in = self._peek(h)
        ax = (xs @ p["dec.Wx"][:E]).reshape(L, N, -1)
        ax += lstm_in
        hs, lstm_cache = lstm_scan(ax, h, p["dec.Wh"])
        scores = (hs[1:].reshape(L * N, H) @ p["out.W"][:H]).reshape(L, N, -1)
        scores += out_in
        cache = (enc_hs.shape, dec_ids, h, xs, lstm_cache, hs)
        return scores.transpose(1, 0, 2), cache

    def decode_backward(self, cache, dscores):
        """(d enc_hs (N, T, H), gradients of the decoder and affine parameters)."""
        enc_shape, dec_ids, h, xs, lstm_cache, hs = cache
        p, E, H = self.params, self.config["embed_size"], self.config["hidden_size"]
        N, L, V = dscores.shape
        ds = dscores.transpose(1, 0, 2).reshape(L * N, V)                 # time-major copy
        W = p["out.W"]
        grads = {"out.b": ds.sum(axis=0), "out.W": np.empty_like(W), "dec.Wx": None}
        grads["out.W"][:H] = hs[1:].reshape(L * N, H).T @ ds
        dhs = (ds @ W[:H].T).reshape(L, N, H)
        dax, dh0, dWh, _ = lstm_scan_backward(lstm_cache, dhs)
        dax_flat = dax.reshape(L * N, -1)
        dWx = np.empty_like(p["dec.Wx"])
        dWx[:E] = xs.T @ dax_flat
        grads.update({"dec.Wx": dWx, "dec.Wh": dWh, "dec.b": dax_flat.sum(axis=0)})
        dh = dh0
        if self.peeky:
            ds_sum, dax_sum = ds.reshape(L, N, V).sum(axis=0), dax.sum(axis=0)
            grads["out.W"][H:] = h.T @ ds_sum
            dWx[E:] = h.T @ dax_sum
            dh = dh + ds_sum @ W[H:].T + dax_sum @ p["dec.Wx"][E:].T
        dxs = dax_flat @ p["dec.Wx"][:E].T
        grads["dec.embed"] = embedding_backward(p["dec.embed"], dec_ids.T, dxs)
        denc_hs = np.zeros(enc_shape, self.dtype)
        denc_hs[:, -1] = dh
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

    # --- greedy generation, one step at a time -----------------------------------------
    def _start(self, enc_hs):
        """The decoder's state before its first step: a dict (h, c and what is fixed)."""
        h = np.asarray(enc_hs[:, -1], dtype=self.dtype)
        lstm_in, out_in = self._peek(h)
        return {"h": h, "c": np.zeros_like(h), "lstm_in": lstm_in, "out_in": out_in}

    def _step(self, state, ids):
        """One decoder step on the previous characters ids (N,): (scores (N, V), state)
        (and what a subclass adds; the state is updated in place)."""
        p, E, H = self.params, self.config["embed_size"], self.config["hidden_size"]
        x = self._embed("dec.embed", ids[:, None])[:, 0]
        state["h"], state["c"] = lstm_step(x @ p["dec.Wx"][:E] + state["lstm_in"],
                                           state["h"], state["c"], p["dec.Wh"])
        return state["h"] @ p["out.W"][:H] + state["out_in"], None

    def generate(self, x_ids, start_id, length):
        """Greedy decoding: (N, length) ids, each the most likely character after the ones
        before it (each step feeds the last character in and keeps the LSTM's state)."""
        return self._generate(x_ids, start_id, length)[0]

    def _generate(self, x_ids, start_id, length):
        enc_hs, _ = self.encode(x_ids)
        state = self._start(enc_hs)
        ids = np.full(x_ids.shape[0], start_id, dtype=np.int64)
        out, extras = np.empty((x_ids.shape[0], length), dtype=np.int64), []
        for l in range(length):
            scores, extra = self._step(state, ids)
            ids = out[:, l] = scores.argmax(axis=1)
            extras.append(extra)
        return out, extras


class PeekySeq2seq(Seq2seq):
    """Seq2seq whose decoder sees the encoder's last state h at every step: h is
    concatenated to each decoder input and to each input of the affine layer."""

    kind = "peeky_seq2seq"
    peeky = True
