import numpy as np
import pytest

from autograder.items import attention as reference
from rnnlib.attention_seq2seq import AttentionFunctions, AttentionSeq2seq
from rnnlib.embedding_lookup import embedding_forward as EMBED
from rnnlib.gradcheck import numerical_gradient
from tests.conftest import grad_error


V, E, H = 7, 3, 4
F64 = np.float64  # gradient checks in float64; the models train in float32


REFERENCE = AttentionFunctions(
    reference.attention_weights_reference, reference.attention_weights_backward_reference,
    reference.context_vector_reference, reference.context_vector_backward_reference)


def test_loss_and_grads_match_numerical_gradients_with_the_reference_attention():
    model = AttentionSeq2seq(V, E, H, REFERENCE, embed=EMBED, seed=1, dtype=F64)
    rng = np.random.default_rng(0)
    x_ids, t_ids = rng.integers(0, V, size=(3, 5)), rng.integers(0, V, size=(3, 4))
    loss, grads = model.loss_and_grads(x_ids, t_ids)
    assert set(grads) == set(model.params)
    for name, value in model.params.items():
        numerical = numerical_gradient(lambda v: model.loss(x_ids, t_ids), value, h=1e-6)
        assert grad_error(grads[name], numerical) < 1e-6, name


def test_every_encoder_state_gets_a_gradient_through_attention():
    model = AttentionSeq2seq(V, E, H, REFERENCE, embed=EMBED, seed=2, dtype=F64)
    rng = np.random.default_rng(3)
    enc_hs, dec_ids = rng.standard_normal((2, 5, H)), rng.integers(0, V, size=(2, 3))
    dscores = rng.standard_normal((2, 3, V))
    _, cache = model.decode(enc_hs, dec_ids)
    denc_hs, _ = model.decode_backward(cache, dscores)
    numerical = numerical_gradient(lambda hs: np.sum(model.decode(hs, dec_ids)[0] * dscores),
                                   enc_hs)
    assert grad_error(denc_hs, numerical) < 1e-7
    assert np.all(np.abs(denc_hs[:, :-1]).sum(axis=-1) > 0)


def test_the_decoder_runs_the_functions_it_is_given():
    calls = []

    def spy_weights(hs, h):
        calls.append(hs.shape)
        return REFERENCE.weights(hs, h)

    model = AttentionSeq2seq(V, E, H, REFERENCE._replace(weights=spy_weights), embed=EMBED)
    out, weights = model.generate_with_attention(np.zeros((2, 5), dtype=int), 0, 3)
    assert calls and calls[-1] == (2, 5, H)  # one call per decoder step, on the whole batch
    assert out.shape == (2, 3) and weights.shape == (2, 3, 5)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)


def test_attention_functions_must_be_passed_as_attention_functions():
    with pytest.raises(TypeError, match="AttentionFunctions"):
        AttentionSeq2seq(V, E, H, attention=(REFERENCE.weights,), embed=EMBED)
