"""Plain-data wire format between the grader and the student's kernel.

This module is self-contained on purpose (standard library + numpy only): its source is
also executed inside the student's kernel, so both sides encode and decode the same way.
Arrays travel as ``np.save`` bytes (base64) and are read back with
``allow_pickle=False``, so no object can cross, only numbers, text and containers.
The kernel side is untrusted: whatever it returns is decoded here and then checked again
by ``autograder.items.plain.to_plain``.

Messages for the student exist in English and Japanese: the grader's side picks the class's
language itself (``PayloadError.in_language``); the kernel's side writes in the language
the grader's request names (its "language", set only for a class that is not English).
"""
import base64
import copy
import io
import json
import math

import numpy as np

MIME = "application/vnd.rnn-course.grader+json"
# The largest result payload (the JSON text of one display of MIME) the grader reads; the
# kernel side drops bigger ones, and the decoder refuses them. Graded results are a few
# kilobytes; 8 MiB leaves room for any honest answer.
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
# The marker a kernel session keeps instead of a payload over MAX_PAYLOAD_BYTES.
TOO_LARGE = "too large"
MAX_DEPTH = 32  # containers nested deeper than this are refused
MAX_ARRAY_DIMS = 32
FLOAT_MAX = 1.7976931348623157e308


class PayloadError(ValueError):
    """A payload the grader refuses to read (the message says why, for the student; ``ja``:
    the same in Japanese)."""

    def __init__(self, message, ja=None):
        super().__init__(message)
        self.ja = ja

    def in_language(self, language):
        """The message in ``language`` ("en" or "ja")."""
        return self.ja if language == "ja" and self.ja else str(self)


def _say(en, ja, language):
    # Not rnnlib.language.say: this module's source also runs on its own in the student's
    # kernel (execute.py exec's it there), with numpy and the standard library only.
    return ja if language == "ja" else en


