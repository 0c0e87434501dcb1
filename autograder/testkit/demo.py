"""The instructor demo: build, release, grade three sample students, show the results.

    .venv/bin/python -m autograder.testkit.demo [--out build/demo] [--language ja]

Everything happens in a scratch course directory (default build/demo/course) with the
stock nbgrader commands and this repo's nbgrader_config.py:
  1. build the notebooks from the authored sources (autograder.instructor.build);
  2. release them (nbgrader generate_assignment);
  3. submit three students: alice (all correct), bob (known misconceptions), carol (code
     that raises);
  4. nbgrader autograde, generate_feedback, export;
  5. print a per-student, per-item score table and check it against the expected scores.

``--language ja``: the scratch course is a Japanese class (``use_edition(c, "ja")`` in its
nbgrader_config.py): the Japanese edition is built and released, the students' notebooks
are made from it, the feedback is in Japanese, and so is what the demo prints; the scores
are the same as in English.
"""
import argparse
import csv
import shutil
import sys
import time
import unicodedata
from pathlib import Path

from autograder.instructor import gradebook_results
from autograder.instructor.build import authored_sources
from autograder.instructor.config import REPO_ROOT
from autograder.testkit.course import Course
from autograder.testkit.scenarios import demo_scenarios
from rnnlib.language import LANGUAGES

DESCRIPTIONS_JA = {"alice": "全問正解", "bob": "いくつかの解答に既知の誤解がある",
                   "carol": "すべての関数が IndexError を出す"}


def _step(message):
    print(f"\n== {message}", flush=True)


def _width(text):
    """Columns ``text`` takes in a terminal (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _relabel(line, old, new):
    """``line`` starting with ``old`` (padded), with ``new`` in its place and the same
    terminal width before the next column."""
    if not line.startswith(old):
        return line
    rest = line[len(old):]
    pad = len(rest) - len(rest.lstrip(" "))
    room = len(old) + pad
    return new + " " * max(1, room - _width(new)) + rest.lstrip(" ")


def prepare_course(root, assignments, language="en"):
    """A course at ``root`` (a ``language`` class) with notebooks built from the authored
    sources and the assignments released."""
    if root.exists():
        shutil.rmtree(root)
    return Course.create(root, assignments, from_authored=True, language=language)


def score_table(course, assignment, scenarios, language="en"):
    """Lines of the table, and the list of (student, item, got, expected) that differ
    (the table of `python -m autograder.instructor.intake` and `.parallel`, with expectations)."""
    lines, mismatches = gradebook_results.score_table(
        assignment, course.scores(assignment), [s.name for s in scenarios],
        {s.name: s.expected for s in scenarios})
    if language == "ja":
        relabelled = []
        for line in lines:
            line = _relabel(line, "item (points)", "項目 (配点)")
            if line.startswith("total of "):
                label = line.split("  ", 1)[0]
                line = _relabel(line, label, f"合計 (満点 {label[len('total of '):]})")
            relabelled.append(line)
        lines = relabelled
    return lines, mismatches


def main(argv=None):
    parser = argparse.ArgumentParser(description="instructor demo of the RNN course")
    parser.add_argument("--out", default=str(REPO_ROOT / "build" / "demo"),
                        help="scratch folder (default build/demo)")
    parser.add_argument("--language", choices=LANGUAGES, default="en",
                        help="the class's language: en (default) or ja (the Japanese edition)")
    parser.add_argument("assignments", nargs="*",
                        help="only these assignments (default: all of them)")
    args = parser.parse_args(argv)
    ja = args.language == "ja"

    def say(en, ja_text):
        return ja_text if ja else en

    start = time.perf_counter()
    assignments = sorted(authored_sources(REPO_ROOT, args.assignments or None))

    _step(say(f"build and release {', '.join(assignments)}",
              f"{', '.join(assignments)} をビルドして配布 (日本語版)"))
    course = prepare_course(Path(args.out).resolve() / "course", assignments, args.language)
    print(say(f"course directory: {course.root}", f"コースのフォルダー: {course.root}"))

    all_ok = True
    for assignment in assignments:
        scenarios = demo_scenarios(assignment, course.root, args.language)
        _step(say(f"{assignment}: submit {len(scenarios)} students",
                  f"{assignment}: 学生 {len(scenarios)} 人が提出"))
        for s in scenarios:
            course.submit(s.name, assignment, s.notebook)
            description = DESCRIPTIONS_JA.get(s.name, s.description) if ja else s.description
            print(f"  {s.name:<8} {description}")
        _step(say(f"{assignment}: nbgrader autograde",
                  f"{assignment}: nbgrader autograde (自動採点)"))
        course.autograde(assignment)
        _step(say(f"{assignment}: nbgrader generate_feedback",
                  f"{assignment}: nbgrader generate_feedback (フィードバックの作成)"))
        course.generate_feedback(assignment)
        for s in scenarios:
            print(f"  {course.root / 'feedback' / s.name / assignment / (assignment + '.html')}")
        _step(say(f"{assignment}: scores (autograded items)",
                  f"{assignment}: 得点 (自動採点の項目)"))
        lines, mismatches = score_table(course, assignment, scenarios, args.language)
        print("\n".join("  " + line for line in lines))
        for student, item, got, expected in mismatches:
            got = say("nothing", "なし") if got is None else format(got, "g")
            print(say(f"  UNEXPECTED: {student} scored {got} on {item}, expected {expected:g}",
                      f"  想定外: {student} の {item} の得点が {got} です (期待値 {expected:g})"))
        all_ok &= not mismatches

    _step(say("nbgrader export", "nbgrader export (成績の書き出し)"))
    csv_path = course.root / "grades.csv"
    course.export(str(csv_path))
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        score, top = float(row["score"]), float(row["max_score"])
        print(say(f"  {row['assignment']:<10} {row['student_id']:<8} score {score:g} of {top:g}",
                  f"  {row['assignment']:<10} {row['student_id']:<8} 得点 {score:g} / {top:g}"))
    print(say(f"  written to {csv_path} (max_score includes the manually graded answers,"
              " which score once graded in formgrader)",
              f"  {csv_path} に書き出しました (max_score には手で採点する解答も含まれます。"
              "その得点は formgrader で採点してから入ります)"))
    seconds = time.perf_counter() - start
    print(say(f"\ndemo finished in {seconds:.0f} s: "
              + ("every score as expected" if all_ok else "SOME SCORES WERE NOT AS EXPECTED"),
              f"\nデモは {seconds:.0f} 秒で終わりました: "
              + ("すべての得点が期待どおりです" if all_ok else "期待と違う得点がありました")))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
