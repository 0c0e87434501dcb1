"""Search a student library view for callables that stand in for graded items.

Used by ``tests/autograder/test_student_library.py``. A view is a directory holding an
``rnnlib/`` package; it is imported under a private package name (``view_<tag>``), so
the repository's own ``rnnlib`` (which the grader imports) is never confused with it.

A library callable *stands in* for a FunctionProblem when, on that problem's seeded
hidden cases, it passes the problem's own judge when called

* as it is, ``f(*args)``, or through one of the one-line wrappers in ``ADAPTERS``: the
  trailing ``(Wx, Wh, b)`` packed into the parameter dict of the course layers, a single
  step run as a one-step sequence, a course layer's backward fed the cache it expects
  (given, or from its ``*_forward`` partner), two parameter dicts of a bidirectional
  model, embedded ids (or the notes' column vectors) run from a zero state, a list of
  gradients passed as a dict (and a single array as a one-entry dict), a parameter
  initialiser given (rng, D, H, gates) or (rng, D, H, {"gates": G}) and its arrays counted;

and its output read as it is or through one of ``PROJECTIONS`` (an element of a tuple,
the tuple with its gradient dict spread out, the only or last step of a sequence, the
values of a dict as a list).
"""
import contextlib
import importlib.util
import inspect
import os
import signal
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np

from autograder.grading.evaluation import evaluate_here
from autograder.items import FunctionProblem, ValueProblem

matplotlib.use("Agg")  # callables that plot draw off screen
import matplotlib.pyplot as plt  # noqa: E402

SEED = 20261130
SECONDS_PER_TRY = 0.5  # a stand-in answers a tiny hidden case in milliseconds
GATE_COUNTS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Leak:
    grade_id: str
    callable_name: str
    adapter: str

    def __str__(self):
        return f"{self.grade_id} <- {self.callable_name} ({self.adapter})"


def import_view(view_dir, tag):
    """{module name: module} of every module of ``view_dir/rnnlib``, imported as the
    package ``view_<tag>`` (relative imports inside rnnlib resolve within the view)."""
    package_dir = Path(view_dir, "rnnlib")
    name = f"view_{tag}"
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    spec = importlib.util.spec_from_file_location(
        name, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    modules = {"__init__": package}
    for path in sorted(package_dir.glob("*.py")):
        if path.stem != "__init__":
            modules[path.stem] = importlib.import_module(f"{name}.{path.stem}")
    return modules


def public_callables(modules):
    """{"module.name": callable}: every public function or class defined in the view,
    and every callable held in a public module-level dict, tuple or list (such as a
    layer's {"forward": ..., "backward": ...})."""
    package = next(iter(modules.values())).__name__
    found, seen = {}, set()
    for module_name, module in modules.items():
        for name, value in vars(module).items():
            if name.startswith("_"):
                continue
            if callable(value) and getattr(value, "__module__", "").startswith(package) \
                    and id(value) not in seen:
                seen.add(id(value))
                found[_defined_as(value, f"{module_name}.{name}")] = value
            items = (value.items() if isinstance(value, dict)
                     else enumerate(value) if isinstance(value, (tuple, list)) else ())
            for key, item in items:
                if callable(item) and getattr(item, "__module__", "").startswith(package) \
                        and id(item) not in seen:
                    seen.add(id(item))
                    found[f"{module_name}.{name}[{key!r}]"] = item
    return found


def _defined_as(value, fallback):
    """'module.name' where the callable is defined (not where it is re-imported)."""
    module = getattr(value, "__module__", "").partition(".")[2]
    name = getattr(value, "__qualname__", "")
    return f"{module}.{name}" if module and name and "<" not in name else fallback


def partner_forward(f):
    """The ``*_forward`` function beside a ``*_backward`` one, if any."""
    name = getattr(f, "__name__", "")
    if not name.endswith("_backward"):
        return None
    return getattr(sys.modules.get(getattr(f, "__module__", ""), None),
                   name.removesuffix("_backward") + "_forward", None)


def _params(Wx, Wh, b):
    return {"Wx": Wx, "Wh": Wh, "b": b}


def _steps(a):
    return a[:, None] if isinstance(a, np.ndarray) and a.ndim == 2 else a


def _as_is(f, args):
    return f(*args)


def _params_dict(f, args):
    return f(_params(*args[-3:]), *args[:-3])


def _step_as_sequence(f, args):
    return f(_params(*args[-3:]), _steps(args[0]), *args[1:-3])


def _backward_given_cache(f, args):
    # rnn_backward(dhs, xs, h0, Wx, Wh, hs) -> f(params, (xs, h0, hs), dhs)
    Wx, Wh, out = args[-3:]
    return f(_params(Wx, Wh, np.zeros(Wh.shape[0])), (*args[1:-3], out), args[0])


def _step_backward_given_cache(f, args):
    Wx, Wh, out = args[-3:]
    cache = tuple(_steps(a) if i == 0 else a for i, a in enumerate(args[1:-3])) + (_steps(out),)
    return f(_params(Wx, Wh, np.zeros(Wh.shape[0])), cache, _steps(args[0]))


def _forward_then_backward(f, args):
    forward = partner_forward(f)
    params = _params(*args[-3:])
    _, cache = forward(params, *args[1:-3])
    return f(params, cache, args[0])


def _two_directions(f, args):
    # bidirectional_rnn_forward(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b)
    return f({"f": _params(*args[1:4]), "b": _params(*args[4:7])}, args[0], True)


def _embedded_sequence(f, args):
    # rnn_encode(ids, W_embed, Wx, Wh, b): the rows of W_embed as inputs, a zero state
    ids, W_embed, Wx, Wh, b = args
    return f(_params(Wx, Wh, b), W_embed[ids], np.zeros((len(ids), Wh.shape[0])))


def _column_vectors(f, args):
    # encode_one_hot(words, E, W, U, b) of the notes: column vectors, one sentence
    words, E, W, U, b = args
    return f(_params(W.T, U.T, b), (words @ E.T)[None], np.zeros((1, U.shape[0])))


def _list_as_dict(f, args):
    return f(dict(enumerate(args[0])), *args[1:])


def _array_as_dict(f, args):
    return f({"g": args[0]}, *args[1:])


def _initialiser(gates):
    def count(f, args):
        return f(np.random.default_rng(0), *args, gates)
    count.__name__ = f"initialiser with {gates} gates"
    return count


def _initialiser_of_a_spec(gates):
    def count(f, args):
        return f(np.random.default_rng(0), *args, {"gates": gates})
    count.__name__ = f"initialiser of a layer spec with {gates} gates"
    return count


ADAPTERS = [_as_is, _params_dict, _step_as_sequence, _backward_given_cache,
            _step_backward_given_cache, _forward_then_backward, _two_directions,
            _embedded_sequence, _column_vectors, _list_as_dict, _array_as_dict,
            *(_initialiser(g) for g in GATE_COUNTS),
            *(_initialiser_of_a_spec(g) for g in GATE_COUNTS)]


def _flatten(value):
    out = []
    for item in value:
        out.extend(item.values() if isinstance(item, dict) else [item])
    return tuple(out)


def _sizes(value):
    arrays = value.values() if isinstance(value, dict) else value
    return int(sum(np.size(a) for a in arrays))


PROJECTIONS = {
    "as returned": lambda v: v,
    "first element": lambda v: v[0],
    "second element": lambda v: v[1],
    "gradient dict spread": _flatten,
    "gradient dict spread, steps dropped": lambda v: tuple(
        a[:, 0] if isinstance(a, np.ndarray) and a.ndim == 3 else a for a in _flatten(v)),
    "only step": lambda v: v[:, 0],
    "last step": lambda v: v[:, -1],
    "first element, only step": lambda v: v[0][:, 0],
    "first element, last step": lambda v: v[0][:, -1],
    "first element, last step of the one sequence": lambda v: v[0][0, -1],
    "dict values as a list": lambda v: list(v.values()),
    "the one entry": lambda v: v["g"],
    "parameters counted": _sizes,
}


@contextlib.contextmanager
def _quiet():
    """No printing and no progress bars from the callables tried, no figures left open."""
    try:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink), \
                contextlib.redirect_stderr(sink):
            yield
    finally:
        plt.close("all")


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds):
    def stop(signum, frame):
        raise _TooSlow()
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _tries(f, adapter, problem, cases):
    """Outcomes of ``f`` through ``adapter`` for each projection that gave a value on
    every case, as {projection name: outcomes}."""
    raw = []
    for case in cases:
        try:
            with _time_limit(SECONDS_PER_TRY), warnings.catch_warnings(), \
                    np.errstate(all="ignore"), _quiet():
                warnings.simplefilter("ignore")
                raw.append(adapter(f, case.args))
        except BaseException as exc:  # noqa: BLE001 - a wrong call is the usual outcome
            if isinstance(exc, KeyboardInterrupt):
                raise
            return {}
    tries = {}
    for name, project in PROJECTIONS.items():
        try:
            values = [project(v) for v in raw]
        except Exception:
            continue
        tries[name] = evaluate_here(problem, lambda *_, v=iter(values): next(v), cases)
    return tries


