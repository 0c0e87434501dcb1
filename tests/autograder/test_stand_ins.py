"""Each item judged on its own logic: calls to an earlier item's failed function are
answered with the reference's outputs, computed on the grader's side (DESIGN.md rule 13,
issue 12). In-process, through the same request and payload as the sandboxed kernel."""
import numpy as np
import pytest

from autograder.grading import protocol
from autograder.grading.evaluation import StandIns, evaluate_here
from autograder.items import get_problem

STEP = get_problem("01_rnn.rnn_step_forward")
FORWARD = get_problem("01_rnn.rnn_forward")

STUDENT_CODE = '''
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    return np.tanh(x @ Wx + b)                      # the only mistake: no recurrence

def rnn_forward(xs, h0, Wx, Wh, b):
    N, T, _ = xs.shape
    hs = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        h = rnn_step_forward(xs[:, t], h, Wx, Wh, b)
        hs[:, t] = h
    return hs
'''


def student(code=STUDENT_CODE):
    space = {"np": np}
    exec(code, space)
    return space


def verdict_of(problem, obj, stand_ins=None, seed=3):
    cases = problem.cases(seed)
    return problem.verdict(cases, evaluate_here(problem, obj, cases, stand_ins))


def test_a_correct_loop_over_a_wrong_step_fails_alone_and_passes_with_the_stand_in():
    space = student()
    assert not verdict_of(STEP, space["rnn_step_forward"]).passed
    assert not verdict_of(FORWARD, space["rnn_forward"]).passed
    stand_ins = StandIns([STEP])
    verdict = verdict_of(FORWARD, space["rnn_forward"], stand_ins).with_stand_ins([STEP])
    assert verdict.passed and stand_ins.calls > 0
    assert "judged on its own logic" in verdict.message and "rnn_step_forward" in verdict.message
    assert verdict.as_data()["judged_without"] == ["01_rnn.rnn_step_forward"]


def test_the_student_function_is_back_in_place_after_the_item():
    space = student()
    own = space["rnn_step_forward"]
    verdict_of(FORWARD, space["rnn_forward"], StandIns([STEP]))
    assert space["rnn_step_forward"] is own


def test_a_wrong_loop_still_fails_with_the_stand_in():
    wrong_loop = STUDENT_CODE.replace("h = rnn_step_forward(xs[:, t], h, Wx, Wh, b)",
                                      "h = rnn_step_forward(xs[:, t], h0, Wx, Wh, b)")
    space = student(wrong_loop)
    verdict = verdict_of(FORWARD, space["rnn_forward"], StandIns([STEP]))
    assert not verdict.passed and verdict.misconception.key == "state_not_carried"


def test_the_grader_answers_only_the_functions_it_stands_in_for_and_within_its_budget():
    stand_ins = StandIns([STEP], max_calls=2)
    x, h, Wx, Wh, b = np.ones((1, 2)), np.zeros((1, 3)), np.ones((2, 3)), np.eye(3), np.zeros(3)
    ok = protocol.loads(stand_ins(protocol.dumps({"call": "rnn_step_forward",
                                                  "args": [x, h, Wx, Wh, b]})))
    np.testing.assert_allclose(ok["value"], np.tanh(x @ Wx))
    other = protocol.loads(stand_ins(protocol.dumps({"call": "rnn_forward", "args": []})))
    assert "could not read" in other["error"]
    spent = protocol.loads(stand_ins(protocol.dumps({"call": "rnn_step_forward",
                                                     "args": [x, h, Wx, Wh, b]})))
    assert "stopped answering" in spent["error"]


@pytest.mark.parametrize("reply", ["not json", '{"dict": []}', protocol.dumps({"error": "x"})])
def test_a_stand_in_whose_reply_is_no_value_raises_in_the_student_code(reply):
    space = student()
    cases = FORWARD.cases(1)
    outcomes = evaluate_here(FORWARD, space["rnn_forward"], cases,
                             stand_ins=type("Broken", (), {"names": ["rnn_step_forward"],
                                                           "__call__": lambda self, text: reply})())
    assert all(o.error for o in outcomes)


def test_a_function_the_student_never_defined_stands_in_too_and_is_removed_after():
    """Its cell died or was deleted: the loop is still judged on its own logic."""
    space = student()
    del space["rnn_step_forward"]
    verdict = verdict_of(FORWARD, space["rnn_forward"], StandIns([STEP]))
    assert verdict.passed and "rnn_step_forward" not in space


def test_arguments_shaped_to_make_the_reference_allocate_gigabytes_are_not_computed():
    """An outer product of two 100,000-long vectors (80 GB) would run in the grader's own
    process: the stand-in refuses it without computing anything."""
    stand_ins = StandIns([STEP])
    x, Wx = np.ones((100_000, 1)), np.ones((1, 100_000))
    reply = protocol.loads(stand_ins(protocol.dumps(
        {"call": "rnn_step_forward", "args": [x, np.zeros((100_000, 1)), Wx, np.ones((1, 1)),
                                              np.zeros(1)]})))
    assert "at most 64 entries" in reply["error"] and stand_ins.seconds == 0.0