def encode(value, language="en"):
    """Plain value -> JSON-compatible structure (raises TypeError for anything else, its
    message in ``language``)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)} if not math.isfinite(value) else value
    if isinstance(value, complex):
        return {"complex": [repr(value.real), repr(value.imag)]}
    if isinstance(value, np.generic):
        return encode(value.item(), language)
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(value), allow_pickle=False)
        return {"ndarray": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple":
                [encode(v, language) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k, language), encode(v, language)] for k, v in value.items()]}
    kind = f"{type(value).__module__}.{type(value).__name__}"
    raise TypeError(_say(f"cannot send a {kind}: return "
                         "numpy arrays, numbers, strings, or lists, tuples and dicts of those",
                         f"{kind} は採点システムに送れません: numpy 配列、数値、文字列、または"
                         "それらのリスト・タプル・辞書を返してください (cannot send)", language))


def decode(data, depth=0):
    """Inverse of encode, bounded: never unpickles, refuses (PayloadError) containers nested
    deeper than MAX_DEPTH, integers beyond the float range and arrays that are not plain
    numbers or whose header promises more data than the payload holds."""
    if depth > MAX_DEPTH:
        raise PayloadError(f"the result is nested more than {MAX_DEPTH} levels deep",
                           f"結果の入れ子が {MAX_DEPTH} 段より深くなっています")
    if data is None or isinstance(data, (bool, str, float)):
        return data
    if isinstance(data, int):
        return _bounded_int(data)
    if not isinstance(data, dict) or len(data) != 1:
        raise PayloadError("malformed grader payload", "採点用のデータの形式が正しくありません")
    (kind, body), = data.items()
    if kind == "int":
        if not isinstance(body, str) or len(body.lstrip("+-")) > 309:
            raise PayloadError("the result holds an integer beyond the float range",
                               "結果に float の範囲を超える整数が含まれています")
        return _bounded_int(int(body))
    if kind == "float":
        return float(body)
    if kind == "complex":
        return complex(float(body[0]), float(body[1]))
    if kind == "ndarray":
        return _decode_array(body)
    if kind in ("list", "tuple") and isinstance(body, list):
        items = [decode(v, depth + 1) for v in body]
        return items if kind == "list" else tuple(items)
    if kind == "dict" and isinstance(body, list):
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in body}
    raise PayloadError(f"malformed grader payload: unknown kind {str(kind)[:40]!r}",
                       f"採点用のデータの形式が正しくありません: 不明な種類 {str(kind)[:40]!r}")


def _bounded_int(value):
    if abs(value) > FLOAT_MAX:
        digits = len(str(abs(value)))
        raise PayloadError(f"the result holds an integer beyond the float range (about "
                           f"{digits} digits); return a float or a smaller int",
                           f"結果に float の範囲を超える整数 (約 {digits} 桁) が含まれています。"
                           "float か、もっと小さい int を返してください")
    return value


def _decode_array(body):
    """An ``np.save`` buffer of plain numbers whose shape matches the data it carries."""
    raw = base64.b64decode(body, validate=True)
    stream = io.BytesIO(raw)
    version = np.lib.format.read_magic(stream)
    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                   else np.lib.format.read_array_header_2_0)
    shape, _, dtype = read_header(stream)
    if dtype.fields is not None or dtype.subdtype is not None or dtype.kind not in "biufc":
        raise PayloadError(f"the result is an array of dtype {dtype}, expected numbers",
                           f"結果は dtype {dtype} の配列です。数値の配列が返るはずです")
    if len(shape) > MAX_ARRAY_DIMS:
        raise PayloadError(f"the result is an array with {len(shape)} dimensions",
                           f"結果は {len(shape)} 次元の配列です")
    if math.prod(shape) * dtype.itemsize > len(raw) - stream.tell():
        raise PayloadError(f"the result's array header (shape {shape}) does not match its data",
                           f"結果の配列のヘッダー (形状 {shape}) がデータと合っていません")
    stream.seek(0)
    return np.load(stream, allow_pickle=False)


def read_payload(text):
    """The list of per-case results in one payload text, or PayloadError."""
    if text == TOO_LARGE or len(text) > MAX_PAYLOAD_BYTES:
        raise PayloadError(f"the result is larger than the {MAX_PAYLOAD_BYTES // 2**20} MiB the "
                           "grader reads; return the value asked for, not more",
                           f"結果が、採点システムが読み取る上限の {MAX_PAYLOAD_BYTES // 2**20} MiB "
                           "を超えています。求められた値だけを返してください")
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        raise PayloadError("the result could not be read", "結果を読み取れませんでした") from None
    if not isinstance(items, list):
        raise PayloadError("malformed grader payload", "採点用のデータの形式が正しくありません")
    return items


def dumps(value):
    return json.dumps(encode(value))


def loads(text):
    return decode(json.loads(text))


# --- kernel side --------------------------------------------------------------------------

ERROR_LIMIT = 2000  # characters of one error text the kernel side sends


class StandInError(Exception):
    """The grader could not answer a call to a stand-in (the message says why)."""


def answer(obj, request_text, ask=None):
    """Apply ``obj`` as the request says and return the results as payload text (a JSON
    list, one entry per case: {"value": encoded} or {"error": text}).

    request: {"mode": "value", "name": ...} or {"mode": "call", "name": ..., "cases":
    [args...], "stand_ins": [names]}, and "language": "ja" when the grader wants the
    messages written here in Japanese (the class's language, from the grader's configuration). While the cases run, each name in "stand_ins" (a
    function of the student's that failed its own item) is replaced, in ``obj``'s globals,
    by a stand-in that asks the grader for the reference's output: ``ask(text)`` sends a
    request text and returns the reply text (in the kernel: ``input``, answered by the
    grader over Jupyter's stdin channel). The reference itself never comes here.
    """
    request = loads(request_text)
    language = "ja" if request.get("language") == "ja" else "en"
    if request["mode"] == "value":
        results = [_attempt(lambda: obj, language)]
    elif not callable(obj):
        results = [{"error": _say(f"{request['name']} is a {type(obj).__name__}, expected a function",
                                  f"{request['name']} は {type(obj).__name__} です。関数のはずです",
                                  language)}] * len(request["cases"])
    else:
        with _standing_in(obj, request.get("stand_ins", ()), ask or input, language):
            results = [_call(obj, args, language) for args in request["cases"]]
    text = json.dumps(results)
    if len(text) > MAX_PAYLOAD_BYTES:
        size, most = len(text) // 2**20, MAX_PAYLOAD_BYTES // 2**20
        text = json.dumps([{"error": _say(f"the result is {size} MiB as data, more than "
                                          f"the {most} MiB the grader reads",
                                          f"結果はデータとして {size} MiB あり、採点システムが"
                                          f"読み取る上限の {most} MiB を超えています", language)}]
                          * len(results))
    return text


class _standing_in:
    """Replace ``names`` in ``obj``'s globals by stand-ins for the duration of a block."""

    def __init__(self, obj, names, ask, language="en"):
        # A name may be missing (its cell never ran, or the student deleted it): it stands
        # in all the same, and is removed again afterwards.
        self.space = getattr(obj, "__globals__", None)
        self.names = list(names) if isinstance(self.space, dict) else []
        self.ask = ask
        self.language = language
        self.saved = {}

    def _stand_in(self, name):
        no_answer = _say("no answer", "採点システムから答えがありません", self.language)

        def stand_in(*args):
            reply = loads(self.ask(json.dumps(encode({"call": name, "args": list(args)},
                                                     self.language))))
            if not isinstance(reply, dict) or "value" not in reply:
                raise StandInError(reply.get("error", no_answer) if isinstance(reply, dict)
                                   else no_answer)
            return reply["value"]
        stand_in.__name__ = name
        return stand_in

    def __enter__(self):
        for name in self.names:
            if name in self.space:
                self.saved[name] = self.space[name]
            self.space[name] = self._stand_in(name)
        return self

    def __exit__(self, *exc):
        for name in self.names:
            self.space.pop(name, None)
        self.space.update(self.saved)
        return False


def evaluate(obj, request_text):
    """Run in the student's kernel: ``answer``, displayed under MIME for the grader."""
    from IPython.display import display
    display({MIME: answer(obj, request_text)}, raw=True)


def _call(obj, args, language="en"):
    """One case: ``obj(*args)``, noting which arguments it changed in place."""
    before = copy.deepcopy(args)
    result = _attempt(lambda: obj(*args), language)
    changed = [i for i, (now, then) in enumerate(zip(args, before)) if not _same(now, then)]
    if changed:
        result["modified"] = changed
    return result


def _same(a, b):
    """Plain data ``a`` equals ``b`` exactly (arrays: same shape and values, NaN equal)."""
    if isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and a.shape == b.shape
                and bool(np.array_equal(a, b, equal_nan=b.dtype.kind in "fc")))
    if isinstance(b, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b)))
    if isinstance(b, dict):
        return (isinstance(a, dict) and a.keys() == b.keys()
                and all(_same(a[k], b[k]) for k in b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


def _attempt(compute, language="en"):
    try:
        value = compute()
        return {"value": encode(value, language)}
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the student's error, as text (SystemExit included)
        return {"error": f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]}
