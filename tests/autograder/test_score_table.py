"""The score table printed by the demo, `python -m autograder.instructor.intake` and `.parallel`
(autograder.instructor.gradebook_results.score_table): rows are items, columns students."""
from autograder.instructor.gradebook_results import score_table
from autograder.items import problems_for

ITEMS = {p.cell_id: p.points for p in problems_for("01_rnn")}


def test_rows_are_items_columns_students_with_a_total():
    scores = {"ann": {i: (p, p) for i, p in ITEMS.items()},
              "bob": {i: (0.0, p) for i, p in ITEMS.items()}}
    lines, mismatches = score_table("01_rnn", scores)
    assert lines[0].split() == ["item", "(points)", "ann", "bob"]
    assert [line.split()[0] for line in lines[1:-1]] == list(ITEMS)
    assert lines[-1].split() == ["total", "of", f"{sum(ITEMS.values()):g}",
                                 f"{sum(ITEMS.values()):g}", "0"]
    assert mismatches == []


def test_an_item_not_graded_shows_a_dash_and_differs_from_an_expectation():
    first = next(iter(ITEMS))
    scores = {"ann": {i: (p, p) for i, p in ITEMS.items() if i != first}}
    lines, mismatches = score_table("01_rnn", scores, expected={"ann": {first: ITEMS[first]}})
    assert lines[1].split()[-1] == "-"
    assert mismatches == [("ann", first, None, ITEMS[first])]


def test_many_students_are_shown_in_blocks():
    scores = {f"s{n:02}": {i: (p, p) for i, p in ITEMS.items()} for n in range(20)}
    lines, _ = score_table("01_rnn", scores, per_block=8)
    headers = [line for line in lines if line.startswith("item (points)")]
    assert [len(h.split()) - 2 for h in headers] == [8, 8, 4]
    assert max(len(line) for line in lines) < 120
