"""Train a recurrent layer + softmax read-out on a sequence task (practice sections).

The layer is any dict {"gates": G, "forward": ..., "backward": ...} with the signatures
of the course-provided layers (``rnnlib.rnn_layer_backward.RNN``, ``rnnlib.lstm_layer.LSTM``),
or your own functions wrapped by ``layer_from_functions``. The read-out classifies the
*last* hidden state: scores = h_T @ W_out + b_out. Gradient clipping is a function you
pass (your own in notebook 03), so nothing here computes a graded item.
"""
import time
from dataclasses import dataclass, field

import numpy as np

from .activations import softmax
from .optim import Adam
from .progress import tqdm


@dataclass
class TrainingRun:
    name: str
    iterations: list = field(default_factory=list)
    accuracies: list = field(default_factory=list)  # held-out accuracy
    losses: list = field(default_factory=list)  # mean training loss since the last sample
    seconds: float = 0.0
    # None from train_last_step_classifier: counting a layer's parameters is notebook 04's
    # exercise, so the trainers of 03 and 04 do not do it for you
    n_params: int | None = None


def readout_loss(params, h_last, labels):
    """Softmax cross-entropy of the read-out: (loss, dh_last, grads of W_out and b_out)."""
    scores = h_last @ params["W_out"] + params["b_out"]
    probs = softmax(scores)
    n = len(labels)
    loss = -np.mean(np.log(probs[np.arange(n), labels] + 1e-12))
    dscores = probs.copy()
    dscores[np.arange(n), labels] -= 1.0
    dscores /= n
    return loss, dscores @ params["W_out"].T, {"W_out": h_last.T @ dscores,
                                               "b_out": dscores.sum(axis=0)}


def predict(layer, params, xs):
    """Predicted classes for xs: (N, T, D) -> (N,)."""
    h0 = np.zeros((len(xs), params["Wh"].shape[0]))
    hs, _ = layer["forward"](params, xs, h0)
    return np.argmax(hs[:, -1] @ params["W_out"] + params["b_out"], axis=1)


def train_last_step_classifier(name, layer, make_data, n_classes, hidden_size=32,
                               iterations=600, batch_size=64, lr=1e-2, clip=None, clip_norm=5.0,
                               eval_every=25, seed=0, progress=True):
    """Train with Adam; ``make_data(rng, n) -> (xs, labels)`` draws fresh examples.

    clip(list of gradient arrays, clip_norm) -> list clips the gradients by their global
    norm, so that one exploding step does not undo what was learnt (your
    ``clip_grads_global`` of notebook 03, or ``rnnlib.clipping.clip_global_norm`` from
    notebook 04 on); None: no clipping.

    Returns a TrainingRun with held-out accuracy every ``eval_every`` iterations.
    """
    rng = np.random.default_rng(seed)
    eval_xs, eval_labels = make_data(np.random.default_rng(seed + 10_000), 512)
    D = eval_xs.shape[2]
    # Xavier-scaled weights, zero biases, the memory gate's bias as the layer says. Written
    # here, not as a function of (D, H, gates): that would count 04's parameters for you.
    width = layer["gates"] * hidden_size
    params = {"Wx": rng.standard_normal((D, width)) / np.sqrt(D),
              "Wh": rng.standard_normal((hidden_size, width)) / np.sqrt(hidden_size),
              "b": np.zeros(width)}
    block = layer.get("memory_gate_block")
    if block is not None:
        params["b"][block * hidden_size:(block + 1) * hidden_size] = \
            layer.get("memory_gate_bias", 1.0)
    params["W_out"] = rng.standard_normal((hidden_size, n_classes)) / np.sqrt(hidden_size)
    params["b_out"] = np.zeros(n_classes)
    optimizer = Adam(params, lr=lr)
    run = TrainingRun(name=name)
    running = []
    start = time.perf_counter()
    for it in tqdm(range(1, iterations + 1), desc=name, disable=not progress, leave=False,
                   mininterval=0.5):
        xs, labels = make_data(rng, batch_size)
        h0 = np.zeros((batch_size, hidden_size))
        hs, cache = layer["forward"](params, xs, h0)
        loss, dh_last, grads = readout_loss(params, hs[:, -1], labels)
        dhs = np.zeros_like(hs)
        dhs[:, -1] = dh_last
        _, _, layer_grads = layer["backward"](params, cache, dhs)
        grads.update(layer_grads)
        if clip is not None:
            names = list(grads)
            grads = dict(zip(names, clip([grads[k] for k in names], clip_norm)))
        optimizer.step(params, grads)
        running.append(loss)
        if it % eval_every == 0:
            run.iterations.append(it)
            run.accuracies.append(float(np.mean(predict(layer, params, eval_xs) == eval_labels)))
            run.losses.append(float(np.mean(running)))
            running = []
    run.seconds = time.perf_counter() - start
    return run


def layer_from_functions(forward_fn, backward_fn, gates, memory_gate_block=None,
                         memory_gate_bias=1.0):
    """A trainable layer from functions with the notebooks' signatures:

        forward_fn(xs, h0, Wx, Wh, b) -> hs
        backward_fn(dhs, xs, h0, Wx, Wh, b) -> (dxs, dh0, dWx, dWh, db)

    so that your own LSTM or GRU can be trained by ``train_last_step_classifier``.
    """
    def forward(params, xs, h0):
        return forward_fn(xs, h0, params["Wx"], params["Wh"], params["b"]), (xs, h0)

    def backward(params, cache, dhs):
        xs, h0 = cache
        dxs, dh0, dWx, dWh, db = backward_fn(dhs, xs, h0, params["Wx"], params["Wh"], params["b"])
        return dxs, dh0, {"Wx": dWx, "Wh": dWh, "b": db}

    return {"gates": gates, "memory_gate_block": memory_gate_block, "memory_gate_bias": memory_gate_bias,
            "forward": forward, "backward": backward}
