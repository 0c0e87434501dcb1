"""The README's table of assignments states each one's autograded items and points as the
registry defines them (a new item changes both; the table must follow)."""
import re

from autograder.items import problems_for
from tests.conftest import REPO_ROOT, assignments

ROW = re.compile(r"^\| `(?P<name>\d\d_\w+)` [^|]*\| (?P<items>\d+) items?, (?P<points>\d+) pts? \|", re.M)


def test_each_assignment_row_gives_the_registry_s_items_and_points():
    rows = {m["name"]: (int(m["items"]), int(m["points"]))
            for m in ROW.finditer((REPO_ROOT / "README.md").read_text())}
    assert set(rows) == set(assignments())
    for name, stated in rows.items():
        items = problems_for(name)
        assert stated == (len(items), sum(p.points for p in items)), name
