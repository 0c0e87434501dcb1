"""Who is in the course, for deploy/jupyterhub/jupyterhub_config.py on The Littlest JupyterHub.

Copy to /opt/tljh/config/jupyterhub_config.d/00-rnn-course-users.py (loaded before
rnn-course.py, which reads these variables), edit the lists, then `tljh-config reload hub`.
Names are JupyterHub user names (TLJH makes the system accounts `jupyter-<name>`).
"""
import os

os.environ.setdefault("RNN_COURSE_INSTRUCTORS", "instructor")           # formgrader access
os.environ.setdefault("RNN_COURSE_STUDENTS", "student1,student2")        # the class
os.environ.setdefault("RNN_COURSE_GRADER", "grader-rnn-course")         # system account of the course
os.environ.setdefault("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
