"""The problem registry: every autograded item, keyed by '<assignment>.<grade_id>'."""
from . import attention, bidirectional, bptt, gru, lstm, rnn, seq2seq, word2vec
from .base import Case, FunctionProblem, Outcome, Problem, ValueProblem, Verdict

_MODULES = (rnn, bptt, lstm, gru, bidirectional, seq2seq, word2vec, attention)


def _collect():
    registry = {}
    for module in _MODULES:
        for problem in module.PROBLEMS:
            if problem.grade_id in registry:
                raise ValueError(f"duplicate problem {problem.grade_id} in {module.__name__}")
            registry[problem.grade_id] = problem
    return registry


PROBLEMS = _collect()


def get_problem(grade_id):
    """The problem for ``grade_id``; a KeyError that lists the known ids otherwise."""
    try:
        return PROBLEMS[grade_id]
    except KeyError:
        known = ", ".join(sorted(PROBLEMS))
        raise KeyError(f"no problem {grade_id!r} in the registry; known: {known}") from None


def problems_for(assignment):
    """The problems of one assignment, in registry order."""
    return [p for p in PROBLEMS.values() if p.assignment == assignment]


__all__ = ["Case", "FunctionProblem", "Outcome", "Problem", "ValueProblem", "Verdict",
           "PROBLEMS", "get_problem", "problems_for"]
