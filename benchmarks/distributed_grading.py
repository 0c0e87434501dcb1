"""Throughput of grading on a Dask cluster with 1 and with 2 workers, and the parallel efficiency.

    .venv/bin/python benchmarks/distributed_grading.py [--students 16] [--assignment 01_rnn]

1. A course with ``--students`` synthetic students (autograder.testkit.synthetic: correct,
   partly wrong, erroring, hostile; each with the score it must get).
2. A real `dask scheduler` on loopback and one fresh `dask worker --nthreads 1` (the
   stock commands of this venv); `autograder.instructor.parallel --scheduler` grades the
   class; the time includes everything a run costs (the course kit sent to the workers,
   each worker's first nbgrader start, the parent's intake and writes).
3. The worker is stopped and two fresh workers grade the class again (``--force``).
4. Prints notebooks per minute of each run, the speed-up, the parallel efficiency
   (speed-up / 2), what was shipped per submission, and the load average: on a shared
   machine the figures are noisy, compare the two runs of one invocation.

Exits 1 when a submission could not be graded or a score differs from its expected one.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.instructor.config import tool_env  # noqa: E402
from autograder.instructor.parallel import grade_class  # noqa: E402
from autograder.testkit.course import Course  # noqa: E402
from autograder.testkit.synthetic import synthetic_class  # noqa: E402

DASK = str(Path(sys.executable).parent / "dask")


def start(args, log):
    return subprocess.Popen([DASK, *args], stdout=log, stderr=subprocess.STDOUT, env=tool_env(),
                            start_new_session=True)


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def timed_run(course, assignment, address, client, n_workers, home, log):
    """Start ``n_workers`` fresh workers, grade everything, stop them; the Summary."""
    workers = [start(["worker", address, "--nthreads", "1", "--no-dashboard",
                      "--local-directory", str(home / f"w{n_workers}-{i}")], log)
               for i in range(n_workers)]
    try:
        client.wait_for_workers(n_workers, timeout=120)
        return grade_class(course.root, [assignment], force=True, scheduler=address,
                           show_progress=False)
    finally:
        for worker in workers:
            stop(worker)
        deadline = time.monotonic() + 30
        while client.scheduler_info(n_workers=-1)["workers"] and time.monotonic() < deadline:
            time.sleep(0.2)


def mismatches(course, assignment, students):
    scores = course.scores(assignment)
    return [(s.name, item, scores.get(s.name, {}).get(item, (None,))[0], want)
            for s in students for item, want in s.expected.items()
            if scores.get(s.name, {}).get(item, (None,))[0] != want]


def main(argv=None):
    from distributed import Client

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--assignment", default="01_rnn")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    failed = False
    with tempfile.TemporaryDirectory(prefix="distributed-grading-") as tmp:
        home = Path(tmp)
        course = Course.create(home / "course", [args.assignment])
        students = synthetic_class(args.assignment, args.students, args.seed)
        for s in students:
            course.submit(s.name, args.assignment, s.notebook)
        print(f"class: {len(students)} submissions of {args.assignment}", flush=True)
        log = open(home / "dask.log", "w")
        scheduler = start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                           "--scheduler-file", str(home / "scheduler.json")], log)
        try:
            while not (home / "scheduler.json").exists():
                time.sleep(0.1)
            address = json.loads((home / "scheduler.json").read_text())["address"]
            client = Client(address, set_as_default=False, timeout=30)
            rates = {}
            for n_workers in (1, 2):
                summary = timed_run(course, args.assignment, address, client, n_workers, home, log)
                wrong = mismatches(course, args.assignment, students)
                rates[n_workers] = len(summary.graded) / summary.seconds * 60
                print(f"{n_workers} worker{'s' if n_workers > 1 else ''}: "
                      f"{len(summary.graded)} notebooks in {summary.seconds:.1f} s, "
                      f"{rates[n_workers]:.1f} notebooks per minute; "
                      f"{len(summary.failed)} could not be graded, {len(wrong)} scores differ "
                      "from the expected ones", flush=True)
                for line in summary.cluster:
                    print(f"  {line}", flush=True)
                failed |= bool(summary.failed or wrong
                               or len(summary.graded) != len(students))
            client.close()
        finally:
            stop(scheduler)
            log.close()
    speedup = rates[2] / rates[1]
    print(f"speed-up 2 workers / 1 worker: {speedup:.2f}x; parallel efficiency "
          f"{speedup / 2:.0%}", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
