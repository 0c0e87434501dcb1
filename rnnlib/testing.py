"""Readable checks for the visible tests in the notebooks.

``assert_close(actual, expected, "next_h")`` fails with a message that says what is
wrong (type, shape, the first wrong element and by how much) instead of a bare
``AssertionError``. The autograder uses the same ``describe_mismatch`` for its messages,
so students see one style of feedback everywhere.

Every message exists in English and Japanese: the kernel's language
(``rnnlib.language.set_language``, called by the Japanese edition's imports cell) picks
one; the grader passes the class's language explicitly (``language="ja"``).
"""
import numbers

import numpy as np

from .language import check_language, current_language, say


class VisibleTestFailure(AssertionError):
    """A visible test failed; the message says what to fix."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback through library code.
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def _type_name(x):
    cls = type(x)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


def describe_mismatch(actual, expected, rtol=1e-7, atol=1e-9, names=(), language=None):
    """Why ``actual`` does not match ``expected``, or None when it does.

    Numbers and arrays are compared with ``|a - e| <= atol + rtol * |e|``; strings,
    booleans and other values exactly; lists, tuples and dicts item by item. ``names``:
    what the task calls the items of a returned tuple (``("dxs", "dh0", ...)``), used in
    the message instead of "item i". ``language``: "en" or "ja" (default: the kernel's
    current language, rnnlib.language).
    """
    language = check_language(language or current_language())
    return _describe_mismatch(actual, expected, rtol, atol, names, language)


def _describe_mismatch(actual, expected, rtol, atol, names, language):
    def say_(en, ja):
        return say(en, ja, language)

    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return say_(f"expected a dict, got {_type_name(actual)}",
                        f"dict が返るはずですが、{_type_name(actual)} が返されました")
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append(say_(f"missing keys {missing}", f"キー {missing} がありません"))
            if extra:
                parts.append(say_(f"unexpected keys {extra}", f"余分なキー {extra} があります"))
            return "; ".join(parts)
        for key in expected:
            why = _describe_mismatch(actual[key], expected[key], rtol, atol, (), language)
            if why:
                return f"[{key!r}]: {why}"
        return None
    if isinstance(expected, (list, tuple)) and not isinstance(actual, np.ndarray):
        if not isinstance(actual, (list, tuple)):
            return say_(f"expected a {type(expected).__name__}, got {_type_name(actual)}",
                        f"{type(expected).__name__} が返るはずですが、{_type_name(actual)} "
                        "が返されました")
        if len(actual) != len(expected):
            return say_(f"expected {len(expected)} items, got {len(actual)}",
                        f"要素は {len(expected)} 個のはずですが、{len(actual)} 個でした")
        for i, (a, e) in enumerate(zip(actual, expected)):
            why = _describe_mismatch(a, e, rtol, atol, (), language)
            if why:
                label = names[i] if i < len(names) else say_(f"item {i}", f"要素 {i}")
                return say_(f"{label} (item {i} of the returned tuple): {why}",
                            f"{label} (返り値のタプルの要素 {i}): {why}")
        return None
    if isinstance(expected, (bool, np.bool_)):
        ok = isinstance(actual, (bool, np.bool_)) and bool(actual) == bool(expected)
        return None if ok else _expected_got(expected, actual, language)
    if isinstance(expected, str):
        ok = isinstance(actual, str) and actual == expected
        return None if ok else _expected_got(expected, actual, language)
    if isinstance(expected, numbers.Number) and not isinstance(expected, np.ndarray):
        if isinstance(actual, np.ndarray) and actual.shape == ():
            actual = actual.item()
        if isinstance(actual, (bool, np.bool_)) or not isinstance(actual, numbers.Number):
            return say_(f"expected a number, got {_type_name(actual)}",
                        f"数値が返るはずですが、{_type_name(actual)} が返されました")
        if not np.isfinite(actual):
            return say_(f"got {actual}, expected {expected}",
                        f"{actual} が返されました。期待される値は {expected} です")
        if abs(actual - expected) > atol + rtol * abs(expected):
            return say_(f"got {actual!r}, expected {expected!r}",
                        f"{actual!r} が返されました。期待される値は {expected!r} です")
        return None
    return _describe_array_mismatch(actual, np.asarray(expected), rtol, atol, language)


def _expected_got(expected, actual, language):
    return say(f"expected {expected!r}, got {actual!r}",
               f"期待される値は {expected!r} ですが、{actual!r} が返されました", language)


def _describe_array_mismatch(actual, expected, rtol, atol, language="en"):
    def say_(en, ja):
        return say(en, ja, language)

    if not isinstance(actual, np.ndarray):
        if isinstance(actual, (list, tuple, numbers.Number)):
            return say_(f"expected a numpy array of shape {expected.shape}, got a "
                        f"{type(actual).__name__} (wrap it with np.array)",
                        f"形状 {expected.shape} の numpy 配列が返るはずですが、"
                        f"{type(actual).__name__} が返されました (np.array で配列にしてください)")
        return say_(f"expected a numpy array of shape {expected.shape}, got {_type_name(actual)}",
                    f"形状 {expected.shape} の numpy 配列が返るはずですが、{_type_name(actual)} "
                    "が返されました")
    if actual.shape != expected.shape:
        return say_(f"wrong shape: got {actual.shape}, expected {expected.shape}",
                    f"形状 (shape) が違います: {actual.shape} が返されました。期待される形状は "
                    f"{expected.shape} です")
    if not (np.issubdtype(actual.dtype, np.number) or actual.dtype == bool):
        return say_(f"expected a numeric array, got dtype {actual.dtype}",
                    f"数値の配列が返るはずですが、dtype が {actual.dtype} です")
    a = actual.astype(float)
    e = expected.astype(float)
    bad_values = ~np.isfinite(a)
    if bad_values.any():
        idx = tuple(int(i) for i in np.argwhere(bad_values)[0])
        return say_(f"element {list(idx)} is {a[idx]} (not finite); expected {e[idx]:.6g}",
                    f"要素 {list(idx)} が {a[idx]} です (有限の値ではありません)。期待される値は "
                    f"{e[idx]:.6g} です")
    wrong = np.abs(a - e) > atol + rtol * np.abs(e)
    if not wrong.any():
        return None
    idx = tuple(int(i) for i in np.argwhere(wrong)[0])
    rel = float(np.max(np.abs(a - e) / np.maximum(1e-12, np.abs(e))))
    if language == "ja":
        where = f"要素 {list(idx)}" if idx else "値"
        return (f"{where} が {a[idx]:.6g} ですが、期待される値は {e[idx]:.6g} です "
                f"({wrong.size} 要素中 {int(wrong.sum())} 個が違います。最大相対誤差 {rel:.2g})")
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
        raise VisibleTestFailure(say(
            f"{name}: expected a numpy array, got {type(actual).__name__}",
            f"{name}: numpy 配列のはずですが、{type(actual).__name__} です"))
    if actual.shape != tuple(shape):
        raise VisibleTestFailure(say(
            f"{name}: wrong shape, got {actual.shape}, expected {tuple(shape)}",
            f"{name}: 形状 (shape) が違います。{actual.shape} ですが、期待される形状は "
            f"{tuple(shape)} です"))
    print(say(f"{name}: shape {actual.shape} OK", f"{name}: 形状 {actual.shape} OK"))


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
        raise VisibleTestFailure(say(
            f"{name}: relative error {error:.2e} against the numerical "
            f"gradient (should be below {tol:.0e})",
            f"{name}: 数値微分による勾配との相対誤差が {error:.2e} です ({tol:.0e} 未満に"
            "なるはずです)"))
    print(say(f"{name}: relative error {error:.1e} OK", f"{name}: 相対誤差 {error:.1e} OK"))


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
        print(say(
            f"Note: {caller} calls your {name}, whose own test above has not passed (or has "
            f"not been run since you last changed it). If this test fails, fix {name} first. "
            f"The grader judges {caller} on its own logic: when your {name} fails its own "
            f"test, it answers {caller}'s calls to it with correct results, so {caller}'s "
            f"score does not depend on it.",
            f"注意: {caller} はあなたの {name} を呼び出しますが、{name} は上の自身のテストに"
            f"まだ合格していません (または最後に変更してから実行されていません)。このテストが"
            f"失敗したら、まず {name} を直してください。採点では {caller} をそれ自体のロジック"
            f"で判定します: あなたの {name} が自身のテストに不合格のときは、{caller} からの"
            f"{name} の呼び出しに採点システムが正しい結果を返すので、{caller} の得点は "
            f"{name} に左右されません。"))
