"""The instructor's commands (build, intake, parallel grading, reports, LMS) over one
course configuration (autograder.instructor.config). Nothing here runs while nbgrader
grades a notebook; nothing here imports the test kit."""
