"""Shared drawing helpers for the course diagrams: a canvas, boxes, circles, arrows, labels.

Every diagram is drawn on one axes that fills the figure, in *drawing units* of 0.1 inch
(10 px at the diagrams' 100 dpi): a canvas 96 units wide is 960 px. Nodes (boxes and
circles) know their edges, so an arrow between two nodes starts and ends on their borders.
Nothing here keeps state between calls; the figure is a plain ``matplotlib.figure.Figure``
with an Agg canvas (pyplot is never used, so no figure is registered anywhere).
"""
from dataclasses import dataclass
import math

import matplotlib

import matplotlib.patheffects as path_effects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Polygon

from ..language import say

DPI = 100
UNIT = 0.1  # inch per drawing unit
WIDTH = 96  # default canvas width in units (960 px)

# fill colours by role (light, so that black text stays readable)
COLORS = {
    "input": "#dbe9f6",
    "hidden": "#fde3c0",
    "output": "#d6efd0",
    "gate": "#f4dcec",
    "candidate": "#e3dcf5",
    "embedding": "#e3dcf5",
    "loss": "#f8d3d3",
    "latent": "#fff2a8",
    "context": "#cfeee9",
    "plain": "#f2f2f2",
    "op": "white",
}
EDGE = "#333333"
FORWARD = "#333333"
BACKWARD = "#c62828"  # errors / gradients
PEEPHOLE = "#6a6a6a"
NOTE = "#444444"


def tr(language, en, ja):
    """The English or the Japanese text, by ``language`` (rnnlib.language.say, with the
    language first as every drawing function here takes it)."""
    return say(en, ja, language)


def new_canvas(height, width=WIDTH):
    """A figure of ``width`` x ``height`` drawing units and the axes to draw on (0..width,
    0..height, equal scale, no frame)."""
    fig = Figure(figsize=(width * UNIT, height * UNIT), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def has_cjk(text):
    """Whether ``text`` holds Japanese characters (kana, kanji or full-width forms)."""
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def bold(text):
    """The weight for emphasised ``text``: bold, except in Japanese diagrams (IPAexGothic,
    their first font, has no bold face, and matplotlib would warn when it falls back)."""
    japanese = "IPAexGothic" in list(matplotlib.rcParams["font.family"])
    return "normal" if japanese or has_cjk(text) else "bold"


def title(ax, text, size=13):
    """The diagram's title, centred at the top of the canvas."""
    x0, x1 = ax.get_xlim()
    return ax.text((x0 + x1) / 2, ax.get_ylim()[1] - 1.2, text, ha="center", va="top",
                   fontsize=size, fontweight=bold(text), gid="title")


def heading(ax, x, y, text, size=11, **kwargs):
    """A panel heading (bold in English)."""
    return ax.text(x, y, text, ha=kwargs.pop("ha", "center"), va="center", fontsize=size,
                   fontweight=bold(text), **kwargs)


def label(ax, x, y, text, size=10, ha="center", va="center", color="black", bg=False,
          **kwargs):
    """Free text at (x, y); ``bg`` puts a white background behind it (over lines)."""
    if bg:
        kwargs["bbox"] = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9)
    return ax.text(x, y, text, fontsize=size, ha=ha, va=va, color=color, **kwargs)


@dataclass
class Node:
    """A box or circle centred at (x, y) with width w and height h (circles: w = h)."""
    x: float
    y: float
    w: float
    h: float
    round: bool = False

    def top(self, dx=0.0):
        return (self.x + dx, self.y + self.h / 2)

    def bottom(self, dx=0.0):
        return (self.x + dx, self.y - self.h / 2)

    def left(self, dy=0.0):
        return (self.x - self.w / 2, self.y + dy)

    def right(self, dy=0.0):
        return (self.x + self.w / 2, self.y + dy)

    def toward(self, point):
        """The point of the border in the direction of ``point`` from the centre."""
        dx, dy = point[0] - self.x, point[1] - self.y
        if dx == 0 and dy == 0:
            return (self.x, self.y)
        if self.round:
            scale = (self.w / 2) / math.hypot(dx, dy)
        else:
            sx = (self.w / 2) / abs(dx) if dx else math.inf
            sy = (self.h / 2) / abs(dy) if dy else math.inf
            scale = min(sx, sy)
        return (self.x + dx * scale, self.y + dy * scale)


