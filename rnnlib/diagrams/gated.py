r"""Notebooks 03 and 04: the LSTM cell and the GRU cell.

LSTM (notebook 03): one product $A = x W_x + h_{t-1} W_h + b$ (Wx: (D, 4H), Wh: (H, 4H),
b: (4H,)) split in the order i, f, o, g; $i, f, o = \sigma(\cdot)$, $g = \tanh(A_g)$ (the
notes call the candidate $a$); the cell state runs along the top (the CEC).
GRU (notebook 04): $z = \sigma(x W_z + h U_z)$, $r = \sigma(x W_r + h U_r)$,
$\bar h = \tanh(x W + (r \odot h) U)$, $h_{new} = (1 - z) \odot h + z \odot \bar h$.
"""
from .shapes import (EDGE, NOTE, PEEPHOLE, arrow, box, circle, dot, heading, label,
                     new_canvas, path, title, tr)

ODOT = r"$\odot$"


def _cell_frame(ax, x0, x1, y0, y1, name):
    """The cell's dashed outline with its name in the top-left corner."""
    from matplotlib.patches import FancyBboxPatch
    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0,
                                boxstyle="round,pad=0,rounding_size=2", fc="#fafafa",
                                ec=EDGE, lw=1.0, ls=(0, (4, 3)), zorder=0))
    heading(ax, x0 + 1.2, y1 - 2.2, name, size=10, ha="left", color=NOTE)


def lstm_cell(language):
    """The LSTM cell at time t: c_{t-1} → ⊙ f → + (i ⊙ g) → c_t along the top (the CEC),
    h_t = o ⊙ tanh(c_t); gates fed by h_{t-1} and x_t; peepholes dashed (optional).
    Shapes: x_t (N, D), h and c (N, H), A (N, 4H) split i, f, o, g."""
    fig, ax = new_canvas(62)
    title(ax, tr(language, "The LSTM cell: the CEC, three gates and the candidate",
                 "LSTM の記憶セル: CEC, 3 つのゲートと候補"))
    top, gy, bus = 44, 22, 15.5
    _cell_frame(ax, 8, 86, 10, 52, tr(language, "memory cell (LSTM block)", "記憶セル (LSTM ブロック)"))

    # the CEC along the top
    mul_f = circle(ax, 24, top, text=ODOT, size=13)
    plus = circle(ax, 44, top, text="$+$", size=13)
    arrow(ax, (1, top), mul_f)
    label(ax, 1.5, top + 2.2, "$c_{t-1}$", size=11, ha="left")
    arrow(ax, mul_f, plus)
    arrow(ax, plus, (95, top))
    label(ax, 94.5, top + 2.2, "$c_t$", size=11, ha="right")
    label(ax, 34, top + 4.0, tr(language, "CEC: the cell state $c$ (N, H)",
                                "CEC: セル状態 $c$ (N, H)"), size=10, color=NOTE)

    # the gates
    gw, gh = 13.5, 7
    f = box(ax, 24, gy, gw, gh, tr(language, "forget gate $f$", "忘却ゲート $f$") +
            "\n" + r"$\sigma(A_f)$", "gate", size=9)
    i = box(ax, 38.5, gy, gw, gh, tr(language, "input gate $i$", "入力ゲート $i$") +
            "\n" + r"$\sigma(A_i)$", "gate", size=9)
    g = box(ax, 53, gy, gw, gh, tr(language, "candidate $g$ (= $a$)", "候補 $g$ (= $a$)") +
            "\n" + r"$\tanh(A_g)$", "candidate", size=9)
    o = box(ax, 67.5, gy, gw, gh, tr(language, "output gate $o$", "出力ゲート $o$") +
            "\n" + r"$\sigma(A_o)$", "gate", size=9)
    arrow(ax, f.top(), mul_f)
    mul_ig = circle(ax, 44, 34, text=ODOT, size=13)
    arrow(ax, i.top(2), mul_ig)
    arrow(ax, g.top(-2), mul_ig)
    arrow(ax, mul_ig, plus)
    # read-out: h_t = o ⊙ tanh(c_t)
    dot(ax, 78, top)
    tanh = box(ax, 78, 35, 7, 3.6, r"$\tanh$", "op", size=10)
    arrow(ax, (78, top), tanh)
    mul_o = circle(ax, 78, gy, text=ODOT, size=13)
    arrow(ax, tanh, mul_o)
    arrow(ax, o, mul_o)
    path(ax, [mul_o.bottom(), (78, 14), (95, 14)])
    label(ax, 94.5, 16.2, "$h_t$ (N, H)", size=11, ha="right")

    # inputs: h_{t-1} and x_t on one bus under the gates
    ax.plot([1, 67.5], [bus, bus], color=EDGE, lw=1.4, zorder=1)
    label(ax, 1.5, bus + 2.0, "$h_{t-1}$ (N, H)", size=11, ha="left")
    path(ax, [(15, 2.5), (15, bus)], head=False)
    dot(ax, 15, bus)
    label(ax, 16, 4.5, "$x_t$ (N, D)", size=11, ha="left")
    for gate in (f, i, g, o):
        arrow(ax, (gate.x, bus), gate.bottom())

    # peepholes (dashed, optional): c_{t-1} → f, i and c_t → o
    dot(ax, 13, top, color=PEEPHOLE)
    path(ax, [(13, top), (13, gy), f.left()], color=PEEPHOLE, ls=(0, (3, 2)))
    path(ax, [(13, 29.5), (34, 29.5), i.top(-4.5)], color=PEEPHOLE, ls=(0, (3, 2)),
         bridge=True)
    dot(ax, 13, 29.5, color=PEEPHOLE)
    dot(ax, 62, top, color=PEEPHOLE)
    path(ax, [(62, top), o.top(-5.5)], color=PEEPHOLE, ls=(0, (3, 2)))
    label(ax, 62.8, 33.5, tr(language, "peephole\n(optional)", "覗き穴結合\n(任意)"), size=9,
          ha="left", color=PEEPHOLE)
    label(ax, 12.2, 33.5, tr(language, "peephole\n(optional)", "覗き穴結合\n(任意)"), size=9,
          ha="right", color=PEEPHOLE)

    # the one product behind the gates
    label(ax, 28, 6.0, r"$A = x_t W_x + h_{t-1} W_h + b$:  (N, 4H)", size=10, ha="left")
    label(ax, 28, 2.4, tr(language,
                          "Wx: (D, 4H), Wh: (H, 4H), b: (4H,); blocks in the order i, f, o, g",
                          "Wx: (D, 4H), Wh: (H, 4H), b: (4H,); ブロックの順は i, f, o, g"),
          size=10, ha="left", color=NOTE)
    return fig


