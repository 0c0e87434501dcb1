"""Check every submission before grading and stage a gradable copy of it.

    python -m autograder.instructor.intake ASSIGNMENT            # check, stage, then nbgrader autograde
    python -m autograder.instructor.intake ASSIGNMENT --check    # only report

Stock `nbgrader autograde` stops on a file it cannot read (that student gets no record
and the command exits 1) and silently skips renamed or extra notebooks. This wrapper
reads each `submitted/<student>/<assignment>/` without modifying it and writes a
gradable copy to `staged/<student>/<assignment>/`:

* a readable notebook of this assignment is copied as it is;
* a notebook that is not valid JSON / nbformat, belongs to another assignment, is too
  large, or is missing, is replaced by the blank released notebook (so every item
  scores 0 and the student still gets a record and feedback);
* a single renamed notebook (``01_rnn (1).ipynb``) is graded under its expected name;
* extra notebooks are listed and ignored; another kernel spec is noted (nbgrader
  replaces it);
* only plain files are read: a symbolic link, a folder, a fifo, socket or device in the
  submission is noted and ignored, never followed or opened (files are opened with
  O_NOFOLLOW and checked once open).

Each finding is printed to the log and added at the top of that student's notebook as a
"Grading note", so it appears in the feedback; every file name and message in it is
escaped (autograder.grading.safe_text.escape_markdown), so a file named as HTML stays text.
Notes are in the class's language (``use_edition(c, "ja")`` in the course's
nbgrader_config.py): in a Japanese class the cell starts 「**採点についての注意。**」, the
label the grader's own notes use. Then the stock `nbgrader autograde` runs
on the staged copies (trusted grading included) and this command exits 0 unless nbgrader
itself failed.
"""
import argparse
import shutil
import sys
from pathlib import Path

import nbformat

from autograder.instructor.config import (class_language_of, course_folder, gradebook_url,
                                          run_nbgrader)
from autograder.grading.preprocessors import NOTE_LABEL  # the grader's own notes' label
from autograder.grading.safe_text import escape_markdown
from autograder.grading.submitted_files import (MAX_BYTES, check_submission, grade_ids,
                                                plain_files, read_plain)

STAGED = "staged"
BLANK = {"en": " It was graded as the blank notebook (0 on every item); ask your instructor.",
         "ja": "白紙のノートブックとして採点しました (すべての項目が 0 点です)。"
               "担当の先生に確認してください。"}


def note_text(notes, blank, language="en"):
    """The text of the Grading note cell: the label, then every note (they name files the
    student chose: escaped as a whole, shown literally), then what a blank grade means."""
    if language == "ja":
        body = "".join(n if n.endswith(("。", "？", "?")) else f"{n}。" for n in notes)
    else:
        body = " ".join(f"{n}." if not n.endswith(".") else n for n in notes)
    return NOTE_LABEL[language] + escape_markdown(body) + (BLANK[language] if blank else "")


def stage_student(root, assignment, student, release_directory=None, language=None):
    """Stage one student's submission of ``assignment`` into staged/; returns the findings
    (a list of sentences, empty when the submission is fine). The submission is only read.
    release_directory: where the blank notebooks are (default: the class edition's).
    language: of the notes (default: the class's, from the course's nbgrader_config.py)."""
    root = Path(root)
    language = language or class_language_of(root)
    source_dir = course_folder(root, "source") / assignment
    release_directory = release_directory or course_folder(root, "release")
    names = sorted(p.stem for p in source_dir.glob("*.ipynb"))
    folder = root / "submitted" / student / assignment
    target = root / STAGED / student / assignment
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for file_name, extra_file in plain_files(folder)[0].items():  # timestamps and data files
        if extra_file.suffix != ".ipynb":
            try:
                (target / file_name).write_bytes(read_plain(extra_file, MAX_BYTES)[:MAX_BYTES])
            except OSError:
                pass  # changed since it was listed: not staged (plain_files noted nothing)
    notes = []
    for name in names:
        source_ids = grade_ids(nbformat.read(source_dir / f"{name}.ipynb", as_version=4))
        intake, nb = check_submission(folder, name, source_ids, assignment, language)
        if intake.blank or nb is None:
            nb = nbformat.read(root / release_directory / assignment / f"{name}.ipynb", as_version=4)
        if intake.notes:
            note = nbformat.v4.new_markdown_cell(note_text(intake.notes, intake.blank, language))
            note.id = "grading-note"
            nb.cells.insert(0, note)
        nbformat.write(nb, target / f"{name}.ipynb")
        notes += intake.notes
    return notes


def stage(root, assignment, release_directory=None, language=None):
    """Stage every student's submission; returns {student: findings} (in ``language``,
    default: the class's)."""
    language = language or class_language_of(root)
    return {folder.parent.name: stage_student(root, assignment, folder.parent.name, release_directory,
                                              language)
            for folder in sorted(Path(root, "submitted").glob(f"*/{assignment}"))}


def main(argv=None):
    parser = argparse.ArgumentParser(description="check, stage and autograde an assignment")
    parser.add_argument("assignment")
    parser.add_argument("--check", action="store_true", help="only report, do not grade")
    parser.add_argument("--root", default=".")
    parser.add_argument("nbgrader_args", nargs="*", help="passed on to nbgrader autograde")
    args = parser.parse_args(argv)
    results = stage(args.root, args.assignment)
    for student, notes in results.items():
        for note in notes:
            print(f"[intake] {student}: {note}", flush=True)
    print(f"[intake] {len(results)} submissions staged, "
          f"{sum(1 for n in results.values() if n)} with findings", flush=True)
    if args.check:
        return 0
    code = run_nbgrader(args.root, "autograde", args.assignment, "--create",
                        f"--CourseDirectory.submitted_directory={STAGED}", *args.nbgrader_args,
                        capture=False, check=False).returncode
    print_graded(args.root, args.assignment, results)
    return code


def print_graded(root, assignment, results):
    """After grading: one line per Grading note the grader added (cells whose metadata or
    text the student had changed), then the per-student, per-item score table."""
    from autograder.instructor.gradebook_results import print_score_tables
    from autograder.grading.preprocessors import grading_notes

    for student in results:
        for note in grading_notes(Path(root, "autograded", student, assignment)):
            print(f"[intake] {student}: {note}", flush=True)
    print_score_tables(gradebook_url(root), [assignment], prefix="[intake] ")


if __name__ == "__main__":
    sys.exit(main())
