"""Notebook 01: the simple RNN (folded and unrolled) and a recursive network over a tree.

Symbols are the notebook's: $u_t = x_t W_{in} + z_{t-1} W + b$, $z_t = f(u_t)$,
$y_t = g(z_t W_{out} + c)$; in code the hidden state is ``h`` and the weights are
``Wx: (D, H)``, ``Wh: (H, H)``, ``b: (H,)``, batches are rows: ``x_t: (N, D)``,
``h_t: (N, H)``.
"""
from .shapes import NOTE, arrow, box, heading, label, new_canvas, path, title, tr


def rnn_folded_unrolled(language):
    """The RNN folded (a loop W on the hidden layer) and unrolled over t-1, t, t+1.

    Shows x_t (N, D) → W_in (= Wx) → z_t (= h_t in code, (N, H)) → W_out → y_t (N, O),
    the recurrent W (= Wh) from z_{t-1} to z_t, and the equations under the drawing.
    """
    fig, ax = new_canvas(52)
    title(ax, tr(language, "A recurrent neural network (RNN): folded and unrolled in time",
                 "再帰型ニューラルネットワーク (RNN): 畳んだ図と時間方向に展開した図"))
    yx, yz, yy = 14.5, 27, 39.5
    bw, bh = 9, 5
    w_in, w_out = r"$W_{\mathrm{in}}$", r"$W_{\mathrm{out}}$"

    # folded: role and shape labels on the left, the loop W on the right
    fx = 17
    heading(ax, fx, 46.5, tr(language, "folded", "畳んだ図"))
    x = box(ax, fx, yx, bw, bh, "$x_t$", "input", size=12)
    z = box(ax, fx, yz, bw, bh, "$z_t$", "hidden", size=12)
    y = box(ax, fx, yy, bw, bh, "$y_t$", "output", size=12)
    arrow(ax, x, z, text=w_in, offset=(2.6, 0), size=10, textcolor="black")
    arrow(ax, z, y, text=w_out, offset=(2.9, 1.6), size=10, textcolor="black")
    path(ax, [z.right(0.9), (fx + 8.5, yz + 0.9), (fx + 8.5, yz + 4.6), (fx + 2.0, yz + 4.6),
              (fx + 2.0, yz + bh / 2)])
    label(ax, fx + 9.2, yz + 2.7, "$W$", size=11, ha="left")
    for yb, role, shape in ((yx, tr(language, "input", "入力"), "(N, D)"),
                            (yz, tr(language, "hidden layer", "中間層"), "(N, H)"),
                            (yy, tr(language, "output", "出力"), "(N, O)")):
        label(ax, fx - 5.3, yb + 1.1, role, size=10, ha="right")
        label(ax, fx - 5.3, yb - 1.3, shape, size=10, ha="right", color=NOTE)
    label(ax, 31.5, yz, "=", size=22)

    # unrolled
    heading(ax, 64, 46.5, tr(language, "unrolled: the same weights at every time step",
                             "展開した図: すべての時刻で同じ重み"))
    prev = None
    for cx, t in ((46, "t-1"), (65, "t"), (84, "t+1")):
        xb = box(ax, cx, yx, bw, bh, f"$x_{{{t}}}$", "input", size=12)
        zb = box(ax, cx, yz, bw + 1, bh, f"$z_{{{t}}}$", "hidden", size=12)
        yb = box(ax, cx, yy, bw, bh, f"$y_{{{t}}}$", "output", size=12)
        arrow(ax, xb, zb, text=w_in, offset=(2.6, 0), size=10, textcolor="black")
        arrow(ax, zb, yb, text=w_out, offset=(2.9, 0), size=10, textcolor="black")
        label(ax, cx, yx - 4.6, tr(language, f"time step ${t}$", f"時刻 ${t}$"), size=10)
        if prev is None:
            arrow(ax, (cx - 11.5, yz), zb, ls=(0, (2, 2)))
            label(ax, cx - 10, yz + 2.0, "$z_{t-2}$", size=10)
        else:
            arrow(ax, prev, zb, text="$W$", offset=(0, 1.8), size=11, textcolor="black")
        prev = zb
    arrow(ax, prev, (prev.x + 11, yz), ls=(0, (2, 2)))

    # equations and the names in code
    label(ax, 48, 5.6, r"$z_t = f(x_t W_{\mathrm{in}} + z_{t-1} W + b)$,     "
                       r"$y_t = g(z_t W_{\mathrm{out}} + c)$", size=11)
    label(ax, 48, 1.9, tr(language,
                          r"in code: $z_t$ = h (N, H),  $W_{\mathrm{in}}$ = Wx (D, H),  "
                          r"$W$ = Wh (H, H),  $b$ = b (H,);  f = tanh",
                          r"コードでは: $z_t$ = h (N, H),  $W_{\mathrm{in}}$ = Wx (D, H),  "
                          r"$W$ = Wh (H, H),  $b$ = b (H,);  f = tanh"),
          size=10, color=NOTE)
    return fig


