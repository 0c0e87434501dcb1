"""The binary-addition practice of notebook 01: a simple RNN learns to add two numbers bit by bit.

Network (row vectors, batch of N sums, T = n_bits steps, least-significant bit first):
    u_t = x_t W_in + z_{t-1} W        x_t: (N, 2),  z_t: (N, H)
    z_t = f(u_t)                      f: sigmoid, tanh or relu
    y_t = sigmoid(z_t W_out)          y_t: (N, 1), the predicted bit
Loss: mean over the batch of 0.5 * sum_t (y_t - d_t)**2, trained with full BPTT.

Biases are left out, as in the source notes, to keep the code short.
"""
from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATIONS, sigmoid, sigmoid_grad_from_output
from .datasets import binary_addition, bits_to_int
from .progress import tqdm


@dataclass(frozen=True)
class AdderConfig:
    """Hyper-parameters of one training run (defaults are the notes' settings)."""

    hidden_size: int = 16
    learning_rate: float = 0.1
    weight_init: str = "scale"  # "scale" (std = weight_scale), "xavier" or "he"
    weight_scale: float = 1.0
    activation: str = "sigmoid"
    iterations: int = 10_000
    n_bits: int = 8
    batch_size: int = 1
    eval_every: int = 100
    stop_when_perfect: bool = False  # stop once every held-out sum is exact
    seed: int = 0


@dataclass
class AdderRun:
    """What a run produced: curves sampled every ``eval_every`` iterations, and the weights."""

    config: AdderConfig
    iterations: list = field(default_factory=list)  # iteration numbers of the samples
    losses: list = field(default_factory=list)  # mean training loss since the last sample
    accuracies: list = field(default_factory=list)  # exact-sum rate on a fixed held-out set
    grad_norms: list = field(default_factory=list)  # largest ||dW|| since the last sample
    params: dict = field(default_factory=dict)
    diverged: bool = False

    def first_perfect_iteration(self):
        """First sampled iteration with every held-out sum exact, or None."""
        for it, acc in zip(self.iterations, self.accuracies):
            if acc == 1.0:
                return it
        return None


def init_params(config, rng):
    """W_in: (2, H), W: (H, H), W_out: (H, 1) by the chosen initialisation."""
    shapes = {"W_in": (2, config.hidden_size), "W": (config.hidden_size, config.hidden_size),
              "W_out": (config.hidden_size, 1)}
    params = {}
    for name, (fan_in, fan_out) in shapes.items():
        if config.weight_init == "scale":
            std = config.weight_scale
        elif config.weight_init == "xavier":
            std = 1.0 / np.sqrt(fan_in)
        elif config.weight_init == "he":
            std = np.sqrt(2.0 / fan_in)
        else:
            raise ValueError(f"unknown weight_init {config.weight_init!r}: "
                             "use 'scale', 'xavier' or 'he'")
        params[name] = std * rng.standard_normal((fan_in, fan_out))
    return params


def forward(params, xs, activation="sigmoid"):
    """xs: (N, T, 2) -> (us, zs, ys): us, zs: (N, T+1, H) with zs[:, 0] = 0; ys: (N, T, 1)."""
    f, _ = ACTIVATIONS[activation]
    N, T, _ = xs.shape
    H = params["W"].shape[0]
    us = np.zeros((N, T + 1, H))
    zs = np.zeros((N, T + 1, H))
    ys = np.zeros((N, T, 1))
    for t in range(T):
        us[:, t + 1] = xs[:, t] @ params["W_in"] + zs[:, t] @ params["W"]
        zs[:, t + 1] = f(us[:, t + 1])
        ys[:, t] = sigmoid(zs[:, t + 1] @ params["W_out"])
    return us, zs, ys


def backward(params, xs, targets, us, zs, ys, activation="sigmoid"):
    """Full BPTT for the mean loss; returns (loss, grads) with grads shaped like params.

    The activation's derivative is taken from its outputs zs; the pre-activations us are
    not needed (the argument stays, so that forward's results pass straight in).
    """
    _, df = ACTIVATIONS[activation]
    N, T, _ = xs.shape
    loss = 0.5 * np.sum((ys - targets) ** 2) / N
    # y is already a sigmoid *output*: its derivative is y * (1 - y). The notes applied
    # d_sigmoid(y) here, i.e. the derivative at the wrong point (erratum 7).
    delta_out = (ys - targets) * sigmoid_grad_from_output(ys) / N
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    delta_next = np.zeros((N, params["W"].shape[0]))
    for t in reversed(range(T)):
        back = delta_next @ params["W"].T + delta_out[:, t] @ params["W_out"].T
        delta = back * df(zs[:, t + 1])  # the derivative from the activation's output
        grads["W_out"] += zs[:, t + 1].T @ delta_out[:, t]
        grads["W"] += zs[:, t].T @ delta
        grads["W_in"] += xs[:, t].T @ delta
        delta_next = delta
    return loss, grads


def predict_sums(params, a, b, n_bits=8, activation="sigmoid"):
    """The network's answer to a + b for int arrays a, b: (n,) -> (n,) ints."""
    from .datasets import int_to_bits

    xs = np.stack([int_to_bits(a, n_bits), int_to_bits(b, n_bits)], axis=-1).astype(float)
    _, _, ys = forward(params, xs, activation)
    return bits_to_int(ys[..., 0])


def train_binary_adder(config=AdderConfig(), progress=True):
    """Train one network; returns an AdderRun. Stops early if the loss stops being finite."""
    rng = np.random.default_rng(config.seed)
    params = init_params(config, rng)
    eval_xs, eval_targets, _, _ = binary_addition(np.random.default_rng(10_000 + config.seed), 256,
                                                  config.n_bits)
    run = AdderRun(config=config)
    running, window_grad = [], 0.0
    steps = tqdm(range(1, config.iterations + 1), desc=f"{config.activation}, H={config.hidden_size}",
                 disable=not progress, leave=False, mininterval=0.5)
    # ReLU runs may overflow on purpose (exploding gradients): record it, do not warn.
    with np.errstate(over="ignore", invalid="ignore"):
        for it in steps:
            xs, targets, _, _ = binary_addition(rng, config.batch_size, config.n_bits)
            us, zs, ys = forward(params, xs, config.activation)
            loss, grads = backward(params, xs, targets, us, zs, ys, config.activation)
            running.append(loss)
            window_grad = max(window_grad, float(np.linalg.norm(grads["W"])))
            if not np.isfinite(loss):
                run.diverged = True
            else:
                for name in params:
                    params[name] -= config.learning_rate * grads[name]
            if it % config.eval_every == 0 or run.diverged:
                _, _, eval_ys = forward(params, eval_xs, config.activation)
                exact = np.all(np.rint(eval_ys) == eval_targets, axis=(1, 2))
                run.iterations.append(it)
                run.losses.append(float(np.mean(running)))
                run.accuracies.append(float(np.mean(exact)))
                run.grad_norms.append(window_grad)
                running, window_grad = [], 0.0
            if run.diverged or (config.stop_when_perfect and run.accuracies
                                and run.iterations[-1] == it and run.accuracies[-1] == 1.0):
                break
    run.params = params
    return run
