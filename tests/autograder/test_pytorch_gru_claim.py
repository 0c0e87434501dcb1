"""The claim of 04_gru, section 1.3: PyTorch's nn.GRU is not the course's GRU with the
update gate flipped.

torch is not a dependency of the course, so PyTorch's GRU is written here in numpy from
its documented equations (column vectors, weights on the left, two biases per block):

    r  = sigma(W_ir x + b_ir + W_hr h + b_hr)
    z  = sigma(W_iz x + b_iz + W_hz h + b_hz)
    n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))
    h' = (1 - z) * n + z * h

The course's step (the registry's reference) is h_new = (1 - z) h + z h_bar with
h_bar = tanh(x W + (r * h) U + b): the reset gate scales h BEFORE the recurrent product.
With z -> 1 - z (negated z block) and the biases mapped, the two agree for H = 1 (where
r (h U) = (r h) U) or r = 1, and differ for H > 1 with a reset gate that acts.
"""
import numpy as np
import pytest

from autograder.items.gru import gru_step_forward_reference


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def pytorch_gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One step of torch.nn.GRUCell as documented, for one example (column vectors).

    W_ih: (3H, D) and W_hh: (3H, H) hold the blocks in PyTorch's order r, z, n;
    b_ih, b_hh: (3H,)."""
    H = h.shape[0]
    gi = W_ih @ x + b_ih
    gh = W_hh @ h + b_hh
    r = sigma(gi[:H] + gh[:H])
    z = sigma(gi[H:2 * H] + gh[H:2 * H])
    n = np.tanh(gi[2 * H:] + r * gh[2 * H:])
    return (1 - z) * n + z * h


def pytorch_from_course(Wx, Wh, b, rng):
    """PyTorch's parameters for the course's stacked (z, r, h_bar) weights: z negated (so that
    PyTorch's z is the course's 1 - z), weights transposed, each gate bias split into two
    parts that add up to the course's bias, b_hn = 0."""
    H = Wh.shape[0]
    blocks_x = {"z": Wx[:, :H], "r": Wx[:, H:2 * H], "n": Wx[:, 2 * H:]}
    blocks_h = {"z": Wh[:, :H], "r": Wh[:, H:2 * H], "n": Wh[:, 2 * H:]}
    bias = {"z": b[:H], "r": b[H:2 * H], "n": b[2 * H:]}
    sign = {"r": 1.0, "z": -1.0, "n": 1.0}
    W_ih = np.concatenate([sign[k] * blocks_x[k].T for k in "rzn"])
    W_hh = np.concatenate([sign[k] * blocks_h[k].T for k in "rzn"])
    split = rng.standard_normal(3 * H)
    split[2 * H:] = 0.0  # b_hn = 0: the course has no bias inside the reset product
    b_full = np.concatenate([sign[k] * bias[k] for k in "rzn"])
    return W_ih, W_hh, b_full - split, split


def both_steps(rng, D, H, r_bias=0.0):
    x = rng.standard_normal(D)
    h = np.tanh(rng.standard_normal(H))
    Wx = rng.standard_normal((D, 3 * H)) * 0.8
    Wh = rng.standard_normal((H, 3 * H)) * 0.8
    b = rng.standard_normal(3 * H) * 0.3
    b[H:2 * H] += r_bias
    course = gru_step_forward_reference(x[None, :], h[None, :], Wx, Wh, b)[0]
    pytorch = pytorch_gru_cell(x, h, *pytorch_from_course(Wx, Wh, b, rng))
    return course, pytorch


@pytest.mark.parametrize("seed", range(5))
def test_one_unit_the_two_forms_agree(seed):
    course, pytorch = both_steps(np.random.default_rng(seed), D=3, H=1)
    np.testing.assert_allclose(pytorch, course, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_reset_gate_open_the_two_forms_agree(seed):
    # r = sigma(50 + ...) is 1 in float64: no reset, and the placement of r no longer matters
    course, pytorch = both_steps(np.random.default_rng(seed), D=3, H=4, r_bias=50.0)
    np.testing.assert_allclose(pytorch, course, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_several_units_the_two_forms_differ(seed):
    course, pytorch = both_steps(np.random.default_rng(seed), D=3, H=4)
    assert np.max(np.abs(pytorch - course)) > 1e-3


def test_flipping_z_alone_is_not_enough():
    """Negating z makes the update lines agree; the candidates still differ for H > 1:
    r * (h U) against (r * h) U."""
    rng = np.random.default_rng(7)
    H = 3
    h, r = rng.standard_normal(H), sigma(rng.standard_normal(H))
    U = rng.standard_normal((H, H))
    assert not np.allclose(r * (h @ U), (r * h) @ U)
    h1, r1, U1 = h[:1], r[:1], U[:1, :1]
    np.testing.assert_allclose(r1 * (h1 @ U1), (r1 * h1) @ U1)
