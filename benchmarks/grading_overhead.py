"""Time `nbgrader autograde` on the same submissions: stock nbgrader vs trusted grading.

    .venv/bin/python benchmarks/grading_overhead.py [--assignments 01_rnn 02_bptt] [--per 6]

Three course directories get identical submissions (the first ``--per`` registry
scenarios of each assignment: correct, blank, misconceptions):
  stock          nbgrader's own settings (hidden tests in the student's kernel; practice
                 cells run, as nbgrader runs every cell);
  stock-skip     the same, but practice cells skipped (what our config also skips), which
                 isolates the cost of the sandbox and the trusted checks;
  trusted        this course's nbgrader_config.py (sandboxed kernel, trusted checks).
Prints each wall time and the ratios trusted / stock and trusted / stock-skip.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.testkit.course import Course  # noqa: E402
from autograder.testkit.scenarios import registry_scenarios  # noqa: E402

STOCK = 'c = get_config()\nc.CourseDirectory.release_directory = "notebooks"\n'
CONFIGS = {
    "stock": STOCK,
    "stock-skip": STOCK + 'c.Execute.skip_cells_with_tag = "practice"\n',
    "trusted": None,  # the repo's nbgrader_config.py, as copied by Course.create
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", nargs="+", default=["01_rnn", "02_bptt", "03_lstm", "04_gru"])
    parser.add_argument("--per", type=int, default=6, help="submissions per assignment")
    args = parser.parse_args(argv)
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, config in CONFIGS.items():
            elapsed, count = 0.0, 0
            for assignment in args.assignments:
                course = Course.create(Path(tmp, label, assignment), [assignment])
                if config is not None:
                    (course.root / "nbgrader_config.py").write_text(config)
                for scenario in registry_scenarios(assignment)[: args.per]:
                    course.submit(scenario.name, assignment, scenario.notebook)
                    count += 1
                start = time.perf_counter()
                course.autograde(assignment)
                elapsed += time.perf_counter() - start
            times[label] = elapsed
            print(f"{label:<11} {elapsed:7.1f} s for {count} notebooks "
                  f"({elapsed / count:.2f} s each)", flush=True)
    print(f"ratio trusted / stock:      {times['trusted'] / times['stock']:.2f}")
    print(f"ratio trusted / stock-skip: {times['trusted'] / times['stock-skip']:.2f}")


if __name__ == "__main__":
    main()
