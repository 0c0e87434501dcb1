"""Plain data: the only things that cross from a student's code to the grader.

Arrays of numbers or booleans, numbers, strings, None, and lists, tuples and dicts of
those. Everything else (objects with a custom ``__eq__``, ndarray subclasses, object
arrays, generators, ...) is rejected, so a submission cannot fake a comparison.

A refusal can reach the student (a result the grader decoded but will not compare, such as
a dict with float keys): NotPlainData carries its message in English and Japanese.
"""
import numbers

import numpy as np


class NotPlainData(TypeError):
    """A value that the grader will not compare (says which part and why).

    ``str(exc)``: the message in the language it was raised in (English unless
    ``language="ja"``); ``exc.in_language(language)``: the message in ``language``."""

    def __init__(self, message, ja=None, language="en"):
        super().__init__(ja if language == "ja" and ja else message)
        self.en, self.ja = message, ja

    def in_language(self, language):
        """The message in ``language`` ("en" or "ja")."""
        return self.ja if language == "ja" and self.ja else self.en


def to_plain(value, where="the result", language="en", where_ja=None):
    """Copy ``value`` into plain data, or raise NotPlainData naming the offending part.

    language: of ``str()`` of the NotPlainData raised (both texts are on it either way);
    where_ja: ``where`` in Japanese (default: 結果 for "the result", else ``where``)."""
    if where_ja is None:
        where_ja = "結果" if where == "the result" else where

    def refuse(en, ja):
        return NotPlainData(en, ja, language)

    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is complex:
        return value
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind in "biufc":
            return value.item()
        raise refuse(f"{where} is a numpy {value.dtype} scalar, expected a number",
                     f"{where_ja} は numpy の {value.dtype} 型のスカラーです。数値を返してください")
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":
            raise refuse(f"{where} is an array of dtype {value.dtype}, expected numbers",
                         f"{where_ja} は dtype が {value.dtype} の配列です。"
                         "数値の配列を返してください")
        # np.array(..., copy) drops any ndarray subclass and its overridden operators.
        return np.array(value, copy=True, subok=False)
    if type(value) in (list, tuple):
        items = [to_plain(v, f"{where}[{i}]", language, f"{where_ja}[{i}]")
                 for i, v in enumerate(value)]
        return items if type(value) is list else tuple(items)
    if type(value) is dict:
        out = {}
        for key, v in value.items():
            if type(key) not in (str, int):
                raise refuse(f"{where} has a key of type {type(key).__name__}; use str keys",
                             f"{where_ja} に {type(key).__name__} 型のキーがあります。"
                             "キーには str を使ってください")
            out[key] = to_plain(v, f"{where}[{key!r}]", language, f"{where_ja}[{key!r}]")
        return out
    if isinstance(value, numbers.Number):
        raise refuse(f"{where} is a {type(value).__name__}; return a plain int or float",
                     f"{where_ja} は {type(value).__name__} です。"
                     "普通の int か float を返してください")
    name = f"{type(value).__module__}.{type(value).__name__}"
    raise refuse(
        f"{where} is a {name}; the grader only accepts "
        "numpy arrays, numbers, strings, and lists, tuples or dicts of those",
        f"{where_ja} は {name} です。採点で受け付けるのは numpy の配列、数値、文字列と、"
        "それらのリスト・タプル・辞書だけです"
    )