def box(ax, x, y, w, h, text="", color="plain", size=10, edge=EDGE, lw=1.2, ls="-",
        weight="normal", textcolor="black"):
    """A rounded box centred at (x, y) with ``text`` in its middle; returns its Node."""
    fill = COLORS.get(color, color)
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                                boxstyle="round,pad=0,rounding_size=0.8", fc=fill, ec=edge,
                                lw=lw, ls=ls, zorder=2))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=5,
                fontweight=weight, color=textcolor, linespacing=1.25)
    return Node(x, y, w, h)


def circle(ax, x, y, r=1.8, text="", color="op", size=11):
    """A circle (an operation such as ⊙, + or tanh) centred at (x, y); returns its Node."""
    ax.add_patch(Circle((x, y), r, fc=COLORS.get(color, color), ec=EDGE, lw=1.2, zorder=3))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=5)
    return Node(x, y, 2 * r, 2 * r, round=True)


def trapezoid(ax, x, y, w_left, w_right, length, text="", color="plain", size=10):
    """A horizontal trapezoid (an encoder narrows, a decoder widens) centred at (x, y):
    ``w_left`` and ``w_right`` are the heights of its left and right sides."""
    pts = [(x - length / 2, y - w_left / 2), (x + length / 2, y - w_right / 2),
           (x + length / 2, y + w_right / 2), (x - length / 2, y + w_left / 2)]
    ax.add_patch(Polygon(pts, closed=True, fc=COLORS.get(color, color), ec=EDGE, lw=1.2,
                         zorder=2))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=5,
                linespacing=1.25)
    return Node(x, y, length, max(w_left, w_right))


def _point(p, other):
    """``p`` as a point: a Node becomes the point of its border facing ``other``."""
    if isinstance(p, Node):
        q = other if not isinstance(other, Node) else (other.x, other.y)
        return p.toward(q)
    return p


def _bridge():
    """Path effects that draw a white gap around a line, so a crossing reads as a bridge."""
    return [path_effects.Stroke(linewidth=6, foreground="white"), path_effects.Normal()]


def arrow(ax, start, end, color=FORWARD, lw=1.4, ls="-", text=None, text_at=0.5,
          offset=(0.0, 0.0), size=10, rad=0.0, head=True, bridge=False, textcolor=None,
          shrink=0.0):
    """An arrow from ``start`` to ``end`` (points or Nodes: a Node's border is used).

    ``text`` is written at the fraction ``text_at`` of the way, moved by ``offset``, on a
    white background. ``rad`` bends the arrow (arc3); ``bridge`` draws a white halo so that
    the arrow crossing another line reads as passing over it.
    """
    p = _point(start, end)
    q = _point(end, start)
    patch = FancyArrowPatch(p, q, arrowstyle="-|>,head_length=5,head_width=3" if head else "-",
                            mutation_scale=1.6, color=color, lw=lw, ls=ls,
                            connectionstyle=f"arc3,rad={rad}", shrinkA=shrink, shrinkB=shrink,
                            zorder=4 if bridge else 1)
    if bridge:
        patch.set_path_effects(_bridge())
    ax.add_patch(patch)
    if text:
        x = p[0] + (q[0] - p[0]) * text_at + offset[0]
        y = p[1] + (q[1] - p[1]) * text_at + offset[1]
        label(ax, x, y, text, size=size, color=textcolor or color, bg=True, zorder=6)
    return patch


def path(ax, points, color=FORWARD, lw=1.4, ls="-", head=True, bridge=False):
    """A polyline through ``points`` (the first and last may be Nodes) with an arrow head
    on its last segment: for routed connections with right angles."""
    pts = list(points)
    pts[0] = _point(pts[0], pts[1])
    pts[-1] = _point(pts[-1], pts[-2])
    xs, ys = zip(*pts[:-1])
    line = Line2D(xs, ys, color=color, lw=lw, ls=ls, zorder=4 if bridge else 1,
                  solid_capstyle="butt")
    if bridge:
        line.set_path_effects(_bridge())
    ax.add_line(line)
    arrow(ax, pts[-2], pts[-1], color=color, lw=lw, ls=ls, head=head, bridge=bridge)


def dot(ax, x, y, color=FORWARD, size=3.5):
    """A small filled dot: a line splitting into two."""
    ax.plot([x], [y], "o", color=color, ms=size, zorder=4)
