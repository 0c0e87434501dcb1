"""Seq2seq training speed, in one run: the course's trainer (rnnlib) against the numpy code
of "Deep Learning from Scratch 2" (ch. 7 reversed + peeky addition, ch. 8 attention on
dates), with one and with two BLAS threads.

    .venv/bin/python benchmarks/seq2seq_training.py             # the full comparison
    .venv/bin/python benchmarks/seq2seq_training.py --quick     # one epoch each: speed only
    .venv/bin/python benchmarks/seq2seq_training.py --tasks addition --threads 1

For every task, code and thread count it prints the training examples per second, the
seconds per epoch (training alone, and with scoring the held-out set), and the time from
the start until the held-out exact match (the whole answer right) first reaches 90 % and
97 % (scoring included; each run stops at 97 % or after --max-seconds).

Both codes train on the same data (rnnlib.datasets, the seeds of the shipped models;
20,000 sums, 24,000 dates, 2,000 held out) with the same model sizes (embeddings of 16,
batches of 128; hidden size 128 for addition as in the book, the course's 64 for dates),
each with its own recipe: the book's Adam at 0.001, questions reversed for both tasks;
the course's Adam at 0.01 with its decay per epoch and, for dates, questions in reading
order. One more row trains the course's addition model with the shipped settings (hidden
size 96 on 40,000 sums), as notebook 06's live run does. The thread count is set with
threadpoolctl when it is installed, otherwise each run is a subprocess started with
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS. The load average is printed at
the start and the end: on a machine other jobs keep busy, two BLAS threads per process
are many times slower than one (the threads wait for each other's time slices).

"before" is the baseline below: a minimal re-implementation, written for this benchmark,
of how the book trains its seq2seq models in numpy. It follows the book's design, not its
text: layers are objects holding ``params`` and ``grads`` lists; the Time* layers make one
layer object per time step (with its own cache) and loop over them; the peeky decoder
concatenates h to the LSTM's and the affine layer's inputs at every step; the attention
decoder runs one Attention layer (AttentionWeight + WeightSum, with the book's
repeat-based broadcasting) per step; weights are float32 ('f'); the gate blocks are
f, g, i, o; training is the book's Trainer (shuffle, forward, backward, remove_duplicate,
clip_grads, Adam with the folded bias correction); scoring generates each held-out answer
one question at a time (the book's eval_seq2seq). "after" is rnnlib as the notebooks use it.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnnlib import pretrained
from rnnlib.attention_seq2seq import AttentionFunctions, AttentionSeq2seq
from rnnlib.char_vocab import CharVocab
from rnnlib.datasets import START
from rnnlib.embedding_lookup import embedding_forward
from rnnlib.seq2seq import PeekySeq2seq
from rnnlib.seq2seq_training import train_seq2seq

TARGETS = (0.90, 0.97)
TASKS = {
    "addition": {"title": "reversed + peeky addition", "model": "peeky",
                 "data": {"task": "addition", "data_seed": 1, "n_train": 20000, "n_test": 2000},
                 "embed": 16, "hidden": 128, "batch": 128,
                 "course": {"reverse": True, "lr": 1e-2, "lr_decay": 0.9},
                 "book": {"reverse": True, "lr": 1e-3}},
    # the shipped model's settings (scripts/train_seq2seq_weights.py), which notebook 06's
    # live run uses: hidden size 96, twice the sums
    "addition-96": {"title": "  same, shipped settings", "model": "peeky",
                    "data": {"task": "addition", "data_seed": 1, "n_train": 40000,
                             "n_test": 2000},
                    "embed": 16, "hidden": 96, "batch": 128, "codes": ("course",),
                    "course": {"reverse": True, "lr": 1e-2, "lr_decay": 0.9}},
    "dates": {"title": "attention on dates", "model": "attention",
              "data": {"task": "dates", "data_seed": 2, "n_train": 24000, "n_test": 2000},
              "embed": 16, "hidden": 64, "batch": 128,
              "course": {"reverse": False, "lr": 1e-2, "lr_decay": 0.8},
              "book": {"reverse": True, "lr": 1e-3}},
}
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


# === the baseline: the book's way =======================================================
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    x = np.exp(x)
    return x / x.sum(axis=-1, keepdims=True)


class Embedding:
    def __init__(self, W):
        self.params, self.grads, self.idx = [W], [np.zeros_like(W)], None

    def forward(self, idx):
        self.idx = idx
        return self.params[0][idx]

    def backward(self, dout):
        dW = self.grads[0]
        dW[...] = 0
        np.add.at(dW, self.idx, dout)


class TimeEmbedding:
    def __init__(self, W):
        self.params, self.grads, self.layers, self.W = [W], [np.zeros_like(W)], None, W

    def forward(self, xs):
        N, T = xs.shape
        out = np.empty((N, T, self.W.shape[1]), dtype="f")
        self.layers = []
        for t in range(T):
            layer = Embedding(self.W)
            out[:, t, :] = layer.forward(xs[:, t])
            self.layers.append(layer)
        return out

    def backward(self, dout):
        grad = 0
        for t, layer in enumerate(self.layers):
            layer.backward(dout[:, t, :])
            grad += layer.grads[0]
        self.grads[0][...] = grad


class LSTM:
    def __init__(self, Wx, Wh, b):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.cache = None

    def forward(self, x, h_prev, c_prev):
        Wx, Wh, b = self.params
        H = h_prev.shape[1]
        A = np.dot(x, Wx) + np.dot(h_prev, Wh) + b
        f, g, i, o = A[:, :H], A[:, H:2 * H], A[:, 2 * H:3 * H], A[:, 3 * H:]
        f, g, i, o = sigmoid(f), np.tanh(g), sigmoid(i), sigmoid(o)
        c_next = f * c_prev + g * i
        h_next = o * np.tanh(c_next)
        self.cache = (x, h_prev, c_prev, i, f, g, o, c_next)
        return h_next, c_next

    def backward(self, dh_next, dc_next):
        Wx, Wh, _b = self.params
        x, h_prev, c_prev, i, f, g, o, c_next = self.cache
        tanh_c_next = np.tanh(c_next)
        ds = dc_next + (dh_next * o) * (1 - tanh_c_next ** 2)
        dc_prev = ds * f
        di, df, do, dg = ds * g, ds * c_prev, dh_next * tanh_c_next, ds * i
        di *= i * (1 - i)
        df *= f * (1 - f)
        do *= o * (1 - o)
        dg *= (1 - g ** 2)
        dA = np.hstack((df, dg, di, do))
        self.grads[0][...] = np.dot(x.T, dA)
        self.grads[1][...] = np.dot(h_prev.T, dA)
        self.grads[2][...] = dA.sum(axis=0)
        return np.dot(dA, Wx.T), np.dot(dA, Wh.T), dc_prev


class TimeLSTM:
    def __init__(self, Wx, Wh, b, stateful=False):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.layers, self.h, self.c, self.dh, self.stateful = None, None, None, None, stateful

    def forward(self, xs):
        _Wx, Wh, _b = self.params
        N, T, _D = xs.shape
        H = Wh.shape[0]
        self.layers = []
        hs = np.empty((N, T, H), dtype="f")
        if not self.stateful or self.h is None:
            self.h = np.zeros((N, H), dtype="f")
        if not self.stateful or self.c is None:
            self.c = np.zeros((N, H), dtype="f")
        for t in range(T):
            layer = LSTM(*self.params)
            self.h, self.c = layer.forward(xs[:, t, :], self.h, self.c)
            hs[:, t, :] = self.h
            self.layers.append(layer)
        return hs

    def backward(self, dhs):
        Wx, _Wh, _b = self.params
        N, T, _H = dhs.shape
        D = Wx.shape[0]
        dxs = np.empty((N, T, D), dtype="f")
        dh, dc = 0, 0
        grads = [0, 0, 0]
        for t in reversed(range(T)):
            layer = self.layers[t]
            dx, dh, dc = layer.backward(dhs[:, t, :] + dh, dc)
            dxs[:, t, :] = dx
            for i, grad in enumerate(layer.grads):
                grads[i] += grad
        for i, grad in enumerate(grads):
            self.grads[i][...] = grad
        self.dh = dh
        return dxs

    def set_state(self, h, c=None):
        self.h, self.c = h, c

    def reset_state(self):
        self.h, self.c = None, None


class TimeAffine:
    def __init__(self, W, b):
        self.params, self.grads, self.x = [W, b], [np.zeros_like(W), np.zeros_like(b)], None

    def forward(self, x):
        N, T, _D = x.shape
        W, b = self.params
        self.x = x
        return (np.dot(x.reshape(N * T, -1), W) + b).reshape(N, T, -1)

    def backward(self, dout):
        x = self.x
        N, T, _D = x.shape
        W, _b = self.params
        dout = dout.reshape(N * T, -1)
        rx = x.reshape(N * T, -1)
        self.grads[0][...] = np.dot(rx.T, dout)
        self.grads[1][...] = np.sum(dout, axis=0)
        return np.dot(dout, W.T).reshape(*x.shape)


class TimeSoftmaxWithLoss:
    def __init__(self):
        self.params, self.grads, self.cache, self.ignore_label = [], [], None, -1

    def forward(self, xs, ts):
        N, T, V = xs.shape
        mask = (ts != self.ignore_label)
        xs, ts, mask = xs.reshape(N * T, V), ts.reshape(N * T), mask.reshape(N * T)
        ys = softmax(xs)
        ls = np.log(ys[np.arange(N * T), ts])
        ls *= mask
        loss = -np.sum(ls) / mask.sum()
        self.cache = (ts, ys, mask, (N, T, V))
        return loss

    def backward(self, dout=1):
        ts, ys, mask, (N, T, V) = self.cache
        dx = ys.copy()
        dx[np.arange(N * T), ts] -= 1
        dx *= dout
        dx /= mask.sum()
        dx *= mask[:, np.newaxis]
        return dx.reshape((N, T, V))


def _randn(rng, *shape):
    return rng.standard_normal(shape)


class Encoder:
    def __init__(self, rng, V, D, H):
        embed_W = (_randn(rng, V, D) / 100).astype("f")
        lstm_Wx = (_randn(rng, D, 4 * H) / np.sqrt(D)).astype("f")
        lstm_Wh = (_randn(rng, H, 4 * H) / np.sqrt(H)).astype("f")
        lstm_b = np.zeros(4 * H).astype("f")
        self.embed = TimeEmbedding(embed_W)
        self.lstm = TimeLSTM(lstm_Wx, lstm_Wh, lstm_b, stateful=False)
        self.params = self.embed.params + self.lstm.params
        self.grads = self.embed.grads + self.lstm.grads
        self.hs = None

    def forward(self, xs):
        self.hs = self.lstm.forward(self.embed.forward(xs))
        return self.hs[:, -1, :]

    def backward(self, dh):
        dhs = np.zeros_like(self.hs)
        dhs[:, -1, :] = dh
        self.embed.backward(self.lstm.backward(dhs))


class PeekyDecoder:
    def __init__(self, rng, V, D, H):
        embed_W = (_randn(rng, V, D) / 100).astype("f")
        lstm_Wx = (_randn(rng, H + D, 4 * H) / np.sqrt(H + D)).astype("f")
        lstm_Wh = (_randn(rng, H, 4 * H) / np.sqrt(H)).astype("f")
        lstm_b = np.zeros(4 * H).astype("f")
        affine_W = (_randn(rng, H + H, V) / np.sqrt(H + H)).astype("f")
        affine_b = np.zeros(V).astype("f")
        self.embed = TimeEmbedding(embed_W)
        self.lstm = TimeLSTM(lstm_Wx, lstm_Wh, lstm_b, stateful=True)
        self.affine = TimeAffine(affine_W, affine_b)
        self.params, self.grads, self.cache = [], [], None
        for layer in (self.embed, self.lstm, self.affine):
            self.params += layer.params
            self.grads += layer.grads

    def forward(self, xs, h):
        N, T = xs.shape
        N, H = h.shape
        self.lstm.set_state(h)
        out = self.embed.forward(xs)
        hs = np.repeat(h, T, axis=0).reshape(N, T, H)
        out = np.concatenate((hs, out), axis=2)
        out = self.lstm.forward(out)
        out = np.concatenate((hs, out), axis=2)
        self.cache = H
        return self.affine.forward(out)

    def backward(self, dscore):
        H = self.cache
        dout = self.affine.backward(dscore)
        dout, dhs0 = dout[:, :, H:], dout[:, :, :H]
        dout = self.lstm.backward(dout)
        dembed, dhs1 = dout[:, :, H:], dout[:, :, :H]
        self.embed.backward(dembed)
        dhs = dhs0 + dhs1
        return self.lstm.dh + np.sum(dhs, axis=1)

    def generate(self, h, start_id, sample_size):
        sampled, char_id = [], start_id
        self.lstm.set_state(h)
        H = h.shape[1]
        peeky_h = h.reshape(1, 1, H)
        for _ in range(sample_size):
            x = np.array([char_id]).reshape((1, 1))
            out = self.embed.forward(x)
            out = np.concatenate((peeky_h, out), axis=2)
            out = self.lstm.forward(out)
            out = np.concatenate((peeky_h, out), axis=2)
            score = self.affine.forward(out)
            char_id = np.argmax(score.flatten())
            sampled.append(char_id)
        return sampled


class BookPeekySeq2seq:
    def __init__(self, V, D, H, seed=0):
        rng = np.random.default_rng(seed)
        self.encoder, self.decoder = Encoder(rng, V, D, H), PeekyDecoder(rng, V, D, H)
        self.softmax = TimeSoftmaxWithLoss()
        self.params = self.encoder.params + self.decoder.params
        self.grads = self.encoder.grads + self.decoder.grads

    def forward(self, xs, ts):
        decoder_xs, decoder_ts = ts[:, :-1], ts[:, 1:]
        h = self.encoder.forward(xs)
        score = self.decoder.forward(decoder_xs, h)
        return self.softmax.forward(score, decoder_ts)

    def backward(self, dout=1):
        dout = self.softmax.backward(dout)
        dh = self.decoder.backward(dout)
        self.encoder.backward(dh)

    def generate(self, xs, start_id, sample_size):
        return self.decoder.generate(self.encoder.forward(xs), start_id, sample_size)


# --- attention (ch. 8) ---------------------------------------------------------------
class Softmax:
    def __init__(self):
        self.params, self.grads, self.out = [], [], None

    def forward(self, x):
        self.out = softmax(x)
        return self.out

    def backward(self, dout):
        dx = self.out * dout
        sumdx = np.sum(dx, axis=1, keepdims=True)
        dx -= self.out * sumdx
        return dx


class WeightSum:
    def __init__(self):
        self.params, self.grads, self.cache = [], [], None

    def forward(self, hs, a):
        N, T, H = hs.shape
        ar = a.reshape(N, T, 1).repeat(H, axis=2)
        self.cache = (hs, ar)
        return np.sum(hs * ar, axis=1)

    def backward(self, dc):
        hs, ar = self.cache
        N, T, H = hs.shape
        dt = dc.reshape(N, 1, H).repeat(T, axis=1)
        return dt * ar, np.sum(dt * hs, axis=2)


class AttentionWeight:
    def __init__(self):
        self.params, self.grads, self.softmax, self.cache = [], [], Softmax(), None

    def forward(self, hs, h):
        N, T, H = hs.shape
        hr = h.reshape(N, 1, H).repeat(T, axis=1)
        s = np.sum(hs * hr, axis=2)
        self.cache = (hs, hr)
        return self.softmax.forward(s)

    def backward(self, da):
        hs, hr = self.cache
        N, T, H = hs.shape
        ds = self.softmax.backward(da)
        dt = ds.reshape(N, T, 1).repeat(H, axis=2)
        return dt * hr, np.sum(dt * hs, axis=1)


class Attention:
    def __init__(self):
        self.params, self.grads = [], []
        self.attention_weight_layer, self.weight_sum_layer = AttentionWeight(), WeightSum()

    def forward(self, hs, h):
        a = self.attention_weight_layer.forward(hs, h)
        return self.weight_sum_layer.forward(hs, a)

    def backward(self, dout):
        dhs0, da = self.weight_sum_layer.backward(dout)
        dhs1, dh = self.attention_weight_layer.backward(da)
        return dhs0 + dhs1, dh


class TimeAttention:
    def __init__(self):
        self.params, self.grads, self.layers = [], [], None

    def forward(self, hs_enc, hs_dec):
        _N, T, _H = hs_dec.shape
        out = np.empty_like(hs_dec)
        self.layers = []
        for t in range(T):
            layer = Attention()
            out[:, t, :] = layer.forward(hs_enc, hs_dec[:, t, :])
            self.layers.append(layer)
        return out

    def backward(self, dout):
        _N, T, _H = dout.shape
        dhs_enc, dhs_dec = 0, np.empty_like(dout)
        for t in range(T):
            dhs, dh = self.layers[t].backward(dout[:, t, :])
            dhs_enc += dhs
            dhs_dec[:, t, :] = dh
        return dhs_enc, dhs_dec


class AttentionEncoder(Encoder):
    def forward(self, xs):
        self.hs = self.lstm.forward(self.embed.forward(xs))
        return self.hs

    def backward(self, dhs):
        self.embed.backward(self.lstm.backward(dhs))


class AttentionDecoder:
    def __init__(self, rng, V, D, H):
        embed_W = (_randn(rng, V, D) / 100).astype("f")
        lstm_Wx = (_randn(rng, D, 4 * H) / np.sqrt(D)).astype("f")
        lstm_Wh = (_randn(rng, H, 4 * H) / np.sqrt(H)).astype("f")
        lstm_b = np.zeros(4 * H).astype("f")
        affine_W = (_randn(rng, 2 * H, V) / np.sqrt(2 * H)).astype("f")
        affine_b = np.zeros(V).astype("f")
        self.embed = TimeEmbedding(embed_W)
        self.lstm = TimeLSTM(lstm_Wx, lstm_Wh, lstm_b, stateful=True)
        self.attention = TimeAttention()
        self.affine = TimeAffine(affine_W, affine_b)
        self.params, self.grads = [], []
        for layer in (self.embed, self.lstm, self.attention, self.affine):
            self.params += layer.params
            self.grads += layer.grads

    def forward(self, xs, enc_hs):
        self.lstm.set_state(enc_hs[:, -1])
        dec_hs = self.lstm.forward(self.embed.forward(xs))
        c = self.attention.forward(enc_hs, dec_hs)
        return self.affine.forward(np.concatenate((c, dec_hs), axis=2))

    def backward(self, dscore):
        dout = self.affine.backward(dscore)
        H = dout.shape[2] // 2
        dc, ddec_hs0 = dout[:, :, :H], dout[:, :, H:]
        denc_hs, ddec_hs1 = self.attention.backward(dc)
        dout = self.lstm.backward(ddec_hs0 + ddec_hs1)
        denc_hs[:, -1] += self.lstm.dh
        self.embed.backward(dout)
        return denc_hs

    def generate(self, enc_hs, start_id, sample_size):
        sampled, sample_id = [], start_id
        self.lstm.set_state(enc_hs[:, -1])
        for _ in range(sample_size):
            x = np.array([sample_id]).reshape((1, 1))
            dec_hs = self.lstm.forward(self.embed.forward(x))
            c = self.attention.forward(enc_hs, dec_hs)
            score = self.affine.forward(np.concatenate((c, dec_hs), axis=2))
            sample_id = np.argmax(score.flatten())
            sampled.append(sample_id)
        return sampled


class BookAttentionSeq2seq(BookPeekySeq2seq):
    def __init__(self, V, D, H, seed=0):
        rng = np.random.default_rng(seed)
        self.encoder, self.decoder = AttentionEncoder(rng, V, D, H), AttentionDecoder(rng, V, D, H)
        self.softmax = TimeSoftmaxWithLoss()
        self.params = self.encoder.params + self.decoder.params
        self.grads = self.encoder.grads + self.decoder.grads


# --- training ------------------------------------------------------------------------
class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for i in range(len(params)):
            self.m[i] += (1 - self.beta1) * (grads[i] - self.m[i])
            self.v[i] += (1 - self.beta2) * (grads[i] ** 2 - self.v[i])
            params[i] -= lr_t * self.m[i] / (np.sqrt(self.v[i]) + 1e-7)


def clip_grads(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(grad ** 2) for grad in grads))
    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads:
            grad *= rate


def remove_duplicate(params, grads):
    """The book's Trainer merges shared weights before each update; none are shared here,
    but the search runs every iteration as in the book."""
    params, grads = params[:], grads[:]
    while True:
        find_flg = False
        L = len(params)
        for i in range(L - 1):
            for j in range(i + 1, L):
                if params[i] is params[j]:
                    grads[i] += grads[j]
                    find_flg = True
                    params.pop(j)
                    grads.pop(j)
                if find_flg:
                    break
            if find_flg:
                break
        if not find_flg:
            break
    return params, grads


def fit_one_epoch(model, optimizer, x, t, batch_size, max_grad, rng):
    """One pass in shuffled minibatches, as the book's Trainer.fit(max_epoch=1)."""
    idx = rng.permutation(len(x))
    x, t = x[idx], t[idx]
    losses = []
    for iters in range(len(x) // batch_size):
        batch_x = x[iters * batch_size:(iters + 1) * batch_size]
        batch_t = t[iters * batch_size:(iters + 1) * batch_size]
        losses.append(model.forward(batch_x, batch_t))
        model.backward()
        params, grads = remove_duplicate(model.params, model.grads)
        clip_grads(grads, max_grad)
        optimizer.update(params, grads)
    return float(np.mean(losses))


def exact_match(model, x, t):
    """The book's eval_seq2seq over the held-out set: one question at a time."""
    correct = 0
    for i in range(len(x)):
        question, answer = x[[i]], t[i]
        guess = model.generate(question, answer[0], len(answer) - 1)
        correct += int(list(guess) == list(answer[1:]))
    return correct / len(x)


# === the course's side: attention functions as notebook 08 asks for them =================
def attention_weights(hs, h):
    """hs: (N, T, H), h: (N, H) -> a: (N, T), softmax over t of hs[n, t] . h[n]."""
    scores = np.einsum("nth,nh->nt", hs, h)
    scores -= scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)


