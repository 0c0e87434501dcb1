"""The student library as each assignment's students get it (rule 9 of the design: nothing
a student can import or read while working on assignment N computes a graded item of N
or a later one).

``RELEASED_WITH`` is the one place that says, for every module of ``rnnlib/``, the first
assignment whose students get it; a module is in the view of that assignment and of every
later one (a student keeps what was released before). The course-provided version of
something a notebook grades is released only with the assignments after it:

* ``rnn_layer`` (the RNN forward, graded in 01) from 02; ``rnn_layer_backward`` (graded in
  02) from 03; ``lstm_layer`` (graded in 03) from 04;
* ``clipping`` (graded in 03) and ``sigmoid_derivative`` (the sigmoid's largest slope, 03)
  from 04; ``recurrent_init`` (builds parameter shapes: 04's parameter counts) from 05;
* ``embedding_lookup`` (graded in 06) from 07.

Practice code that needs an implementation of the assignment's own items takes the
student's functions as arguments instead: the 03 trainer takes ``clip`` (their
``clip_grads_global``), the 05 tagger their ``bidirectional_rnn_forward``, the 06 seq2seq
models their ``embedding_lookup`` (``embed=``), the 08 attention model their attention
functions; the 03/04 trainer builds its parameters inside its own body and counts none
(04's practice counts with the student's ``lstm_param_count`` and ``gru_param_count``).

    stage("03_lstm", Path("build/view"))   # build/view/rnnlib/ holds the view of 03
    modules_for("03_lstm")                 # ['__init__', 'activations', ...]
    python -m autograder.grading.student_library 03_lstm build/view     # the same from a shell

The sandboxed grader puts the staged directory on ``sys.path``; ``autograder.instructor.lms``
zips it; a hub installs the view of the assignment released last into the students'
environment (deploy/README.md).
"""
import argparse
import os
import shutil
from pathlib import Path

from autograder.items import PROBLEMS

LIBRARY = Path(__file__).resolve().parents[2] / "rnnlib"

RELEASED_WITH = {
    "__init__": "01_rnn",
    "activations": "01_rnn",
    "binary_adder": "01_rnn",
    "datasets": "01_rnn",
    "gradcheck": "01_rnn",
    "language": "01_rnn",
    "plotting": "01_rnn",
    "progress": "01_rnn",
    "testing": "01_rnn",
    "explorers": "02_bptt",
    "rnn_layer": "02_bptt",
    "optim": "03_lstm",
    "rnn_layer_backward": "03_lstm",
    "sequence_classifier": "03_lstm",
    "clipping": "04_gru",
    "lstm_layer": "04_gru",
    "sigmoid_derivative": "04_gru",
    "recurrent_init": "05_bidirectional",
    "tagger": "05_bidirectional",
    "attention_seq2seq": "06_seq2seq",
    "char_vocab": "06_seq2seq",
    "pretrained": "06_seq2seq",
    "seq2seq": "06_seq2seq",
    "seq2seq_layers": "06_seq2seq",
    "seq2seq_training": "06_seq2seq",
    "vae": "06_seq2seq",
    "embedding_lookup": "07_word2vec",
    "embeddings": "07_word2vec",
}
"""Module of rnnlib -> the first assignment whose students get it."""

PACKAGE_DATA = {"weights": "pretrained", "diagrams": "explorers"}
"""Folder of rnnlib -> the module that reads it (the folder ships with that module; the
diagrams package draws the explorers' plots with the course's fonts)."""

FIXED_MTIME = 1767225600  # 2026-01-01 00:00 UTC: staged files do not carry build times


class UnknownAssignment(ValueError):
    pass


def assignments():
    """The course's assignments (those with graded items) in release order: their names
    sort in that order."""
    return sorted({problem.assignment for problem in PROBLEMS.values()})


def _position(assignment, order):
    if assignment not in order:
        raise UnknownAssignment(f"unknown assignment {assignment!r}: the student library has "
                                f"views for {', '.join(order)}")
    return order.index(assignment)


def modules_for(assignment):
    """Names of the rnnlib modules released for ``assignment`` (sorted; '__init__' first)."""
    order = assignments()
    position = _position(assignment, order)
    released = [m for m, first in RELEASED_WITH.items() if _position(first, order) <= position]
    return sorted(released, key=lambda m: (m != "__init__", m))


def _check_manifest(library):
    on_disk = {p.stem for p in library.glob("*.py")}
    unlisted = sorted(on_disk - set(RELEASED_WITH))
    if unlisted:
        raise RuntimeError(f"rnnlib modules {unlisted} have no release in RELEASED_WITH "
                           f"({__file__}): say which assignment first gets each one")
    missing = sorted(set(RELEASED_WITH) - on_disk)
    if missing:
        raise RuntimeError(f"RELEASED_WITH lists {missing}, which are not in {library}")


def _files(assignment, library):
    """(source path, path inside rnnlib/) of every file of the view, sorted."""
    modules = modules_for(assignment)
    files = [(library / f"{m}.py", Path(f"{m}.py")) for m in modules]
    for folder, module in PACKAGE_DATA.items():
        if module in modules:
            files += [(p, p.relative_to(library)) for p in sorted((library / folder).rglob("*"))
                      if p.is_file()]
    return sorted(files, key=lambda f: str(f[1]))


def stage(assignment, dest, library=LIBRARY):
    """Write ``dest/rnnlib/`` with the view of ``assignment`` (replacing what was there)
    and return ``dest``, the directory to put on sys.path."""
    dest, library = Path(dest), Path(library)
    _check_manifest(library)
    files = _files(assignment, library)  # an unknown assignment fails before writing
    target = dest / "rnnlib"
    if target.resolve() == library.resolve():
        raise ValueError(f"stage: {target} is the library itself; stage into another folder")
    if target.exists():
        shutil.rmtree(target)
    for source, relative in files:
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return dest


def main(argv=None):
    parser = argparse.ArgumentParser(description="write the student library view of an "
                                                 "assignment: DEST/rnnlib/")
    parser.add_argument("assignment", help=f"one of {', '.join(assignments())}")
    parser.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    try:
        dest = stage(args.assignment, args.dest)
    except UnknownAssignment as error:
        parser.error(str(error))
    print(f"[student_library] {dest / 'rnnlib'}: {', '.join(modules_for(args.assignment))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
