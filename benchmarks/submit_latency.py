"""Submit-to-feedback latency of `python -m autograder.instructor.on_submit` (issue 15, part 2).

    .venv/bin/python benchmarks/submit_latency.py [--assignment 01_rnn] [--burst 30]
        [--spread 0] [--workers N] [--keep]

In a scratch course with its own exchange (one account submits for every student:
AUTOGRADER_SINGLE_ACCOUNT=1, as in the README's tutorial; run as root so the kernels are
sandboxed as in a class), with the service running as a process (its defaults: a poll
every 2 s, an entry settles for 1 s):

1. **idle**: one student submits the solution notebook with nothing else queued; the
   latency is from the start of `nbgrader submit` (nbgrader's ExchangeSubmit, in process)
   to the moment the student's feedback page is in the exchange, ready to be fetched;
2. **burst**: ``--burst`` students submit within ``--spread`` seconds (0: all at once, the
   worst case of "the same minute"); each one's latency is measured the same way;
3. **throughput**: the grading engine alone (`grade_class`, what the service calls) grades
   the same burst of submissions again, giving notebooks per minute on this machine;
4. **prediction**: the last student of the burst should have feedback by
   ``spread + idle latency + burst / throughput`` after the first submit (the fixed
   costs of one submission, then the queue at the engine's rate). It prints both.

Timing on a shared machine is noisy: it prints the load average at the start and the end.
"""
import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
COURSE_ID = "rnn-course"


def submit(base, exchange, student, assignment, notebook):
    """`nbgrader submit` of one student (nbgrader's ExchangeSubmit, in this process)."""
    import nbformat
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit
    from traitlets.config import Config

    work = base / "students" / student
    (work / assignment).mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, work / assignment / f"{assignment}.ipynb")
    c = Config()
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.assignment_id = assignment
    c.CourseDirectory.student_id = student
    c.Exchange.root = str(exchange)
    c.Exchange.cache = str(work / ".cache")
    c.Exchange.assignment_dir = str(work)
    app = ExchangeSubmit(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c)
    app.log.setLevel("ERROR")
    app.start()


def feedback_page(base, exchange, student, assignment):
    """Where the student's fetch_feedback finds the page of their (only) submission."""
    from nbgrader.utils import notebook_hash

    [cached] = (base / "students" / student / ".cache" / COURSE_ID).glob(f"{student}+{assignment}+*")
    secret = (cached / "submission_secret.txt").read_text()
    return exchange / COURSE_ID / "feedback" / f"{notebook_hash(secret=secret, notebook_id=assignment)}.html"


def wait_for(pages, started, timeout, service):
    """{student: seconds from their submit to their page}, polling every 0.2 s."""
    done = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(pages) and time.monotonic() < deadline:
        for student, page in pages.items():
            if student not in done and page.exists():
                done[student] = time.monotonic() - started[student]
        if service.poll() is not None:
            raise SystemExit("the service stopped; see its log")
        time.sleep(0.2)
    missing = sorted(set(pages) - set(done))
    if missing:
        raise SystemExit(f"no feedback within {timeout} s for {missing}")
    return done


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="01_rnn")
    parser.add_argument("--burst", type=int, default=30, help="students submitting together")
    parser.add_argument("--spread", type=float, default=0.0,
                        help="seconds over which the burst's submits are spread (0: at once)")
    parser.add_argument("--workers", type=int, default=None, help="grading processes (default: cores)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch course")
    args = parser.parse_args(argv)

    from autograder.instructor.config import tool_env
    from autograder.instructor.parallel import grade_class
    from autograder.testkit.course import Course
    from autograder.testkit.submissions import filled_in

    print(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores); "
          f"{'root' if os.geteuid() == 0 else 'NOT root: kernels less isolated than in a class'}")
    base = Path(tempfile.mkdtemp(prefix="submit-latency-"))
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    os.environ.update(NBGRADER_EXCHANGE=str(exchange), AUTOGRADER_SINGLE_ACCOUNT="1")
    assignment = args.assignment
    course = Course.create(base / "course", [assignment])
    course.root.chmod(0o700)
    course.nbgrader("release_assignment", assignment)
    notebook = filled_in(assignment)
    log_path = base / "service.log"
    workers = ["--workers", str(args.workers)] if args.workers else []
    with open(log_path, "w") as log:
        service = subprocess.Popen(
            [sys.executable, "-m", "autograder.instructor.on_submit", "--course-root",
             str(course.root), "--max-attempts", "0", *workers],
            cwd=course.root, env=tool_env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        while "watching" not in log_path.read_text():
            if service.poll() is not None:
                raise SystemExit(f"the service did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)

        started = {"idle": time.monotonic()}
        submit(base, exchange, "idle", assignment, notebook)
        idle = wait_for({"idle": feedback_page(base, exchange, "idle", assignment)}, started,
                        300, service)["idle"]
        print(f"idle: {assignment} submitted, feedback ready to fetch after {idle:.1f} s "
              f"({'under' if idle < 60 else 'OVER'} 60 s)")

        students = [f"s{i:02d}" for i in range(1, args.burst + 1)]
        first = time.monotonic()
        for i, student in enumerate(students):
            if args.spread:
                time.sleep(max(0.0, first + args.spread * i / max(1, len(students) - 1) - time.monotonic()))
            started[student] = time.monotonic()
            submit(base, exchange, student, assignment, notebook)
        print(f"burst: {len(students)} submits in {time.monotonic() - first:.1f} s")
        pages = {s: feedback_page(base, exchange, s, assignment) for s in students}
        latencies = wait_for(pages, started, 1800, service)
        finished = {s: started[s] + latencies[s] - first for s in students}
    finally:
        service.terminate()
        service.wait(timeout=120)

    print(f"throughput: grading the same {len(students)} submissions again with grade_class ...")
    with contextlib.redirect_stdout(io.StringIO()):  # its per-submission intake lines
        summary = grade_class(course.root, [assignment], workers=args.workers, force=True,
                              students=set(students), show_progress=False)
    if summary.failed:
        print(f"  {len(summary.failed)} failed: {summary.failed}")
    per_minute = len(summary.graded) / summary.seconds * 60
    predicted = args.spread + idle + len(students) / per_minute * 60
    last = max(finished.values())
    values = sorted(latencies.values())
    print(f"  {len(summary.graded)} notebooks in {summary.seconds:.1f} s: {per_minute:.1f} notebooks per minute")
    print(f"burst of {len(students)}: each student's wait from their submit to their feedback: "
          f"min {values[0]:.1f} s, median {statistics.median(values):.1f} s, max {values[-1]:.1f} s")
    print(f"  the last feedback was ready {last:.1f} s after the first submit; the throughput "
          f"predicts {predicted:.1f} s (spread {args.spread:g} + idle {idle:.1f} + "
          f"{len(students)} / {per_minute:.1f} per min); "
          f"{'every one within it' if last <= predicted else 'OVER the prediction'}")
    batches = [line for line in log_path.read_text().splitlines() if "submissions done" in line]
    print("  service batches: " + "; ".join(line.split("] ", 1)[1] for line in batches))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if args.keep:
        print(f"kept: {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
