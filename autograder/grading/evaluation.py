"""The one evaluation path of an item, wherever the student's object lives.

The grader draws the cases and writes the request; the student's side applies the object
(``protocol.answer``: in the sandboxed kernel under ``nbgrader autograde``, in this process
when ``check`` runs in a notebook executed outside nbgrader) and answers with payload text;
``read_outcomes`` turns that text back into Outcomes the item judges. Both ways go through
the same encoding, so a value that would not cross the sandbox fails here too.
"""
from autograder.grading import protocol
from autograder.items.plain import NotPlainData, to_plain
from autograder.items.base import Outcome, clip


def request_text(problem, cases):
    """The request for ``problem``'s cases, as the text the student's side reads."""
    return protocol.dumps(problem.request(cases))


def result_count(problem, cases):
    """How many results the student's side answers with (one per case, or one value)."""
    return len(cases) if problem.request(cases)["mode"] == "call" else 1


def read_outcomes(payload_text, count):
    """The Outcomes in one payload text; ``count`` copies of one error when it cannot be
    read (too large, malformed, or not a list of the expected length)."""
    try:
        items = protocol.read_payload(payload_text)
    except protocol.PayloadError as exc:
        return [Outcome(error=str(exc))] * count
    except Exception:
        return [Outcome(error="the result could not be read")] * count
    return [_outcome(item) for item in items]


def _outcome(item):
    """One case's result, as plain data or an error text (never raises)."""
    try:
        if isinstance(item, dict) and "error" in item:
            return Outcome(error=clip(item["error"], protocol.ERROR_LIMIT))
        return Outcome(value=to_plain(protocol.decode(item["value"])))
    except (NotPlainData, protocol.PayloadError) as exc:
        return Outcome(error=str(exc))
    except Exception:
        return Outcome(error="the result could not be read as plain data")


def evaluate_here(problem, obj, cases):
    """Outcomes of ``obj`` (an object of this process) on ``cases``, by the same request
    and payload as the sandboxed kernel uses."""
    text = protocol.answer(obj, request_text(problem, cases))
    return read_outcomes(text, result_count(problem, cases))
