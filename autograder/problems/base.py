"""The shape of a graded item: cases, reference, comparison, misconceptions.

A problem grades one student object (a function or an answer variable) in three steps that
can run in different places:

1. ``make_cases(seed)``: the grader draws the inputs (plain data) from a seed;
2. ``evaluate(obj, cases)``: the student's object is applied to them; only plain data
   comes back (``Outcome``). This is the one step that runs student code;
3. ``judge(cases, outcomes)``: the grader compares against the hidden reference and
   writes the verdict, with a hint when the output matches a known misconception.
"""
import copy
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from rnnlib.testing import describe_mismatch

from ..plain import NotPlainData, to_plain


@dataclass(frozen=True)
class Case:
    """One set of inputs: positional ``args`` (plain data) and a label for messages."""

    args: tuple
    label: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the student's side returned for one case: a plain value, or an error text."""

    value: Any = None
    error: str | None = None


@dataclass(frozen=True)
class Verdict:
    grade_id: str
    passed: bool
    message: str
    misconception: str | None = None


def case_rng(seed, grade_id):
    """The generator for one problem's cases: depends on the grading seed and the item only."""
    return np.random.default_rng([int(seed), zlib.crc32(grade_id.encode())])


def _describe_error(exc):
    return f"{type(exc).__name__}: {exc}"


QUOTE_LIMIT = 300  # characters of a student's value or error quoted in a message
MESSAGE_LIMIT = 2000


def clip(text, limit=QUOTE_LIMIT):
    """``text`` cut to ``limit`` characters, saying how long it was."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text):,} characters in all]"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """Common fields. ``grade_id`` is '<assignment>.<nbgrader grade_id of the test cell>'."""

    grade_id: str
    points: float
    student_object: str
    # Items whose student code this item's cell calls (in the solution or the visible
    # test): a bug there may cost this item too, so CI does not assert it in that case.
    depends_on: Sequence[str] = ()
    alternatives: Sequence[Any] = ()  # other correct forms: CI proves each one passes

    @property
    def assignment(self):
        return self.grade_id.split(".", 1)[0]

    @property
    def cell_id(self):
        """The nbgrader grade_id of the test cell that grades this problem."""
        return self.grade_id.split(".", 1)[1]

    def _fail(self, message, hint=None):
        text = clip(f"{self.grade_id}: {message}", MESSAGE_LIMIT)
        if hint:
            text += f"\nHint: this is what happens when {hint}."
        return Verdict(self.grade_id, False, text, hint)

    def verdict(self, cases, outcomes):
        """``judge``, total: whatever the outcomes hold, a Verdict (a failed one when the
        comparison itself raises, e.g. on a value no comparison can handle)."""
        try:
            return self.judge(cases, outcomes)
        except Exception as exc:
            return self._fail(f"{self.student_object} returned a value the grader could not "
                              f"compare with the answer ({clip(_describe_error(exc), 200)}); "
                              "return plain numbers or arrays of the expected shape")


@dataclass(frozen=True, kw_only=True)
class FunctionProblem(Problem):
    """A function graded on seeded random cases against a hidden reference.

    misconceptions: {hint: wrong implementation with the student's signature}; the hint
        completes "this is what happens when ...".
    """

    make_cases: Callable[[np.random.Generator], list]
    reference: Callable
    misconceptions: Mapping[str, Callable] = field(default_factory=dict)
    rtol: float = 1e-7
    atol: float = 1e-10

    def cases(self, seed):
        return self.make_cases(case_rng(seed, self.grade_id))

    def evaluate(self, obj, cases):
        if not callable(obj):
            return [Outcome(error=f"{self.student_object} is a {type(obj).__name__}, "
                                  "expected a function")] * len(cases)
        outcomes = []
        for case in cases:
            try:
                value = obj(*copy.deepcopy(case.args))
                outcomes.append(Outcome(value=to_plain(value)))
            except NotPlainData as exc:
                outcomes.append(Outcome(error=str(exc)))
            except Exception as exc:  # the student's bug, reported as text
                outcomes.append(Outcome(error=_describe_error(exc)))
        return outcomes

    def expected(self, case):
        return to_plain(self.reference(*copy.deepcopy(case.args)))

    def matching_misconception(self, cases, outcomes):
        """The hint of the first misconception that reproduces every returned value."""
        answered = [(c, o.value) for c, o in zip(cases, outcomes) if o.error is None]
        for hint, wrong in self.misconceptions.items():
            if answered and all(self._reproduces(wrong, case, value) for case, value in answered):
                return hint
        return None

    def _reproduces(self, wrong, case, value):
        try:
            with np.errstate(all="ignore"):
                wrong_out = to_plain(wrong(*copy.deepcopy(case.args)))
        except Exception:
            return False
        return describe_mismatch(value, wrong_out, self.rtol, self.atol) is None

    def judge(self, cases, outcomes):
        if len(outcomes) != len(cases):
            return self._fail(f"expected {len(cases)} results, got {len(outcomes)}")
        failures = []  # (priority, case number, message): errors, then shapes, then values
        for number, (case, outcome) in enumerate(zip(cases, outcomes), start=1):
            where = f"hidden case {number} of {len(cases)}" + (f" ({case.label})" if case.label else "")
            if outcome.error is not None:
                failures.append((0, number, f"{self.student_object} raised an error on {where}:\n"
                                            f"  {clip(outcome.error)}"))
                continue
            why = describe_mismatch(outcome.value, self.expected(case), self.rtol, self.atol)
            if why:
                priority = 1 if "shape" in why or "expected a" in why else 2
                failures.append((priority, number, f"{self.student_object} is wrong on {where}:\n"
                                                   f"  {clip(why)}"))
        if not failures:
            return Verdict(self.grade_id, True, f"{self.grade_id}: all {len(cases)} hidden cases pass")
        _, _, message = min(failures)
        return self._fail(message, self.matching_misconception(cases, outcomes))


def normalise_text(text):
    """Lower-case, trimmed, inner whitespace collapsed: for short free-text answers."""
    return " ".join(str(text).strip().lower().split())


def identity(value):
    return value


@dataclass(frozen=True, kw_only=True)
class ValueProblem(Problem):
    """An answer variable (a choice, a number, a mapping, a short text).

    ``normalise`` is applied to the student's value and to every accepted answer before an
    exact comparison; ``misconceptions`` maps a hint to a wrong answer.
    """

    answer: Any
    accepted: Sequence[Any] = ()
    normalise: Callable[[Any], Any] = identity
    misconceptions: Mapping[str, Any] = field(default_factory=dict)

    def cases(self, seed):
        return [Case(args=())]

    def evaluate(self, obj, cases):
        try:
            return [Outcome(value=to_plain(obj, self.student_object))]
        except NotPlainData as exc:
            return [Outcome(error=str(exc))]

    def _normalised(self, value):
        try:
            return to_plain(self.normalise(value))
        except Exception:
            return value

    def judge(self, cases, outcomes):
        (outcome,) = outcomes
        if outcome.error is not None:
            return self._fail(clip(outcome.error))
        given = self._normalised(outcome.value)
        for good in (self.answer, *self.accepted):
            if describe_mismatch(given, self._normalised(good)) is None:
                return Verdict(self.grade_id, True, f"{self.grade_id}: correct")
        hint = next((h for h, wrong in self.misconceptions.items()
                     if describe_mismatch(given, self._normalised(wrong)) is None), None)
        given_text = clip(repr(outcome.value))
        return self._fail(f"{self.student_object} = {given_text} is not the answer", hint)
