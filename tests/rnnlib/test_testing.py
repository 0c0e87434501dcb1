import numpy as np
import pytest

from rnnlib.testing import VisibleTestFailure, assert_close, assert_shape, describe_mismatch


def test_matching_arrays_pass_and_print_ok(capsys):
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]), "h")
    assert "h: OK" in capsys.readouterr().out


def test_message_names_the_first_wrong_element():
    why = describe_mismatch(np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert "element [1, 1] is 5" in why and "expected 4" in why and "1 of 4" in why


def test_message_names_a_wrong_shape():
    assert "got (2, 3), expected (3, 2)" in describe_mismatch(np.zeros((2, 3)), np.zeros((3, 2)))


def test_a_list_where_an_array_is_expected_is_explained():
    assert "np.array" in describe_mismatch([1.0, 2.0], np.array([1.0, 2.0]))


def test_nan_is_reported_as_not_finite():
    assert "not finite" in describe_mismatch(np.array([np.nan]), np.array([1.0]))


def test_dicts_report_the_wrong_key():
    assert "['W']" in describe_mismatch({"W": "a", "V": "b"}, {"W": "b", "V": "b"})


def test_bool_is_not_accepted_as_a_number():
    assert describe_mismatch(True, 1) is not None


def test_failures_raise_a_readable_assertion():
    with pytest.raises(VisibleTestFailure, match="next_h: wrong shape"):
        assert_shape(np.zeros((2, 2)), (2, 3), "next_h")
    with pytest.raises(AssertionError):
        assert_close(np.zeros(2), np.ones(2))


def test_assert_gradient_reports_the_relative_error():
    from rnnlib.testing import assert_gradient
    assert_gradient(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]), "dx")
    with pytest.raises(VisibleTestFailure, match="dx: relative error"):
        assert_gradient(np.array([1.0, 2.0]), np.array([1.0, 2.5]), "dx")


def test_a_caller_s_test_notes_a_callee_whose_test_has_not_passed(capsys):
    from rnnlib.testing import passed, uses

    def step(x):
        return x

    uses("step", step, "loop")
    assert "loop calls your step, whose own test above has not passed" in capsys.readouterr().out
    passed("step", step)
    uses("step", step, "loop")
    assert capsys.readouterr().out == ""

    def step(x):  # redefined after its test passed: the note comes back
        return 2 * x

    uses("step", step, "loop")
    assert "fix step first" in capsys.readouterr().out
