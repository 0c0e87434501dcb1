"""The kernel's sandbox (autograder/grading/sandbox.py) run for real with small commands:
what it shows, what it hides, its environment and its limits. The grading suites
(tests/grading/test_hostile.py, test_kernel_isolation.py) try the same through nbgrader."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grading import sandbox
from autograder.grading.sandbox import NONE, USER, SandboxSettings, UidLease, isolation_mode

pytestmark = pytest.mark.kernel



def _run(tmp_path, code, files=None, settings=None, mode=None):
    """Run ``python -c code`` in the sandbox the grader would use here; (returncode, out)."""
    library = tmp_path / "lib"
    (library / "rnnlib").mkdir(parents=True, exist_ok=True)
    (library / "rnnlib" / "__init__.py").write_text("VIEW = 'staged'\n")
    os.chmod(tmp_path, 0o755)
    mode = mode or isolation_mode()
    assert mode != NONE, ("no kernel sandbox here: install Debian's bubblewrap "
                          "(`make system-deps`, as root)")
    result = sandbox.run_sandboxed(settings or SandboxSettings(), mode,
                                   [sys.executable, "-c", code], folder=tmp_path,
                                   library_dir=library, files=files)
    return result.returncode, result.stdout + result.stderr


def test_the_kernel_sees_neither_the_repository_nor_the_course_packages(tmp_path):
    code = ("import os, sys\n"
            "import importlib.util as u\n"
            f"print(os.path.exists({str(Path(__file__).resolve())!r}))\n"
            "print(u.find_spec('autograder') is None)\n"
            "import rnnlib; print(rnnlib.VIEW)")
    status, out = _run(tmp_path, code)
    assert status == 0, out
    assert out.split() == ["False", "True", "staged"]


def test_a_course_package_installed_inside_the_python_installation_is_covered(
        tmp_path, monkeypatch):
    """A non-editable install puts autograder/ into site-packages, which the sandbox shows:
    that folder must be empty inside."""
    site = Path(sys.prefix).resolve() / "lib"
    installed = next(p for p in site.glob("python3*/site-packages/*") if p.is_dir())
    monkeypatch.setattr(sandbox, "course_package_folders", lambda: [str(installed)])
    status, out = _run(tmp_path, f"import os; print(os.listdir({str(installed)!r}))")
    assert status == 0, out
    assert out.strip() == "[]"


def test_the_environment_is_an_allow_list(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_COURSE_DB_PASSWORD", "hunter2")
    status, out = _run(tmp_path, "import os; print(sorted(os.environ))")
    assert status == 0, out
    assert "RNN_COURSE_DB_PASSWORD" not in out and "hunter2" not in out
    names = set(eval(out.strip().splitlines()[-1]))
    assert names <= set(sandbox.kernel_environment(SandboxSettings(), isolation_mode(),
                                                   home="h", library="l")) | {"PWD"}


def test_scratch_space_is_private_and_size_limited(tmp_path):
    marker = Path("/dev/shm/rnn-sandbox-test-marker")
    code = ("import os\n"
            "open('/dev/shm/rnn-sandbox-test-marker', 'w').write('x')\n"
            "try:\n"
            "    open('/tmp/big', 'wb').write(b'x' * 100_000_000)\n"
            "    print('wrote 100 MB')\n"
            "except OSError as exc:\n"
            "    print('refused', exc.errno)\n")
    settings = SandboxSettings(scratch_mb=16, file_size_mb=512)
    status, out = _run(tmp_path, code, settings=settings)
    assert "refused" in out, out
    assert not marker.exists()


def test_no_network(tmp_path):
    code = ("import socket\n"
            "try:\n"
            "    socket.create_connection(('127.0.0.1', 22), timeout=2); print('connected')\n"
            "except OSError:\n"
            "    print('no network')")
    status, out = _run(tmp_path, code)
    assert out.strip().endswith("no network"), out


def test_submitted_files_are_shown_read_only(tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("42")
    os.chmod(data, 0o644)
    code = ("print(open('data.txt').read())\n"
            "try:\n"
            "    open('data.txt', 'w').write('0'); print('written')\n"
            "except OSError:\n"
            "    print('read-only')")
    status, out = _run(tmp_path, code, files={"data.txt": data})
    assert out.split()[-2:] == ["42", "read-only"], out


@pytest.mark.skipif(os.geteuid() != 0, reason="per-kernel user ids need root")
def test_each_kernel_gets_a_user_id_of_its_own_that_no_other_kernel_holds(tmp_path):
    settings = SandboxSettings()
    first, second = UidLease(settings), UidLease(settings)
    try:
        other_process = subprocess.run(
            [sys.executable, "-c", "from autograder.grading.sandbox import UidLease, "
             "SandboxSettings; print(UidLease(SandboxSettings()).uid)"],
            capture_output=True, text=True, check=True).stdout.strip()
        held = {first.uid, second.uid}
        assert len(held) == 2 and int(other_process) not in held
        status, out = _run(tmp_path, "import os; print(os.getuid(), os.getgroups())")
        uid, groups = out.split(maxsplit=1)
        assert int(uid) >= settings.uid_base and int(uid) not in held and groups.strip() == "[]"
    finally:
        first.release()
        second.release()


def test_the_view_without_root_is_the_same_allow_list(tmp_path):
    """Mode "user" (an instructor grading as a plain user: bubblewrap in a user namespace,
    no per-kernel uid) shows the same view: no repository, no course packages."""
    code = ("import os, importlib.util as u\n"
            f"print(os.path.exists({str(Path(__file__).resolve())!r}), "
            "u.find_spec('autograder') is None, os.listdir('/tmp'))")
    status, out = _run(tmp_path, code, mode=USER)
    assert status == 0, out
    assert out.split()[:2] == ["False", "True"], out


def test_a_venv_reached_through_a_symlink_below_tmp_is_still_sandboxed(tmp_path):
    """A temporary copy of the course whose .venv links to the real one (the README
    tutorial's test does this): the interpreter's own path must exist inside the sandbox,
    above the private /tmp, or grading would fall back to no isolation."""
    link = tmp_path / "copy" / ".venv"
    link.parent.mkdir()
    link.symlink_to(Path(sys.prefix).resolve())
    code = ("from autograder.grading import sandbox; import subprocess, sys, tempfile\n"
            "from pathlib import Path\n"
            "mode = sandbox.isolation_mode()\n"
            "tmp = Path(tempfile.mkdtemp()); (tmp / 'ipc').mkdir(); (tmp / 'lib').mkdir()\n"
            "argv = sandbox.kernel_argv(sandbox.SandboxSettings(), sandbox.USER,\n"
            "    [sys.executable, '-c', 'import sys; print(sys.prefix)'], uid=None,\n"
            "    ipc_dir=tmp / 'ipc', library_dir=tmp / 'lib', work_dir=tmp, files={})\n"
            "print(mode, subprocess.run(argv, capture_output=True, text=True).stdout.strip())")
    result = subprocess.run([str(link / "bin" / "python"), "-c", code], capture_output=True,
                            text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    mode, prefix = result.stdout.split()
    assert mode != NONE and prefix == str(link), result.stdout + result.stderr
