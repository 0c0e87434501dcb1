"""A synthetic class: many students' submissions, each with the score it must get.

    students = synthetic_class("01_rnn", 200, seed=0)   # [Scenario("student-000", ...), ...]

Every student gets one notebook, drawn (seeded) from four kinds built by the existing
scenario modules, so each carries the exact expected score those modules pin down:

* ``correct``: the solution, or one of the alternative correct forms (full marks);
* ``partly-wrong``: one known misconception (registry scenarios), or the demo's "bob"
  with several (0 on those items);
* ``erroring``: every function raises (the demo's "carol");
* ``hostile``: a submission of the hostile suite (patched numpy, fake checker,
  always-equal objects, reading the reference from disk or memory, killing or crashing
  the kernel, flooding the output, starting processes, allocating 16 GiB, edited or
  deleted test cells). The endless loop is left out: by design it costs its cell's full
  time limit (60 s), which would measure the limit rather than the grader
  (tests/grading/test_hostile.py grades it).

Each (student, assignment) pair is drawn on its own, from the seed and the assignment's
name, so the same call always gives the same class.
"""
import numpy as np

from autograder.testkit.hostile import hostile_scenarios
from autograder.testkit.scenarios import Scenario, demo_scenarios, registry_scenarios

KIND_WEIGHTS = {"correct": 0.4, "partly-wrong": 0.3, "erroring": 0.1, "hostile": 0.2}
SLOW_BY_DESIGN = {"submitted-endless-loop"}
# Hostile submissions that are unsafe or leave processes behind without the sandbox
# (stock nbgrader has none): kept out of the stock comparison, see benchmarks/grading_scale.py.
NEEDS_SANDBOX = {"submitted-memory-exhaustion", "submitted-spawns-processes"}


def scenario_pools(assignment):
    """{kind: [Scenario]} of the assignment: the material students are drawn from."""
    registry = registry_scenarios(assignment)
    demo = {s.name: s for s in demo_scenarios(assignment)}
    correct = [s for s in registry if s.name == "submitted-correct"
               or s.name.startswith("submitted-alternative-forms-")]
    wrong = [s for s in registry if s.name.startswith("submitted-misconception-")] + [demo["bob"]]
    hostile = [s for s in hostile_scenarios(assignment) if s.name not in SLOW_BY_DESIGN]
    return {"correct": correct, "partly-wrong": wrong, "erroring": [demo["carol"]],
            "hostile": hostile}


def synthetic_class(assignment, n_students, seed=0):
    """``n_students`` Scenarios named student-000, ...; description = "kind: source scenario"."""
    pools = scenario_pools(assignment)
    rng = np.random.default_rng([seed, sum(map(ord, assignment))])
    kinds = list(KIND_WEIGHTS)
    drawn = rng.choice(len(kinds), size=n_students, p=list(KIND_WEIGHTS.values()))
    students = []
    for index, kind_index in enumerate(drawn):
        kind = kinds[kind_index]
        base = pools[kind][rng.integers(len(pools[kind]))]
        students.append(Scenario(f"student-{index:03d}", base.notebook, dict(base.expected),
                                 f"{kind}: {base.name} ({base.description})"))
    return students


def needs_sandbox(scenario):
    """Whether this synthetic student is one of the submissions only the sandbox contains."""
    return scenario.description.split(" ", 2)[1] in NEEDS_SANDBOX
