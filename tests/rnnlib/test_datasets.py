import numpy as np
import pytest

from rnnlib.datasets import binary_addition, bits_to_int, int_to_bits


def test_bits_are_least_significant_first_and_round_trip():
    bits = int_to_bits(np.array([6, 255]), 8)
    np.testing.assert_array_equal(bits[0], [0, 1, 1, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(bits_to_int(bits), [6, 255])


def test_values_that_do_not_fit_are_refused():
    with pytest.raises(ValueError, match="fit in 8 bits"):
        int_to_bits(np.array([256]), 8)


def test_binary_addition_targets_are_the_sums_and_seeded():
    xs, targets, a, b = binary_addition(np.random.default_rng(3), 50)
    assert xs.shape == (50, 8, 2) and targets.shape == (50, 8, 1)
    assert a.max() < 128 and b.max() < 128
    np.testing.assert_array_equal(bits_to_int(targets[..., 0]), a + b)
    np.testing.assert_array_equal(bits_to_int(xs[..., 0]), a)
    again = binary_addition(np.random.default_rng(3), 50)
    np.testing.assert_array_equal(again[0], xs)
