"""rnnlib.explorers: the pure functions behind the widgets, and the widgets built without a
display, in English and Japanese."""
import logging
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from rnnlib.diagrams.shapes import has_cjk
from rnnlib.explorers import (attention_explorer, attention_figure, gradient_figure,
                              gradient_norms, gradient_scale_explorer, recurrent_weight)

LANGUAGES = ("en", "ja")


def example():
    weights = np.array([[0.1, 0.2, 0.3, 0.2, 0.2], [0.0, 0.1, 0.1, 0.7, 0.1],
                        [0.6, 0.1, 0.1, 0.1, 0.1]])
    return list("64+57"), list("12 "), weights


def titles(fig):
    return [t.get_text() for ax in fig.axes for t in (ax.title,) if t.get_text()]


def test_weight_has_the_chosen_spectral_radius_and_a_different_largest_singular_value():
    W = recurrent_weight(1.2)
    assert W.shape == (16, 16)
    assert np.max(np.abs(np.linalg.eigvals(W))) == pytest.approx(1.2)
    assert np.linalg.norm(W, 2) > 1.2 + 0.1  # W is not normal: σ_max > ρ
    assert np.array_equal(recurrent_weight(1.2), W)  # seeded


def test_gradient_norms_decay_below_one_and_grow_above_one():
    small = gradient_norms(0.5, 50, "identity")
    large = gradient_norms(1.5, 50, "identity")
    assert small.shape == large.shape == (50,)
    assert small[-1] < 1e-10 and small[-1] < small[0]
    assert large[-1] > 1e6 and large[-1] > large[0]
    assert np.all(gradient_norms(1.5, 50, "tanh") <= large + 1e-9)  # |tanh'| ≤ 1
    assert np.array_equal(gradient_norms(0.9, 20, "tanh"), gradient_norms(0.9, 20, "tanh"))


def test_gradient_norms_reject_unknown_activation():
    with pytest.raises(ValueError, match="tanh, identity"):
        gradient_norms(1.0, 10, "relu")


@pytest.mark.parametrize("language", LANGUAGES)
def test_figures_draw_with_every_glyph(language, caplog):
    with caplog.at_level(logging.WARNING, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        for fig in (gradient_figure(1.1, "tanh", language),
                    attention_figure(example(), 1, language),
                    attention_figure((list("Iamacat"), list("吾輩は猫"),
                                      np.full((4, 7), 1 / 7)), 3, language)):
            assert isinstance(fig, Figure)
            fig.canvas.draw()
            if language == "ja":
                assert any(has_cjk(t) for t in titles(fig))
            fig.clf()
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_english_labels_are_english():
    fig = gradient_figure(1.0, "identity", "en")
    assert not any(has_cjk(t.get_text()) for t in fig.findobj(Text))


def test_attention_figure_checks_its_input():
    inputs, outputs, weights = example()
    with pytest.raises(ValueError, match="do not match"):
        attention_figure((inputs, outputs, weights.T), 0)
    with pytest.raises(ValueError, match="out of range"):
        attention_figure(example(), 3)


@pytest.mark.parametrize("language", LANGUAGES)
def test_widgets_build_without_a_display(language):
    import ipywidgets as widgets

    box = gradient_scale_explorer(language)
    assert isinstance(box, widgets.Widget)
    slider = box.children[0].children[0]
    image = box.children[1].children[0]
    assert (slider.min, slider.max) == (0.5, 1.5)
    before = image.value
    slider.value = 1.4
    assert image.value[:4] == b"\x89PNG" and image.value != before

    explorer = attention_explorer([example(), (list("ab"), list("x"), np.array([[0.3, 0.7]]))],
                                  language)
    assert isinstance(explorer, widgets.Widget)
    pick, char = explorer.children[0].children
    image = explorer.children[1]
    first = image.value
    char.value = 1
    assert image.value != first
    pick.value = 1
    assert [value for _, value in char.options] == [0] and image.value[:4] == b"\x89PNG"


def test_unknown_language():
    with pytest.raises(ValueError, match="en, ja"):
        gradient_scale_explorer("fr")
    with pytest.raises(ValueError, match="en, ja"):
        attention_figure(example(), 0, "fr")
