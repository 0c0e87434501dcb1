"""Readable checks for the visible tests in the notebooks.

``assert_close(actual, expected, "next_h")`` fails with a message that says what is
wrong (type, shape, the first wrong element and by how much) instead of a bare
``AssertionError``. The autograder uses the same ``describe_mismatch`` for its messages,
so students see one style of feedback everywhere.
"""
import numbers

import numpy as np


class VisibleTestFailure(AssertionError):
    """A visible test failed; the message says what to fix."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback through library code.
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def _type_name(x):
    cls = type(x)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def describe_mismatch(actual, expected, rtol=1e-7, atol=1e-9, names=()):
    """Why ``actual`` does not match ``expected``, or None when it does.

    Numbers and arrays are compared with ``|a - e| <= atol + rtol * |e|``; strings,
    booleans and other values exactly; lists, tuples and dicts item by item. ``names``:
    what the task calls the items of a returned tuple (``("dxs", "dh0", ...)``), used in
    the message instead of "item i".
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"expected a dict, got {_type_name(actual)}"
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing keys {missing}")
            if extra:
                parts.append(f"unexpected keys {extra}")
            return "; ".join(parts)
        for key in expected:
            why = describe_mismatch(actual[key], expected[key], rtol, atol)
            if why:
                return f"[{key!r}]: {why}"
        return None
    if isinstance(expected, (list, tuple)) and not isinstance(actual, np.ndarray):
        if not isinstance(actual, (list, tuple)):
            return f"expected a {type(expected).__name__}, got {_type_name(actual)}"
        if len(actual) != len(expected):
            return f"expected {len(expected)} items, got {len(actual)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            why = describe_mismatch(a, e, rtol, atol)
            if why:
                label = names[i] if i < len(names) else f"item {i}"
                return f"{label} (item {i} of the returned tuple): {why}"
        return None
    if isinstance(expected, (bool, np.bool_)):
        ok = isinstance(actual, (bool, np.bool_)) and bool(actual) == bool(expected)
        return None if ok else f"expected {expected!r}, got {actual!r}"
    if isinstance(expected, str):
        ok = isinstance(actual, str) and actual == expected
        return None if ok else f"expected {expected!r}, got {actual!r}"
    if isinstance(expected, numbers.Number) and not isinstance(expected, np.ndarray):
        if isinstance(actual, np.ndarray) and actual.shape == ():
            actual = actual.item()
        if isinstance(actual, (bool, np.bool_)) or not isinstance(actual, numbers.Number):
            return f"expected a number, got {_type_name(actual)}"
        if not np.isfinite(actual):
            return f"got {actual}, expected {expected}"
        if abs(actual - expected) > atol + rtol * abs(expected):
            return f"got {actual!r}, expected {expected!r}"
        return None
    return _describe_array_mismatch(actual, np.asarray(expected), rtol, atol)


def _describe_array_mismatch(actual, expected, rtol, atol):
    if not isinstance(actual, np.ndarray):
        if isinstance(actual, (list, tuple, numbers.Number)):
            return (f"expected a numpy array of shape {expected.shape}, got a "
                    f"{type(actual).__name__} (wrap it with np.array)")
        return f"expected a numpy array of shape {expected.shape}, got {_type_name(actual)}"
    if actual.shape != expected.shape:
        return f"wrong shape: got {actual.shape}, expected {expected.shape}"
    if not (np.issubdtype(actual.dtype, np.number) or actual.dtype == bool):
        return f"expected a numeric array, got dtype {actual.dtype}"
    a = actual.astype(float)
    e = expected.astype(float)
    bad_values = ~np.isfinite(a)
    if bad_values.any():
        idx = tuple(int(i) for i in np.argwhere(bad_values)[0])
        return f"element {list(idx)} is {a[idx]} (not finite); expected {e[idx]:.6g}"
    wrong = np.abs(a - e) > atol + rtol * np.abs(e)
    if not wrong.any():
        return None
    idx = tuple(int(i) for i in np.argwhere(wrong)[0])
    rel = float(np.max(np.abs(a - e) / np.maximum(1e-12, np.abs(e))))
    where = f"element {list(idx)}" if idx else "value"
    return (f"{where} is {a[idx]:.6g}, expected {e[idx]:.6g} "
            f"({int(wrong.sum())} of {wrong.size} elements wrong, max relative error {rel:.2g})")


def assert_close(actual, expected, name="result", rtol=1e-6, atol=1e-8):
    """Fail with a readable message unless ``actual`` matches ``expected``."""
    why = describe_mismatch(actual, expected, rtol, atol)
    if why:
        raise VisibleTestFailure(f"{name}: {why}")
    print(f"{name}: OK")


def assert_shape(actual, shape, name="result"):
    """Fail unless ``actual`` is a numpy array of exactly ``shape``."""
    if not isinstance(actual, np.ndarray):
        raise VisibleTestFailure(f"{name}: expected a numpy array, got {type(actual).__name__}")
    if actual.shape != tuple(shape):
        raise VisibleTestFailure(f"{name}: wrong shape, got {actual.shape}, expected {tuple(shape)}")
    print(f"{name}: shape {actual.shape} OK")


def assert_true(condition, message):
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        raise VisibleTestFailure(message)


def assert_gradient(analytic, numerical, name="gradient", tol=1e-6):
    """Fail unless ``analytic`` matches the ``numerical`` gradient (relative error < tol)."""
    from .gradcheck import rel_error

    assert_shape(np.asarray(analytic), np.shape(numerical), name)
    error = rel_error(analytic, numerical)
    if not error < tol:
        raise VisibleTestFailure(f"{name}: relative error {error:.2e} against the numerical "
                                 f"gradient (should be below {tol:.0e})")
    print(f"{name}: relative error {error:.1e} OK")


# --- items that call earlier items -------------------------------------------------------
# The grader judges an item that calls an earlier item's function on its own logic: when
# that function fails its own test, the grader answers the calls with correct results.
# The visible tests say the same: the last line of a function's test records that it
# passed, and the first line of the test of an item that calls it notes when it has not.

_PASSED = {}  # function name -> the function object whose visible test passed last


def passed(name, function):
    """The last line of ``name``'s visible test: it passed, for this very function."""
    _PASSED[name] = function


def uses(name, function, caller):
    """The first line of ``caller``'s visible test when ``caller`` calls ``name``: prints
    a note if ``name``'s own test has not passed for the function defined now."""
    if _PASSED.get(name) is not function:
        print(f"Note: {caller} calls your {name}, whose own test above has not passed (or has "
              f"not been run since you last changed it). If this test fails, fix {name} first. "
              f"The grader judges {caller} on its own logic: when your {name} fails its own "
              f"test, it answers {caller}'s calls to it with correct results, so {caller}'s "
              f"score does not depend on it.")
