"""The shape of a graded item: cases, reference, comparison, misconceptions.

An item is defined once, in one block of its topic module (autograder/items/<topic>.py):
its grade_id, points, the student's object name, the case generator, the hidden reference,
each misconception beside its hint, and the other correct forms. The build reads points
and names from here; the grader reads the item from the graded cell's metadata.

An item grades one student object (a function or an answer variable) in three steps that
can run in different places:

1. ``cases(seed)``: the grader draws the inputs (plain data) from a seed;
2. ``request(cases)``: what the student's side must do with them; the one step that runs
   student code is autograder.grading.protocol.answer, in the student's kernel (or, for
   ``check`` in a notebook run outside nbgrader, in that process), and only plain data
   comes back (``Outcome``, read by autograder.grading.evaluation);
3. ``verdict(cases, outcomes, language)``: the grader compares against the hidden
   reference and writes the verdict, naming the misconception when the output matches a
   known one, in the class's language ("en" or "ja": the grader reads it from
   nbgrader_config.py, never from the student's kernel).
"""
import copy
import inspect
import re
import unicodedata
import zlib
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

import numpy as np

from rnnlib.language import check_language, say
from rnnlib.testing import describe_mismatch

from autograder.items.plain import to_plain


@dataclass(frozen=True)
class Case:
    """One set of inputs: positional ``args`` (plain data) and a label for messages."""

    args: tuple
    label: str = ""
    label_ja: str = ""  # the label in the Japanese edition's feedback (default: ``label``)


@dataclass(frozen=True)
class Outcome:
    """What the student's side returned for one case: a plain value, or an error text;
    ``modified``: the positions of the arguments the student's code changed in place."""

    value: Any = None
    error: str | None = None
    modified: tuple = ()


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer. ``key`` names it in the verdict's data and the reports (a
    Python identifier, unique within its item); ``hint`` completes "this is what happens
    when ..."; ``wrong`` reproduces it: a function with the student's signature for a
    function item, a value for an answer item. ``hint_ja``: the hint in the Japanese
    edition, one or two whole sentences shown as 「ヒント: …」 (for a function item it names
    the mistake that gives this output, e.g. 「Wx と Wh を取り違えると、この出力になります。」)."""

    key: str
    hint: str
    wrong: Any
    hint_ja: str = ""


@dataclass(frozen=True)
class Verdict:
    grade_id: str
    passed: bool
    message: str
    misconception: Misconception | None = None
    # earlier items whose failed student functions the grader stood in for while judging
    judged_without: tuple = ()
    language: str = "en"  # the class's language, which the message is written in

    def as_data(self):
        """The verdict as plain data, for the graded cell's output metadata (the hint in
        the verdict's language: the reports show it)."""
        m = self.misconception
        return {"item": self.grade_id, "passed": self.passed,
                "misconception": None if m is None else {"key": m.key,
                                                         "hint": hint_in(m, self.language)},
                "judged_without": list(self.judged_without)}

    def with_stand_ins(self, problems):
        """This verdict, saying that it was reached with correct stand-ins for the student
        functions of ``problems`` (earlier items that failed their own test)."""
        names = ", ".join(f"{p.student_object} ({p.grade_id})" for p in problems)
        if self.language == "ja":
            note = (f"{self.grade_id} はそれ自体のロジックで判定しました: あなたの {names} は"
                    "自身のテストに不合格だったため、あなたのコードからのその呼び出しには採点"
                    f"システムが正しい結果を返しました。まず{'それら' if len(problems) > 1 else 'それ'}"
                    "を直してください。この項目の得点はそれに左右されません。")
        else:
            note = (f"{self.grade_id} was judged on its own logic: your {names} failed its own "
                    "test, so the grader answered your code's calls to it with correct results. "
                    f"Fix {'them' if len(problems) > 1 else 'it'} first; this item's score does not "
                    "depend on it.")
        return replace(self, message=f"{note}\n{self.message}",
                       judged_without=tuple(p.grade_id for p in problems))


def hint_in(misconception, language="en"):
    """The misconception's hint in ``language``: its ``hint_ja`` in Japanese (its English
    ``hint`` when it has none yet)."""
    return (misconception.hint_ja or misconception.hint) if language == "ja" else misconception.hint


