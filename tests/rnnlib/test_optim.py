import numpy as np

from rnnlib.clipping import clip_global_norm


def test_clipping_scales_the_global_norm_down_to_the_limit_and_leaves_small_gradients():
    grads = [np.array([3.0]), np.array([[4.0]])]
    clipped = clip_global_norm(grads, 1.0)
    np.testing.assert_allclose([clipped[0][0], clipped[1][0, 0]], [0.6, 0.8])
    assert clip_global_norm(grads, 10.0) is grads
