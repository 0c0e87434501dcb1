"""`python -m autograder.instructor.parallel ASSIGNMENT --scheduler ADDRESS`: a real Dask
scheduler and two real workers on loopback, started with the stock `dask scheduler` and
`dask worker` commands of the venv, grade a class into a PostgreSQL gradebook. One worker
is killed (its whole process group) while its sandboxed kernel runs: every submission is
still graded, exactly once, with exactly the scores local grading gives; a re-run grades
nothing; a bad scheduler address is one line naming it."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.instructor.config import tool_env
from autograder.testkit.course import Course
from autograder.testkit.scenarios import registry_scenarios

pytestmark = [pytest.mark.nbgrader, pytest.mark.kernel]

ASSIGNMENT = "01_rnn"
SAMPLE = 5  # submissions (correct, blank, misconceptions): a handful keeps CI under 90 s
DASK = str(Path(sys.executable).parent / "dask")


def _start(args, log):
    """A stock Dask command in a session of its own (so the test can kill it whole)."""
    return subprocess.Popen([DASK, *args], stdout=log, stderr=subprocess.STDOUT, env=tool_env(),
                            start_new_session=True)


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def dask_processes(tmp_path_factory):
    """`dask scheduler` on a free loopback port and two `dask worker --nthreads 1`
    (worker-a, worker-b), started at once; stopped at the end of the module."""
    home = tmp_path_factory.mktemp("dask")
    scheduler_file = home / "scheduler.json"
    log = open(home / "dask.log", "w")
    processes = {"scheduler": _start(["scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                     log)}
    for name in ("worker-a", "worker-b"):
        processes[name] = _start(["worker", "--scheduler-file", str(scheduler_file), "--nthreads",
                                  "1", "--no-dashboard", "--name", name,
                                  "--local-directory", str(home / name)], log)
    yield processes, scheduler_file, home / "dask.log"
    for process in reversed(processes.values()):
        _stop(process)
    log.close()


@pytest.fixture(scope="module")
def cluster(dask_processes):
    """{"address", "client", "processes"} once both workers have registered."""
    from distributed import Client

    processes, scheduler_file, log = dask_processes
    deadline = time.monotonic() + 60
    while not scheduler_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    address = json.loads(scheduler_file.read_text())["address"]
    client = Client(address, set_as_default=False, timeout=30)
    try:
        client.wait_for_workers(2, timeout=60)
    except TimeoutError:
        pytest.fail(f"the Dask workers did not register:\n{log.read_text()[-3000:]}")
    yield {"address": address, "client": client, "processes": processes}
    client.close()


def _copy(course, target, scenarios):
    shutil.copytree(course.root, target)
    copy = Course(target)
    for scenario in scenarios:
        copy.submit(scenario.name, ASSIGNMENT, scenario.notebook)
    return copy


def _kernels_of(pid):
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    kernels = []
    for child in children:
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                kernels.append(child)
        except psutil.Error:
            pass
    return kernels


@pytest.fixture(scope="module")
def runs(dask_processes, tmp_path_factory, postgres_url, request):
    """The same submissions (and grading secret) graded on the cluster into PostgreSQL,
    worker-a killed once its kernel runs, and locally (a pool of two) into SQLite. (The
    Dask processes start first and come up while the courses are made.)"""
    scenarios = registry_scenarios(ASSIGNMENT)[:SAMPLE]
    base = tmp_path_factory.mktemp("distributed")
    blank = Course.create(base / "blank", [ASSIGNMENT])
    local = _copy(blank, base / "local", scenarios)
    course = _copy(blank, base / "cluster", scenarios)
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text() + f'\nc.CourseDirectory.db_url = "{postgres_url}"\n')
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")  # registers it in PostgreSQL

    cluster = request.getfixturevalue("cluster")
    victim = cluster["processes"]["worker-a"]
    run = subprocess.Popen([sys.executable, "-m", "autograder.instructor.parallel", ASSIGNMENT,
                            "--scheduler", cluster["address"]], cwd=course.root, env=tool_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, kernels = time.monotonic() + 120, []
    while not kernels and time.monotonic() < deadline and run.poll() is None:
        kernels = _kernels_of(victim.pid)
        time.sleep(0.1)
    os.killpg(victim.pid, signal.SIGKILL)  # the worker, its nanny and its kernel's sandbox
    victim.wait()
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stdout[-3000:] + stderr[-3000:]

    pooled = subprocess.run([sys.executable, "-m", "autograder.instructor.parallel", ASSIGNMENT,
                             "--workers", "2"], cwd=local.root, env=tool_env(),
                            capture_output=True, text=True)
    assert pooled.returncode == 0, pooled.stdout[-3000:] + pooled.stderr[-3000:]
    return dict(scenarios=scenarios, course=course, url=postgres_url, output=stdout,
                killed_kernels=kernels,
                cluster_scores=course.scores(ASSIGNMENT, db_url=postgres_url),
                local_scores=local.scores(ASSIGNMENT))


def test_a_worker_was_killed_while_its_kernel_graded_and_the_kernel_died_with_it(runs):
    assert runs["killed_kernels"], "worker-a never ran a grading kernel before the run ended"
    time.sleep(1)
    assert not any(kernel.is_running() for kernel in runs["killed_kernels"])


def test_every_submission_is_graded_despite_the_lost_worker(runs):
    assert (f"{SAMPLE} submissions graded, 0 unchanged (already graded), "
            "0 could not be graded") in runs["output"]
    assert set(runs["cluster_scores"]) == {s.name for s in runs["scenarios"]}
    for scenario in runs["scenarios"]:
        got = {cell: runs["cluster_scores"][scenario.name][cell][0] for cell in scenario.expected}
        assert got == scenario.expected, (scenario.name, scenario.description)


def test_cluster_grading_gives_the_scores_of_local_grading_item_by_item(runs):
    assert runs["cluster_scores"] == runs["local_scores"]


def test_workers_sandbox_kernels_as_local_grading_does(runs):
    from autograder.grading.sandbox import isolation_mode

    assert f"(kernel sandbox: {isolation_mode()})" in runs["output"]


def test_each_submission_is_in_the_gradebook_and_the_ledger_once(runs):
    import psycopg2

    names = {s.name for s in runs["scenarios"]}
    connection = psycopg2.connect(runs["url"].replace("postgresql+psycopg2://", "postgresql://"))
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id")
        per_student = dict(cursor.fetchall())
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT (notebook_id, cell_id)) FROM grade")
        rows, distinct = cursor.fetchone()
    connection.close()
    assert per_student == {name: 1 for name in names}
    assert rows == distinct > 0
    ledger = json.loads((runs["course"].root / ".parallel" / "ledger.json").read_text())
    assert set(ledger[ASSIGNMENT]) == names
    for name in names:
        graded = runs["course"].root / "autograded" / name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert graded.is_file()


def test_a_rerun_on_a_client_grades_nothing(runs, cluster):
    from autograder.instructor.parallel import grade_class

    summary = grade_class(runs["course"].root, [ASSIGNMENT], scheduler=cluster["client"],
                          show_progress=False)
    assert (len(summary.graded), len(summary.unchanged), summary.failed) == (0, SAMPLE, {})
    assert runs["course"].scores(ASSIGNMENT, db_url=runs["url"]) == runs["cluster_scores"]


def test_a_bad_scheduler_address_is_one_line_naming_it(runs, capsys):
    from autograder.instructor.parallel import main

    assert main([ASSIGNMENT, "--root", str(runs["course"].root), "--scheduler", "localhost"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "[parallel] 'localhost' is not a Dask scheduler address: give tcp://HOST:PORT "
        "(what `dask scheduler` prints as 'Scheduler at:')"]