def hint_line(misconception, language="en", choice=False):
    """The hint line of a failed verdict. English: "Hint: this is what happens when
    {hint}." ("Hint: {hint}" for a choice item, whose hints are whole sentences);
    Japanese: 「ヒント: {hint_ja}」 (the English hint's sentence when hint_ja is empty)."""
    if language == "ja":
        if misconception.hint_ja:
            return f"ヒント: {misconception.hint_ja}"
        return f"ヒント: {misconception.hint}" if choice else (
            f"ヒント: this is what happens when {misconception.hint}.")
    if choice:
        return f"Hint: {misconception.hint}"
    return f"Hint: this is what happens when {misconception.hint}."


def hidden_case(number, count, case, language="en"):
    """'hidden case 2 of 3 (label)' / 「隠しテストのケース 2/3 (label_ja)」."""
    if language == "ja":
        label = case.label_ja or case.label
        return f"隠しテストのケース {number}/{count}" + (f" ({label})" if label else "")
    return f"hidden case {number} of {count}" + (f" ({case.label})" if case.label else "")


def case_rng(seed, grade_id):
    """The generator for one problem's cases: depends on the grading seed and the item only."""
    return np.random.default_rng([int(seed), zlib.crc32(grade_id.encode())])


def _describe_error(exc):
    return f"{type(exc).__name__}: {exc}"


class ItemDefinitionError(ValueError):
    """An item of the registry is defined inconsistently (the message names it)."""


QUOTE_LIMIT = 300  # characters of a student's value or error quoted in a message
MESSAGE_LIMIT = 2000


def clip(text, limit=QUOTE_LIMIT, language="en"):
    """``text`` cut to ``limit`` characters, saying how long it was."""
    text = str(text)
    if len(text) <= limit:
        return text
    if language == "ja":
        return f"{text[:limit]}... [全 {len(text):,} 文字]"
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

    def __post_init__(self):
        if self.grade_id.count(".") != 1:
            raise ItemDefinitionError(f"{self.grade_id!r}: a grade_id is '<assignment>.<cell id>'")
        if not self.student_object.isidentifier():
            raise ItemDefinitionError(f"{self.grade_id}: student_object {self.student_object!r} "
                                      "must be the name of the student's object")
        if not self.points > 0:
            raise ItemDefinitionError(f"{self.grade_id}: points must be positive")
        keys = [m.key for m in self.misconceptions]
        for m in self.misconceptions:
            if not isinstance(m, Misconception) or not m.key.isidentifier():
                raise ItemDefinitionError(f"{self.grade_id}: misconceptions are Misconception("
                                          "key, hint, wrong) with an identifier as key")
        if len(set(keys)) != len(keys):
            raise ItemDefinitionError(f"{self.grade_id}: misconception keys repeat: {keys}")

    def misconception(self, key):
        """The misconception of this item called ``key``."""
        return next(m for m in self.misconceptions if m.key == key)

    @property
    def assignment(self):
        return self.grade_id.split(".", 1)[0]

    @property
    def cell_id(self):
        """The nbgrader grade_id of the test cell that grades this problem."""
        return self.grade_id.split(".", 1)[1]

    def _fail(self, message, misconception=None, language="en"):
        text = clip(f"{self.grade_id}: {message}", MESSAGE_LIMIT, language)
        if misconception is not None:
            text += "\n" + hint_line(misconception, language)
        return Verdict(self.grade_id, False, text, misconception, language=language)

    def verdict(self, cases, outcomes, language="en"):
        """``judge``, total: whatever the outcomes hold, a Verdict (a failed one when the
        comparison itself raises, e.g. on a value no comparison can handle), written in
        ``language`` ("en" or "ja", the class's language)."""
        check_language(language)
        try:
            return self.judge(cases, outcomes, language=language)
        except Exception as exc:
            error = clip(_describe_error(exc), 200, language)
            return self._fail(say(
                f"{self.student_object} returned a value the grader could not "
                f"compare with the answer ({error}); "
                "return plain numbers or arrays of the expected shape",
                f"{self.student_object} が返した値は、採点システムが正解と比較できませんでした "
                f"({error})。期待される形状の数値や配列を返してください", language), language=language)


# Not an item's own misconception: any function item whose student function changes the
# arrays it was given fails with this one.
MODIFIES_INPUTS = Misconception(
    "modifies_inputs", "your function changes the arrays it was given (x *= ..., x[...] = ..., "
    "or a list's append); the caller still needs them: compute on a copy, e.g. x * c or "
    "x.copy()", None,
    hint_ja="関数が受け取った配列を書き換えています (x *= ...、x[...] = ...、リストへの append "
            "など)。呼び出し側はその配列をまだ使うので、x * c や x.copy() のようにコピーの上で"
            "計算してください。")