def gru_cell(language):
    """The GRU cell: one state h (top line), reset gate r, update gate z, candidate h̄;
    h_new = (1 - z) ⊙ h + z ⊙ h̄ (the course's convention: z → 1 takes the candidate).
    Shapes: x (N, D), h and h_new (N, H); stacked Wx: (D, 3H) in the order z, r, h̄."""
    fig, ax = new_canvas(62)
    title(ax, tr(language, "The GRU cell: reset gate, update gate and candidate",
                 "GRU: リセットゲート, 更新ゲートと候補"))
    top, gy, bus = 44, 22, 15.5
    _cell_frame(ax, 8, 87, 10, 52, "GRU")

    # the state line
    mul_keep = circle(ax, 62, top, text=ODOT, size=13)
    plus = circle(ax, 82, top, text="$+$", size=13)
    arrow(ax, (1, top), mul_keep)
    label(ax, 1.5, top + 2.2, tr(language, "$h$ (prev_h) (N, H)", "$h$ (prev_h) (N, H)"),
          size=11, ha="left")
    arrow(ax, mul_keep, plus, text=r"$(1-z) \odot h$", offset=(0, 2.2), size=10,
          textcolor="black")
    arrow(ax, plus, (95, top))
    label(ax, 95, top + 2.6, "$h_{new}$ (N, H)", size=11, ha="right", bg=True)

    # gates and candidate
    r = box(ax, 24, gy, 15, 7, tr(language, "reset gate $r$", "リセットゲート $r$") + "\n" +
            r"$\sigma(x W_r + h U_r)$", "gate", size=9)
    cand = box(ax, 44, gy, 18, 7, tr(language, r"candidate $\bar h$ (h_bar)",
                                     r"候補 $\bar h$ (h_bar)") + "\n" +
               r"$\tanh(x W + (r \odot h) U)$", "candidate", size=9)
    z = box(ax, 66, gy, 15, 7, tr(language, "update gate $z$", "更新ゲート $z$") + "\n" +
            r"$\sigma(x W_z + h U_z)$", "gate", size=9)

    # r ⊙ h into the candidate
    dot(ax, 24, top)
    mul_r = circle(ax, 24, 34, text=ODOT, size=13)
    arrow(ax, (24, top), mul_r)
    arrow(ax, r, mul_r)
    path(ax, [mul_r.right(), (38, 34), (38, cand.y + 3.5)])
    label(ax, 31.5, 36.0, r"$r \odot h$", size=10)

    # 1 - z keeps the old state, z takes the candidate
    one_minus = circle(ax, 62, 35, r=2.2, text="$1-$", size=10)
    arrow(ax, one_minus, mul_keep)
    mul_new = circle(ax, 82, 29, text=ODOT, size=13)
    path(ax, [cand.top(4), (48, 29), mul_new.left()])
    label(ax, 52.5, 30.8, r"$\bar h$", size=11)
    arrow(ax, z.top(-4), one_minus.bottom(), bridge=True)  # passes over the h̄ line
    path(ax, [z.right(), (82, gy), mul_new.bottom()])
    label(ax, 84.5, 24.5, "$z$", size=11, ha="left")
    arrow(ax, mul_new, plus, text=r"$z \odot \bar h$", offset=(-4.2, 0), size=10,
          textcolor="black")

    # inputs
    dot(ax, 16, top)
    ax.plot([16, 16, 66], [top, bus, bus], color=EDGE, lw=1.4, zorder=1)
    path(ax, [(20, 2.5), (20, bus)], head=False)
    dot(ax, 20, bus)
    label(ax, 21, 4.5, "$x$ (N, D)", size=11, ha="left")
    for gate in (r, cand, z):
        arrow(ax, (gate.x, bus), gate.bottom())

    label(ax, 30, 6.0, r"$h_{new} = (1 - z) \odot h + z \odot \bar h$", size=11, ha="left")
    label(ax, 61, 6.0, tr(language, r"($z \to 1$: take $\bar h$,  $z \to 0$: keep $h$)",
                          r"($z \to 1$: $\bar h$ を採用,  $z \to 0$: $h$ を保持)"),
          size=10, ha="left", color=NOTE)
    label(ax, 30, 2.2, tr(language,
                          r"stacked: Wx: (D, 3H), Wh: (H, 3H), b: (3H,); blocks z, r, $\bar h$",
                          r"まとめた重み: Wx: (D, 3H), Wh: (H, 3H), b: (3H,); 順は z, r, $\bar h$"),
          size=10, ha="left", color=NOTE)
    return fig
