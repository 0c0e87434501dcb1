import datetime

import numpy as np

from rnnlib.datasets import START, addition_dataset, addition_problems, date_dataset, date_problems


def test_addition_questions_and_answers_are_padded_sums():
    questions, answers, pairs = addition_problems(np.random.default_rng(0), 300)
    assert {len(q) for q in questions} == {7} and {len(a) for a in answers} == {5}
    for q, a, (x, y) in zip(questions, answers, pairs):
        assert q.strip() == f"{x}+{y}" and a == (START + str(x + y)).ljust(5)
        assert 0 <= x < 1000 and 0 <= y < 1000
    assert len(set(pairs)) == 300
    assert {len(str(x)) for x, _ in pairs} == {1, 2, 3}  # short numbers too, as in the book


def test_addition_dataset_is_seeded_and_its_held_out_sums_are_never_trained_on():
    train, test = addition_dataset(5, 2000, 500)
    assert addition_dataset(5, 2000, 500) == (train, test)
    assert addition_dataset(6, 2000, 500) != (train, test)
    assert not set(train[0]) & set(test[0]) and len(test[0]) == 500


def test_dates_come_in_many_formats_and_answer_the_iso_date():
    questions, answers, dates = date_problems(np.random.default_rng(1), 400)
    assert {len(q) for q in questions} == {29} and {len(a) for a in answers} == {11}
    for a, d in zip(answers, dates):
        assert a == START + d.isoformat()
    shapes = {"".join("9" if c.isdigit() else c for c in q.strip().lower()) for q in questions}
    assert len(shapes) > 30  # formats x month/day-name lengths


READINGS = ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y %B %d", "%A, %B %d, %Y",
            "%a, %d %b %Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %b. %Y", "%b. %d, %Y"]


def read_date(text):
    """The date a question writes, read independently with strptime (day-first numbers)."""
    for fmt in READINGS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise AssertionError(f"unreadable date question {text!r}")


def test_each_question_writes_its_answer_date_with_the_right_weekday():
    for q, a, d in zip(*date_problems(np.random.default_rng(2), 500)):
        assert read_date(q.strip()) == d, q
        if "," in q.split()[0]:  # "tuesday, september 27, 1994", "tue, 27 sep 1994"
            assert d.strftime("%A").lower().startswith(q.split(",")[0].lower()), q


def test_date_dataset_is_seeded_and_held_out_dates_are_never_trained_on_in_any_format():
    train, test = date_dataset(3, 3000, 500)
    assert date_dataset(3, 3000, 500) == (train, test)
    assert not set(train[1]) & set(test[1])
