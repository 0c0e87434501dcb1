"""Feedback on submit through a real JupyterHub on loopback (issue 15, part 2).

deploy/jupyterhub/jupyterhub_config.py with RNN_COURSE_ON_SUBMIT set registers the
on-submit service; the hub starts it (as the hub's user, root) in the grader's course
directory. Three students submit at the same moment through their own servers'
assignment-list API (what JupyterLab's Assignments tab calls), the Assignments list then
shows their feedback as ready, and each fetches it. The hub helpers (ports, proxy, local
accounts, a private mount namespace for a Python under /root) are those of
tests/deploy/test_jupyterhub.py. Needs root.
"""
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest

from autograder.instructor.config import REPO_ROOT, tool_env

from .test_jupyterhub import (COURSE_ID, DEPLOY, Hub, _add_user, _as_user, _free_port,
                              _opened_up, _proxy_command, _server, _stop_hub)

pytestmark = [pytest.mark.jupyterhub, pytest.mark.nbgrader, pytest.mark.kernel]

ASSIGNMENT = "05_bidirectional"
GRADER, STUDENTS = "rnnos-grader", ("rnnos-alice", "rnnos-bob", "rnnos-carol")
SERVICE = f"{COURSE_ID}-on-submit"


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("starts servers as local users: needs root (CI runs as root)")
    from autograder.testkit.course import Course

    chp = _proxy_command()
    base = Path(tempfile.mkdtemp(prefix="rnn-on-submit-hub-"))
    base.chmod(0o755)
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    state = base / "hub-state"
    state.mkdir(mode=0o700)
    stash = state / "stash"
    stash.mkdir()
    users = {name: _add_user(name, base / "home" / name) for name in (GRADER, *STUDENTS)}
    processes, saved = [], os.environ.get("NBGRADER_EXCHANGE")
    try:
        grader = users[GRADER]
        os.environ["NBGRADER_EXCHANGE"] = str(exchange)
        course = Course.create(Path(grader.pw_dir) / COURSE_ID, [ASSIGNMENT])  # gradebook too
        jupyter_dir = Path(grader.pw_dir) / ".jupyter"
        jupyter_dir.mkdir()
        (jupyter_dir / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.root = {str(course.root)!r}\n")
        subprocess.run(["chown", "-R", f"{GRADER}:{GRADER}", grader.pw_dir], check=True)
        course.root.chmod(0o700)

        token = secrets.token_hex(32)
        port = _free_port()
        overlay = state / "test_config.py"
        overlay.write_text(f"""
c = get_config()
load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.pid_file = {str(state / 'proxy.pid')!r}
c.JupyterHub.db_url = "sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(state / 'cookie_secret')!r}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.pid_file = {str(state / 'jupyterhub.pid')!r}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.services.append({{"name": "e2e-test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "e2e-test", "services": ["e2e-test"],
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:services", "read:services"],
}})
""")
        profile = base / "student-profile"
        shutil.copytree(REPO_ROOT / "jupyter" / "student", profile)
        shutil.copy2(DEPLOY / "nbgrader_config.py", profile)
        env = tool_env()
        env.update(NBGRADER_EXCHANGE=str(exchange), RNN_COURSE_GRADER=GRADER,
                   RNN_COURSE_STUDENT_PROFILE=str(profile),
                   RNN_COURSE_STUDENTS=",".join(STUDENTS), RNN_COURSE_INSTRUCTORS="",
                   RNN_COURSE_FORMGRADER_PORT=str(_free_port()),
                   RNN_COURSE_ON_SUBMIT="--max-attempts 3 --per 3600 --interval 0.5")
        for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERHUB_API_TOKEN"):
            env.pop(key, None)
        _as_user(grader, [sys.executable, "-m", "nbgrader", "release_assignment", ASSIGNMENT],
                 course.root, env, stash)
        (exchange / COURSE_ID / "inbound").chmod(0o1733)  # deploy/README.md, step 2

        log = state / "jupyterhub.log"
        with open(log, "w") as log_file:
            processes.append(subprocess.Popen(
                _opened_up([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(overlay)], stash),
                cwd=state, env=env, stdout=log_file, stderr=subprocess.STDOUT))
        client = Hub(f"http://127.0.0.1:{port}", token, log)
        client.wait("the hub", lambda: client.api("GET", "/") is not None, 90)
        for name in STUDENTS:
            client.api("POST", f"/users/{name}/server")
        for name in STUDENTS:
            client.wait(f"{name}'s server",
                        lambda name=name: client.api("GET", f"/users/{name}")["servers"][""]["ready"], 120)
        client.wait("the on-submit service", lambda: "[on-submit" in log.read_text()
                    and "watching" in log.read_text(), 60)
        yield dict(client=client, users=users, course=course, log=log)
    finally:
        _stop_hub(processes, state / "jupyterhub.pid", [u.pw_uid for u in users.values()])
        for name in users:
            subprocess.run(["userdel", "-r", name], capture_output=True)
        if saved is None:
            os.environ.pop("NBGRADER_EXCHANGE", None)
        else:
            os.environ["NBGRADER_EXCHANGE"] = saved
        shutil.rmtree(base, ignore_errors=True)


def _submitted(client, name):
    """The student's submissions as their Assignments tab lists them."""
    listed = _server(client, name, "GET", "/assignments", params={"course_id": COURSE_ID})
    return [s for a in listed["value"] if a["assignment_id"] == ASSIGNMENT and a["status"] == "submitted"
            for s in a["submissions"]]


def test_the_hub_runs_the_on_submit_service_as_its_own_user(hub):
    client = hub["client"]
    service = client.api("GET", f"/services/{SERVICE}")
    assert service["command"][1:4] == ["-m", "autograder.instructor.on_submit", "--course-root"], service
    assert Path(f"/proc/{service['pid']}").stat().st_uid == os.geteuid()


def test_three_students_submit_at_once_and_fetch_feedback_from_the_assignment_list(hub):
    from autograder.testkit.submissions import filled_in

    client, users = hub["client"], hub["users"]
    for name in STUDENTS:
        _server(client, name, "POST", "/assignments/fetch",
                data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
    answers = {STUDENTS[0]: filled_in(ASSIGNMENT), STUDENTS[2]: filled_in(ASSIGNMENT)}
    for name, nb in answers.items():  # bob hands in the notebook as fetched
        path = Path(users[name].pw_dir) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        nbformat.write(nb, path)
        os.chown(path, users[name].pw_uid, users[name].pw_gid)

    results = {}

    def submit(name):
        results[name] = _server(client, name, "POST", "/assignments/submit",
                                data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
    start = time.monotonic()
    threads = [threading.Thread(target=submit, args=(name,)) for name in STUDENTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.get("success") for r in results.values()), results

    ready = {}
    deadline = time.monotonic() + 240
    while len(ready) < len(STUDENTS) and time.monotonic() < deadline:
        for name in set(STUDENTS) - set(ready):
            if any(a["has_exchange_feedback"] for a in _submitted(client, name)):
                ready[name] = time.monotonic() - start
        time.sleep(1)
    assert len(ready) == len(STUDENTS), (ready, hub["log"].read_text()[-5000:])
    print(f"\nthrough the hub, three at once: the Assignments list offers feedback after "
          f"{ {n: round(s, 1) for n, s in ready.items()} } s")

    for name in STUDENTS:
        _server(client, name, "POST", "/assignments/fetch_feedback",
                data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
        [entry] = _submitted(client, name)
        assert entry["has_local_feedback"], entry
        [page] = (Path(users[name].pw_dir) / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
        assert page.stat().st_uid == users[name].pw_uid
        text = page.read_text()
        assert "attempt 1 of the 3 graded attempts you have per 60 min" in text
        own = hub["course"].root / "feedback" / name / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert text == own.read_text()
        got, out_of = re.search(r"([\d.]+) of ([\d.]+) autograded points", text).groups()
        assert got == ("0" if name == STUDENTS[1] else out_of), (name, got, out_of)  # bob: blank
    # what the service wrote in the grader's course folder is the grader's again
    course = hub["course"].root
    grader = hub["users"][GRADER]
    assert (course / "gradebook.db").stat().st_uid == grader.pw_uid
    assert (course / "feedback" / STUDENTS[0]).stat().st_uid == grader.pw_uid
