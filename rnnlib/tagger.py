"""Train a per-step tagger: a simple RNN, one- or two-directional, with a soft-max read-out
at every time step (the practice of notebook 05).

The two-directional forward pass is *yours*: pass notebook 05's

    bidirectional_rnn_forward(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b) -> hs: (N, T, 2H)

(a forward RNN reads xs, a backward RNN reads xs[:, ::-1], the backward states are
reversed into time order and concatenated to the forward ones). The backward pass here
reads the two directions' states back out of hs, so a wrong forward trains badly.
"""
import time

import numpy as np

from .activations import softmax
from .optim import Adam
from .progress import tqdm
from .recurrent_init import init_recurrent
from .rnn_layer import rnn_layer_forward
from .rnn_layer_backward import rnn_layer_backward
from .sequence_classifier import TrainingRun


def tagger_forward(params, xs, bidirectional_forward=None):
    """Hidden states (N, T, H), or (N, T, 2H) from ``bidirectional_forward`` (yours), and
    the caches needed by tagger_backward."""
    N, H = xs.shape[0], params["f"]["Wh"].shape[0]
    h0 = np.zeros((N, H))
    if bidirectional_forward is None:
        hs_f, cache_f = rnn_layer_forward(params["f"], xs, h0)
        return hs_f, (cache_f, None)
    f, b = params["f"], params["b"]
    hs = np.asarray(bidirectional_forward(xs, f["Wx"], f["Wh"], f["b"], b["Wx"], b["Wh"], b["b"]))
    # the caches rnn_layer_backward expects: (inputs, h0, states) in each direction's order
    return hs, ((xs, h0, hs[..., :H]), (xs[:, ::-1], h0, hs[..., H:][:, ::-1]))


def tagger_loss(params, hs, labels):
    """Mean soft-max cross-entropy over all steps: (loss, dhs, read-out gradients)."""
    N, T, _ = hs.shape
    probs = softmax(hs @ params["W_out"] + params["b_out"])
    flat = probs.reshape(N * T, -1)
    idx = labels.reshape(-1)
    loss = -np.mean(np.log(flat[np.arange(N * T), idx] + 1e-12))
    dscores = flat.copy()
    dscores[np.arange(N * T), idx] -= 1.0
    dscores = (dscores / (N * T)).reshape(probs.shape)
    grads = {"W_out": np.einsum("nth,ntk->hk", hs, dscores), "b_out": dscores.sum(axis=(0, 1))}
    return loss, dscores @ params["W_out"].T, grads


def tagger_backward(params, caches, dhs):
    """{"f": grads, "b": grads} of the recurrent parameters from dhs: (N, T, H or 2H)."""
    H = params["f"]["Wh"].shape[0]
    _, _, grads_f = rnn_layer_backward(params["f"], caches[0], dhs[..., :H])
    if caches[1] is None:
        return {"f": grads_f}
    _, _, grads_b = rnn_layer_backward(params["b"], caches[1], dhs[..., H:][:, ::-1])
    return {"f": grads_f, "b": grads_b}


def train_tagger(name, bidirectional_forward, make_data, n_classes, hidden_size=16,
                 iterations=400, batch_size=32, lr=1e-2, eval_every=20, seed=0, progress=True):
    """Train with Adam; returns a TrainingRun with held-out per-step accuracy.

    bidirectional_forward: None for a forward-only tagger, or your two-directional
    forward pass (see the module docstring).
    """
    bidirectional = bidirectional_forward is not None
    rng = np.random.default_rng(seed)
    eval_xs, eval_labels = make_data(np.random.default_rng(seed + 10_000), 256)
    D = eval_xs.shape[2]
    params = {"f": init_recurrent(rng, D, hidden_size)}
    if bidirectional:
        params["b"] = init_recurrent(rng, D, hidden_size)
    width = hidden_size * (2 if bidirectional else 1)
    params["W_out"] = rng.standard_normal((width, n_classes)) / np.sqrt(width)
    params["b_out"] = np.zeros(n_classes)
    flat = {f"{k}.{j}": v for k in ("f", "b") if k in params for j, v in params[k].items()}
    flat.update(W_out=params["W_out"], b_out=params["b_out"])
    optimizer = Adam(flat, lr=lr)  # the arrays are shared with params, updated in place
    run = TrainingRun(name=name, n_params=sum(v.size for v in flat.values()))
    running, start = [], time.perf_counter()
    for it in tqdm(range(1, iterations + 1), desc=name, disable=not progress, leave=False,
                   mininterval=0.5):
        xs, labels = make_data(rng, batch_size)
        hs, caches = tagger_forward(params, xs, bidirectional_forward)
        loss, dhs, grads = tagger_loss(params, hs, labels)
        for k, g in tagger_backward(params, caches, dhs).items():
            grads.update({f"{k}.{j}": v for j, v in g.items()})
        optimizer.step(flat, grads)
        running.append(loss)
        if it % eval_every == 0:
            hs, _ = tagger_forward(params, eval_xs, bidirectional_forward)
            predictions = np.argmax(hs @ params["W_out"] + params["b_out"], axis=-1)
            run.iterations.append(it)
            run.accuracies.append(float(np.mean(predictions == eval_labels)))
            run.losses.append(float(np.mean(running)))
            running = []
    run.seconds = time.perf_counter() - start
    return run
