"""Item statistics of one assignment: how hard each item was and how well it separates.

Classical test theory over a student x item table of scores (no gradebook here: plain
numbers in, plain numbers out, so the statistics are tested on small hand-made tables):

* ``difficulty``: the share of students with full marks on the item (nbgrader grades an
  autograded item all or nothing, so this is the classic p-value of the item);
* ``point_biserial``: the correlation of "full marks on the item" (1 or 0) with the
  student's total, r_pb = (M1 - M0) / s * sqrt(p q), with M1 and M0 the mean totals of
  the students with and without full marks, s the population standard deviation of the
  totals and p = 1 - q the difficulty. It is the Pearson correlation of the 0/1 column
  with the totals. None when it is undefined: every student scored the same on the item,
  or every total is the same (no division by zero). Read it with Ebel's rule of thumb
  (``discrimination_label``): 0.4 and above very good, 0.3 good, 0.2 marginal, below 0.2
  poor, negative: the item rewards the weaker students (check it);
* ``distribution``: how many students got each score.

The total includes the item itself, as the course's total does; with few items this
raises r_pb a little for every item alike, so it still ranks the items.
"""
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

__all__ = [
    "ItemStatistics",
    "difficulty",
    "discrimination_label",
    "distribution",
    "item_statistics",
    "point_biserial",
    "summary",
]


def _full(score, max_score):
    return math.isclose(score, max_score, rel_tol=1e-9, abs_tol=1e-9)


def difficulty(scores, max_score):
    """Share of ``scores`` equal to ``max_score`` (None for no scores)."""
    scores = list(scores)
    if not scores:
        return None
    return sum(_full(s, max_score) for s in scores) / len(scores)


def point_biserial(scores, max_score, totals):
    """Correlation of full marks on the item (1/0) with ``totals`` (same order as
    ``scores``); None when either side is constant or there are fewer than two students."""
    scores, totals = list(scores), [float(t) for t in totals]
    if len(scores) != len(totals):
        raise ValueError(f"{len(scores)} item scores but {len(totals)} totals")
    if len(scores) < 2:
        return None
    hits = [_full(s, max_score) for s in scores]
    n1 = sum(hits)
    n0 = len(hits) - n1
    spread = statistics.pstdev(totals)
    if n1 == 0 or n0 == 0 or spread == 0:
        return None
    mean1 = statistics.fmean(t for t, hit in zip(totals, hits) if hit)
    mean0 = statistics.fmean(t for t, hit in zip(totals, hits) if not hit)
    p = n1 / len(hits)
    return (mean1 - mean0) / spread * math.sqrt(p * (1 - p))


DISCRIMINATION_LABELS_JA = {"no spread": "ばらつきなし", "negative: check the item": "負: 項目を確認",
                            "poor": "低い", "marginal": "ぎりぎり", "good": "良い",
                            "very good": "とても良い"}


def discrimination_label(r, language="en"):
    """Ebel's reading of a discrimination index (None: "no spread"), in ``language``."""
    if language == "ja":
        return DISCRIMINATION_LABELS_JA[discrimination_label(r)]
    if r is None:
        return "no spread"
    if r < 0:
        return "negative: check the item"
    if r < 0.2:
        return "poor"
    if r < 0.3:
        return "marginal"
    if r < 0.4:
        return "good"
    return "very good"


def distribution(scores):
    """[(score, number of students)] in increasing score."""
    return sorted(Counter(float(s) for s in scores).items())


def summary(totals):
    """{"n", "mean", "median", "min", "max"} of the totals (None values for no totals)."""
    totals = [float(t) for t in totals]
    if not totals:
        return {"n": 0, "mean": None, "median": None, "min": None, "max": None}
    return {"n": len(totals), "mean": statistics.fmean(totals),
            "median": statistics.median(totals), "min": min(totals), "max": max(totals)}


@dataclass
class ItemStatistics:
    """One item's statistics over the students who have a score on it."""

    item: str
    max_score: float
    n: int
    n_full: int
    difficulty: float | None
    discrimination: float | None
    distribution: list = field(default_factory=list)

    @property
    def discrimination_label(self):
        return discrimination_label(self.discrimination)


def item_statistics(item, max_score, scores, totals):
    """ItemStatistics of ``item`` from {student: score} and {student: total}; a student
    without a score on the item (a manual answer not yet graded) is left out of it."""
    students = [s for s in scores if scores[s] is not None and s in totals]
    values = [float(scores[s]) for s in students]
    return ItemStatistics(
        item=item, max_score=float(max_score), n=len(values),
        n_full=sum(_full(v, max_score) for v in values),
        difficulty=difficulty(values, max_score),
        discrimination=point_biserial(values, max_score, [totals[s] for s in students]),
        distribution=distribution(values))