@dataclass(frozen=True, kw_only=True)
class FunctionProblem(Problem):
    """A function graded on seeded random cases against a hidden reference.

    misconceptions: Misconception(key, hint, wrong implementation with the student's
        signature) entries.
    """

    make_cases: Callable[[np.random.Generator], list]
    reference: Callable
    misconceptions: Sequence[Misconception] = ()
    rtol: float = 1e-7
    atol: float = 1e-10
    # what the task calls the items of a returned tuple, e.g. ("dxs", "dh0", "dWx", ...)
    outputs: Sequence[str] = ()
    # the student's function must leave the arrays it is given unchanged
    keeps_inputs: bool = True

    def argument_names(self):
        """The parameter names of the function asked for (the reference's signature)."""
        return list(inspect.signature(self.reference).parameters)

    def cases(self, seed):
        return self.make_cases(case_rng(seed, self.grade_id))

    def request(self, cases):
        """What the student's side does: call the object on each case's arguments."""
        return {"mode": "call", "name": self.student_object,
                "cases": [list(case.args) for case in cases]}

    def expected(self, case):
        return to_plain(self.reference(*copy.deepcopy(case.args)))

    def matching_misconception(self, cases, outcomes):
        """The first misconception that reproduces every returned value (or None)."""
        answered = [(c, o.value) for c, o in zip(cases, outcomes) if o.error is None]
        for misconception in self.misconceptions:
            if answered and all(self._reproduces(misconception.wrong, case, value)
                                for case, value in answered):
                return misconception
        return None

    def _reproduces(self, wrong, case, value):
        try:
            with np.errstate(all="ignore"):
                wrong_out = to_plain(wrong(*copy.deepcopy(case.args)))
        except Exception:
            return False
        return describe_mismatch(value, wrong_out, self.rtol, self.atol, language="en") is None

    def judge(self, cases, outcomes, language="en"):
        def say_(en, ja):
            return say(en, ja, language)

        if len(outcomes) != len(cases):
            return self._fail(say_(f"expected {len(cases)} results, got {len(outcomes)}",
                                   f"結果は {len(cases)} 個のはずですが、{len(outcomes)} 個でした"),
                              language=language)
        # (priority, case number, English message, message in the class's language):
        # errors, then shapes, then values; the English one decides, whatever the language
        failures = []
        obj = self.student_object
        for number, (case, outcome) in enumerate(zip(cases, outcomes), start=1):
            where = hidden_case(number, len(cases), case)
            where_here = hidden_case(number, len(cases), case, language)
            if outcome.error is not None:
                failures.append((0, number, f"{obj} raised an error on {where}:\n"
                                            f"  {clip(outcome.error)}",
                                 say_(None, f"{obj} が{where_here} でエラーを出しました:\n"
                                            f"  {clip(outcome.error, language=language)}")))
                continue
            if self.keeps_inputs and outcome.modified:
                names = self.argument_names()
                changed = ", ".join(names[i] if i < len(names) else f"argument {i + 1}"
                                    for i in outcome.modified)
                changed_here = "、".join(names[i] if i < len(names) else f"{i + 1} 番目の引数"
                                        for i in outcome.modified)
                failures.append((0, number, f"{obj} changed its argument(s) "
                                            f"{changed} in place on {where}",
                                 say_(None, f"{obj} が{where_here} で引数 {changed_here} を"
                                            "その場で書き換えました (in place)")))
                continue
            expected = self.expected(case)
            why = describe_mismatch(outcome.value, expected, self.rtol, self.atol,
                                    names=tuple(self.outputs), language="en")
            if why:
                priority = 1 if "shape" in why or "expected a" in why else 2
                why_here = why if language == "en" else describe_mismatch(
                    outcome.value, expected, self.rtol, self.atol, names=tuple(self.outputs),
                    language=language)
                failures.append((priority, number, f"{obj} is wrong on {where}:\n"
                                                   f"  {clip(why)}",
                                 say_(None, f"{obj} の結果が{where_here} で違います:\n"
                                            f"  {clip(why_here, language=language)}")))
        if not failures:
            return Verdict(self.grade_id, True, say_(
                f"{self.grade_id}: all {len(cases)} hidden cases pass",
                f"{self.grade_id}: 隠しテストの全 {len(cases)} ケースに合格しました"),
                language=language)
        _, _, message, message_here = min(failures, key=lambda f: f[:3])
        message_here = message if language == "en" else message_here
        if "in place" in message and self.keeps_inputs:
            return self._fail(message_here, MODIFIES_INPUTS, language)
        return self._fail(message_here, self.matching_misconception(cases, outcomes), language)


