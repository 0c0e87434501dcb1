"""The registry on its own (no nbgrader): references, misconceptions, alternatives, messages."""
import inspect
import re
import sys

import numpy as np
import pytest

from autograder.grading.check import HiddenTestFailure, check, run_check
from autograder.items import PROBLEMS, FunctionProblem, get_problem

FUNCTION_PROBLEMS = [p for p in PROBLEMS.values() if isinstance(p, FunctionProblem)]
MISCONCEPTIONS = [(p.grade_id, m.key) for p in PROBLEMS.values() for m in p.misconceptions]
ALTERNATIVES = [(p.grade_id, i) for p in PROBLEMS.values() for i in range(len(p.alternatives))]


def correct_answer(problem):
    return problem.reference if isinstance(problem, FunctionProblem) else problem.answer


@pytest.mark.parametrize("grade_id", sorted(PROBLEMS))
def test_the_reference_passes_its_own_check(grade_id):
    assert run_check(grade_id, correct_answer(PROBLEMS[grade_id])).passed


@pytest.mark.parametrize("grade_id,key", MISCONCEPTIONS)
def test_each_misconception_fails_and_is_named_in_the_message_and_the_data(grade_id, key):
    misconception = PROBLEMS[grade_id].misconception(key)
    verdict = run_check(grade_id, misconception.wrong)
    assert not verdict.passed
    assert verdict.misconception == misconception
    assert grade_id in verdict.message and misconception.hint in verdict.message
    assert verdict.as_data() == {"item": grade_id, "passed": False, "judged_without": [],
                                 "misconception": {"key": key, "hint": misconception.hint}}


@pytest.mark.parametrize("grade_id,index", ALTERNATIVES)
def test_each_alternative_correct_form_passes(grade_id, index):
    assert run_check(grade_id, PROBLEMS[grade_id].alternatives[index]).passed


@pytest.mark.parametrize("problem", PROBLEMS.values(), ids=lambda p: p.grade_id)
def test_every_item_has_two_alternative_correct_forms_and_a_misconception(problem):
    assert len(problem.alternatives) >= 2
    assert problem.misconceptions


@pytest.mark.parametrize("problem", FUNCTION_PROBLEMS, ids=lambda p: p.grade_id)
def test_cases_depend_on_the_seed_and_are_reproducible(problem):
    def flat(cases):
        return repr([c.args for c in cases])
    assert flat(problem.cases(1)) == flat(problem.cases(1))
    assert flat(problem.cases(1)) != flat(problem.cases(2))


def test_a_wrong_shape_is_reported_with_both_shapes():
    verdict = run_check("01_rnn.rnn_step_forward", lambda x, h, Wx, Wh, b: (x @ Wx).T)
    assert not verdict.passed and "wrong shape" in verdict.message


def test_an_exception_in_student_code_is_reported_not_raised():
    def broken(x, h, Wx, Wh, b):
        return x @ Wh
    verdict = run_check("01_rnn.rnn_step_forward", broken)
    assert not verdict.passed and "ValueError" in verdict.message


def test_a_non_function_is_reported():
    assert "expected a function" in run_check("01_rnn.rnn_forward", 42).message


def test_changing_an_argument_in_place_costs_the_item_and_names_the_argument():
    def mutating(x, h, Wx, Wh, b):
        out = np.tanh(x @ Wx + h @ Wh + b)
        Wx[...] = 0.0
        return out
    verdict = run_check("01_rnn.rnn_step_forward", mutating)
    assert not verdict.passed and verdict.misconception.key == "modifies_inputs"
    assert "changed its argument(s) Wx in place" in verdict.message


def test_clipping_the_gradients_in_place_fails_clip_grads_global():
    """The 03 task says "do not modify the arrays you were given"; an in-place version
    used to get full marks."""
    def clip_in_place(grads, threshold):
        total = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
        if total > threshold:
            for g in grads:
                g *= threshold / total
        return grads
    verdict = run_check("03_lstm.clip_grads_global", clip_in_place)
    assert not verdict.passed and verdict.misconception.key == "modifies_inputs"


def test_a_wrong_gradient_of_a_backward_pass_is_named_as_the_task_names_it():
    from autograder.items.bptt import rnn_backward_reference

    def wrong_dwh(*args):
        dxs, dh0, dWx, dWh, db = rnn_backward_reference(*args)
        return dxs, dh0, dWx, 2 * dWh, db
    verdict = run_check("02_bptt.rnn_backward", wrong_dwh)
    assert not verdict.passed and "dWh (item 3 of the returned tuple)" in verdict.message


@pytest.mark.parametrize("problem", FUNCTION_PROBLEMS, ids=lambda p: p.grade_id)
def test_every_tuple_an_item_returns_has_its_items_named(problem):
    value = problem.reference(*problem.cases(0)[0].args)
    if isinstance(value, tuple):
        assert len(problem.outputs) == len(value), (
            f"{problem.grade_id} returns {len(value)} values: name them in outputs=(...)")
    else:
        assert not problem.outputs


def test_an_always_equal_object_is_rejected():
    class Equal:
        def __eq__(self, other):
            return True
    verdict = run_check("01_rnn.conv_answer", Equal())
    assert not verdict.passed and "cannot send a" in verdict.message  # the sandbox's own message


def test_check_raises_a_hidden_test_failure_with_the_verdict(capsys):
    check("01_rnn.conv_answer", 3)
    assert "01_rnn.conv_answer: correct" in capsys.readouterr().out
    with pytest.raises(HiddenTestFailure, match="stride is ignored"):
        check("01_rnn.conv_answer", 5)


def test_unknown_grade_id_lists_the_known_ones():
    with pytest.raises(KeyError, match="01_rnn.rnn_forward"):
        get_problem("01_rnn.nope")


def notebook_function_names(assignment):
    from tests.conftest import REPO_ROOT
    source = (REPO_ROOT / "source" / assignment / f"{assignment}.py").read_text()
    return set(re.findall(r"^def (\w+)\(", source, re.M))


@pytest.mark.parametrize("problem", FUNCTION_PROBLEMS, ids=lambda p: p.grade_id)
def test_pasted_forms_call_only_functions_the_notebook_defines(problem):
    """Alternatives and misconceptions are pasted into notebooks as a student's code: any
    registry-module function they call must exist in the notebook under the same name."""
    module = sys.modules[problem.reference.__module__]
    allowed = notebook_function_names(problem.assignment)
    for form in [*problem.alternatives, *(m.wrong for m in problem.misconceptions)]:
        # A closure's free variables do not exist once its source is pasted on its own.
        assert not form.__code__.co_freevars, (
            f"{form.__name__} is a closure over {form.__code__.co_freevars}: write it out")
        assert form.__name__ != "<lambda>", "a lambda cannot be pasted as a notebook function"
        for name in form.__code__.co_names:
            target = getattr(module, name, None)
            if (inspect.isfunction(target) and target.__module__ == module.__name__
                    and name != form.__name__):  # recursion is renamed with the function
                assert name in allowed, f"{form.__name__} calls {name}, unknown to the notebook"
