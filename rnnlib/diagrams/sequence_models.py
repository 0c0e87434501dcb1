r"""Notebooks 05 and 06: bidirectional RNN, encoder–decoder, HRED / VHRED and the VAE.

Symbols: 05 writes $\overrightarrow{h}_t$, $\overleftarrow{h}_t$ and
$h_t = [\overrightarrow{h}_t ; \overleftarrow{h}_t]$ (N, T, 2H); 06 writes the encoder
$h_t = \tanh(e_t W_x + h_{t-1} W_h + b)$ with the thought vector $h_T$, the decoder's
greedy output $\hat y_s = \mathrm{argmax}(s_s W_{out} + b_{out})$, and the VAE's
$z = \mu + \sigma \odot \varepsilon$, $\varepsilon \sim \mathcal{N}(0, I)$.
"""
from matplotlib.patches import Rectangle

from .shapes import (BACKWARD, COLORS, EDGE, NOTE, arrow, box, circle, heading, label,
                     new_canvas, path, title, tr, trapezoid)

FWD_COLOR = COLORS["hidden"]
BWD_COLOR = COLORS["context"]


def bidirectional_rnn(language):
    """A forward and a backward RNN over the same xs (T = 3 shown); at every time step
    their states are concatenated on the feature axis: (N, T, H) twice → (N, T, 2H).
    The backward RNN reads xs[:, ::-1], so its state of step t is hs_b[:, T-1-t]."""
    fig, ax = new_canvas(62)
    title(ax, tr(language, "A bidirectional RNN: two directions, concatenated per time step",
                 "双方向 RNN: 順方向と逆方向の隠れ状態を時刻ごとに連結"))
    T = 3
    cols = [34, 56, 78]
    yx, yf, yb, yc = 9, 21, 34, 48
    fw, bw = [], []
    for t, cx in enumerate(cols):
        xb = box(ax, cx, yx, 9, 4.5, f"$x_{t}$", "input", size=12)
        label(ax, cx, yx - 5, f"$t = {t}$", size=10)
        f = box(ax, cx - 4, yf, 10, 6, rf"$\overrightarrow{{h}}_{t}$" + "\n" + f"hs_f[:, {t}]",
                FWD_COLOR, size=10)
        b = box(ax, cx + 4, yb, 10, 6, rf"$\overleftarrow{{h}}_{t}$" + "\n" +
                f"hs_b[:, {T - 1 - t}]", BWD_COLOR, size=10)
        arrow(ax, xb.top(-2.5), f.bottom(1.5))
        arrow(ax, xb.top(3.5), b.bottom(-0.5), bridge=True)
        # the concatenated state of step t: two halves side by side
        for dx, color, sym in ((-4, FWD_COLOR, r"$\overrightarrow{h}_" + f"{t}$"),
                               (4, BWD_COLOR, r"$\overleftarrow{h}_" + f"{t}$")):
            ax.add_patch(Rectangle((cx + dx - 4, yc - 3), 8, 6, fc=color, ec=EDGE, lw=1.2,
                                   zorder=2))
            label(ax, cx + dx, yc, sym, size=11, zorder=5)
        arrow(ax, f.top(), (cx - 4, yc - 3), bridge=True)
        arrow(ax, b.top(), (cx + 4, yc - 3))
        fw.append(f)
        bw.append(b)
    for left, right in zip(fw, fw[1:]):
        arrow(ax, left, right)
    for left, right in zip(bw, bw[1:]):
        arrow(ax, right, left)
    arrow(ax, (fw[0].x - 9.5, yf), fw[0], ls=(0, (2, 2)))
    label(ax, fw[0].x - 10.5, yf, "0", size=10, ha="right")
    arrow(ax, (bw[-1].x + 8, yb), bw[-1], ls=(0, (2, 2)))
    label(ax, bw[-1].x + 8.6, yb, "0", size=10, ha="left")

    label(ax, 2, yf + 1.4, tr(language, "forward RNN", "順方向 RNN"), size=10, ha="left")
    label(ax, 2, yf - 1.4, "hs_f: (N, T, H)", size=10, ha="left", color=NOTE)
    label(ax, 2, yb + 2.8, tr(language, "backward RNN", "逆方向 RNN"), size=10, ha="left")
    label(ax, 2, yb + 0.2, tr(language, "reads xs[:, ::-1]", "xs[:, ::-1] を読む"), size=10,
          ha="left", color=NOTE)
    label(ax, 2, yb - 2.4, "hs_b: (N, T, H)", size=10, ha="left", color=NOTE)
    label(ax, 2, yc + 1.4, tr(language, "concatenated", "連結"), size=10, ha="left")
    label(ax, 2, yc - 1.4, "hs: (N, T, 2H)", size=10, ha="left", color=NOTE)
    label(ax, 2, yx, "xs: (N, T, D)", size=10, ha="left")
    label(ax, 56, yc + 5.5, tr(language,
                               "step t: $[\\,\\overrightarrow{h}_t\\,;\\,\\overleftarrow{h}_t\\,]$"
                               " joined on the feature axis (axis = -1), both of the same step",
                               "時刻 t: 同じ時刻の $\\overrightarrow{h}_t$ と "
                               "$\\overleftarrow{h}_t$ を特徴量の軸 (axis = -1) で連結"),
          size=10, color=NOTE)
    return fig


