r"""Notebook 08: attention over the encoder states.

Symbols of notebook 08: encoder states $hs = (hs_0, \dots, hs_{T-1})$: (T, H), the
decoder state $h$: (H,) at one output step, scores $s_t = hs_t \cdot h$, weights
$a = \mathrm{softmax}(s)$ over the time steps, context $c = \sum_t a_t\, hs_t$: (H,), and
$y_j = \mathrm{softmax}([\,c_j ; h_j\,] W_o + b_o)$ with $W_o$: (2H, V).
"""
from matplotlib.patches import Rectangle

from .shapes import (COLORS, EDGE, NOTE, arrow, box, circle, label, new_canvas, path, title,
                     tr)

# illustrative weights of the output step that emits 「猫」 ("cat"), as in the notebook
WEIGHTS = (0.05, 0.05, 0.10, 0.80)


def attention_encoder_states(language):
    """Dot-product attention at one decoder step j: the scores s_t = hs_t · h for every
    encoder state (T = 4: "I am a cat"), softmax over t → weights a (T,), context
    c = Σ_t a_t hs_t (H,), then [c; h] (2H,) → W_o → softmax → y_j."""
    fig, ax = new_canvas(68)
    title(ax, tr(language, "Attention: the decoder reads all encoder states at every step",
                 "アテンション (注意): デコーダは毎ステップ, エンコーダのすべての隠れ状態を読む"))
    cols = [12, 26, 40, 54]
    words = ["I", "am", "a", "cat"]
    yw, yhs, ys, ysm, ya, yc = 4.5, 12, 23, 31.5, 38.5, 55

    hs = []
    for t, (cx, w) in enumerate(zip(cols, words)):
        label(ax, cx, yw, f"“{w}”", size=11)
        b = box(ax, cx, yhs, 9, 5, f"$hs_{t}$", "hidden", size=12)
        arrow(ax, (cx, yw + 1.5), b)
        if hs:
            arrow(ax, hs[-1], b)
        hs.append(b)
    label(ax, 60.5, yhs, tr(language, "encoder states\nhs: (T, H)", "エンコーダの隠れ状態\nhs: (T, H)"),
          size=10, ha="left", color=NOTE)

    # the decoder state h at this output step
    dec = box(ax, 82, yhs, 14, 5, tr(language, "decoder RNN", "デコーダ RNN"), "plain", size=9)
    label(ax, 82, yw, tr(language, "previous output", "1 つ前の出力"), size=10)
    arrow(ax, (82, yw + 1.5), dec)
    h = box(ax, 82, ys, 10, 5, "$h$: (H,)", "context", size=11)
    arrow(ax, dec, h)
    label(ax, 87.8, ys, tr(language, "decoder\nstate", "デコーダの\n隠れ状態"), size=9,
          ha="left", color=NOTE)

    # scores: one dot product per encoder state, h broadcast along the row
    ax.plot([cols[0], h.left()[0]], [ys, ys], color=EDGE, lw=1.4, zorder=1)
    dots = []
    for cx, b in zip(cols, hs):
        d = circle(ax, cx, ys, r=2.0, text=r"$\cdot$", size=16)
        arrow(ax, b, d)
        dots.append(d)
    label(ax, 66, ys + 2.4, r"$s_t = hs_t \cdot h$  " + tr(language, "(score)", "(スコア)"),
          size=10)
    sm = box(ax, 33, ysm, 52, 4, tr(language, "softmax over the time steps t",
                                   "時刻 t についての softmax"), "plain", size=10)
    for d in dots:
        arrow(ax, d, (d.x, sm.bottom()[1]))

    # the weights as bars
    for t, (cx, a) in enumerate(zip(cols, WEIGHTS)):
        height = 9 * a
        ax.add_patch(Rectangle((cx - 3, ya), 6, height, fc=COLORS["latent"], ec=EDGE,
                               lw=1.0, zorder=2))
        label(ax, cx, ya + height + 1.5, f"$a_{t}$ = {a:.2f}", size=10)
        arrow(ax, (cx, sm.top()[1]), (cx, ya))

    # the weighted sum needs the weights and, again, the encoder states
    c = box(ax, 33, yc, 30, 5, r"$c = \sum_t a_t\, hs_t$: (H,)", "context", size=11)
    label(ax, 33, yc + 4.2, tr(language, "context vector (weighted sum)",
                               "文脈ベクトル (重み付き和)"), size=10, color=NOTE)
    for cx, a in zip(cols, WEIGHTS):
        arrow(ax, (cx, ya + 9 * a + 3.0), c.bottom(0.25 * (cx - 33)))
    path(ax, [hs[0].left(), (3, yhs), (3, yc), c.left()])
    label(ax, 3, (yhs + yc) / 2, "hs", size=11, bg=True)

    # output: [c; h] → W_o → softmax
    out = box(ax, 82, yc, 26, 8, r"$[\,c\,;\,h\,]$: (2H,)" + "\n" +
              r"$y_j = \mathrm{softmax}([\,c\,;\,h\,] W_o + b_o)$", "output", size=10)
    arrow(ax, c, out)
    arrow(ax, h, out)
    label(ax, 61, 43, tr(language, "the step that translates “cat”:\nits weight is on “cat”",
                         "「猫」を出力するステップ:\n重みは “cat” に集中"),
          size=10, ha="left", color=NOTE)
    return fig
