"""Training and scoring of the seq2seq models (minibatches, Adam, gradient clipping)."""
import time

import numpy as np

from .clipping import clip_global_norm
from .optim import Adam
from .progress import tqdm


def exact_match(model, x_ids, t_ids, start_id, batch_size=1000):
    """Share of questions whose whole generated answer equals t_ids[:, 1:] (greedy)."""
    length = t_ids.shape[1] - 1
    correct = 0
    for i in range(0, len(x_ids), batch_size):
        answer = model.generate(x_ids[i:i + batch_size], start_id, length)
        correct += int(np.all(answer == t_ids[i:i + batch_size, 1:], axis=1).sum())
    return correct / len(x_ids)


def train_seq2seq(model, train, test, start_id, epochs, batch_size=128, lr=5e-3,
                  lr_decay=1.0, clip_norm=5.0, seed=0, name="seq2seq", progress=True):
    """Train ``model`` in place on train = (x_ids, t_ids) for ``epochs`` passes in shuffled
    minibatches (Adam, global-norm clipping); after each epoch, score the exact match on
    test = (x_ids, t_ids).

    lr_decay: the learning rate of epoch e (from 0) is lr * lr_decay**e; a smaller step
    at the end stops the accuracy from jumping between epochs.

    Returns a history dict: "accuracy" and "loss" (mean training loss) per epoch,
    "batch_loss" per minibatch, "seconds" in all.
    """
    rng = np.random.default_rng(seed)
    x_train, t_train = train
    optimizer = Adam(model.params, lr=lr)
    history = {"accuracy": [], "loss": [], "batch_loss": [], "seconds": 0.0}
    start = time.perf_counter()
    n_batches = int(np.ceil(len(x_train) / batch_size))
    bar = tqdm(total=epochs * n_batches, desc=name, disable=not progress, mininterval=1.0)
    for epoch in range(epochs):
        optimizer.lr = lr * lr_decay**epoch
        order = rng.permutation(len(x_train))
        losses = []
        for b in range(n_batches):
            idx = order[b * batch_size:(b + 1) * batch_size]
            loss, grads = model.loss_and_grads(x_train[idx], t_train[idx])
            names = list(grads)
            clipped = clip_global_norm([grads[k] for k in names], clip_norm)
            optimizer.step(model.params, dict(zip(names, clipped)))
            losses.append(loss)
            bar.update(1)
        history["batch_loss"].extend(losses)
        history["loss"].append(float(np.mean(losses)))
        history["accuracy"].append(exact_match(model, *test, start_id))
        bar.set_postfix(loss=f"{history['loss'][-1]:.3f}",
                        accuracy=f"{history['accuracy'][-1]:.3f}")
        if not progress:
            continue
        bar.write(f"{name} epoch {epoch + 1}/{epochs}: loss {history['loss'][-1]:.4f}, "
                  f"held-out exact match {history['accuracy'][-1]:.3f}")
    bar.close()
    history["seconds"] = time.perf_counter() - start
    return history
