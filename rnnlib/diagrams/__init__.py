"""The course's diagrams, drawn from code in English and Japanese.

Both language editions embed the same figures, rebuilt deterministically::

    from rnnlib.diagrams import NAMES, draw, png_bytes
    fig = draw("lstm_cell", "ja")         # a matplotlib Figure (Agg canvas, not pyplot)
    data = png_bytes("lstm_cell", "en")   # PNG bytes, identical on every call and machine

Each diagram lives in a small module, one concept each (recurrent, bptt, gated,
sequence_models, embeddings, attention); shapes holds the shared boxes and arrows. All
rcParams are set inside a ``matplotlib.style.context`` here, so nothing leaks into the
caller's plots. Japanese labels use the IPAexGothic font shipped by the
``matplotlib-fontja`` package (registered with matplotlib's font manager from its .ttf,
without importing that package), DejaVu Sans for the rest; math is matplotlib mathtext.
"""
import contextlib
import io

import matplotlib
import matplotlib.style

from ..language import JAPANESE_FONT, check_language, register_japanese_font
from . import attention, bptt, embeddings, gated, recurrent, sequence_models
from .shapes import DPI

_DRAWERS = {
    "rnn_folded_unrolled": recurrent.rnn_folded_unrolled,
    "recursive_tree": recurrent.recursive_tree,
    "bptt_error_flow": bptt.bptt_error_flow,
    "lstm_cell": gated.lstm_cell,
    "gru_cell": gated.gru_cell,
    "bidirectional_rnn": sequence_models.bidirectional_rnn,
    "encoder_decoder": sequence_models.encoder_decoder,
    "hred_vhred": sequence_models.hred_vhred,
    "vae": sequence_models.vae,
    "cbow_skipgram": embeddings.cbow_skipgram,
    "attention_encoder_states": attention.attention_encoder_states,
}
NAMES = tuple(_DRAWERS)

def _style(language, cjk_fallback=False):
    """The rcParams of the diagrams (on top of matplotlib's defaults); ``cjk_fallback``
    keeps IPAexGothic behind DejaVu Sans in English, for Japanese data in English plots."""
    family = [JAPANESE_FONT, "DejaVu Sans"] if language == "ja" else ["DejaVu Sans"]
    if cjk_fallback and language != "ja":
        family = ["DejaVu Sans", JAPANESE_FONT]
    return {
        "font.family": family,
        "font.size": 10,
        "mathtext.fontset": "dejavusans",
        "mathtext.default": "it",
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "savefig.facecolor": "white",
        "savefig.transparent": False,
        "path.simplify": True,
    }


@contextlib.contextmanager
def plot_style(language="en", cjk_fallback=False):
    """A context in which figures are drawn as the diagrams are (fonts for ``language``,
    matplotlib's defaults otherwise); the caller's rcParams are restored on exit. Used by
    rnnlib.explorers; ``cjk_fallback`` lets English plots show Japanese tokens."""
    check_language(language)
    if language == "ja" or cjk_fallback:
        register_japanese_font()
    with matplotlib.style.context(["default", _style(language, cjk_fallback)]):
        yield


def _check(name, language):
    if name not in _DRAWERS:
        raise ValueError(f"unknown diagram {name!r}: use one of {', '.join(NAMES)}")
    check_language(language)


def draw(name, language="en"):
    """The diagram ``name`` (one of NAMES) with labels in ``language`` ("en" or "ja"), as a
    ``matplotlib.figure.Figure`` with an Agg canvas. Raises ValueError for an unknown name
    or language."""
    _check(name, language)
    if language == "ja":
        register_japanese_font()
    with matplotlib.style.context(["default", _style(language)]):
        return _DRAWERS[name](language)


def png_bytes(name, language="en"):
    """The diagram as PNG bytes: fixed size and dpi, no metadata, no randomness, so the
    bytes are identical across calls and processes."""
    _check(name, language)
    if language == "ja":
        register_japanese_font()
    with matplotlib.style.context(["default", _style(language)]):
        fig = _DRAWERS[name](language)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        fig.clf()
    return buffer.getvalue()
