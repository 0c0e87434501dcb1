"""The one evaluation path of an item, wherever the student's object lives.

The grader draws the cases and writes the request; the student's side applies the object
(``protocol.answer``: in the sandboxed kernel under ``nbgrader autograde``, in this process
when ``check`` runs in a notebook executed outside nbgrader) and answers with payload text;
``read_outcomes`` turns that text back into Outcomes the item judges. Both ways go through
the same encoding, so a value that would not cross the sandbox fails here too.

``language`` ("en" or "ja") is the class's language, which the grader reads from its own
configuration (nbgrader_config.py, autograder.grading.language.class_language): the
messages written here and the verdict use it; the request names it to the student's side
only so that its own messages (e.g. "is a list, expected a function") match.
"""
import time

import numpy as np

from autograder.grading import protocol
from autograder.items.base import Outcome, clip
from autograder.items.plain import NotPlainData, to_plain
from rnnlib.language import say as _say


def request_text(problem, cases, stand_ins=None, language="en"):
    """The request for ``problem``'s cases, as the text the student's side reads; with
    ``stand_ins`` (a StandIns), the names of the student's functions to stand in for."""
    request = problem.request(cases)
    if stand_ins is not None and request["mode"] == "call":
        request["stand_ins"] = stand_ins.names
    if language != "en":
        request["language"] = language
    return protocol.dumps(request)


class StandIns:
    """The grader's side of the stand-ins for an item judged on its own logic.

    problems: the earlier items whose student functions failed their own item; while this
    item is judged, each call the student's code makes to one of those functions is sent
    here (as request text) and answered with the item's reference output, computed here.
    Bounded: at most ``max_calls`` calls and ``max_seconds`` of reference time per item, and
    no array longer than ``max_dimension`` along any axis (the hidden cases' largest is 20).
    """

    def __init__(self, problems, max_calls=20_000, max_seconds=20.0, max_dimension=64,
                 language="en"):
        self.language = language
        self.by_name = {p.student_object: p for p in problems}
        self.max_calls, self.max_seconds = max_calls, max_seconds
        self.max_dimension = max_dimension
        self.calls, self.seconds = 0, 0.0

    @property
    def names(self):
        return sorted(self.by_name)

    def __bool__(self):
        return bool(self.by_name)

    def __call__(self, text):
        """Reply text to one stand-in request text (never raises)."""
        language = self.language
        self.calls += 1
        if self.calls > self.max_calls or self.seconds > self.max_seconds:
            return protocol.dumps({"error": _say(
                "the grader stopped answering calls to the functions "
                f"it stands in for ({self.max_calls:,} calls or "
                f"{self.max_seconds:g} s of its time per item)",
                "採点システムは、代わりに答えている関数の呼び出しに答えるのをやめました (1 項目"
                f"あたり {self.max_calls:,} 回または {self.max_seconds:g} 秒まで)", language)})
        try:
            if len(text) > protocol.MAX_PAYLOAD_BYTES:
                raise protocol.PayloadError("the arguments are too large")
            request = protocol.loads(text)
            problem = self.by_name[request["call"]]
            args = to_plain(request["args"])
        except Exception:
            return protocol.dumps({"error": _say("the grader could not read this call",
                                                 "採点システムはこの呼び出しを読み取れませんでした",
                                                 language)})
        if _largest_dimension(args) > self.max_dimension:
            # the reference runs in the grader's own process: arguments shaped to make it
            # allocate gigabytes (an outer product of two long vectors) are not computed
            return protocol.dumps({"error": _say(
                f"the grader answers calls whose arrays have at most "
                f"{self.max_dimension} entries along each axis (the "
                "hidden cases have far fewer)",
                f"採点システムが答えるのは、配列の各軸の長さが {self.max_dimension} 以下の呼び出し"
                "だけです (隠しテストのケースはずっと小さい)", language)})
        start = time.perf_counter()
        try:
            with np.errstate(all="ignore"):
                value = to_plain(problem.reference(*args))
            reply = {"value": value}
        except Exception as exc:
            error = f"{type(exc).__name__}: {clip(exc, 300, language)}"
            reply = {"error": _say(f"{problem.student_object} (the reference standing in for yours) "
                                   f"raised {error}",
                                   f"{problem.student_object} (あなたの関数の代わりに使った正解の"
                                   f"実装) が {error} を出しました", language)}
        finally:
            self.seconds += time.perf_counter() - start
        return protocol.dumps(reply)


def _largest_dimension(value):
    """The longest axis of any array (or length of any list) in plain data ``value``."""
    if isinstance(value, np.ndarray):
        return max(value.shape, default=0) if value.ndim <= 4 else 10**9
    if isinstance(value, (list, tuple, dict)):
        items = value.values() if isinstance(value, dict) else value
        return max([len(value), *(_largest_dimension(v) for v in items)])
    return 0


def result_count(problem, cases):
    """How many results the student's side answers with (one per case, or one value)."""
    return len(cases) if problem.request(cases)["mode"] == "call" else 1


def read_outcomes(payload_text, count, language="en"):
    """The Outcomes in one payload text; ``count`` copies of one error when it cannot be
    read (too large, malformed, or not a list of the expected length)."""
    try:
        items = protocol.read_payload(payload_text)
    except protocol.PayloadError as exc:
        return [Outcome(error=exc.in_language(language))] * count
    except Exception:
        return [Outcome(error=_say("the result could not be read", "結果を読み取れませんでした",
                                   language))] * count
    return [_outcome(item, language) for item in items]


def _outcome(item, language="en"):
    """One case's result, as plain data or an error text (never raises)."""
    try:
        modified = item.get("modified", []) if isinstance(item, dict) else []
        modified = tuple(int(i) for i in modified[:64] if isinstance(i, int))
        if isinstance(item, dict) and "error" in item:
            return Outcome(error=clip(item["error"], protocol.ERROR_LIMIT, language))
        return Outcome(value=to_plain(protocol.decode(item["value"])), modified=modified)
    except protocol.PayloadError as exc:
        return Outcome(error=exc.in_language(language))
    except NotPlainData as exc:
        return Outcome(error=exc.in_language(language))
    except Exception:
        return Outcome(error=_say("the result could not be read as plain data",
                                  "結果をプレーンなデータとして読み取れませんでした", language))


def evaluate_here(problem, obj, cases, stand_ins=None, language="en"):
    """Outcomes of ``obj`` (an object of this process) on ``cases``, by the same request,
    stand-ins and payload as the sandboxed kernel uses."""
    text = protocol.answer(obj, request_text(problem, cases, stand_ins, language), ask=stand_ins)
    return read_outcomes(text, result_count(problem, cases), language)