def recursive_tree(language):
    """A recursive network over a parse tree: leaves are word vectors (D,), every inner
    node is tanh(W · [left; right] + b) with the same W: (D, 2D) and b: (D,)."""
    fig, ax = new_canvas(50)
    title(ax, tr(language, "A recursive neural network over a parse tree",
                 "構文木に沿った再帰的ニューラルネットワーク (recursive NN)"))
    words = (["the", "cat", "ate", "fish"] if language == "en"
             else ["その", "猫が", "魚を", "食べた"])
    xs = [12, 30, 54, 72]
    leaves = []
    for i, (cx, w) in enumerate(zip(xs, words)):
        label(ax, cx, 5, f"“{w}”" if language == "en" else f"「{w}」", size=11)
        leaves.append(box(ax, cx, 11, 10, 4.5, f"$x_{i + 1}$: (D,)", "input", size=10))
    node_text = r"$\tanh(W\,[\,l\,;\,r\,] + b)$"
    p1 = box(ax, 21, 22, 17, 5, node_text, "hidden", size=10)
    p2 = box(ax, 63, 22, 17, 5, node_text, "hidden", size=10)
    root = box(ax, 42, 34, 17, 5, node_text, "hidden", size=10)
    for leaf, parent, side in ((leaves[0], p1, "l"), (leaves[1], p1, "r"),
                               (leaves[2], p2, "l"), (leaves[3], p2, "r")):
        arrow(ax, leaf.top(), parent.bottom(-4 if side == "l" else 4),
              text=f"${side}$", offset=(-1.6 if side == "l" else 1.6, 0), size=10)
    arrow(ax, p1.top(), root.bottom(-4), text="$l$", offset=(-1.8, 0.4))
    arrow(ax, p2.top(), root.bottom(4), text="$r$", offset=(1.8, 0.4))
    label(ax, 21, 26.8, "$p_1$: (D,)", size=10)
    label(ax, 63, 26.8, "$p_2$: (D,)", size=10)
    label(ax, 42, 38.8, tr(language, "sentence vector: (D,)", "文のベクトル: (D,)"), size=10)
    label(ax, 94, 34, tr(language, "the same $W$: (D, 2D) and $b$: (D,)\nat every inner node",
                         "すべての内部ノードで\n同じ重み $W$: (D, 2D), $b$: (D,)"),
          size=10, ha="right", color=NOTE)
    label(ax, 3, 34, tr(language, "$[\\,l\\,;\\,r\\,]$: left child's D\nnumbers, then the\n"
                                  "right child's: (2D,)",
                        "$[\\,l\\,;\\,r\\,]$: 左の子の D 個,\n続けて右の子の D 個を\n"
                        "連結: (2D,)"),
          size=10, ha="left", color=NOTE)
    label(ax, 86, 11, tr(language, "leaves:\nword vectors", "葉:\n単語ベクトル"), size=10,
          color=NOTE)
    label(ax, 86, 4.2, tr(language, "tree: ((the cat) (ate fish))", "構文木:\n((その 猫が) (魚を 食べた))"),
          size=9, color=NOTE)
    return fig
