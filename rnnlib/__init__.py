"""Student-side library of the RNN course.

Everything here is public: activations, gradient checking, datasets, plotting, the
readable assertion helpers used by the visible tests, and the course-provided layers and
models of the practice sections. Each assignment's students get the modules released up
to that assignment (the course's ``autograder.grading.student_library`` says which): a layer a
notebook asks you to write arrives only with the notebooks after it, and practice code that
needs one of your current answers takes your function as an argument.
"""
