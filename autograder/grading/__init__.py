"""Trusted grading: the student's kernel only computes; the grader draws the inputs, keeps
the references and judges. See autograder/grading/execute.py for the nbgrader side."""