def encoder_decoder(language):
    """Seq2seq on the course's addition task: the encoder embeds "64+57" and runs an RNN;
    its final state h_T (the thought vector) starts the decoder, which embeds its previous
    output token ("_" first), updates s_s, scores the vocabulary (s_s W_out + b_out: (N, V))
    and takes the argmax, fed back at the next step."""
    fig, ax = new_canvas(62)
    title(ax, tr(language, "Encoder–decoder (seq2seq): the thought vector starts the decoder",
                 "エンコーダ・デコーダ (seq2seq): 思考ベクトルがデコーダの初期状態"))
    ytok, yemb, yrnn, yout, ypred = 5, 14, 27, 39, 49
    enc_x = [7, 17, 27, 37, 47]
    states = []
    for k, (cx, tok) in enumerate(zip(enc_x, "64+57")):
        label(ax, cx, ytok, f"“{tok}”", size=12)
        e = box(ax, cx, yemb, 8, 4.5, tr(language, "embed", "埋め込み"), "embedding", size=9)
        arrow(ax, (cx, ytok + 1.6), e)
        name = "$h_T$" if k == len(enc_x) - 1 else f"$h_{k + 1}$"
        h = box(ax, cx, yrnn, 8, 5, name, "hidden", size=12)
        arrow(ax, e, h)
        if states:
            arrow(ax, states[-1], h)
        states.append(h)
    heading(ax, 27, 49.5, tr(language, "encoder", "エンコーダ"))
    label(ax, 27, 44.5, r"$h_t = \tanh(e_t W_x + h_{t-1} W_h + b)$", size=10)
    label(ax, 27, 40.0, tr(language, "ids (N, T) → embeddings $e_t$ (N, T, D)",
                           "ids (N, T) → 埋め込み $e_t$ (N, T, D)"), size=10, color=NOTE)
    label(ax, 27, 36.0, tr(language, "→ final state $h_T$ (N, H)", "→ 最後の隠れ状態 $h_T$ (N, H)"),
          size=10, color=NOTE)

    dec_x = [62, 75, 88]
    prev = states[-1]
    for k, (cx, tok_in, tok_out) in enumerate(zip(dec_x, "_12", "121")):
        label(ax, cx, ytok, f"“{tok_in}”", size=12)
        e = box(ax, cx, yemb, 8, 4.5, tr(language, "embed", "埋め込み"), "embedding", size=9)
        arrow(ax, (cx, ytok + 1.6), e)
        s = box(ax, cx, yrnn, 8, 5, f"$s_{k + 1}$", "hidden", size=12)
        arrow(ax, e, s)
        if k == 0:
            arrow(ax, prev, s, color=BACKWARD, lw=2.2)
        else:
            arrow(ax, prev, s)
        o = box(ax, cx, yout, 12, 6, f"$s_{k + 1}" + r" W_{\mathrm{out}} + b_{\mathrm{out}}$"
                + "\nargmax", "output", size=9)
        arrow(ax, s, o)
        label(ax, cx, ypred, f"“{tok_out}”", size=12)
        arrow(ax, o, (cx, ypred - 1.8))
        if k + 1 < len(dec_x):  # the output is the next step's input
            path(ax, [(cx + 2.2, ypred), (cx + 6.5, ypred), (cx + 6.5, ytok),
                      (dec_x[k + 1] - 2.3, ytok)], ls=(0, (2, 2)), color=NOTE, bridge=True)
        prev = s
    label(ax, 54.5, yrnn + 4.3, tr(language, "thought\nvector $h_T$", "思考ベクトル\n$h_T$"),
          size=10, color=BACKWARD)
    heading(ax, 75, 55.5, tr(language, "decoder (greedy)", "デコーダ (貪欲法)"))
    label(ax, 75, 52.5, tr(language, "scores (N, V) → the most likely token",
                           "スコア (N, V) → 最も確率の高いトークン"), size=10, color=NOTE)
    label(ax, 75, 1.3, tr(language, "input: the previous output token (“_” = start)",
                          "入力: 1 つ前の出力トークン (“_” = 開始)"), size=10, color=NOTE)
    label(ax, 27, 1.3, tr(language, "input tokens (one character each)",
                          "入力トークン (1 文字ずつ)"), size=10, color=NOTE)
    return fig