def normalise_text(text):
    """Lower-case, trimmed, inner whitespace collapsed: for short free-text answers."""
    return " ".join(str(text).strip().lower().split())


def normalise_choice(value):
    """A choice letter: 'B', ' b ', '(b)', 'b.' and 'b)' all become 'b'; other values pass."""
    return normalise_text(value).strip("().").strip() if isinstance(value, str) else value


# "X (Y)" after NFKC folding (which turns full-width brackets and spaces into ASCII ones).
_BRACKETED = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*[.。]?$")


def bilingual_forms(text):
    """The readings of a free-text answer that may be written in English, Japanese or both.

    Returns (whole, parts): ``whole`` is the answer NFKC-folded (full-width letters,
    spaces and brackets become half-width ones), trimmed, whitespace collapsed;
    ``parts`` is () or, for "X (Y)" / "X（Y）", the pair (X, Y): a term with its
    translation in brackets. A value that is not a string comes back as (value, ()).
    """
    if not isinstance(text, str):
        return text, ()
    whole = " ".join(unicodedata.normalize("NFKC", text).split())
    match = _BRACKETED.match(whole)
    parts = (match["outer"].strip(), match["inner"].strip()) if match else ()
    return whole, parts


def identity(value):
    return value


@dataclass(frozen=True, kw_only=True)
class ValueProblem(Problem):
    """An answer variable (a choice, a number, a mapping, a short text).

    ``normalise`` is applied to the student's value and to every accepted answer before an
    exact comparison; each Misconception's ``wrong`` is a wrong answer.
    """

    answer: Any
    accepted: Sequence[Any] = ()
    normalise: Callable[[Any], Any] = identity
    misconceptions: Sequence[Misconception] = ()
    # A choice item: each hint is a whole sentence about the wrong choice ("choice (b)
    # computes ...; the blank needs ..."), shown as "Hint: <hint>".
    choice: bool = False
    # A free-text answer: English, Japanese, or either with the other in brackets
    # (bilingual_forms); ``normalise`` maps each reading to the English answer's form.
    free_text: bool = False

    def cases(self, seed):
        return [Case(args=())]

    def request(self, cases):
        """What the student's side does: send the answer variable's value."""
        return {"mode": "value", "name": self.student_object}

    def _normalised(self, value):
        try:
            return to_plain(self.normalise(value))
        except Exception:
            return value

    def _fail(self, message, misconception=None, language="en"):
        if not self.choice or misconception is None:
            return super()._fail(message, misconception, language)
        text = (clip(f"{self.grade_id}: {message}", MESSAGE_LIMIT, language) + "\n"
                + hint_line(misconception, language, choice=True))
        return Verdict(self.grade_id, False, text, misconception, language=language)

    def _readings(self, value):
        """(whole, parts) of the student's value, each normalised: see bilingual_forms."""
        if not self.free_text:
            return self._normalised(value), ()
        whole, parts = bilingual_forms(value)
        return self._normalised(whole), tuple(self._normalised(p) for p in parts)

    def _is(self, reading, value):
        return describe_mismatch(reading, self._normalised(value), language="en") is None

    def judge(self, cases, outcomes, language="en"):
        (outcome,) = outcomes
        if outcome.error is not None:
            return self._fail(clip(outcome.error, language=language), language=language)
        whole, parts = self._readings(outcome.value)
        goods = (self.answer, *self.accepted)
        # "X (Y)" is right when both the term and its translation are right.
        if any(self._is(whole, good) for good in goods) or (
                parts and all(any(self._is(part, good) for good in goods) for part in parts)):
            return Verdict(self.grade_id, True, say(f"{self.grade_id}: correct",
                                                    f"{self.grade_id}: 正解です", language),
                           language=language)
        misconception = next((m for m in self.misconceptions
                              if any(self._is(reading, m.wrong) for reading in (whole, *parts))),
                             None)
        given_text = clip(repr(outcome.value), language=language)
        return self._fail(say(f"{self.student_object} = {given_text} is not the answer",
                              f"{self.student_object} = {given_text} は正解ではありません",
                              language), misconception, language)
