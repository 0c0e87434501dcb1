"""The sandbox of a student's kernel: an allow-list view of the machine, built with bubblewrap.

A kernel sees only what it needs, never "everything except the secrets we thought of"
(DESIGN.md rule 8):

* the Python installation (``sys.base_prefix`` and the venv), read-only, with the course's
  own packages (``autograder``, ``rnnlib``) covered wherever an install put them;
* the student library *of this assignment* (``autograder.grading.student_library``), read-only,
  on ``PYTHONPATH``;
* the system's shared libraries and programs (``/usr``), read-only;
* its own private, size-limited ``/tmp``, ``/var/tmp``, ``/dev/shm`` and home folder (the
  working directory), gone when the kernel stops;
* the one folder holding its connection file and its Unix sockets (no network at all:
  the grader talks to it over those sockets);
* new PID, network, IPC and UTS namespaces: it cannot see, signal or connect to another
  kernel; every process it starts dies with it;
* an environment built from an allow-list (nothing of the grader's, no passwords);
* resource limits (address space, CPU time, file size, no core dumps, processes).

Three modes, probed once (``isolation_mode``):

``root``  the grader runs as root: bubblewrap builds the view, then ``setpriv`` drops to a
          user id of its own for this kernel (leased from a range, never shared by two
          kernels at once), so even the process limit is per kernel;
``user``  not root, but unprivileged user namespaces work: the same view, under the
          grader's own uid (no per-kernel uid, no process limit);
``none``  neither: only the allow-listed environment and the resource limits apply, and
          the kernel can read whatever the grading user can (the grader logs a warning).
"""
import fcntl
import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT, USER, NONE = "root", "user", "none"
HOME = "/home/student"        # the kernel's working folder inside the sandbox
LIBRARY = "/opt/rnn-course"   # the student library's folder inside the sandbox
UID_LOCKS = Path("/run/rnn-course-grading/uids")


@dataclass
class SandboxSettings:
    """Limits and isolation of the grading kernel (TrustedExecute traits in nbgrader_config.py)."""

    memory_mb: int = 2048
    cpu_seconds: int = 600
    max_processes: int = 64
    file_size_mb: int = 64
    scratch_mb: int = 64          # each of /tmp, /var/tmp, /dev/shm and the home folder
    max_output_chars: int = 20_000  # per cell; more is cut with a note
    uid_base: int = 2_000_000     # per-kernel user ids: uid_base ... uid_base + uid_count - 1
    uid_count: int = 1000
    isolate: bool = True

    @property
    def mode(self):
        return isolation_mode() if self.isolate else NONE


# --- what the sandbox shows --------------------------------------------------------------

def python_installation():
    """The folders of the running Python (base installation and venv), as named and as
    resolved: a venv reached through a symlink must exist inside under both paths."""
    prefixes = (sys.base_prefix, sys.prefix)
    return sorted({os.path.abspath(p) for p in prefixes} | {os.path.realpath(p) for p in prefixes})


def course_package_folders():
    """Where the course's own packages are installed (editable or not): never shown as part of
    the Python installation; the student library comes in through its own, filtered view."""
    import autograder
    import rnnlib
    return sorted({str(Path(m.__file__).resolve().parent) for m in (autograder, rnnlib)})


def _inside(path, folders):
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def _system_binds():
    """Read-only binds of the system's libraries and programs (merged /usr or not)."""
    args = ["--perms", "0755", "--dir", "/usr", "--perms", "0755", "--dir", "/etc"]
    for name in ("usr/bin", "usr/lib", "usr/lib64", "usr/libexec", "usr/share"):
        if os.path.isdir("/" + name):
            args += ["--ro-bind", "/" + name, "/" + name]
    for name in ("bin", "lib", "lib64", "sbin"):
        path = "/" + name
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "fonts"):
        if os.path.exists("/etc/" + name):
            args += ["--ro-bind", "/etc/" + name, "/etc/" + name]
    return args


def _parents(path):
    """``--dir`` arguments making every ancestor of ``path`` traversable (bubblewrap would
    create them with mode 0700, closed to the kernel's user)."""
    args, parts = [], Path(path).parts
    for i in range(2, len(parts)):
        args += ["--perms", "0755", "--dir", str(Path(*parts[:i]))]
    return args


def _scratch(path, settings):
    return ["--size", str(settings.scratch_mb * 1024 * 1024), "--perms", "1777", "--tmpfs", path]


def bwrap_arguments(settings, mode, *, uid, ipc_dir, library_dir, files):
    """The bubblewrap options of one kernel's view (everything before the command)."""
    args = [shutil.which("bwrap"), "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "grader",
            "--clearenv"]
    if mode == USER:
        args += ["--unshare-user", "--disable-userns"]
    args += _system_binds()
    args += ["--proc", "/proc", "--dev", "/dev"]
    # Scratch space first: a Python installed below /tmp (a venv in a temporary copy of the
    # course) is then bound on top of the private /tmp, read-only, not hidden by it.
    for path in ("/tmp", "/var/tmp", "/dev/shm", HOME):
        args += _parents(path) + _scratch(path, settings)
    hidden = course_package_folders()
    for folder in python_installation():
        if os.path.islink(folder):  # bound under its resolved path; the link comes along
            args += _parents(folder) + ["--symlink", os.readlink(folder), folder]
            continue
        args += _parents(folder) + ["--ro-bind", folder, folder]
        for package in hidden:  # e.g. a non-editable install in the venv's site-packages
            if _inside(package, [folder]):
                args += ["--perms", "0555", "--tmpfs", package]
    args += _parents(LIBRARY) + ["--ro-bind", str(library_dir), LIBRARY]
    for name, host_path in sorted(files.items()):
        args += ["--ro-bind", str(host_path), f"{HOME}/{name}"]
    args += _parents(ipc_dir) + ["--bind", str(ipc_dir), str(ipc_dir)]
    if uid is not None:
        passwd = Path(ipc_dir).parent / "passwd"
        passwd.write_text(f"root:x:0:0::/root:/bin/false\nstudent:x:{uid}:{uid}::{HOME}:/bin/false\n")
        group = Path(ipc_dir).parent / "group"
        group.write_text(f"root:x:0:\nstudent:x:{uid}:\n")
        args += ["--ro-bind", str(passwd), "/etc/passwd", "--ro-bind", str(group), "/etc/group"]
    return args + ["--chdir", HOME]