def attention_weights_backward(hs, h, a, da):
    """(dhs (N, T, H), dh (N, H)) of attention_weights from da: (N, T)."""
    ds = a * (da - np.sum(a * da, axis=1, keepdims=True))
    return ds[:, :, None] * h[:, None, :], np.einsum("nt,nth->nh", ds, hs)


def context_vector(hs, a):
    """hs: (N, T, H), a: (N, T) -> c: (N, H) = sum over t of a[n, t] hs[n, t]."""
    return np.einsum("nt,nth->nh", a, hs)


def context_vector_backward(hs, a, dc):
    """(dhs (N, T, H), da (N, T)) of context_vector from dc: (N, H)."""
    return a[:, :, None] * dc[:, None, :], np.einsum("nth,nh->nt", hs, dc)


ATTENTION = AttentionFunctions(attention_weights, attention_weights_backward, context_vector,
                               context_vector_backward)


# === one run ============================================================================
def load_task(spec, reverse):
    """(vocabulary, (x_train, t_train), (x_test, t_test)): ids (N, T) and (N, 1 + L)."""
    (train_q, train_a), (test_q, test_a) = pretrained.make_dataset(spec["data"])
    vocab = CharVocab.from_texts(train_q, train_a, test_q, test_a, [START])

    def encode(questions, answers):
        x = vocab.encode(questions)
        return np.ascontiguousarray(x[:, ::-1]) if reverse else x, vocab.encode(answers)

    return vocab, encode(train_q, train_a), encode(test_q, test_a)


