"""The grader-side decoding and judging are total and bounded (DESIGN.md rule 11): any value
a kernel returns gets a verdict, messages quote little of it, and hidden cases are fresh for
each graded attempt (rule 12) yet the same when one submission is graded again (rule 6)."""
import base64
import io
import json

import nbformat
import numpy as np
import pytest

from autograder.items import Outcome, get_problem
from autograder.grading import protocol
from autograder.grading.evaluation import _outcome
from autograder.grading.execute import case_seed, submission_digest


def _nested(depth):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


def _array_payload(header_shape, data=b"\0" * 64, descr="<f8"):
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False,
                                                  "shape": header_shape})
    buffer.write(data)
    return {"ndarray": base64.b64encode(buffer.getvalue()).decode()}


@pytest.mark.parametrize("value,why", [
    (protocol.encode(10 ** 400), "float range"),
    ({"int": "9" * 5000}, "float range"),
    (protocol.encode(_nested(protocol.MAX_DEPTH + 5)), "nested"),
    (_array_payload((10 ** 6, 10 ** 6)), "does not match its data"),
    (_array_payload((2,), descr="|O"), "dtype"),
    (protocol.encode(np.array(["a", "b"])), "dtype"),
    ({"weird": 1}, "malformed"),
])
def test_decode_refuses_what_it_cannot_bound(value, why):
    outcome = _outcome({"value": value})
    assert outcome.error is not None and why in outcome.error


def test_decode_keeps_plain_values_nan_and_inf():
    value = [1, 2.5, np.array([np.nan, np.inf]), {"a": (1, -3)}, 2 ** 60]
    decoded = _outcome({"value": protocol.encode(value)}).value
    assert decoded[0:2] == [1, 2.5] and np.isnan(decoded[2][0]) and decoded[3] == {"a": (1, -3)}


def test_a_payload_over_the_cap_or_unreadable_is_an_error_not_a_crash():
    with pytest.raises(protocol.PayloadError, match="MiB"):
        protocol.read_payload("[" + " " * protocol.MAX_PAYLOAD_BYTES + "]")
    with pytest.raises(protocol.PayloadError, match="MiB"):
        protocol.read_payload(protocol.TOO_LARGE)
    with pytest.raises(protocol.PayloadError):
        protocol.read_payload("[" * 100_000)


def test_the_kernel_side_sends_an_error_instead_of_a_huge_result(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, raw: shown.append(data))
    protocol.evaluate("x" * (protocol.MAX_PAYLOAD_BYTES + 10), protocol.dumps({"mode": "value"}))
    (item,) = json.loads(shown[0][protocol.MIME])
    assert "MiB" in item["error"] and len(shown[0][protocol.MIME]) < 1000


@pytest.mark.parametrize("grade_id,value", [
    ("01_rnn.conv_answer", 10 ** 400),
    ("01_rnn.conv_answer", "x" * 3_000_000),
    ("01_rnn.conv_output_size", 10 ** 400),
    ("01_rnn.rnn_forward", float("nan")),
    ("01_rnn.rnn_forward", _nested(30)),
])
def test_any_value_gets_a_short_failing_verdict(grade_id, value):
    problem = get_problem(grade_id)
    cases = problem.cases(1)
    verdict = problem.verdict(cases, [Outcome(value=value)] * len(cases))
    assert not verdict.passed and len(verdict.message) < 3000


def test_a_long_error_text_is_quoted_short():
    problem = get_problem("01_rnn.rnn_forward")
    cases = problem.cases(1)
    verdict = problem.verdict(cases, [Outcome(error="E" * 1_000_000)] * len(cases))
    assert not verdict.passed and len(verdict.message) < 1000


def _notebook(answer):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(answer)])


def test_hidden_cases_change_with_the_submission_and_not_on_a_regrade():
    secret, problem = b"s" * 32, get_problem("01_rnn.conv_output_size")
    one, two = submission_digest(_notebook("x = 1")), submission_digest(_notebook("x = 2"))
    assert one == submission_digest(_notebook("x = 1"))

    def labels(digest):
        seed = case_seed(secret, "alice", problem.grade_id, digest)
        return [c.label for c in problem.cases(seed)]

    assert labels(one) == labels(one)
    assert labels(one) != labels(two)
