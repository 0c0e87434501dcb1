"""JupyterHub settings of the RNN course: nbgrader's exchange and the formgrader as a service.

Only the course's part of a hub's configuration: how users log in, the address and TLS
belong to the platform (The Littlest JupyterHub, Zero to JupyterHub, a hand-made hub) and
are left as they are. Load it with `jupyterhub -f` (a plain hub), drop it into TLJH's
`/opt/tljh/config/jupyterhub_config.d/`, or see deploy/z2jh/config.yaml for Kubernetes.
It follows nbgrader's "Using nbgrader with JupyterHub" page (one class, several graders):

* every user's server sees the same exchange folder (NBGRADER_EXCHANGE, read by
  deploy/jupyterhub/nbgrader_config.py and by the course's own nbgrader_config.py);
* the course directory lives in the account of a grader user (`grader-rnn-course`), whose
  server runs as a hub service (`/services/rnn-course/`) with the formgrader; instructors
  and teaching assistants reach it through the group `formgrade-rnn-course`;
* students are the group `nbgrader-rnn-course`; their servers list, fetch and submit
  assignments through nbgrader's assignment-list extension.

Users come from environment variables (comma-separated account names) so the same file
serves a test hub and a class: RNN_COURSE_INSTRUCTORS, RNN_COURSE_STUDENTS,
RNN_COURSE_GRADER; RNN_COURSE_FORMGRADER_PORT is the service's local port (default 9999);
RNN_COURSE_STUDENT_PROFILE the folder with the student profile (default
/etc/jupyter/rnn-course-student).
RNN_COURSE_ON_SUBMIT, when set, registers the feedback-on-submit service with these options
(at the end of this file).
On TLJH set them in a config snippet loaded first (deploy/tljh/00-rnn-course-users.py).
"""
import os
import shlex
import shutil
import sys

c = get_config()  # noqa: F821 (provided by JupyterHub)

COURSE_ID = "rnn-course"
EXCHANGE = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
GRADER = os.environ.get("RNN_COURSE_GRADER", f"grader-{COURSE_ID}")
INSTRUCTORS = [u for u in os.environ.get("RNN_COURSE_INSTRUCTORS", "instructor").split(",") if u]
STUDENTS = [u for u in os.environ.get("RNN_COURSE_STUDENTS", "").split(",") if u]
FORMGRADER_PORT = int(os.environ.get("RNN_COURSE_FORMGRADER_PORT", "9999"))
# The single-user server the formgrader service runs: RNN_COURSE_SINGLEUSER, else TLJH's
# user environment when there is one, else the one beside the hub's Python.
SINGLEUSER = next(path for path in (
    os.environ.get("RNN_COURSE_SINGLEUSER"),
    "/opt/tljh/user/bin/jupyterhub-singleuser" if os.path.exists("/opt/tljh/user/bin") else None,
    shutil.which("jupyterhub-singleuser"),
    os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")) if path)

# .update adds to what the platform's own config allows (TLJH's users.allowed, ...).
c.Authenticator.allowed_users.update(set(INSTRUCTORS) | set(STUDENTS))
c.Authenticator.admin_users.update(INSTRUCTORS)

# Every server nbgrader runs in (students', the formgrader service) uses one exchange.
# Users' servers also get the student profile (the repo's jupyter/student: no formgrader,
# no course list, as `make lab`); the formgrader service keeps every extension.
STUDENT_PROFILE = os.environ.get("RNN_COURSE_STUDENT_PROFILE", "/etc/jupyter/rnn-course-student")
c.Spawner.environment.update({"NBGRADER_EXCHANGE": EXCHANGE, "JUPYTER_CONFIG_PATH": STUDENT_PROFILE})

c.JupyterHub.load_groups = {
    f"formgrade-{COURSE_ID}": INSTRUCTORS,
    f"nbgrader-{COURSE_ID}": STUDENTS,
}

c.JupyterHub.load_roles = [
    {   # instructors and TAs open the formgrader service
        "name": f"formgrade-{COURSE_ID}",
        "groups": [f"formgrade-{COURSE_ID}"],
        "scopes": ["list:services", f"read:services!service={COURSE_ID}",
                   f"access:services!service={COURSE_ID}"],
    },
    {   # nbgrader's course-list extension asks the hub which services and groups exist
        "name": "server",
        "scopes": ["inherit"],
    },
]

c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{FORMGRADER_PORT}",
        "command": [SINGLEUSER, "--debug"],
        "user": GRADER,
        "cwd": os.path.expanduser(f"~{GRADER}"),
        # PYTHONPATH: the course checkout (its nbgrader_config.py imports autograder, which
        # holds the hidden references: it is installed for the grader only, never for students)
        # JUPYTER_CONFIG_PATH: the instructor profile (jupyter/instructor: every nbgrader
        # extension, plus a script-blocking Content-Security-Policy header on formgrader's
        # submission pages, autograder/grading/formgrader_csp.py)
        "environment": {"JUPYTERHUB_DEFAULT_URL": "/lab", "NBGRADER_EXCHANGE": EXCHANGE,
                        "PYTHONPATH": os.path.expanduser(f"~{GRADER}/{COURSE_ID}"),
                        "JUPYTER_CONFIG_PATH": os.path.expanduser(
                            f"~{GRADER}/{COURSE_ID}/jupyter/instructor")},
        "oauth_no_confirm": True,
    },
]

# Feedback on submit (README "Feedback on submit"; issue 15): a managed service without a
# URL that grades every new submission in the exchange and releases that student's
# feedback, so the Assignments tab offers it within a minute. Opt-in, because it changes
# the course's rules (students see hidden-test results while an assignment is open, within
# an attempt limit): RNN_COURSE_ON_SUBMIT holds its options, e.g.
# "--max-attempts 5 --per 3600 --counts last". It runs as the hub's user (root on TLJH:
# the grading sandbox gives each kernel its own uid only to root) in the grader's course
# directory, with the Python of the users' environment, and gives what it writes back to
# the grader (the formgrader keeps writing the gradebook). Its log is in the hub's log.
ON_SUBMIT = os.environ.get("RNN_COURSE_ON_SUBMIT", "").strip()
if ON_SUBMIT:
    COURSE_DIR = os.path.expanduser(f"~{GRADER}/{COURSE_ID}")
    c.JupyterHub.services.append({
        "name": f"{COURSE_ID}-on-submit",
        "command": [os.path.join(os.path.dirname(SINGLEUSER), "python"), "-m",
                    "autograder.instructor.on_submit", "--course-root", COURSE_DIR,
                    *shlex.split(ON_SUBMIT)],
        "cwd": COURSE_DIR,
        "environment": {"NBGRADER_EXCHANGE": EXCHANGE, "PYTHONPATH": COURSE_DIR,
                        "PYTHONUNBUFFERED": "1"},
    })
