import numpy as np

from autograder.items.seq2seq import kl_divergence_reference, reparameterize_reference
from rnnlib.datasets import gaussian_clusters_2d
from rnnlib.gradcheck import numerical_gradient, rel_error
from rnnlib.vae import encode, init_vae, loss_and_grads, train_vae


def test_clusters_come_in_equal_shares_around_their_centres():
    points, labels = gaussian_clusters_2d(np.random.default_rng(0), 400, n_clusters=4, radius=2.0)
    assert points.shape == (400, 2) and np.bincount(labels).tolist() == [100] * 4
    centres = np.array([points[labels == k].mean(axis=0) for k in range(4)])
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 2.0, atol=0.1)


def test_vae_gradients_match_numerical_gradients():
    """The hand-written backward pass, through the reparameterisation and the KL term."""
    rng = np.random.default_rng(3)
    params = init_vae(rng, data_dim=2, hidden=5, latent=2)
    params["W_lv"] = rng.standard_normal(params["W_lv"].shape)  # log_var far from 0
    x, eps = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))

    def loss():
        return loss_and_grads(params, x, eps, reparameterize_reference, kl_divergence_reference)[0]

    grads = loss_and_grads(params, x, eps, reparameterize_reference, kl_divergence_reference)[3]
    for name, value in params.items():
        assert rel_error(grads[name], numerical_gradient(lambda v: loss(), value)) < 1e-6, name


def test_trained_vae_keeps_clusters_apart_in_a_latent_space_near_the_prior():
    points, labels = gaussian_clusters_2d(np.random.default_rng(0), 1000)
    run = train_vae(points, reparameterize_reference, kl_divergence_reference, iterations=1500,
                    progress=False)
    mu, _ = encode(run.params, points)
    centres = np.array([mu[labels == k].mean(axis=0) for k in range(4)])
    spread = max(mu[labels == k].std(axis=0).max() for k in range(4))
    gaps = [np.linalg.norm(centres[i] - centres[j]) for i in range(4) for j in range(i)]
    assert min(gaps) > 3 * spread  # the four clusters stay separate
    assert np.abs(mu).max() < 4  # and inside the region the prior N(0, I) covers
    assert run.reconstruction[-1] < run.reconstruction[0]
