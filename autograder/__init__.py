"""Instructor-only autograding: the problem registry with hidden references, the
hidden-test entry point ``check``, the notebook build and the instructor demo.

Never shipped to students: nbgrader's release contains only the student notebooks.
"""
from autograder.grading.check import check

__all__ = ["check"]
