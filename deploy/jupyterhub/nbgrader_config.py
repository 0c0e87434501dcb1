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
# Validate (the notebook toolbar's button, `nbgrader validate`) runs the notebook the way
# the grader does: the cells tagged "practice" (training runs, experiments) are skipped, so
# it takes seconds; without this it ran them and hit nbgrader's 30 s cell timeout. The
# same settings as the course's nbgrader_config.py.
c.Execute.skip_cells_with_tag = "practice"
c.Execute.timeout = 60
c.Execute.startup_timeout = 60
