"""Student-side library of the RNN course.

Everything here is public: activations, gradient checking, datasets, plotting and the
readable assertion helpers used by the visible tests. It holds no reference answers to
graded items (those live in the instructor-only ``autograder`` package).
"""
