r"""Notebook 02: backpropagation through time (BPTT).

Symbols of notebook 02: $E = \sum_t E_t$, $\delta_t = \partial E / \partial u_t$ (error at
the hidden pre-activation, (N, H)), $\delta^{\mathrm{out}}_t = \partial E / \partial v_t$ (N, O), and
$\delta_{t-1} = (\delta_t W^\top + \delta^{\mathrm{out}}_{t-1} W_{\mathrm{out}}^\top) \odot f'(u_{t-1})$.
"""
from .shapes import (BACKWARD, NOTE, arrow, box, heading, label, new_canvas, title, tr)

GREY = "#8a8a8a"


def bptt_error_flow(language):
    """The unrolled RNN (t-1, t, t+1) with the forward pass in grey and the error in red:
    from each loss E_t down to its output and hidden layer, and back through time by
    δ_t W^T (times f'(u_{t-1})), with the total loss E = Σ_t E_t at the top."""
    fig, ax = new_canvas(62)
    title(ax, tr(language, "Backpropagation through time (BPTT): the error flows back",
                 "通時的誤差逆伝播 BPTT: 誤差 δ が時間をさかのぼって逆伝播する"))
    yx, yz, yy, ye, ytot = 14, 26, 38, 47.5, 55
    cols = ((32, "t-1"), (56, "t"), (80, "t+1"))

    box(ax, 56, ytot, 62, 4.5, r"$E = \sum_t E_t$", "loss", size=12)
    label(ax, 3, ytot, tr(language, "loss", "損失"), size=10, ha="left")
    label(ax, 3, ye, tr(language, "loss per step", "各時刻の損失"), size=10, ha="left")
    label(ax, 3, yy, tr(language, "output", "出力"), size=10, ha="left")
    label(ax, 3, yz + 1.2, tr(language, "hidden layer", "中間層"), size=10, ha="left")
    label(ax, 3, yz - 1.2, "(N, H)", size=10, ha="left", color=NOTE)
    label(ax, 3, yx, tr(language, "input", "入力"), size=10, ha="left")

    zs = []
    for cx, t in cols:
        xb = box(ax, cx, yx, 9, 4.5, f"$x_{{{t}}}$", "input", size=12)
        zb = box(ax, cx, yz, 10, 4.5, f"$z_{{{t}}}$", "hidden", size=12)
        yb = box(ax, cx, yy, 9, 4.5, f"$y_{{{t}}}$", "output", size=12)
        eb = box(ax, cx, ye, 9, 4, f"$E_{{{t}}}$", "loss", size=12)
        label(ax, cx, yx - 5, tr(language, f"time step ${t}$", f"時刻 ${t}$"), size=10)
        # forward (grey, left of centre)
        arrow(ax, xb.top(), zb.bottom(), color=GREY, lw=1.2)
        arrow(ax, zb.top(-2.5), yb.bottom(-2.5), color=GREY, lw=1.2)
        arrow(ax, yb.top(-2.5), eb.bottom(-2.5), color=GREY, lw=1.2)
        arrow(ax, eb.top(), (cx, ytot - 2.25), color=GREY, lw=1.2)
        # backward (red, right of centre)
        arrow(ax, eb.bottom(2.5), yb.top(2.5), color=BACKWARD, lw=2)
        arrow(ax, yb.bottom(2.5), zb.top(2.5), color=BACKWARD, lw=2,
              text=rf"$\delta^{{\mathrm{{out}}}}_{{{t}}} W_{{\mathrm{{out}}}}^\top$", offset=(5.6, 0), size=10)
        label(ax, cx - 6.9, yz + 3.7, rf"$\delta_{{{t}}}$", size=12, color=BACKWARD)
        zs.append(zb)

    for (_, t_left), left, right in zip(cols, zs, zs[1:]):
        arrow(ax, left.right(1.2), right.left(1.2), color=GREY, lw=1.2)
        label(ax, (left.x + right.x) / 2, yz + 2.6, "$W$", size=10, color=GREY)
        arrow(ax, right.left(-1.0), left.right(-1.0), color=BACKWARD, lw=2)
        label(ax, (left.x + right.x) / 2, yz - 3.4,
              rf"$\times W^\top$, $\odot f'(u_{{{t_left}}})$", size=10, color=BACKWARD)
    arrow(ax, (zs[-1].x + 14, yz - 1.0), zs[-1].right(-1.0), color=BACKWARD, lw=2,
          ls=(0, (2, 2)))
    arrow(ax, zs[0].left(-1.0), (zs[0].x - 13, yz - 1.0), color=BACKWARD, lw=2,
          ls=(0, (2, 2)))
    label(ax, zs[0].x - 11, yz + 1.8, "$\\delta_{t-2}$", size=10, color=BACKWARD)
    label(ax, zs[-1].x + 11.5, yz + 1.8, "$\\delta_{t+2}$", size=10, color=BACKWARD)

    # legend and equations
    heading(ax, 3, 5.6, tr(language, "error at step t-1:", "時刻 t-1 の誤差:"), size=10, ha="left")
    label(ax, 23, 5.6, r"$\delta_{t-1} = (\delta_t W^\top + \delta^{\mathrm{out}}_{t-1} W_{\mathrm{out}}^\top)"
                       r" \odot f'(u_{t-1})$", size=11, ha="left")
    label(ax, 3, 1.8, tr(language, "gradient:", "勾配:"), size=10, ha="left")
    label(ax, 15, 1.8, r"$\partial E / \partial W = \sum_t z_{t-1}^\top \delta_t$,   "
                       r"$\partial E / \partial W_{\mathrm{in}} = \sum_t x_t^\top \delta_t$,   "
                       r"$\partial E / \partial W_{\mathrm{out}} = \sum_t z_t^\top \delta^{\mathrm{out}}_t$",
          size=10, ha="left")
    label(ax, 94, 5.6, tr(language, "grey: forward   red: error (backward)",
                          "灰: 順伝播   赤: 誤差の逆伝播"), size=10, ha="right", color=NOTE)
    return fig