def hred_vhred(language):
    """Two panels. HRED: an utterance encoder per utterance u_n, a context RNN over the
    utterance vectors (states c_n), a decoder from c_n generating u_{n+1}. VHRED: the same
    plus a latent variable z_n ~ N(μ_n, σ_n²) drawn from a distribution computed from
    c_n, which conditions the decoder as well."""
    fig, ax = new_canvas(64)
    title(ax, tr(language, "HRED and VHRED: utterance encoders and a context RNN over the dialogue",
                 "HRED と VHRED: 発話ごとのエンコーダと, 対話をたどる文脈 RNN"))
    yu, yenc, yctx, yz, ydec, yout = 4.5, 13.5, 25, 35, 43.5, 51
    for panel, x0 in (("HRED", 1), ("VHRED", 49)):
        latent = panel == "VHRED"
        heading(ax, x0 + 23, 59, panel if not latent else
                tr(language, "VHRED = HRED + latent variable $z$", "VHRED = HRED + 潜在変数 $z$"))
        prev = None
        for n, dx in enumerate((8, 23, 38), start=1):
            cx = x0 + dx
            label(ax, cx, yu, tr(language, f"utterance $u_{n}$", f"発話 $u_{n}$"), size=10)
            enc = box(ax, cx, yenc, 12, 6, tr(language, "utterance\nencoder", "発話\nエンコーダ"),
                      "embedding", size=9)
            arrow(ax, (cx, yu + 1.6), enc)
            ctx = box(ax, cx, yctx, 9, 5, f"$c_{n}$", "context", size=12)
            arrow(ax, enc, ctx)
            if prev is not None:
                arrow(ax, prev, ctx)
            prev = ctx
            dec = box(ax, cx, ydec, 12, 5, tr(language, "decoder", "デコーダ"), "hidden", size=9)
            if latent:
                arrow(ax, ctx.top(-2.5), dec.bottom(-2.5))
                z = circle(ax, cx + 3.5, yz, r=2.3, text=f"$z_{n}$", color="latent", size=11)
                arrow(ax, ctx.top(2.5), z, color=NOTE, ls=(0, (2, 2)))
                arrow(ax, z, dec.bottom(3.5))
            else:
                arrow(ax, ctx, dec)
            label(ax, cx, yout, f"$u_{n + 1}$", size=11)
            arrow(ax, dec, (cx, yout - 1.6))
        label(ax, x0 + 15.5, (yenc + yctx) / 2 + 0.3, tr(language, "context RNN", "文脈 RNN"),
              size=9, color=NOTE)
    label(ax, 49 + 23, 55.5, r"$z_n \sim \mathcal{N}(\mu_n, \sigma_n^2)$" +
          tr(language, " from $c_n$", " ($c_n$ から)"), size=10, color=NOTE)
    ax.plot([48, 48], [2, 60], color="#bbbbbb", lw=1)
    label(ax, 24, 55.5, tr(language, "the reply depends on the context only",
                           "応答は文脈 $c_n$ だけで決まる"), size=10,
          color=NOTE)
    return fig


