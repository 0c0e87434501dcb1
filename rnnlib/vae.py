"""A tiny variational autoencoder on 2-D points (practice of notebook 06).

Encoder  x: (N, D) -> h = tanh(x W1 + b1): (N, K) -> mu = h W_mu + b_mu,
         log_var = h W_lv + b_lv: (N, Z)
Sampling z = reparameterize(mu, log_var, eps), eps ~ N(0, I): (N, Z)
Decoder  g = tanh(z W2 + b2): (N, K) -> x_hat = g W3 + b3: (N, D)
Loss per example: ||x_hat - x||^2 / (2 noise_var) + KL(N(mu, diag(exp(log_var))) || N(0, I)).

The student's ``reparameterize`` and ``kl_divergence`` are passed in and used in the
forward pass. Their gradients are written here (dz/dmu = 1, dz/dlog_var = eps * std / 2;
dKL/dmu = mu, dKL/dlog_var = (exp(log_var) - 1) / 2): a wrong forward trains badly.
"""
import time
from dataclasses import dataclass, field

import numpy as np

from .optim import Adam
from .progress import tqdm


@dataclass
class VAETraining:
    params: dict
    iterations: list = field(default_factory=list)
    reconstruction: list = field(default_factory=list)  # mean per example, since last record
    kl: list = field(default_factory=list)
    seconds: float = 0.0


def init_vae(rng, data_dim=2, hidden=32, latent=2):
    """Xavier-scaled weights, zero biases; log_var starts near 0 (unit variance)."""
    def dense(n_in, n_out):
        return rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
    return {"W1": dense(data_dim, hidden), "b1": np.zeros(hidden),
            "W_mu": dense(hidden, latent), "b_mu": np.zeros(latent),
            "W_lv": dense(hidden, latent) * 0.1, "b_lv": np.zeros(latent),
            "W2": dense(latent, hidden), "b2": np.zeros(hidden),
            "W3": dense(hidden, data_dim), "b3": np.zeros(data_dim)}


def encode(params, x):
    """x: (N, D) -> (mu, log_var), each (N, Z)."""
    h = np.tanh(x @ params["W1"] + params["b1"])
    return h @ params["W_mu"] + params["b_mu"], h @ params["W_lv"] + params["b_lv"]


def decode(params, z):
    """z: (N, Z) -> x_hat: (N, D)."""
    return np.tanh(z @ params["W2"] + params["b2"]) @ params["W3"] + params["b3"]


def loss_and_grads(params, x, eps, reparameterize, kl_divergence, noise_var=0.1):
    """Mean loss over the batch, its parts, and the gradients of every parameter.

    x, eps: (N, D), (N, Z). Returns (loss, reconstruction, kl, grads).
    """
    n = len(x)
    h = np.tanh(x @ params["W1"] + params["b1"])
    mu = h @ params["W_mu"] + params["b_mu"]
    log_var = h @ params["W_lv"] + params["b_lv"]
    z = reparameterize(mu, log_var, eps)
    g = np.tanh(z @ params["W2"] + params["b2"])
    x_hat = g @ params["W3"] + params["b3"]
    reconstruction = np.sum((x_hat - x) ** 2, axis=1) / (2 * noise_var)
    kl = kl_divergence(mu, log_var)

    dx_hat = (x_hat - x) / (noise_var * n)
    grads = {"W3": g.T @ dx_hat, "b3": dx_hat.sum(axis=0)}
    dg_pre = (dx_hat @ params["W3"].T) * (1 - g**2)
    grads["W2"], grads["b2"] = z.T @ dg_pre, dg_pre.sum(axis=0)
    dz = dg_pre @ params["W2"].T
    dmu = dz + mu / n
    dlog_var = dz * eps * 0.5 * np.exp(0.5 * log_var) + 0.5 * (np.exp(log_var) - 1) / n
    grads["W_mu"], grads["b_mu"] = h.T @ dmu, dmu.sum(axis=0)
    grads["W_lv"], grads["b_lv"] = h.T @ dlog_var, dlog_var.sum(axis=0)
    dh_pre = (dmu @ params["W_mu"].T + dlog_var @ params["W_lv"].T) * (1 - h**2)
    grads["W1"], grads["b1"] = x.T @ dh_pre, dh_pre.sum(axis=0)
    return float(np.mean(reconstruction + kl)), float(np.mean(reconstruction)), float(np.mean(kl)), grads


def train_vae(points, reparameterize, kl_divergence, latent=2, hidden=32, iterations=3000,
              batch_size=128, lr=3e-3, noise_var=0.1, record_every=100, seed=0, progress=True):
    """Train on points: (N, D) with Adam on fresh noise every batch; returns a VAETraining."""
    rng = np.random.default_rng(seed)
    params = init_vae(rng, points.shape[1], hidden, latent)
    optimiser = Adam(params, lr=lr)
    run = VAETraining(params)
    recon_sum = kl_sum = 0.0
    start = time.perf_counter()
    for it in tqdm(range(1, iterations + 1), desc="VAE", disable=not progress, leave=False):
        batch = points[rng.integers(0, len(points), size=batch_size)]
        eps = rng.standard_normal((batch_size, latent))
        _, recon, kl, grads = loss_and_grads(params, batch, eps, reparameterize, kl_divergence,
                                             noise_var)
        optimiser.step(params, grads)
        recon_sum, kl_sum = recon_sum + recon, kl_sum + kl
        if it % record_every == 0:
            run.iterations.append(it)
            run.reconstruction.append(recon_sum / record_every)
            run.kl.append(kl_sum / record_every)
            recon_sum = kl_sum = 0.0
    run.seconds = time.perf_counter() - start
    return run
