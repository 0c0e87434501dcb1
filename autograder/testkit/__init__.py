"""The test kit: a scratch course driven by the stock nbgrader commands, scenario, hostile
and synthetic submissions, and the instructor demo built on them. Grading never imports
this package (tests/autograder/test_package_boundaries.py checks it)."""