def run_course(spec, max_seconds, max_epochs):
    recipe = spec["course"]
    vocab, train, test = load_task(spec, recipe["reverse"])
    sizes = (len(vocab), spec["embed"], spec["hidden"])
    if spec["model"] == "attention":
        model = AttentionSeq2seq(*sizes, ATTENTION, embed=embedding_forward, seed=0)
    else:
        model = PeekySeq2seq(*sizes, embed=embedding_forward, seed=0)
    history = train_seq2seq(model, train, test, vocab.id_of(START), max_epochs, spec["batch"],
                            recipe["lr"], recipe["lr_decay"], progress=False,
                            stop_at=TARGETS[-1], max_seconds=max_seconds)
    ends = history["time"]
    epoch_seconds = np.diff([0.0] + ends)
    return {"examples": len(train[0]), "accuracy": history["accuracy"], "time": ends,
            "training": list(epoch_seconds - np.asarray(history["scoring"]))}


def run_book(spec, max_seconds, max_epochs):
    recipe = spec["book"]
    vocab, (x, t), test = load_task(spec, recipe["reverse"])
    model_class = BookAttentionSeq2seq if spec["model"] == "attention" else BookPeekySeq2seq
    model = model_class(len(vocab), spec["embed"], spec["hidden"], seed=0)
    optimizer, rng = Adam(lr=recipe["lr"]), np.random.default_rng(0)
    result = {"examples": len(x) // spec["batch"] * spec["batch"], "accuracy": [], "time": [],
              "training": []}
    start = time.perf_counter()
    for _ in range(max_epochs):
        begin = time.perf_counter()
        fit_one_epoch(model, optimizer, x, t, spec["batch"], 5.0, rng)
        result["training"].append(time.perf_counter() - begin)
        result["accuracy"].append(exact_match(model, *test))
        result["time"].append(time.perf_counter() - start)
        if result["accuracy"][-1] >= TARGETS[-1] or result["time"][-1] > max_seconds:
            break
    return result


