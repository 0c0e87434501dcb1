"""Plain-data wire format between the grader and the student's kernel.

This module is self-contained on purpose (standard library + numpy only): its source is
also executed inside the student's kernel, so both sides encode and decode the same way.
Arrays travel as ``np.save`` bytes (base64) and are read back with
``allow_pickle=False``, so no object can cross, only numbers, text and containers.
The kernel side is untrusted: whatever it returns is decoded here and then checked again
by ``autograder.plain.to_plain``.
"""
import base64
import io
import json
import math

import numpy as np

MIME = "application/vnd.rnn-course.grader+json"
# The largest result payload (the JSON text of one display of MIME) the grader reads; the
# kernel side drops bigger ones, and the decoder refuses them. Graded results are a few
# kilobytes; 8 MiB leaves room for any honest answer.
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024


def encode(value):
    """Plain value -> JSON-compatible structure (raises TypeError for anything else)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)} if not math.isfinite(value) else value
    if isinstance(value, complex):
        return {"complex": [repr(value.real), repr(value.imag)]}
    if isinstance(value, np.generic):
        return encode(value.item())
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(value), allow_pickle=False)
        return {"ndarray": base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot send a {type(value).__module__}.{type(value).__name__}: return "
                    "numpy arrays, numbers, strings, or lists, tuples and dicts of those")


def decode(data):
    """Inverse of encode. Never unpickles."""
    if data is None or isinstance(data, (bool, str, float)):
        return data
    if isinstance(data, int):
        return data
    if not isinstance(data, dict) or len(data) != 1:
        raise ValueError("malformed grader payload")
    (kind, body), = data.items()
    if kind == "int":
        return int(body)
    if kind == "float":
        return float(body)
    if kind == "complex":
        return complex(float(body[0]), float(body[1]))
    if kind == "ndarray":
        return np.load(io.BytesIO(base64.b64decode(body)), allow_pickle=False)
    if kind == "list":
        return [decode(v) for v in body]
    if kind == "tuple":
        return tuple(decode(v) for v in body)
    if kind == "dict":
        return {decode(k): decode(v) for k, v in body}
    raise ValueError(f"malformed grader payload: unknown kind {kind!r}")


def dumps(value):
    return json.dumps(encode(value))


def loads(text):
    return decode(json.loads(text))


# --- kernel side --------------------------------------------------------------------------

def evaluate(obj, request_text):
    """Run in the student's kernel: apply ``obj`` as the request says and display the
    results under MIME. request: {"mode": "value"} or {"mode": "call", "cases": [args...]}.
    """
    request = loads(request_text)
    results = []
    if request["mode"] == "value":
        results.append(_attempt(lambda: obj))
    else:
        for args in request["cases"]:
            results.append(_attempt(lambda args=args: obj(*args)))
    from IPython.display import display
    display({MIME: json.dumps(results)}, raw=True)


def _attempt(compute):
    try:
        value = compute()
        return {"value": encode(value)}
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the student's error, as text (SystemExit included)
        return {"error": f"{type(exc).__name__}: {exc}"[:2000]}
