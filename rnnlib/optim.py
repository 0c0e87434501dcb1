"""Adam, for the practice training runs (clipping is in ``rnnlib.clipping``, released after
notebook 03 grades it)."""
import numpy as np


class Adam:
    """Adam on a dict of arrays, updated in place. lr: step size; b1, b2: moment decays.

    The update is Kingma & Ba's, with the bias corrections folded into the step size,
    lr_t = lr * sqrt(1 - b2**t) / (1 - b1**t) (and eps scaled alike, so the step is the
    same), and every moment and parameter updated in place: no new arrays per step.
    """

    def __init__(self, params, lr=1e-2, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params, grads, scale=1.0):
        """One update from grads (same keys as params), each multiplied by ``scale`` first
        (global-norm clipping passes its factor here instead of copying the gradients)."""
        self.t += 1
        correction = np.sqrt(1 - self.b2**self.t)
        lr_t = self.lr * correction / (1 - self.b1**self.t)
        eps_t = self.eps * correction
        for k, param in params.items():
            g, m, v = grads[k], self.m[k], self.v[k]
            if scale != 1.0:
                g = g * scale
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * (g * g)
            step = np.sqrt(v)
            step += eps_t
            np.divide(m, step, out=step)
            step *= lr_t
            param -= step