def vae(language):
    """Top: a plain autoencoder, x → encoder → code z (deterministic) → decoder → x̂.
    Bottom: the VAE: the encoder outputs μ and log σ² (N, Z); z = μ + σ ⊙ ε with
    ε ~ N(0, I) drawn outside (the reparameterisation trick); the loss adds the KL term."""
    fig, ax = new_canvas(62)
    title(ax, tr(language, "Autoencoder vs variational autoencoder (VAE)",
                 "自己符号化器と変分自己符号化器 (VAE)"))
    # plain autoencoder
    ya = 44
    heading(ax, 2, 53, tr(language, "autoencoder: a deterministic code",
                          "自己符号化器: 決定的な潜在コード"), ha="left")
    x = box(ax, 7, ya, 8, 5, "$x$", "input", size=12)
    enc = trapezoid(ax, 23, ya, 10, 4, 13, tr(language, "encoder", "エンコーダ"), "embedding",
                    size=9)
    z = box(ax, 41, ya, 8, 5, "$z$", "latent", size=12)
    dec = trapezoid(ax, 59, ya, 4, 10, 13, tr(language, "decoder", "デコーダ"), "hidden", size=9)
    xh = box(ax, 77, ya, 8, 5, r"$\hat x$", "output", size=12)
    for a, b in ((x, enc), (enc, z), (z, dec), (dec, xh)):
        arrow(ax, a, b)
    label(ax, 41, ya - 4.6, tr(language, "one point per input", "入力ごとに 1 点"), size=10,
          color=NOTE)

    ax.plot([2, 94], [35, 35], color="#bbbbbb", lw=1)

    # VAE
    yv = 19
    heading(ax, 2, 31, tr(language, "VAE: the code is sampled; the reparameterisation trick",
                          "VAE: 潜在変数をサンプリング (再パラメータ化トリック)"), ha="left")
    x = box(ax, 7, yv, 8, 5, "$x$", "input", size=12)
    enc = trapezoid(ax, 21, yv, 10, 4, 12, tr(language, "encoder", "エンコーダ"), "embedding",
                    size=9)
    mu = box(ax, 37, yv + 5, 11, 4.5, r"$\mu$", "latent", size=12)
    lv = box(ax, 37, yv - 5, 11, 4.5, r"$\log \sigma^2$", "latent", size=12)
    label(ax, 37, yv + 9.3, tr(language, "mean", "平均"), size=10, color=NOTE)
    label(ax, 37, yv - 9.3, tr(language, "log-variance", "分散の対数"), size=10, color=NOTE)
    arrow(ax, x, enc)
    arrow(ax, enc.right(1.0), mu.left())
    arrow(ax, enc.right(-1.0), lv.left())
    zb = box(ax, 57, yv, 17, 5, r"$z = \mu + \sigma \odot \varepsilon$", "latent", size=11)
    arrow(ax, mu.right(), zb.left(1.2))
    arrow(ax, lv.right(), zb.left(-1.2), text=r"$\sigma = \exp(0.5 \log\sigma^2)$",
          offset=(3.5, -4.6), size=10, textcolor="black")
    eps = circle(ax, 57, 7.5, r=2.3, text=r"$\varepsilon$", color="plain", size=12)
    arrow(ax, eps, zb)
    label(ax, 60.5, 7.5, tr(language, r"$\varepsilon \sim \mathcal{N}(0, I)$: the randomness "
                                      "is an input", r"$\varepsilon \sim \mathcal{N}(0, I)$ "
                                      "(正規分布): 乱数は入力"),
          size=10, ha="left")
    dec = trapezoid(ax, 75, yv, 4, 10, 10, tr(language, "decoder", "デコーダ"), "hidden", size=9)
    xh = box(ax, 89, yv, 7, 5, r"$\hat x$", "output", size=12)
    arrow(ax, zb, dec)
    arrow(ax, dec, xh)
    label(ax, 2, 3.0, tr(language, "shapes: $x$, $\\hat x$ (N, D);  $\\mu$, $\\log\\sigma^2$, "
                                   "$\\varepsilon$, $z$ (N, Z)",
                         "形: $x$, $\\hat x$ (N, D);  $\\mu$, $\\log\\sigma^2$, $\\varepsilon$, "
                         "$z$ (N, Z)"), size=10, ha="left", color=NOTE)
    label(ax, 94, 31, tr(language, r"loss: $\|x - \hat x\|^2$ + KL$(\mathcal{N}(\mu, \sigma^2)"
                                   r"\,\|\,\mathcal{N}(0, I))$",
                         r"損失: $\|x - \hat x\|^2$ + KL$(\mathcal{N}(\mu, \sigma^2)"
                         r"\,\|\,\mathcal{N}(0, I))$"), size=10, ha="right")
    return fig
