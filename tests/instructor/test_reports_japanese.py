"""The class report in a Japanese class: headings, labels and prose in Japanese, the same
numbers and structure as in English (hand-made tables: no gradebook, no process)."""
import re

from autograder.instructor import item_statistics as stats
from autograder.instructor.class_report import SECTIONS, SECTIONS_JA, render
from tests.instructor.test_reports import hand_made_class


def test_the_page_is_in_japanese_with_the_same_sections_and_numbers():
    page = render(hand_made_class(), language="ja")
    assert "<html lang='ja'>" in page and "<h1>クラスレポート: 01_rnn</h1>" in page
    assert [key for key, _ in SECTIONS_JA] == [key for key, _ in SECTIONS]
    for key, heading in SECTIONS_JA:
        assert f"<section id='{key}'><h2>{heading}</h2>" in page
    assert "<div class='value'>3</div><div class='label'>平均 (7 点満点)</div>" in page
    assert "2 時間 13 分" in page and "2 h 13 min" not in page
    english = render(hand_made_class())
    # same cells in the heat map, same labels, same counts
    cells = re.compile(r"<td class='cell (\w+)'[^>]*>([^<]*)</td>")
    assert cells.findall(page) == cells.findall(english)
    for phrase in ("Class at a glance", "Difficulty:", "Best total first", "late by",
                   "students with full marks"):
        assert phrase not in page


def test_discrimination_labels_in_japanese():
    assert stats.discrimination_label(None, "ja") == "ばらつきなし"
    assert stats.discrimination_label(-0.3, "ja") == "負: 項目を確認"
    assert stats.discrimination_label(0.45, "ja") == "とても良い"
    assert stats.discrimination_label(0.45) == "very good"
