import numpy as np
import pytest

from rnnlib.embedding_lookup import embedding_forward as EMBED
from rnnlib.gradcheck import numerical_gradient
from rnnlib.seq2seq import PeekySeq2seq, Seq2seq
from tests.conftest import grad_error


V, E, H = 7, 3, 4
F64 = np.float64  # gradient checks in float64; the models train in float32


def tiny_batch(seed=0, N=3, T=5, L=4):
    rng = np.random.default_rng(seed)
    return rng.integers(0, V, size=(N, T)), rng.integers(0, V, size=(N, L))


@pytest.mark.parametrize("model_class", [Seq2seq, PeekySeq2seq])
def test_loss_and_grads_match_numerical_gradients_for_every_parameter(model_class):
    model = model_class(V, E, H, embed=EMBED, seed=1, dtype=F64)
    x_ids, t_ids = tiny_batch()
    loss, grads = model.loss_and_grads(x_ids, t_ids)
    assert set(grads) == set(model.params)
    assert loss == pytest.approx(model.loss(x_ids, t_ids))
    for name, value in model.params.items():
        numerical = numerical_gradient(lambda v: model.loss(x_ids, t_ids), value, h=1e-6)
        assert grads[name].shape == value.shape
        assert grad_error(grads[name], numerical) < 1e-6, name


@pytest.mark.parametrize("model_class", [Seq2seq, PeekySeq2seq])
def test_decoder_backward_gives_the_gradient_of_the_encoder_states(model_class):
    """The only path from the loss to the encoder is d enc_hs: check it on its own."""
    model = model_class(V, E, H, embed=EMBED, seed=2, dtype=F64)
    rng = np.random.default_rng(3)
    enc_hs, dec_ids = rng.standard_normal((2, 5, H)), rng.integers(0, V, size=(2, 3))
    dscores = rng.standard_normal((2, 3, V))
    _, cache = model.decode(enc_hs, dec_ids)
    denc_hs, _ = model.decode_backward(cache, dscores)
    numerical = numerical_gradient(lambda hs: np.sum(model.decode(hs, dec_ids)[0] * dscores),
                                   enc_hs)
    assert grad_error(denc_hs, numerical) < 1e-7
    assert np.all(denc_hs[:, :-1] == 0)  # only the last state reaches a plain decoder


def test_encoder_backward_matches_numerical_gradients_for_every_state():
    model = Seq2seq(V, E, H, embed=EMBED, seed=4, dtype=F64)
    x_ids, _ = tiny_batch(5)
    dhs = np.random.default_rng(6).standard_normal((3, 5, H))
    _, cache = model.encode(x_ids)
    grads = model.encode_backward(cache, dhs)
    for name in ("enc.embed", "enc.Wx", "enc.Wh", "enc.b"):
        numerical = numerical_gradient(lambda v: np.sum(model.encode(x_ids)[0] * dhs),
                                       model.params[name])
        assert grad_error(grads[name], numerical) < 1e-7, name


def test_peeky_decoder_reads_the_encoder_state_at_every_step_and_in_the_affine_layer():
    plain, peeky = Seq2seq(V, E, H, embed=EMBED), PeekySeq2seq(V, E, H, embed=EMBED)
    assert plain.params["dec.Wx"].shape == (E, 4 * H)
    assert peeky.params["dec.Wx"].shape == (E + H, 4 * H)
    assert plain.params["out.W"].shape == (H, V) and peeky.params["out.W"].shape == (2 * H, V)


@pytest.mark.parametrize("model_class", [Seq2seq, PeekySeq2seq])
def test_greedy_generation_takes_the_most_likely_character_given_its_own_previous_ones(model_class):
    model = model_class(V, E, H, embed=EMBED, seed=7, dtype=F64)
    x_ids, _ = tiny_batch(8)
    out = model.generate(x_ids, start_id=0, length=4)
    assert out.shape == (3, 4)
    dec_in = np.concatenate([np.zeros((3, 1), dtype=int), out[:, :-1]], axis=1)
    scores, _ = model.decode(model.encode(x_ids)[0], dec_in)
    np.testing.assert_array_equal(out, scores.argmax(axis=-1))


def test_the_model_looks_characters_up_with_the_function_it_is_given():
    calls = []

    def spy(W, ids):
        calls.append(ids.shape)
        return EMBED(W, ids)

    x_ids, t_ids = tiny_batch()
    Seq2seq(V, E, H, embed=spy).loss(x_ids, t_ids)
    assert calls == [x_ids.shape, (x_ids.shape[0], t_ids.shape[1] - 1)]  # encoder, decoder
    with pytest.raises(TypeError, match="embedding_lookup"):
        Seq2seq(V, E, H, embed=None)


@pytest.mark.parametrize("model_class", [Seq2seq, PeekySeq2seq])
def test_the_models_train_in_float32_and_agree_with_float64(model_class):
    x_ids, t_ids = tiny_batch(9)
    wide = model_class(V, E, H, embed=EMBED, seed=5, dtype=F64)
    narrow = model_class(V, E, H, embed=EMBED, seed=5)  # float32 by default
    loss32, grads32 = narrow.loss_and_grads(x_ids, t_ids)
    loss64, grads64 = wide.loss_and_grads(x_ids, t_ids)
    assert all(v.dtype == np.float32 for v in [*narrow.params.values(), *grads32.values()])
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    for name in grads64:
        assert grad_error(grads32[name], grads64[name]) < 1e-4, name
    np.testing.assert_array_equal(narrow.generate(x_ids, 0, 4), wide.generate(x_ids, 0, 4))