def _passes(problem, cases, outcomes):
    try:
        return problem.verdict(cases, outcomes).passed
    except Exception:  # a value the judge cannot compare is no pass
        return False


def function_leaks(callables, problems):
    """Every (problem, callable, adapter) where the callable passes a FunctionProblem."""
    leaks = []
    for problem in problems:
        if not isinstance(problem, FunctionProblem):
            continue
        cases = problem.cases(SEED)
        for name, f in callables.items():
            for adapter in ADAPTERS:
                if adapter is _forward_then_backward and partner_forward(f) is None:
                    continue
                for projection, outcomes in _tries(f, adapter, problem, cases).items():
                    if _passes(problem, cases, outcomes):
                        leaks.append(Leak(problem.grade_id, name,
                                          f"{adapter.__name__.strip('_')}, {projection}"))
                        break
                else:
                    continue
                break
    return leaks


VALUE_PROBES = (0.0, 1.0, -1.0)


def value_leaks(callables, problems):
    """Numeric ValueProblems whose answer a library callable gives at a simple point
    (no argument, 0, 1 or -1): e.g. d_sigmoid(0) = 0.25, the maximum asked for in 03."""
    leaks = []
    for problem in problems:
        if not isinstance(problem, ValueProblem) or isinstance(problem.answer, bool) \
                or not isinstance(problem.answer, (int, float)):
            continue
        for name, f in callables.items():
            if inspect.isclass(f):
                continue
            for probe in ((), *((p,) for p in VALUE_PROBES)):
                try:
                    with _time_limit(SECONDS_PER_TRY), warnings.catch_warnings(), \
                            _quiet():
                        warnings.simplefilter("ignore")
                        outcomes = evaluate_here(problem, f(*probe), problem.cases(SEED))
                except BaseException as exc:  # noqa: BLE001
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    continue
                if _passes(problem, problem.cases(SEED), outcomes):
                    leaks.append(Leak(problem.grade_id, name, f"called with {probe}"))
                    break
    return leaks
