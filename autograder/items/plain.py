"""Plain data: the only things that cross from a student's code to the grader.

Arrays of numbers or booleans, numbers, strings, None, and lists, tuples and dicts of
those. Everything else (objects with a custom ``__eq__``, ndarray subclasses, object
arrays, generators, ...) is rejected, so a submission cannot fake a comparison.
"""
import numbers

import numpy as np


class NotPlainData(TypeError):
    """A value that the grader will not compare (says which part and why)."""


def to_plain(value, where="the result"):
    """Copy ``value`` into plain data, or raise NotPlainData naming the offending part."""
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is complex:
        return value
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind in "biufc":
            return value.item()
        raise NotPlainData(f"{where} is a numpy {value.dtype} scalar, expected a number")
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":
            raise NotPlainData(f"{where} is an array of dtype {value.dtype}, expected numbers")
        # np.array(..., copy) drops any ndarray subclass and its overridden operators.
        return np.array(value, copy=True, subok=False)
    if type(value) in (list, tuple):
        items = [to_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return items if type(value) is list else tuple(items)
    if type(value) is dict:
        out = {}
        for key, v in value.items():
            if type(key) not in (str, int):
                raise NotPlainData(f"{where} has a key of type {type(key).__name__}; use str keys")
            out[key] = to_plain(v, f"{where}[{key!r}]")
        return out
    if isinstance(value, numbers.Number):
        raise NotPlainData(f"{where} is a {type(value).__name__}; return a plain int or float")
    raise NotPlainData(
        f"{where} is a {type(value).__module__}.{type(value).__name__}; the grader only accepts "
        "numpy arrays, numbers, strings, and lists, tuples or dicts of those"
    )
