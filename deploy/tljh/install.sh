#!/usr/bin/env bash
# Set up the RNN course on a server running The Littlest JupyterHub (TLJH), as root, from a
# checkout of this repo:   sudo bash deploy/tljh/install.sh
# Idempotent. What it does is explained in deploy/README.md ("The Littlest JupyterHub").
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
COURSE=rnn-course
GRADER=${RNN_COURSE_GRADER:-grader-$COURSE}
EXCHANGE=${NBGRADER_EXCHANGE:-/srv/nbgrader/exchange}
USER_ENV=/opt/tljh/user
[[ -x $USER_ENV/bin/python ]] || { echo "no TLJH user environment at $USER_ENV: install TLJH first" >&2; exit 1; }

# 1. The pinned packages of pyproject.toml in the users' environment, and the student
#    library rnnlib as released up to RNN_COURSE_RELEASED (default 01_rnn; re-run with the
#    next assignment when you release it); NOT the autograder package (it holds the
#    hidden references), which only computes the view here.
"$USER_ENV/bin/python" - "$REPO/pyproject.toml" <<'PY' > /tmp/rnn-course-requirements.txt
import sys, tomllib
print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))
PY
"$USER_ENV/bin/pip" install --quiet -r /tmp/rnn-course-requirements.txt
SITE=$("$USER_ENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
VIEW=$(mktemp -d)
PYTHONPATH="$REPO" "$USER_ENV/bin/python" -m autograder.grading.student_library "${RNN_COURSE_RELEASED:-01_rnn}" "$VIEW"
rm -rf "$SITE/rnnlib" && cp -r "$VIEW/rnnlib" "$SITE/rnnlib" && rm -rf "$VIEW"

# 1b. The kernel sandbox of trusted grading (bubblewrap; prlimit and setpriv are util-linux).
command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; }

# 2. The shared exchange: everyone writes, nobody removes another's files (sticky bit).
mkdir -p "$EXCHANGE" && chmod 1777 "$EXCHANGE"

# 3. Every user's nbgrader settings (course id, exchange), and the student profile of the
#    users' servers (no formgrader, no course list; the grader's service keeps them).
mkdir -p /etc/jupyter && cp "$REPO/deploy/jupyterhub/nbgrader_config.py" /etc/jupyter/nbgrader_config.py
rm -rf /etc/jupyter/rnn-course-student && cp -r "$REPO/jupyter/student" /etc/jupyter/rnn-course-student

# 4. The grader account owns the course directory (a private copy of this repo).
id "$GRADER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$GRADER"
HOME_DIR=$(getent passwd "$GRADER" | cut -d: -f6)
mkdir -p "$HOME_DIR/$COURSE" "$HOME_DIR/.jupyter"
cp -r "$REPO/." "$HOME_DIR/$COURSE/"
echo "c = get_config(); c.CourseDirectory.root = '$HOME_DIR/$COURSE'" > "$HOME_DIR/.jupyter/nbgrader_config.py"
chown -R "$GRADER:" "$HOME_DIR" && chmod 700 "$HOME_DIR"

# 5. The hub part: users (edit 00-rnn-course-users.py), groups, roles, formgrader service.
CONF=/opt/tljh/config/jupyterhub_config.d
mkdir -p "$CONF"
[[ -e $CONF/00-rnn-course-users.py ]] || cp "$REPO/deploy/tljh/00-rnn-course-users.py" "$CONF/"
cp "$REPO/deploy/jupyterhub/jupyterhub_config.py" "$CONF/rnn-course.py"
tljh-config reload hub
echo "done: edit $CONF/00-rnn-course-users.py for your class, then: tljh-config reload hub"
