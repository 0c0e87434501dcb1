"""Packages follow the trust boundary: what runs while grading never imports the
instructor's commands or the test kit, and the instructor's commands never import the
test kit (DESIGN.md rule 13; README "Package layout")."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.instructor.config import REPO_ROOT, tool_env

PACKAGE = REPO_ROOT / "autograder"
# package -> the autograder packages it must never import
FORBIDDEN = {
    "items": ("autograder.grading", "autograder.instructor", "autograder.testkit", "tests"),
    "grading": ("autograder.instructor", "autograder.testkit", "tests"),
    "instructor": ("autograder.testkit", "tests"),
}


def imported_modules(path):
    """Every module name an import statement of ``path`` names (at any depth)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: use absolute imports ({node.module})"
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_across_the_boundary(package):
    crossings = []
    for path in sorted((PACKAGE / package).rglob("*.py")):
        for name in imported_modules(path):
            if name.startswith(FORBIDDEN[package]):
                crossings.append(f"{path.relative_to(REPO_ROOT)} imports {name}")
    assert not crossings, "\n".join(crossings)


def test_the_hidden_test_entry_point_is_the_only_thing_the_package_root_loads():
    assert imported_modules(PACKAGE / "__init__.py") == ["autograder.grading.check",
                                                         "autograder.grading.check.check"]


@pytest.mark.kernel
def test_loading_the_course_config_as_nbgrader_does_loads_no_instructor_or_testkit_module():
    """nbgrader_config.py, the exchange plugins and the formgrader extension, loaded in a
    fresh interpreter the way nbgrader and jupyter-server load them."""
    code = (
        "import runpy, sys, importlib\n"
        "from traitlets.config import Config\n"
        "runpy.run_path('nbgrader_config.py', init_globals={'c': Config(),"
        " 'get_config': lambda: Config()})\n"
        "for name in ('autograder.grading.exchange', 'autograder.grading.formgrader_csp'):\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('autograder.instructor',"
        " 'autograder.testkit', 'tests')))\n"
        "print(bad)\n"
        "assert not bad, bad\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=tool_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
