import numpy as np

from rnnlib.optim import clip_global_norm


def test_clipping_scales_the_global_norm_down_to_the_limit_and_leaves_small_gradients():
    grads = {"a": np.array([3.0]), "b": np.array([4.0])}
    clipped = clip_global_norm(grads, 1.0)
    np.testing.assert_allclose([clipped["a"][0], clipped["b"][0]], [0.6, 0.8])
    assert clip_global_norm(grads, 10.0) is grads
