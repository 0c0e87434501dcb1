"""Validate from a student's own folder skips the practice cells (issue 16, item 4).

As a hub has it: a fresh student folder and home, nbgrader's settings only from the
students' config (deploy/jupyterhub/nbgrader_config.py, which the hub installs as
/etc/jupyter/nbgrader_config.py) and the student profile (jupyter/student, the hub's
JUPYTER_CONFIG_PATH), no course nbgrader_config.py anywhere. `nbgrader validate` on a
solution notebook must say Success within seconds, with no ERROR line (before, it ran the
training cells and hit nbgrader's 30 s cell timeout: "ERROR Timeout waiting for execute
reply ... ERROR Interrupting kernel ... Success!"). A line added to the first practice cell
writes a file if that cell runs: it must not.
"""
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from autograder.instructor.config import REPO_ROOT, tool_env

pytestmark = pytest.mark.nbgrader

RAN_MARKER = "PRACTICE_CELL_RAN"


@pytest.mark.parametrize("assignment", ["01_rnn", "03_lstm"])
def test_validate_in_a_student_folder_skips_practice_cells(assignment, tmp_path):
    etc = tmp_path / "etc-jupyter"  # stands for /etc/jupyter
    etc.mkdir()
    shutil.copy2(REPO_ROOT / "deploy" / "jupyterhub" / "nbgrader_config.py", etc)
    profile = tmp_path / "rnn-course-student"  # /etc/jupyter/rnn-course-student
    shutil.copytree(REPO_ROOT / "jupyter" / "student", profile)
    home, work = tmp_path / "home", tmp_path / "home" / "work"
    work.mkdir(parents=True)

    nb = nbformat.read(REPO_ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    practice = [cell for cell in nb.cells
                if "practice" in cell.get("metadata", {}).get("tags", [])]
    assert practice, f"{assignment} has no practice cell"
    practice[0].source = f"open({RAN_MARKER!r}, 'w').close()\n" + practice[0].source
    nbformat.write(nb, work / f"{assignment}.ipynb")

    env = tool_env()
    for name in ("NBGRADER_EXCHANGE", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
                 "JUPYTER_RUNTIME_DIR", "AUTOGRADER_SINGLE_ACCOUNT"):
        env.pop(name, None)
    env.update(HOME=str(home), JUPYTER_CONFIG_PATH=f"{profile}:{etc}",
               NBGRADER_EXCHANGE=str(tmp_path / "exchange"))
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "nbgrader", "validate", f"{assignment}.ipynb"],
                            cwd=work, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - start
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Success! Your notebook passes all the tests." in output, output[-3000:]
    assert "ERROR" not in output and "Timeout" not in output, output[-3000:]
    assert not (work / RAN_MARKER).exists(), "validate ran a practice cell"
    assert elapsed < 60, f"validate took {elapsed:.0f} s:\n{output[-2000:]}"
