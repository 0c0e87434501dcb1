import numpy as np
import pytest

from rnnlib.binary_adder import AdderConfig, backward, forward, init_params, train_binary_adder
from rnnlib.datasets import binary_addition
from rnnlib.gradcheck import numerical_gradient, rel_error


def test_bptt_gradients_match_numerical_gradients():
    """Also pins erratum 7: the output delta uses y * (1 - y) of the sigmoid output."""
    rng = np.random.default_rng(0)
    for activation in ["sigmoid", "tanh"]:
        config = AdderConfig(hidden_size=5, activation=activation)
        params = init_params(config, rng)
        xs, targets, _, _ = binary_addition(rng, 3, n_bits=4)
        loss, grads = backward(params, xs, targets, *forward(params, xs, activation), activation)
        for name, value in params.items():
            def loss_of(v, name=name):
                _, _, ys = forward({**params, name: v}, xs, activation)
                return 0.5 * np.sum((ys - targets) ** 2) / len(xs)
            assert rel_error(numerical_gradient(loss_of, value.copy()), grads[name]) < 1e-6, name


@pytest.mark.training
def test_the_notes_settings_learn_exact_sums_well_inside_10000_iterations():
    run = train_binary_adder(AdderConfig(stop_when_perfect=True), progress=False)
    assert run.first_perfect_iteration() is not None
    assert run.first_perfect_iteration() <= 7000
    assert run.losses[-1] < run.losses[0] / 5


def test_training_is_reproducible_from_the_seed():
    a = train_binary_adder(AdderConfig(iterations=300), progress=False)
    b = train_binary_adder(AdderConfig(iterations=300), progress=False)
    assert a.losses == b.losses


@pytest.mark.training
def test_relu_hidden_layer_shows_gradient_spikes_without_warnings(recwarn):
    """The notebook's ReLU experiment: spiky (exploding) gradients, but no RuntimeWarning noise."""
    relu = train_binary_adder(AdderConfig(iterations=3000, activation="relu"), progress=False)
    tanh = train_binary_adder(AdderConfig(iterations=3000, activation="tanh"), progress=False)
    assert max(relu.grad_norms) > 10 * np.median(relu.grad_norms)
    assert max(relu.accuracies) < max(tanh.accuracies)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
