"""Interactive explorers for the notebooks (ipywidgets 8), in English or Japanese.

* ``gradient_scale_explorer`` (notebook 02): how the norm of ∂h_T/∂h_{T-k} shrinks or
  grows with the steps back k, for a recurrent weight W (H = 16, seeded) rescaled to a
  chosen spectral radius ρ; it prints ρ and the largest singular value σ_max of W, which
  differ.
* ``attention_explorer`` (notebook 08): the attention weights of one output character
  over the input characters, for examples given by the notebook.

The figures come from pure functions (``gradient_norms``, ``gradient_figure``,
``attention_figure``) that tests call without a display; the widgets show them as PNG
images (``ipywidgets.Image``), so they work with any matplotlib backend. ipywidgets is
imported inside the widget functions only.
"""
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from rnnlib.diagrams import plot_style
from rnnlib.language import check_language, say

HIDDEN = 16
ACTIVATIONS = ("tanh", "identity")


def _say(language, en, ja):
    """rnnlib.language.say for an explicit ``language`` (checked: a ValueError names the
    valid ones)."""
    return say(en, ja, check_language(language))


def recurrent_weight(rho, seed=0, hidden=HIDDEN):
    """A random (hidden, hidden) weight from np.random.default_rng(seed), rescaled so that
    its spectral radius (largest |eigenvalue|) is ``rho``."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
    return W * (rho / np.max(np.abs(np.linalg.eigvals(W))))


def gradient_norms(rho, steps, activation, seed=0):
    """Norms ‖∂h_T/∂h_{T-k}‖₂ for k = 1..steps: an array of shape (steps,).

    The RNN is h_t = f(h_{t-1} W + x_t) with W = recurrent_weight(rho, seed) (H = 16),
    inputs x_t ~ N(0, 0.5²) from the same seeded generator, h_0 = 0, T = steps, and f tanh
    or the identity. One step back multiplies the Jacobian by W (and by f'(u) = 1 - h²
    for tanh); the norm is the largest singular value of the product.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}: use one of {', '.join(ACTIVATIONS)}")
    steps = int(steps)
    if steps < 1:
        raise ValueError("steps must be at least 1")
    W = recurrent_weight(rho, seed)
    rng = np.random.default_rng(seed + 1)
    xs = 0.5 * rng.standard_normal((steps, W.shape[0]))
    hs = [np.zeros(W.shape[0])]
    for x in xs:
        u = hs[-1] @ W + x
        hs.append(np.tanh(u) if activation == "tanh" else u)
    # row convention: ∂h_t/∂h_{t-1} = W · diag(f'(u_t)) maps a change of h_{t-1} (a row)
    J = np.eye(W.shape[0])
    norms = np.empty(steps)
    for k in range(1, steps + 1):
        t = steps - k + 1  # the step whose Jacobian is applied now
        local = W if activation == "identity" else W * (1.0 - hs[t] ** 2)[None, :]
        J = local @ J
        norms[k - 1] = np.linalg.norm(J, 2)
    return norms


def gradient_figure(rho, activation, language="en", steps=50, seed=0):
    """The figure of gradient_norms against k (log y), titled with ρ and σ_max of W."""
    W = recurrent_weight(rho, seed)
    sigma_max = np.linalg.norm(W, 2)
    norms = gradient_norms(rho, steps, activation, seed)
    with plot_style(language):
        fig = Figure(figsize=(7.2, 4.2), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ks = np.arange(1, steps + 1)
        ax.semilogy(ks, norms, marker="o", ms=3, lw=1.5)
        ax.axhline(1.0, color="grey", lw=0.8, ls="--")
        ax.set_xlabel(_say(language, "steps back $k$", "さかのぼるステップ数 $k$"))
        ax.set_ylabel(r"$\|\partial h_T / \partial h_{T-k}\|_2$")
        ax.set_title(_say(language,
                          f"{activation}: spectral radius $\\rho$ = {rho:.2f}, "
                          f"largest singular value $\\sigma_{{\\max}}$ = {sigma_max:.2f}",
                          f"{activation}: スペクトル半径 $\\rho$ = {rho:.2f}, "
                          f"最大特異値 $\\sigma_{{\\max}}$ = {sigma_max:.2f}"), fontsize=11)
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
    return fig


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    fig.clf()
    return buffer.getvalue()


def gradient_scale_explorer(language="en"):
    """A slider for the spectral radius ρ (0.5 to 1.5) and a dropdown tanh / identity;
    shows the gradient norms against the steps back, and ρ and σ_max of W beside the
    plot. Returns an ipywidgets.HBox."""
    import ipywidgets as widgets

    _say(language, "", "")
    rho = widgets.FloatSlider(value=1.0, min=0.5, max=1.5, step=0.05,
                              description=_say(language, "ρ (spectral radius)", "ρ (スペクトル半径)"),
                              style={"description_width": "initial"}, continuous_update=False)
    activation = widgets.Dropdown(options=list(ACTIVATIONS), value="tanh",
                                  description=_say(language, "activation", "活性化関数"),
                                  style={"description_width": "initial"})
    image = widgets.Image(format="png")
    facts = widgets.HTML()

    def update(_=None):
        W = recurrent_weight(rho.value)
        sigma_max = np.linalg.norm(W, 2)
        image.value = _png(gradient_figure(rho.value, activation.value, language))
        norms = gradient_norms(rho.value, 50, activation.value)
        facts.value = _say(
            language,
            f"<b>W</b>: 16 × 16, seed 0<br>spectral radius ρ = {rho.value:.2f}<br>"
            f"largest singular value σ<sub>max</sub> = {sigma_max:.2f}<br>"
            f"‖∂h<sub>T</sub>/∂h<sub>T-50</sub>‖ = {norms[-1]:.2e}<br><br>"
            "Over many steps the norm follows ρ<sup>k</sup>;<br>σ<sub>max</sub> ≥ ρ bounds "
            "one step only.",
            f"<b>W</b>: 16 × 16, seed 0<br>スペクトル半径 ρ = {rho.value:.2f}<br>"
            f"最大特異値 σ<sub>max</sub> = {sigma_max:.2f}<br>"
            f"‖∂h<sub>T</sub>/∂h<sub>T-50</sub>‖ = {norms[-1]:.2e}<br><br>"
            "多くのステップでは ρ<sup>k</sup> のように変化;<br>σ<sub>max</sub> ≥ ρ は 1 ステップ"
            "の上限")

    rho.observe(update, names="value")
    activation.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([rho, activation]), widgets.HBox([image, facts])])


