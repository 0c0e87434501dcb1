"""Start a student's kernel inside a sandbox (used as the argv of a generated kernelspec).

    python -m autograder.trusted.sandbox SETTINGS.json -- python -m ipykernel_launcher -f CONN

When the grader runs as root (a grading server, CI), the kernel runs:
  * in its own mount, network and PID namespaces (``unshare``): no network at all (the
    kernel talks to the grader over Unix sockets); the course's hidden material (the
    gradebook, source/, solutions/, autograder/, other submissions, the grading secret)
    is covered by empty mounts; every process it starts dies with it;
  * as an unprivileged user (default ``nobody``);
  * with resource limits: address space (default 2 GiB), CPU time, processes, file size,
    no core dumps.
Not as root, only the resource limits apply; the grader logs a warning saying so.
"""
import json
import os
import pwd
import resource
import subprocess
import sys

STAGE2 = "--inside"


def _set_limits(settings):
    mb = 1024 * 1024
    limits = [
        (resource.RLIMIT_AS, settings["memory_mb"] * mb),
        (resource.RLIMIT_CPU, settings["cpu_seconds"]),
        (resource.RLIMIT_FSIZE, settings["file_size_mb"] * mb),
        (resource.RLIMIT_CORE, 0),
    ]
    if os.geteuid() == 0:
        limits.append((resource.RLIMIT_NPROC, settings["max_processes"]))
    for which, value in limits:
        resource.setrlimit(which, (value, value))


def _hide(paths):
    """Cover each path with an empty, unreadable mount (directories) or /dev/null (files)."""
    for path in paths:
        if os.path.isdir(path):
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k,mode=000", "tmpfs", path],
                           check=True)
        elif os.path.exists(path):
            subprocess.run(["mount", "--bind", "/dev/null", path], check=True)


def _closed_ancestor(path):
    """The highest ancestor of ``path`` that other users cannot traverse, or None."""
    parts = os.path.realpath(path).split(os.sep)
    for i in range(2, len(parts) + 1):
        ancestor = os.sep.join(parts[:i])
        if not os.stat(ancestor).st_mode & 0o001:
            return ancestor
    return None


def _expose(paths, stash_root):
    """Make ``paths`` (the Python installation) reachable for the unprivileged user when
    they sit under a closed directory such as /root: inside this private mount namespace,
    cover the closed directory with an empty, traversable tmpfs and bind the path back.
    The rest of the closed directory stays invisible."""
    for index, path in enumerate(paths):
        path = os.path.realpath(path)
        closed = _closed_ancestor(path)
        if closed is None:
            continue
        stash = os.path.join(stash_root, f"exposed-{index}")
        os.makedirs(stash, exist_ok=True)
        subprocess.run(["mount", "--bind", path, stash], check=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", closed], check=True)
        os.makedirs(path, mode=0o755, exist_ok=True)
        subprocess.run(["mount", "--bind", stash, path], check=True)


def _drop_privileges(user, writable):
    entry = pwd.getpwnam(user)
    for path in writable:  # the kernel's directory and what the grader put there
        for folder, _, names in os.walk(path):
            for target in [folder, *(os.path.join(folder, n) for n in names)]:
                os.chown(target, entry.pw_uid, entry.pw_gid)
    os.setgroups([])
    os.setgid(entry.pw_gid)
    os.setuid(entry.pw_uid)
    os.environ.update(HOME=writable[0], USER=user, LOGNAME=user)


def main(argv):
    inside = argv[0] == STAGE2
    if inside:
        argv = argv[1:]
    settings_path, separator, *kernel_cmd = argv
    assert separator == "--", "usage: sandbox SETTINGS -- KERNEL COMMAND"
    with open(settings_path) as f:
        settings = json.load(f)
    # The grader decided (it probed that the namespaces can be created here).
    isolate = settings["isolate"]
    if isolate and not inside:
        # New namespaces first (needs root); this script continues inside them.
        os.execvp("unshare", ["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child",
                              "--mount-proc",
                              "--propagation", "private", sys.executable, "-m",
                              "autograder.trusted.sandbox", STAGE2, settings_path, "--",
                              *kernel_cmd])
    if isolate:
        _expose(settings["exposed_paths"], settings["stash"])
        _hide(settings["hidden_paths"])
        _drop_privileges(settings["user"], settings["writable"])
    os.chdir(settings["writable"][0])
    _set_limits(settings)
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ.get("OPENBLAS_NUM_THREADS", "1")
    os.execvp(kernel_cmd[0], kernel_cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
