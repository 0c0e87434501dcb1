"""A real JupyterHub on loopback with deploy/jupyterhub/*.py: two students fetch an
assignment through the exchange, each from their own single-user server.

What the test adds to the repo's configs is only what a test machine needs: free local
ports, a scratch state folder, the proxy from the npm registry, local accounts made with
useradd (grader and two students, removed afterwards), the student-side nbgrader config
found through JUPYTER_CONFIG_PATH (a class installs it as /etc/jupyter/nbgrader_config.py)
and an API token for the test, a hub service allowed to start servers and call them.

The grader account releases with `nbgrader release_assignment`; each student's server is
started through the hub's REST API, then the test calls nbgrader's assignment-list API of
that server (`GET /user/<name>/assignments`, `POST /user/<name>/assignments/fetch`), what
the Assignments tab of JupyterLab does. Needs root (useradd, servers run as the users);
CI runs as root.
"""
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.instructor.config import REPO_ROOT, tool_env

pytestmark = [pytest.mark.jupyterhub, pytest.mark.nbgrader]

DEPLOY = REPO_ROOT / "deploy" / "jupyterhub"
ASSIGNMENT = "05_bidirectional"
COURSE_ID = "rnn-course"
CHP_VERSION = "5.3.0"  # configurable-http-proxy, from the npm registry
CHP_DIR = REPO_ROOT / "build" / "jupyterhub-proxy"
GRADER, STUDENTS = "rnnhub-grader", ("rnnhub-alice", "rnnhub-bob")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proxy_command():
    """configurable-http-proxy, installed once into build/ with npm."""
    chp = CHP_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: run `make system-deps` (scripts/system_deps.sh installs "
                        "Debian's npm and nodejs) to install the JupyterHub proxy")
        CHP_DIR.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([npm, "install", "--prefix", str(CHP_DIR), "--no-audit", "--no-fund",
                                 f"configurable-http-proxy@{CHP_VERSION}"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"npm install configurable-http-proxy failed:\n{result.stderr[-3000:]}"
    return str(chp)


def _add_user(name, home):
    subprocess.run(["userdel", "-r", name], capture_output=True)  # left over by a killed run
    subprocess.run(["useradd", "-m", "-d", str(home), "-s", "/bin/bash", "-U", name],
                   check=True, capture_output=True)
    return pwd.getpwnam(name)


# Runs a command in a private mount namespace in which the Python installation and the
# repo are reachable by the local users even when they sit under a closed directory
# (pyenv under /root: 0700): the closed directory is covered by an empty traversable
# tmpfs and those paths are bound back, the rest of it stays invisible. A class's hub
# installs Python where users can reach it (TLJH: /opt/tljh/user), so needs none of this.
_OPEN_UP = """
import os, pwd, subprocess, sys
stash, user, paths, *cmd = sys.argv[1:]
def closed_ancestor(path):
    parts = path.split(os.sep)
    for i in range(2, len(parts) + 1):
        if not os.stat(os.sep.join(parts[:i])).st_mode & 0o001:
            return os.sep.join(parts[:i])
by_closed = {}
for path in map(os.path.realpath, paths.split(os.pathsep)):
    closed = closed_ancestor(path)
    if closed:
        by_closed.setdefault(closed, []).append(path)
for n, (closed, inside) in enumerate(by_closed.items()):
    stashed = []
    for i, path in enumerate(inside):
        os.makedirs(f"{stash}/{n}-{i}", exist_ok=True)
        subprocess.run(["mount", "--bind", path, f"{stash}/{n}-{i}"], check=True)
        stashed.append((path, f"{stash}/{n}-{i}"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", closed], check=True)
    for path, kept in stashed:
        os.makedirs(path, mode=0o755, exist_ok=True)
        subprocess.run(["mount", "--bind", kept, path], check=True)
if user:
    entry = pwd.getpwnam(user)
    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)
    os.environ.update(HOME=entry.pw_dir, USER=user, LOGNAME=user)
os.execvp(cmd[0], cmd)
"""


def _closed(path):
    """Whether another user cannot reach ``path`` (an ancestor is not world-traversable)."""
    parts = os.path.realpath(path).split(os.sep)
    return any(not os.stat(os.sep.join(parts[:i])).st_mode & 0o001 for i in range(2, len(parts) + 1))


def _opened_up(cmd, stash, user=""):
    needed = [os.path.realpath(sys.base_prefix), str(REPO_ROOT)]
    launcher = [sys.executable, "-c", _OPEN_UP, str(stash), user, os.pathsep.join(needed), *cmd]
    if not any(map(_closed, needed)):
        return launcher  # nothing to open up: no mount namespace needed
    return ["unshare", "--mount", "--propagation", "private", "--fork", "--kill-child=SIGTERM",
            *launcher]


def _as_user(entry, cmd, cwd, env, stash):
    result = subprocess.run(_opened_up(cmd, stash, entry.pw_name), cwd=cwd, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"{cmd} as {entry.pw_name}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


class Hub:
    def __init__(self, url, token, log):
        import requests

        self.url, self.log = url, log
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def api(self, method, path, **kwargs):
        response = self.session.request(method, f"{self.url}/hub/api{path}", timeout=30, **kwargs)
        assert response.status_code < 400, f"{method} {path}: {response.status_code} {response.text[:500]}"
        return response.json() if response.text else None

    def wait(self, what, ready, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except Exception:  # not listening yet
                pass
            time.sleep(0.5)
        pytest.fail(f"{what} not ready within {timeout} s; hub log:\n{self.log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("starts servers as local users: needs root (CI runs as root)")
    chp = _proxy_command()
    base = Path(tempfile.mkdtemp(prefix="rnn-hub-"))
    base.chmod(0o755)  # the users' homes live here
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)  # deploy/README.md: everyone writes, nobody removes others' files
    state = base / "hub-state"
    state.mkdir(mode=0o700)
    stash = state / "stash"
    stash.mkdir()
    users = {name: _add_user(name, base / "home" / name) for name in (GRADER, *STUDENTS)}
    processes = []
    try:
        # The grader's course directory: the repo's config and the released notebook.
        grader = users[GRADER]
        course = Path(grader.pw_dir) / COURSE_ID
        (course / "notebooks").mkdir(parents=True)
        shutil.copy2(REPO_ROOT / "nbgrader_config.py", course)
        shutil.copytree(REPO_ROOT / "notebooks" / ASSIGNMENT, course / "notebooks" / ASSIGNMENT)
        jupyter_dir = Path(grader.pw_dir) / ".jupyter"
        jupyter_dir.mkdir()
        (jupyter_dir / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n")
        subprocess.run(["chown", "-R", f"{GRADER}:{GRADER}", grader.pw_dir], check=True)

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
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:services", "list:groups", "read:groups",
               "read:services", "access:services!service={COURSE_ID}"],
}})
""")
        # The student profile as deploy/tljh/install.sh installs it, with the student-side
        # nbgrader config beside it (a class has that in /etc/jupyter/).
        profile = base / "student-profile"
        shutil.copytree(REPO_ROOT / "jupyter" / "student", profile)
        shutil.copy2(DEPLOY / "nbgrader_config.py", profile)
        env = tool_env()
        env.update(NBGRADER_EXCHANGE=str(exchange), RNN_COURSE_GRADER=GRADER,
                   RNN_COURSE_STUDENT_PROFILE=str(profile),
                   RNN_COURSE_STUDENTS=",".join(STUDENTS), RNN_COURSE_INSTRUCTORS="",
                   RNN_COURSE_FORMGRADER_PORT=str(_free_port()))
        for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERHUB_API_TOKEN"):
            env.pop(key, None)

        # The grader releases through the exchange, as the grader account.
        _as_user(grader, [sys.executable, "-m", "nbgrader", "release_assignment", ASSIGNMENT],
                 course, env, stash)

        log = state / "jupyterhub.log"
        with open(log, "w") as log_file:
            processes.append(subprocess.Popen(
                _opened_up([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(overlay)], stash),
                cwd=state, env=env, stdout=log_file, stderr=subprocess.STDOUT))
        client = Hub(f"http://127.0.0.1:{port}", token, log)
        client.wait("the hub", lambda: client.api("GET", "/") is not None, 90)
        yield dict(client=client, users=users, exchange=exchange, course=course)
    finally:
        _stop_hub(processes, state / "jupyterhub.pid", [u.pw_uid for u in users.values()])
        for name in users:
            subprocess.run(["userdel", "-r", name], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _pids_of(uids):
    """Processes running as the test's users (their servers, the formgrader service)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
    return pids


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def _stop_hub(processes, pid_file, uids):
    """SIGTERM to the hub (it stops the servers and the service it started), then SIGKILL,
    by process id, whatever of the test's own processes is left after 30 s."""
    hub_pid = int(pid_file.read_text()) if pid_file.exists() else None
    if hub_pid and _alive(hub_pid):
        os.kill(hub_pid, 15)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and ((hub_pid and _alive(hub_pid)) or _pids_of(uids)):
        time.sleep(0.5)
    for pid in ([hub_pid] if hub_pid and _alive(hub_pid) else []) + _pids_of(uids):
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    for process in processes:  # unshare ends with the hub
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def started(hub):
    """Both students' servers, started through the hub's REST API."""
    client = hub["client"]
    for name in STUDENTS:
        client.api("POST", f"/users/{name}/server")
    for name in STUDENTS:
        client.wait(f"{name}'s server",
                    lambda name=name: client.api("GET", f"/users/{name}")["servers"][""]["ready"], 120)
    return hub


def _server(client, name, method, path, **kwargs):
    response = client.session.request(method, f"{client.url}/user/{name}{path}", timeout=60, **kwargs)
    assert response.status_code == 200, f"{method} /user/{name}{path}: {response.status_code} {response.text[:500]}"
    return response.json()


def test_the_hub_knows_the_course_groups_roles_and_formgrader_service(hub):
    client = hub["client"]
    groups = {g["name"]: g for g in client.api("GET", "/groups")}
    assert sorted(groups[f"nbgrader-{COURSE_ID}"]["users"]) == sorted(STUDENTS)
    assert f"formgrade-{COURSE_ID}" in groups
    service = client.api("GET", f"/services/{COURSE_ID}")
    assert service["command"][0].endswith("jupyterhub-singleuser"), service


def test_each_student_lists_and_fetches_the_assignment_through_their_own_server(started):
    client = started["client"]
    for name in STUDENTS:
        listed = _server(client, name, "GET", "/assignments", params={"course_id": COURSE_ID})
        assert listed["success"], listed
        released = [a for a in listed["value"] if a["assignment_id"] == ASSIGNMENT]
        assert [a["status"] for a in released] == ["released"], listed
        fetched = _server(client, name, "POST", "/assignments/fetch",
                          data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
        status = [a["status"] for a in fetched["value"] if a["assignment_id"] == ASSIGNMENT]
        assert status == ["fetched"], fetched
        entry = started["users"][name]
        notebook = Path(entry.pw_dir) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        formgrader = client.session.get(f"{client.url}/user/{name}/formgrader", timeout=30,
                                        allow_redirects=False)
        assert formgrader.status_code == 404, "students' servers carry no formgrader"
        assert notebook.read_bytes() == (REPO_ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
        assert notebook.stat().st_uid == entry.pw_uid, f"{name}'s copy belongs to {name}"


def test_the_formgrader_service_runs_as_the_grader_and_sees_the_course(started):
    client = started["client"]
    client.wait("the formgrader service", lambda: client.session.get(
        f"{client.url}/services/{COURSE_ID}/api/status", timeout=10).status_code == 200, 120)
    response = client.session.get(f"{client.url}/services/{COURSE_ID}/api/contents/", timeout=30)
    assert response.status_code == 200, response.text[:500]
    assert COURSE_ID in {item["name"] for item in response.json()["content"]}  # the grader's home
    grader = started["users"][GRADER]
    service_pid = client.api("GET", f"/services/{COURSE_ID}")["pid"]
    assert Path(f"/proc/{service_pid}").stat().st_uid == grader.pw_uid
    # the formgrader extension answers there, on the course of the grader's config
    response = client.session.get(f"{client.url}/services/{COURSE_ID}/formgrader/api/assignments",
                                  timeout=60)
    assert response.status_code == 200, response.text[:500]
