"""environment.yml (conda users) and pyproject.toml (pip, .venv) pin the same packages."""
import re
import tomllib

import yaml

from tests.conftest import REPO_ROOT


def pyproject_pins():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for requirement in project["dependencies"]:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", requirement).groups()
        pins[name.lower()] = version
    return pins


def conda_pins():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            pins[name.lower()] = version
        elif isinstance(dep, dict):  # the pip section: packages conda-forge does not have
            for line in dep.get("pip", []):
                if "==" in line:
                    name, version = line.split("==", 1)
                    pins[name.lower()] = version
    return pins


def test_every_dependency_is_pinned_exactly():
    assert pyproject_pins(), "pyproject.toml lists no dependencies"


def test_conda_environment_has_the_same_pins_as_pyproject():
    conda = conda_pins()
    assert conda.pop("python") == "3.11"
    assert conda == pyproject_pins()


def test_conda_environment_installs_the_course_packages():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
