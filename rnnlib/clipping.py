"""Global-norm gradient clipping (released after notebook 03, which asks you to write it)."""
import numpy as np


def clip_global_norm(grads, max_norm):
    """grads: a list of arrays of any shapes. When their global norm
    sqrt(sum of all squared entries) exceeds max_norm, every array is scaled by
    max_norm / norm; otherwise the list is returned as it is."""
    norm = np.sqrt(sum(float(np.sum(g**2)) for g in grads))
    if norm > max_norm:
        return [g * (max_norm / norm) for g in grads]
    return grads
