"""The deployment files agree with each other and with the course's nbgrader_config.py:
one course id, one exchange path, the same group names (no hub needed)."""
import re

import yaml
from traitlets.config.loader import PyFileConfigLoader

from autograder.instructor.config import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"


def _load(path, monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def test_course_and_student_configs_share_the_course_id_and_the_exchange(monkeypatch, tmp_path):
    monkeypatch.setenv("NBGRADER_EXCHANGE", str(tmp_path))
    student = _load(DEPLOY / "jupyterhub" / "nbgrader_config.py", monkeypatch)
    course_text = (REPO_ROOT / "nbgrader_config.py").read_text()
    course_id = re.search(r'course_id = "([^"]+)"', course_text).group(1)
    assert student.CourseDirectory.course_id == course_id
    assert student.Exchange.root == str(tmp_path)
    assert 'os.environ["NBGRADER_EXCHANGE"]' in course_text


def test_hub_config_builds_groups_roles_and_the_formgrader_service(monkeypatch):
    hub = _load(DEPLOY / "jupyterhub" / "jupyterhub_config.py", monkeypatch,
                RNN_COURSE_STUDENTS="s1,s2", RNN_COURSE_INSTRUCTORS="teacher",
                RNN_COURSE_GRADER="grader-x", NBGRADER_EXCHANGE="/srv/x")
    assert hub.JupyterHub.load_groups == {"formgrade-rnn-course": ["teacher"],
                                          "nbgrader-rnn-course": ["s1", "s2"]}
    (service,) = hub.JupyterHub.services
    assert service["name"] == "rnn-course" and service["user"] == "grader-x"
    assert service["environment"]["NBGRADER_EXCHANGE"] == "/srv/x"
    # .update() on the platform's settings: a lazy value until JupyterHub merges it
    assert hub.Spawner.environment.get_value({})["JUPYTER_CONFIG_PATH"] == "/etc/jupyter/rnn-course-student"
    # the grader keeps formgrader, with the instructor profile (CSP on its submission pages)
    assert service["environment"]["JUPYTER_CONFIG_PATH"].endswith("/rnn-course/jupyter/instructor")
    roles = {r["name"]: r for r in hub.JupyterHub.load_roles}
    assert "access:services!service=rnn-course" in roles["formgrade-rnn-course"]["scopes"]


def test_tljh_snippet_sets_the_variables_the_hub_config_reads():
    snippet = (DEPLOY / "tljh" / "00-rnn-course-users.py").read_text()
    hub_text = (DEPLOY / "jupyterhub" / "jupyterhub_config.py").read_text()
    for name in re.findall(r'setdefault\("([A-Z_]+)"', snippet):
        assert f'"{name}"' in hub_text, name


def test_z2jh_values_use_the_same_course_groups_and_exchange():
    values = yaml.safe_load((DEPLOY / "z2jh" / "config.yaml").read_text())
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert set(groups) == {"formgrade-rnn-course", "nbgrader-rnn-course"}
    single = values["singleuser"]
    mount = single["storage"]["extraVolumeMounts"][0]["mountPath"]
    assert single["extraEnv"]["NBGRADER_EXCHANGE"] == mount
    assert 'course_id = "rnn-course"' in single["extraFiles"]["nbgrader-config"]["stringData"]
    for name, code in values["hub"]["extraConfig"].items():
        compile(code, name, "exec")  # the hub would refuse to start on a syntax error
