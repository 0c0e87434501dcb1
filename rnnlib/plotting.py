"""Plot helpers that always label what they draw (title, axes, legend)."""
import matplotlib.pyplot as plt
import numpy as np

from rnnlib.language import say


def plot_curves(curves, title, xlabel, ylabel, x=None, logy=False, ax=None):
    """Plot one line per entry of ``curves`` ({label: ys}) with a legend.

    x: shared x values (defaults to 0, 1, 2, ...); logy: log-scale y axis.
    Non-finite points (a diverged run) are left out rather than breaking the plot.
    Returns the matplotlib Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for label, ys in curves.items():
        ys = np.asarray(ys, dtype=float)
        xs = np.arange(len(ys)) if x is None else np.asarray(x)[: len(ys)]
        finite = np.isfinite(ys)
        ax.plot(xs[finite], ys[finite], label=label)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend()
    ax.grid(True, alpha=0.3)
    return ax


def plot_spread(runs, title, xlabel, ylabel, x=None, ax=None):
    """One line per entry of ``runs`` ({label: [ys of each seed]}): the mean over the seeds,
    with the band between the lowest and the highest seed shaded, and a legend that says
    how many seeds. All of a label's ys have the same length. Returns the matplotlib Axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for k, (label, curves) in enumerate(runs.items()):
        ys = np.asarray(curves, dtype=float)  # (seeds, points)
        xs = np.arange(ys.shape[1]) if x is None else np.asarray(x)[: ys.shape[1]]
        color = f"C{k}"
        ax.plot(xs, ys.mean(axis=0), color=color,
                label=say(f"{label} (mean of {len(ys)} seeds, band: min to max)",
                          f"{label} ({len(ys)} シードの平均、帯: 最小〜最大)"))
        ax.fill_between(xs, ys.min(axis=0), ys.max(axis=0), color=color, alpha=0.2)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    ax.grid(True, alpha=0.3)
    return ax