def run(task, code, max_seconds, max_epochs):
    spec = TASKS[task]
    return (run_book if code == "book" else run_course)(spec, max_seconds, max_epochs)


def run_with_threads(task, code, threads, max_seconds, max_epochs):
    """run() with ``threads`` BLAS threads: threadpoolctl in this process if installed,
    otherwise a subprocess with the thread variables set."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        env = dict(os.environ, **{v: str(threads) for v in THREAD_VARIABLES})
        out = subprocess.run([sys.executable, __file__, "--child", task, code,
                              "--max-seconds", str(max_seconds), "--max-epochs", str(max_epochs)],
                             env=env, check=True, capture_output=True, text=True).stdout
        return json.loads(out.splitlines()[-1])
    with threadpool_limits(limits=threads, user_api="blas"):
        return run(task, code, max_seconds, max_epochs)


# === the report =========================================================================
def time_to(result, target):
    for accuracy, seconds in zip(result["accuracy"], result["time"]):
        if accuracy >= target:
            return f"{seconds:.1f}"
    return f"> {result['time'][-1]:.0f}" if result["time"] else "-"


def summary(result):
    """(examples/s, s/epoch training, s/epoch with scoring, time to each target, last)."""
    training = float(np.median(result["training"]))
    with_scoring = float(np.median(np.diff([0.0] + result["time"])))
    return (result["examples"] / training, training, with_scoring,
            *(time_to(result, target) for target in TARGETS),
            f"{result['accuracy'][-1]:.3f} ({len(result['accuracy'])})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", nargs="+", choices=sorted(TASKS), default=list(TASKS))
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--max-seconds", type=float, default=90.0,
                        help="stop a run after the first epoch that ends later (default 90)")
    parser.add_argument("--max-epochs", type=int, default=60)
    parser.add_argument("--quick", action="store_true", help="one epoch per run: speed only")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "CODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    max_epochs = 1 if args.quick else args.max_epochs
    if args.child:
        print(json.dumps(run(*args.child, args.max_seconds, max_epochs)))
        return
    print(f"seq2seq training, book-style numpy (before) vs rnnlib (after); "
          f"{os.cpu_count()} CPUs; stop at {TARGETS[-1]:.0%} or after {args.max_seconds:.0f} s; "
          f"load average {os.getloadavg()[0]:.1f}")
    header = (f"{'task':<26}{'code':<8}{'BLAS':>5}{'examples/s':>12}{'s/epoch':>9}"
              f"{'+scoring':>10}{'to 90 %':>9}{'to 97 %':>9}  last exact match (epochs)")
    print(header)
    print("-" * len(header))
    for task in args.tasks:
        for threads in args.threads:
            rates = {}
            for code, label in (("book", "before"), ("course", "after")):
                if code not in TASKS[task].get("codes", ("book", "course")):
                    continue
                result = run_with_threads(task, code, threads, args.max_seconds, max_epochs)
                rate, training, with_scoring, *to, last = summary(result)
                rates[code] = rate
                print(f"{TASKS[task]['title']:<26}{label:<8}{threads:>5}{rate:>12.0f}"
                      f"{training:>9.2f}{with_scoring:>10.2f}{to[0]:>9}{to[1]:>9}  {last}",
                      flush=True)
            if len(rates) == 2:
                print(f"{'':<26}after / before: {rates['course'] / rates['book']:.2f} x the "
                      f"examples per second", flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (1 min), "
          f"{os.getloadavg()[1]:.1f} (5 min)")


if __name__ == "__main__":
    main()
