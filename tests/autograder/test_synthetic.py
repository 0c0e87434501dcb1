"""The synthetic class of the scale benchmark: seeded, every kind present, every student
carrying an expected score taken from the scenario it was drawn from."""
from collections import Counter

from autograder.testkit.synthetic import (KIND_WEIGHTS, SLOW_BY_DESIGN, needs_sandbox, scenario_pools,
                                  synthetic_class)

ASSIGNMENT = "02_bptt"


def test_the_same_seed_gives_the_same_class_and_another_seed_another():
    first = synthetic_class(ASSIGNMENT, 30, seed=1)
    again = synthetic_class(ASSIGNMENT, 30, seed=1)
    other = synthetic_class(ASSIGNMENT, 30, seed=2)
    assert [s.description for s in first] == [s.description for s in again]
    assert [s.description for s in first] != [s.description for s in other]


def test_students_are_numbered_and_every_kind_appears_in_a_large_class():
    students = synthetic_class(ASSIGNMENT, 200)
    assert [s.name for s in students] == [f"student-{i:03d}" for i in range(200)]
    kinds = Counter(s.description.split(":")[0] for s in students)
    assert set(kinds) == set(KIND_WEIGHTS)
    assert all(s.expected for s in students)


def test_each_student_carries_the_expected_score_of_the_scenario_it_was_drawn_from():
    pools = scenario_pools(ASSIGNMENT)
    by_name = {s.name: s for pool in pools.values() for s in pool}
    for student in synthetic_class(ASSIGNMENT, 40):
        source = student.description.split(" ", 2)[1]
        assert student.expected == by_name[source].expected
        sources = [c.source for c in student.notebook.cells]
        assert sources == [c.source for c in by_name[source].notebook.cells]


def test_only_the_hostile_pool_holds_submissions_that_need_the_sandbox():
    pools = scenario_pools(ASSIGNMENT)
    assert not {s.name for s in pools["hostile"]} & SLOW_BY_DESIGN
    flagged = [s for s in synthetic_class(ASSIGNMENT, 200) if needs_sandbox(s)]
    assert flagged and all(s.description.startswith("hostile:") for s in flagged)
