import numpy as np
import pytest

from autograder.items.plain import NotPlainData, to_plain


def test_plain_values_are_copied():
    a = np.arange(3.0)
    out = to_plain({"a": a, "n": [1, 2.5, "x", None, (True,)]})
    a[0] = 99
    assert out["a"][0] == 0 and out["n"][4] == (True,)


def test_numpy_scalars_become_python_numbers():
    assert type(to_plain(np.float64(1.5))) is float and type(to_plain(np.int64(3))) is int


def test_ndarray_subclasses_lose_their_behaviour():
    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return True
    out = to_plain(np.zeros(2).view(Sneaky))
    assert type(out) is np.ndarray


@pytest.mark.parametrize("value", [object(), np.array([object()]), (x for x in [1]), {1.5: 2},
                                   type("Int", (int,), {})(3)])
def test_everything_else_is_refused(value):
    with pytest.raises(NotPlainData):
        to_plain(value)
