"""Fixtures of the grading tests. ``postgres_url``: a fresh PostgreSQL server for a test
module (Debian's postgresql package, installed by scripts/system_deps.sh), started in a
temporary directory on a free port; its value is the URL of an empty database."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

SERVER_USER = "nobody"  # PostgreSQL refuses to run as root


def _postgres_bin(name):
    """The PostgreSQL program ``name``: on PATH, or from Debian's postgresql package."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if not candidates:
        pytest.fail(f"PostgreSQL's {name} was not found: install Debian's postgresql package "
                    "(`make system-deps` as root does it)")
    return candidates[-1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    """A fresh PostgreSQL server (initdb + pg_ctl) with an empty database; its URL."""
    run_as = {"user": SERVER_USER} if os.geteuid() == 0 else {}
    home = Path(tempfile.mkdtemp(prefix="rnn-course-pg-"))
    home.chmod(0o755)
    data = home / "data"
    if run_as:
        shutil.chown(home, SERVER_USER)
    port = _free_port()

    def as_server(*cmd):
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=home, **run_as)
        assert result.returncode == 0, f"{cmd[0]} failed:\n{result.stdout}\n{result.stderr}"

    as_server(_postgres_bin("initdb"), "-D", str(data), "-U", "grader", "-A", "trust", "-E", "UTF8")
    as_server(_postgres_bin("pg_ctl"), "-D", str(data), "-l", str(home / "server.log"),
              "-w", "-t", "60",
              "-o", f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=port, user="grader", dbname="postgres")
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE gradebook")
        connection.close()
        yield f"postgresql+psycopg2://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([_postgres_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, cwd=home, **run_as)
        shutil.rmtree(home, ignore_errors=True)
