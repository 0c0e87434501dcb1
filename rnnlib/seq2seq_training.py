"""Training and scoring of the seq2seq models (minibatches, Adam, gradient clipping)."""
import contextlib
import ctypes
import time

import numpy as np

from .language import say
from .optim import Adam
from .progress import tqdm

POSTFIX_EVERY = 20  # minibatches between updates of the bar's running loss


def exact_match(model, x_ids, t_ids, start_id, batch_size=1000):
    """Share of questions whose whole generated answer equals t_ids[:, 1:] (greedy)."""
    length = t_ids.shape[1] - 1
    correct = 0
    for i in range(0, len(x_ids), batch_size):
        answer = model.generate(x_ids[i:i + batch_size], start_id, length)
        correct += int(np.all(answer == t_ids[i:i + batch_size, 1:], axis=1).sum())
    return correct / len(x_ids)


def global_norm_scale(grads, max_norm):
    """The factor that global-norm clipping multiplies every gradient by: min(1, max_norm /
    sqrt(sum of all squared entries)) (as rnnlib.clipping.clip_global_norm, without
    making the scaled copies: Adam takes the factor)."""
    norm = np.sqrt(sum(float(np.dot(g.ravel(), g.ravel())) for g in grads))
    return max_norm / norm if norm > max_norm else 1.0


def _openblas_threads():
    """(get, set) of the thread count of numpy's OpenBLAS, found among the libraries this
    process has loaded (Linux), or None (another BLAS, another system)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps
                            if "openblas" in line.lower() and line.split()[-1].startswith("/")})
    except OSError:
        return None
    for path in paths:
        library = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""),
                               ("openblas", "64_"), ("openblas", "")):
            get = getattr(library, f"{prefix}_get_num_threads{suffix}", None)
            put = getattr(library, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                return get, put
    return None


@contextlib.contextmanager
def blas_threads(n):
    """Run the block with ``n`` BLAS threads, then restore the count (None: no change).

    The course leaves the count to the library (OpenBLAS: one per core). But the products
    of these small models are short, and while other jobs keep the cores busy, two threads
    wait for each other's time slices: on the course's 2-core machine, training with two
    threads was 5 to 17 times slower than with one (README, "Training speed"). Without
    numpy's OpenBLAS (another BLAS) this does nothing.
    """
    found = _openblas_threads() if n is not None else None
    if found is None:
        yield
        return
    get, put = found
    before = get()
    put(int(n))
    try:
        yield
    finally:
        put(before)


def train_seq2seq(model, train, test, start_id, epochs, batch_size=128, lr=5e-3,
                  lr_decay=1.0, clip_norm=5.0, seed=0, name="seq2seq", progress=True,
                  stop_at=None, max_seconds=None, threads=None):
    """Train ``model`` in place on train = (x_ids, t_ids) for ``epochs`` passes in shuffled
    minibatches (Adam, global-norm clipping); after each epoch, score the exact match on
    test = (x_ids, t_ids).

    lr_decay: the learning rate of epoch e (from 0) is lr * lr_decay**e; a smaller step
    at the end stops the accuracy from jumping between epochs.
    stop_at: stop after the first epoch whose held-out exact match reaches it (None: never);
    max_seconds: stop after the first epoch that ends later than this (None: never);
    threads: BLAS threads while training (None: as many as the library chose; 1 is much
    faster on a machine that other jobs keep busy, see ``blas_threads``).

    The progress bar shows the running training loss and the last held-out exact match.
    Returns a history dict: "accuracy" and "loss" (mean training loss) per epoch,
    "batch_loss" per minibatch, "time" (seconds from the start to the end of each epoch,
    scoring included), "scoring" (seconds of each epoch's scoring) and "seconds" in all.
    """
    with blas_threads(threads):
        return _train(model, train, test, start_id, epochs, batch_size, lr, lr_decay,
                      clip_norm, seed, name, progress, stop_at, max_seconds)


def _train(model, train, test, start_id, epochs, batch_size, lr, lr_decay, clip_norm, seed,
           name, progress, stop_at, max_seconds):
    """The loop of train_seq2seq."""
    rng = np.random.default_rng(seed)
    x_train, t_train = train
    optimizer = Adam(model.params, lr=lr)
    history = {"accuracy": [], "loss": [], "batch_loss": [], "time": [], "scoring": [],
               "seconds": 0.0}
    start = time.perf_counter()
    n_batches = int(np.ceil(len(x_train) / batch_size))
    bar = tqdm(total=epochs * n_batches, desc=name, disable=not progress, mininterval=0.5,
               unit="batch")
    for epoch in range(epochs):
        optimizer.lr = lr * lr_decay**epoch
        order = rng.permutation(len(x_train))
        losses = []
        for b in range(n_batches):
            idx = order[b * batch_size:(b + 1) * batch_size]
            loss, grads = model.loss_and_grads(x_train[idx], t_train[idx])
            optimizer.step(model.params, grads, global_norm_scale(grads.values(), clip_norm))
            losses.append(loss)
            bar.update(1)
            if progress and (b + 1) % POSTFIX_EVERY == 0:
                bar.set_postfix(loss=f"{np.mean(losses[-POSTFIX_EVERY:]):.3f}",
                                accuracy=f"{history['accuracy'][-1]:.3f}"
                                if history["accuracy"] else "-", refresh=False)
        history["batch_loss"].extend(losses)
        history["loss"].append(float(np.mean(losses)))
        scoring = time.perf_counter()
        history["accuracy"].append(exact_match(model, *test, start_id))
        history["time"].append(time.perf_counter() - start)
        history["scoring"].append(time.perf_counter() - scoring)
        bar.set_postfix(loss=f"{history['loss'][-1]:.3f}",
                        accuracy=f"{history['accuracy'][-1]:.3f}")
        if progress:
            bar.write(say(f"{name} epoch {epoch + 1}/{epochs}: loss {history['loss'][-1]:.4f}, "
                          f"held-out exact match {history['accuracy'][-1]:.3f} "
                          f"({history['time'][-1]:.1f} s)",
                          f"{name} エポック {epoch + 1}/{epochs}: 損失 {history['loss'][-1]:.4f}、"
                          f"検証データの完全一致率 {history['accuracy'][-1]:.3f} "
                          f"({history['time'][-1]:.1f} 秒)"))
        if stop_at is not None and history["accuracy"][-1] >= stop_at:
            break
        if max_seconds is not None and history["time"][-1] > max_seconds:
            break
    bar.close()
    history["seconds"] = time.perf_counter() - start
    return history
