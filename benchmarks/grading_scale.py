"""Grade a synthetic class with `autograder.instructor.parallel` and compare with stock nbgrader.

    .venv/bin/python benchmarks/grading_scale.py [--students 200] [--workers N]
                                                 [--stock-subset 24] [--assignments ...]

1. A course with every assignment that has an authored source (source/NN/NN.py), or
   ``--assignments``; ``--students`` synthetic students each (autograder.testkit.synthetic:
   correct, partly wrong, erroring, hostile; each with the score it must get).
2. `autograder.instructor.parallel` grades them all (trusted grading, all cores); prints notebooks
   per minute, total time, grading failures and mismatches against the expected scores.
3. Stock sequential `nbgrader autograde` (nbgrader's own Execute and defaults, as in
   benchmarks/grading_overhead.py) grades a subset of the same submissions, spread
   evenly over the assignments (at least ``--stock-subset``; the submissions that only
   the sandbox contains, 16 GiB allocations and background processes, are left out of
   it); prints its throughput and the ratio.

Exits 1 when a submission could not be graded or a score differs from its expected one.
"""
import argparse
import math
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.instructor.build import authored_sources  # noqa: E402
from autograder.testkit.course import Course  # noqa: E402
from autograder.instructor.parallel import grade_class  # noqa: E402
from autograder.testkit.synthetic import needs_sandbox, synthetic_class  # noqa: E402
from grading_overhead import STOCK  # noqa: E402  (the stock configuration)


def mismatches(course, classes):
    """[(assignment, student, item, got, expected)] over every asserted item."""
    found = []
    for assignment, students in classes.items():
        scores = course.scores(assignment)
        for s in students:
            for item, expected in s.expected.items():
                got = scores.get(s.name, {}).get(item, (None,))[0]
                if got != expected:
                    found.append((assignment, s.name, item, got, expected))
    return found


def stock_run(root, classes, subset):
    """Seconds and count of stock sequential `nbgrader autograde` on the subset."""
    per_assignment = math.ceil(subset / len(classes))
    course = Course.create(root, list(classes))
    (course.root / "nbgrader_config.py").write_text(STOCK)
    count = 0
    for assignment, students in classes.items():
        for s in [s for s in students if not needs_sandbox(s)][:per_assignment]:
            course.submit(s.name, assignment, s.notebook)
            count += 1
    start = time.perf_counter()
    for assignment in classes:
        # stock nbgrader exits 1 when a kernel dies; the timing still counts
        course.nbgrader("autograde", assignment, "--create", check=False)
    return time.perf_counter() - start, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--assignments", nargs="+", default=None)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--stock-subset", type=int, default=24,
                        help="submissions graded by stock nbgrader for the ratio (0: skip)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None, help="keep the course here (default: a temp dir)")
    args = parser.parse_args(argv)
    assignments = args.assignments or sorted(authored_sources(ROOT))
    workers = args.workers or os.cpu_count()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(args.out) if args.out else Path(tmp)
        course = Course.create(base / "course", assignments)
        classes = {a: synthetic_class(a, args.students, args.seed) for a in assignments}
        for assignment, students in classes.items():
            for s in students:
                course.submit(s.name, assignment, s.notebook)
        kinds = Counter(s.description.split(":")[0] for ss in classes.values() for s in ss)
        total = sum(map(len, classes.values()))
        print(f"class: {args.students} students x {len(assignments)} notebooks "
              f"({' '.join(assignments)}) = {total} submissions; "
              + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())), flush=True)

        summary = grade_class(course.root, assignments, workers=workers)
        wrong = mismatches(course, classes)
        per_minute = len(summary.graded) / summary.seconds * 60
        print(f"parallel ({workers} workers): {summary.seconds:.0f} s for {len(summary.graded)} "
              f"notebooks, {per_minute:.1f} notebooks per minute", flush=True)
        print(f"grading failures: {len(summary.failed)}")
        for (assignment, student), reason in sorted(summary.failed.items())[:10]:
            print(f"  {student} / {assignment}: {reason}")
        print(f"mismatches against expected scores: {len(wrong)}")
        for assignment, student, item, got, expected in wrong[:10]:
            print(f"  {student} / {assignment} / {item}: got {got}, expected {expected}")

        if args.stock_subset:
            seconds, count = stock_run(base / "stock", classes, args.stock_subset)
            stock_per_minute = count / seconds * 60
            print(f"stock sequential nbgrader autograde: {seconds:.0f} s for {count} notebooks, "
                  f"{stock_per_minute:.1f} notebooks per minute"
                  + ("" if count >= 20 else " (subset under 20: indicative only)"))
            print(f"throughput ratio parallel / stock: {per_minute / stock_per_minute:.1f}x")
        print(f"load average at end: {os.getloadavg()[0]:.1f}", flush=True)
    return 1 if summary.failed or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