def _check_example(example):
    inputs, outputs, weights = example
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (len(outputs), len(inputs)):
        raise ValueError(f"weights of shape {weights.shape} do not match "
                         f"({len(outputs)} outputs, {len(inputs)} inputs)")
    return list(inputs), list(outputs), weights


def _shown(token):
    """A token as printed on an axis: a space becomes ␣."""
    return "␣" if token == " " else str(token)


def attention_figure(example, output_index, language="en"):
    """The attention of one output token over the input tokens: the whole weight matrix
    (outputs × inputs) with the chosen row framed, and that row as a bar chart.

    ``example`` = (input_tokens, output_tokens, weights (len(outputs), len(inputs)))."""
    inputs, outputs, weights = _check_example(example)
    j = int(output_index)
    if not 0 <= j < len(outputs):
        raise ValueError(f"output_index {j} out of range 0..{len(outputs) - 1}")
    row = weights[j]
    labels_in = [_shown(t) for t in inputs]
    labels_out = [_shown(t) for t in outputs]
    with plot_style(language, cjk_fallback=True):
        fig = Figure(figsize=(9.0, 3.8), dpi=100)
        FigureCanvasAgg(fig)
        heat, bars = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.4]})
        heat.imshow(weights, cmap="Blues", vmin=0, vmax=1, aspect="auto")
        heat.set_xticks(range(len(inputs)), labels_in)
        heat.set_yticks(range(len(outputs)), labels_out)
        heat.set_xlabel(_say(language, "input", "入力"))
        heat.set_ylabel(_say(language, "output", "出力"))
        heat.add_patch(_row_frame(j, len(inputs)))
        heat.set_title(_say(language, "attention weights", "アテンションの重み"), fontsize=11)
        colors = ["#1f77b4" if w < row.max() else "#d62728" for w in row]
        bars.bar(range(len(inputs)), row, color=colors)
        bars.set_xticks(range(len(inputs)), labels_in)
        bars.set_ylim(0, 1)
        bars.set_ylabel(_say(language, "weight $a_t$", "重み $a_t$"))
        bars.set_title(_say(language, f"output {j}: “{labels_out[j]}” looks at …",
                            f"出力 {j}: “{labels_out[j]}” が注目する入力"), fontsize=11)
        for t, w in enumerate(row):
            bars.text(t, w + 0.02, f"{w:.2f}", ha="center", va="bottom", fontsize=9)
        fig.tight_layout()
    return fig


def _row_frame(j, width):
    from matplotlib.patches import Rectangle
    return Rectangle((-0.5, j - 0.5), width, 1, fill=False, ec="#d62728", lw=2.5)


def attention_explorer(examples, language="en"):
    """Pick an example and one of its output characters; shows that character's attention
    over the input characters (attention_figure). ``examples``: a list of
    (input_tokens, output_tokens, weights). Returns an ipywidgets.VBox."""
    import ipywidgets as widgets

    _say(language, "", "")
    examples = [_check_example(e) for e in examples]
    if not examples:
        raise ValueError("attention_explorer needs at least one example")
    pick = widgets.Dropdown(
        options=[("".join(map(str, ins)) + " → " + "".join(map(str, outs)), k)
                 for k, (ins, outs, _) in enumerate(examples)],
        value=0, description=_say(language, "example", "例"),
        style={"description_width": "initial"})
    char = widgets.Dropdown(description=_say(language, "output character", "出力の文字"),
                            style={"description_width": "initial"})
    image = widgets.Image(format="png")

    def char_options(k):
        return [(f"{j}: {_shown(tok)}", j) for j, tok in enumerate(examples[k][1])]

    def show(_=None):
        if char.value is not None:
            image.value = _png(attention_figure(examples[pick.value], char.value, language))

    def new_example(_=None):
        char.unobserve(show, names="value")
        char.options = char_options(pick.value)
        char.value = 0
        char.observe(show, names="value")
        show()

    char.options = char_options(0)
    char.value = 0
    pick.observe(new_example, names="value")
    char.observe(show, names="value")
    show()
    return widgets.VBox([widgets.HBox([pick, char]), image])
