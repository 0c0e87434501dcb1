"""nbgrader settings for every user of the course's JupyterHub (students and graders).

Install as /etc/jupyter/nbgrader_config.py (the single-user servers of every user read
it; see deploy/README.md). The course directory of the grader account has its own
nbgrader_config.py (the repo's), which adds the grading settings.
"""
import os

c = get_config()  # noqa: F821 (provided by nbgrader)

# Students fetch and submit with `--course` implied.
c.CourseDirectory.course_id = "rnn-course"
# The shared exchange folder: one path for everyone, writable by all (`chmod 1777`, see
# deploy/README.md). The hub passes NBGRADER_EXCHANGE to every server it starts; the
# course's own nbgrader_config.py reads the same variable, so graders and students
# always agree.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
