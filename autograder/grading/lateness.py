"""Lateness where people look (issue 16, item 9): the feedback page and grades.csv.

The course grades late work without penalty (``c.LateSubmissionPlugin.penalty_method =
"none"``), so stock nbgrader shows a late submission only in the grading log and the
gradebook's ``total_seconds_late``. The submission time is the exchange's own record
(autograder/grading/exchange.py SafeCollect writes it as timestamp.txt; nbgrader autograde
stores it and the seconds late in the gradebook).

* ``ShowLateness``, a generate_feedback preprocessor after nbgrader's GetGrades, puts a
  line at the top of a late submission's feedback page: "Late submission: submitted
  2 h 13 min after the due date (...)"; an on-time submission's page gets nothing.
* ``autograder.grading.safe_export`` adds the column ``seconds_late`` to grades.csv.

The line is in the class's language (``Edition.language`` of nbgrader_config.py):
「**期限後の提出:** 提出期限の 2 時間 13 分後に提出されました (…)」 in a Japanese class.
"""
import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import GetGrades, NbGraderPreprocessor

from autograder.grading.language import class_language

CELL_ID = "late-submission"


def duration(seconds, language="en"):
    """2 h 13 min, 3 d 4 h, 45 s: a person's reading of a number of seconds (in Japanese:
    2 時間 13 分, 3 日 4 時間, 45 秒)."""
    if language == "ja":
        return _duration_ja(seconds)
    if seconds < 0.5:
        return "less than 1 s"
    seconds = int(round(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def _duration_ja(seconds):
    if seconds < 0.5:
        return "1 秒未満"
    seconds = int(round(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} 日 {hours} 時間" if hours else f"{days} 日"
    if hours:
        return f"{hours} 時間 {minutes} 分" if minutes else f"{hours} 時間"
    if minutes:
        return f"{minutes} 分 {secs} 秒" if secs else f"{minutes} 分"
    return f"{secs} 秒"


def lateness_sentence(seconds_late, penalty, duedate=None, language="en"):
    """The sentence of a late submission's feedback page, or None when it was on time."""
    if not seconds_late or seconds_late <= 0:
        return None
    if language == "ja":
        due = f" ({duedate:%Y-%m-%d %H:%M} UTC) " if duedate is not None else ""
        policy = (f"遅れたため {round(float(penalty), 2)} 点が減点されます"
                  if penalty else "このコースでは減点はありません")
        return (f"**期限後の提出:** 提出期限{due}の {duration(seconds_late, 'ja')}後に"
                f"提出されました ({policy})。")
    due = f" ({duedate:%Y-%m-%d %H:%M} UTC)" if duedate is not None else ""
    policy = (f"a late penalty of {round(float(penalty), 2)} points is taken off the score"
              if penalty else "no penalty in this course")
    return f"**Late submission:** submitted {duration(seconds_late)} after the due date{due} ({policy})."


class ShowLateness(NbGraderPreprocessor):
    """Insert the lateness line as the first cell of a late submission's feedback page."""

    # nbconvert's HTML exporter configures this for every NbConvertBase; declared here (as
    # nbgrader's GetGrades does) so that generate_feedback does not warn about it.
    display_data_priority = GetGrades.display_data_priority

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            submission = gb.find_submission(info["assignment"], info["student"])
            seconds_late = submission.total_seconds_late
            duedate = submission.duedate
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            penalty = notebook.late_submission_penalty
        language = class_language(self.config)
        resources["course_language"] = language  # the feedback page's labels (templates/feedback)
        text = lateness_sentence(seconds_late, penalty, duedate, language)
        if text:
            self.log.info("%s was submitted %s late", info["student"], duration(seconds_late))
            cell = nbformat.v4.new_markdown_cell(text)
            cell.id = CELL_ID
            nb.cells.insert(0, cell)
        return nb, resources
