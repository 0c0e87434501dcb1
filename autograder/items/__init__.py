"""The item registry: every autograded item, keyed by '<assignment>.<grade_id>'.

Each topic module defines its items as module-level constants, one block per item (its
cases, reference, misconceptions and the item itself), in the order of the notebook.
"""
from autograder.items import attention, bidirectional, bptt, gru, lstm, rnn, seq2seq, word2vec
from autograder.items.base import (Case, FunctionProblem, ItemDefinitionError, Misconception,
                                   Outcome, Problem, ValueProblem, Verdict)

TOPIC_MODULES = (rnn, bptt, lstm, gru, bidirectional, seq2seq, word2vec, attention)


def items_of(module):
    """The items a topic module defines, in the order it defines them."""
    return [value for value in vars(module).values() if isinstance(value, Problem)]


def _collect():
    registry = {}
    for module in TOPIC_MODULES:
        for problem in items_of(module):
            if problem.grade_id in registry:
                raise ItemDefinitionError(f"duplicate item {problem.grade_id} in {module.__name__}")
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
    """The problems of one assignment, in registry (notebook) order."""
    return [p for p in PROBLEMS.values() if p.assignment == assignment]


__all__ = ["Case", "FunctionProblem", "ItemDefinitionError", "Misconception", "Outcome",
           "Problem", "ValueProblem", "Verdict", "PROBLEMS", "get_problem", "items_of",
           "problems_for"]
