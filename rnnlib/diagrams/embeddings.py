r"""Notebook 07: word2vec, CBOW against skip-gram (window 1).

Symbols of notebook 07: the embedding matrix $W_{in}$: (V, d) (a one-hot row times
$W_{in}$ selects a row, ``W_in[ids]``), the output weights $W_{out}$: (d, V); CBOW's
$h = \frac{1}{2w}\sum_c W_{in}[c]$, scores $= h W_{out}$ (V,), softmax over the vocabulary.
The example is a sentence of the notebook's toy corpus, "the cat eats fish .".
"""
from .shapes import (NOTE, arrow, box, heading, label, new_canvas, title, tr)

WORD_BOX = (9, 4.5)


def _word(ax, x, y, word, role, color):
    """A word of the sentence with its role (w_{t-1}, w_t, w_{t+1}) under it."""
    b = box(ax, x, y, *WORD_BOX, f"“{word}”", color, size=11)
    label(ax, x, y - 3.9, role, size=10, color=NOTE)
    return b


def cbow_skipgram(language):
    """Two panels. CBOW: the context words "cat" and "fish" → their rows of W_in (d,) →
    average h (d,) → h W_out (V,) → softmax → the centre word "eats". Skip-gram: the
    centre word "eats" → W_in[eats] (d,) → W_out → softmax → each context word."""
    fig, ax = new_canvas(68)
    title(ax, tr(language, "word2vec: CBOW and skip-gram (window 1)",
                 "word2vec: CBOW と skip-gram (ウィンドウ 1)"))
    label(ax, 48, 61.5, tr(language, "sentence: “the  cat  eats  fish  .”   "
                                     "centre word: “eats”,  context words: “cat”, “fish”",
                           "文: “the  cat  eats  fish  .”   中心の単語: “eats”,  "
                           "周辺の単語 (文脈): “cat”, “fish”"), size=10)
    y_in, y_emb, y_h, y_sc, y_out = 10.5, 21, 31.5, 42, 51.5

    # CBOW
    heading(ax, 24, 57, tr(language, "CBOW: context → centre word", "CBOW: 文脈 → 中心の単語"))
    ctx = [(12, "cat", "$w_{t-1}$"), (36, "fish", "$w_{t+1}$")]
    h = box(ax, 24, y_h, 22, 5, r"$h = \frac{1}{2}(W_{\mathrm{in}}[\mathrm{cat}] + "
                               r"W_{\mathrm{in}}[\mathrm{fish}])$", "hidden", size=9)
    for x, word, role in ctx:
        w = _word(ax, x, y_in, word, role, "input")
        e = box(ax, x, y_emb, 14, 4.5, rf"$W_{{\mathrm{{in}}}}[\mathrm{{{word}}}]$: (d,)",
                "embedding", size=10)
        arrow(ax, w, e)
        arrow(ax, e, h.bottom(-5 if x < 24 else 5))
    label(ax, 24, y_h - 4.3, tr(language, "average (d,)", "平均 (d,)"), size=10, color=NOTE)
    sc = box(ax, 24, y_sc, 22, 5, r"softmax($h\,W_{\mathrm{out}}$): (V,)", "output", size=10)
    arrow(ax, h, sc)
    out = _word(ax, 24, y_out, "eats", "", "output")
    label(ax, 31, y_out, tr(language, "$w_t$ ?", "$w_t$ ?"), size=11, ha="left")
    arrow(ax, sc, out)

    ax.plot([48, 48], [4.5, 58.5], color="#bbbbbb", lw=1)

    # skip-gram
    heading(ax, 72, 57, tr(language, "skip-gram: centre word → context",
                           "skip-gram: 中心の単語 → 文脈"))
    w = _word(ax, 72, y_in, "eats", "$w_t$", "input")
    e = box(ax, 72, y_emb, 16, 4.5, r"$h = W_{\mathrm{in}}[\mathrm{eats}]$: (d,)", "embedding",
            size=10)
    arrow(ax, w, e)
    sc = box(ax, 72, y_sc - 5.5, 22, 5, r"softmax($h\,W_{\mathrm{out}}$): (V,)", "output",
             size=10)
    arrow(ax, e, sc)
    for x, word, role in ((60, "cat", "$w_{t-1}$ ?"), (84, "fish", "$w_{t+1}$ ?")):
        o = box(ax, x, y_out, *WORD_BOX, f"“{word}”", "output", size=11)
        if x < 72:
            label(ax, x - 5.3, y_out, role, size=10, ha="right")
        else:
            label(ax, x + 5.3, y_out, role, size=10, ha="left")
        arrow(ax, sc.top(-5 if x < 72 else 5), o)
    label(ax, 72, y_out, tr(language, "one prediction\nper context word",
                            "周辺の単語ごとに\n1 つの予測"), size=10, color=NOTE)

    label(ax, 48, 1.6, tr(language,
                          r"embedding $W_{\mathrm{in}}$: (V, d), one row per word "
                          r"(one-hot @ $W_{\mathrm{in}}$ = $W_{\mathrm{in}}$[id]);   "
                          r"$W_{\mathrm{out}}$: (d, V)",
                          r"埋め込み $W_{\mathrm{in}}$: (V, d), 単語ごとに 1 行 "
                          r"(one-hot @ $W_{\mathrm{in}}$ = $W_{\mathrm{in}}$[id]);   "
                          r"$W_{\mathrm{out}}$: (d, V)"), size=10, color=NOTE)
    return fig