def kernel_environment(settings, mode, *, home, library):
    """The whole environment of the kernel: an allow-list, nothing of the grader's."""
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "USER": "student", "LOGNAME": "student",
        "LANG": "C.UTF-8", "TMPDIR": "/tmp" if mode != NONE else home,
        "PYTHONPATH": library, "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "agg", "MPLCONFIGDIR": f"{home}/.matplotlib",
        "IPYTHONDIR": f"{home}/.ipython", "JUPYTER_RUNTIME_DIR": f"{home}/.jupyter",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }


def limit_arguments(settings, mode):
    """``prlimit`` options: the process limit only where the kernel has a uid of its own
    (elsewhere it would count every process of the grading user)."""
    mb = 1024 * 1024
    args = [shutil.which("prlimit"), f"--as={settings.memory_mb * mb}", f"--cpu={settings.cpu_seconds}",
            f"--fsize={settings.file_size_mb * mb}", "--core=0"]
    if mode == ROOT:
        args.append(f"--nproc={settings.max_processes}")
    return args + ["--"]


def drop_arguments(uid):
    """``setpriv``: become the kernel's own user, with no capabilities and no way back."""
    return [shutil.which("setpriv"), f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def kernel_argv(settings, mode, kernel_cmd, *, uid, ipc_dir, library_dir, work_dir, files):
    """The full command that starts ``kernel_cmd`` sandboxed in ``mode``.

    ipc_dir: host folder of the connection file and sockets (same path inside);
    library_dir: host folder holding the student library view (``rnnlib/``);
    work_dir: the kernel's working folder when not isolated (mode ``none``);
    files: {name: host path} read-only files put into the working folder.
    """
    if mode == NONE:
        for name, host_path in files.items():
            shutil.copyfile(host_path, Path(work_dir, name))
        env = kernel_environment(settings, mode, home=str(work_dir), library=str(library_dir))
        return ([shutil.which("env"), "-i", *(f"{k}={v}" for k, v in env.items())]
                + limit_arguments(settings, mode) + list(kernel_cmd))
    env = kernel_environment(settings, mode, home=HOME, library=LIBRARY)
    args = bwrap_arguments(settings, mode, uid=uid if mode == ROOT else None, ipc_dir=ipc_dir,
                           library_dir=library_dir, files=files)
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += limit_arguments(settings, mode)
    if mode == ROOT:
        args += drop_arguments(uid)
    return args + list(kernel_cmd)


# --- which mode this machine allows --------------------------------------------------------

@functools.lru_cache(maxsize=1)
def isolation_mode():
    """``root``, ``user`` or ``none``: probed once by starting Python in a real sandbox."""
    if not (shutil.which("bwrap") and shutil.which("prlimit")):
        return NONE
    wanted = [ROOT] if os.geteuid() == 0 and shutil.which("setpriv") else []
    wanted.append(USER)
    for mode in wanted:
        if _probe(mode):
            return mode
    return NONE


def _probe(mode):
    import tempfile
    with tempfile.TemporaryDirectory(prefix="rnn-sandbox-probe-") as tmp:
        library = Path(tmp, "lib")
        library.mkdir()
        try:
            result = run_sandboxed(SandboxSettings(), mode, [sys.executable, "-c", "import numpy"],
                                   folder=tmp, library_dir=library)
            return result.returncode == 0
        except (OSError, subprocess.SubprocessError):
            return False


def run_sandboxed(settings, mode, command, *, folder, library_dir, files=None, timeout=60):
    """Run one command (not a kernel) in the sandbox of ``mode`` and return its
    CompletedProcess (text output): the probe, and the tests of the sandbox itself.
    folder: a scratch folder of the caller's, for the socket folder and (mode none) home."""
    ipc = Path(folder, "ipc")
    ipc.mkdir(exist_ok=True)
    lease = UidLease(settings) if mode == ROOT else None
    try:
        if lease:
            os.chown(ipc, lease.uid, lease.uid)
        argv = kernel_argv(settings, mode, command, uid=lease.uid if lease else None,
                           ipc_dir=ipc, library_dir=library_dir, work_dir=folder,
                           files=files or {})
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    finally:
        if lease:
            lease.release()


class UidLease:
    """A user id of its own for one kernel, from ``uid_base`` up: held (an flock on a file in
    a root-only folder) until ``release()`` or the grader's exit, so two kernels graded at
    the same time, by any number of grading processes, never share a uid."""

    def __init__(self, settings):
        UID_LOCKS.mkdir(parents=True, exist_ok=True)
        os.chmod(UID_LOCKS.parent, 0o700)
        for offset in range(settings.uid_count):
            fd = os.open(UID_LOCKS / str(offset), os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self._fd, self.uid = fd, settings.uid_base + offset
            return
        raise RuntimeError(f"all {settings.uid_count} sandbox user ids from {settings.uid_base} "
                           "are in use: raise TrustedExecute.sandbox_uid_count")

    def release(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
