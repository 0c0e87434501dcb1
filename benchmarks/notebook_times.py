"""Print how long each solution notebook takes: top to bottom, and as grading runs it.

    .venv/bin/python benchmarks/notebook_times.py [ASSIGNMENT ...]

"full" runs every cell (what a student does); "graded" skips the cells tagged "practice",
as nbgrader_config.py makes `nbgrader autograde` do. Targets: full < 60 s for 01-04,
< 90 s for 05-08; graded < 60 s for every notebook.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.instructor.notebook_run import execute  # noqa: E402


def main(names):
    names = names or sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
    print(f"{'notebook':<20}{'full (s)':>10}{'graded (s)':>12}{'figures':>9}{'errors':>8}")
    for name in names:
        path = ROOT / "solutions" / name / f"{name}.ipynb"
        full = execute(path)
        graded = execute(path, skip_tag="practice")
        print(f"{name:<20}{full.seconds:>10.1f}{graded.seconds:>12.1f}{full.figures:>9}"
              f"{len(full.errors):>8}")


if __name__ == "__main__":
    main(sys.argv[1:])
