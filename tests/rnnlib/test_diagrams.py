"""rnnlib.diagrams: every diagram draws in English and Japanese, deterministically, with
every glyph present, readable text (no overlap, nothing clipped) and no leaked rcParams."""
import hashlib
import logging
import struct
import subprocess
import sys
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from rnnlib.diagrams import NAMES, draw, png_bytes
from rnnlib.diagrams.shapes import has_cjk

LANGUAGES = ("en", "ja")
CASES = [(name, language) for name in NAMES for language in LANGUAGES]
EXPECTED = {"rnn_folded_unrolled", "recursive_tree", "bptt_error_flow", "lstm_cell", "gru_cell",
            "bidirectional_rnn", "encoder_decoder", "hred_vhred", "vae", "cbow_skipgram",
            "attention_encoder_states"}


def png_size(data):
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def texts(fig):
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_names_are_the_contract():
    assert isinstance(NAMES, tuple)
    assert set(NAMES) == EXPECTED and len(NAMES) == len(EXPECTED)


@pytest.mark.parametrize("name,language", CASES)
def test_renders_without_missing_glyphs(name, language, caplog):
    """Missing glyphs warn (UserWarning from text, a logged warning from mathtext):
    either fails here."""
    with caplog.at_level(logging.WARNING, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")
        data = png_bytes(name, language)
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not problems, problems
    width, height = png_size(data)
    assert 800 <= width <= 1000 and 300 <= height <= 800, (width, height)
    assert len(data) < 120_000, f"{name} ({language}): {len(data)} bytes"


@pytest.mark.parametrize("name,language", CASES)
def test_draw_returns_a_readable_figure(name, language):
    fig = draw(name, language)
    assert isinstance(fig, Figure)
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer), t.get_fontsize()) for t in texts(fig)]
    width, height = fig.bbox.width, fig.bbox.height
    for text, box, size in boxes:
        assert size >= 9, f"{text!r} is set in {size} pt"
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, \
            f"{text!r} is clipped by the edge of the figure"
    for i, (text_a, a, _) in enumerate(boxes):
        for text_b, b, _ in boxes[i + 1:]:
            overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert overlap_x <= 1 or overlap_y <= 1, f"{text_a!r} overlaps {text_b!r}"
    titles = [t.get_text() for t in texts(fig) if t.get_gid() == "title"]
    assert len(titles) == 1
    if language == "ja":
        assert has_cjk(titles[0]), titles[0]
    else:
        assert not any(has_cjk(t.get_text()) for t in texts(fig)), "Japanese in English labels"
    fig.clf()


@pytest.mark.parametrize("name", NAMES)
def test_png_bytes_are_deterministic(name):
    assert png_bytes(name, "ja") == png_bytes(name, "ja")
    assert png_bytes(name, "en") == png_bytes(name, "en")


def test_languages_differ():
    assert png_bytes("lstm_cell", "en") != png_bytes("lstm_cell", "ja")


def test_no_rcparams_leak():
    before = dict(matplotlib.rcParams)
    png_bytes("gru_cell", "ja")
    draw("vae", "ja").clf()
    after = dict(matplotlib.rcParams)
    assert before == after


@pytest.mark.parametrize("call", [png_bytes, draw])
def test_unknown_name_or_language(call):
    with pytest.raises(ValueError, match="lstm_cell"):
        call("lstm", "en")
    with pytest.raises(ValueError, match="en, ja"):
        call("lstm_cell", "de")


@pytest.mark.slow
def test_same_bytes_in_a_fresh_process():
    script = ("import hashlib, sys\n"
              "from rnnlib.diagrams import NAMES, png_bytes\n"
              "for name in NAMES:\n"
              "    for language in ('en', 'ja'):\n"
              "        print(name, language, hashlib.sha256(png_bytes(name, language)).hexdigest())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    here = [f"{name} {language} {hashlib.sha256(png_bytes(name, language)).hexdigest()}"
            for name in NAMES for language in LANGUAGES]
    assert [line for line in out if line] == here
