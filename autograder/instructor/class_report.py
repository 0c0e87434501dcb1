"""The class report of one assignment as a static HTML page a teacher opens first.

    html = render(ClassData(...), feedback_links={student: "../feedback/..."})

Sections, top to bottom: the class at a glance (students, mean, median, range, late
submissions, manual answers waiting, a histogram of totals); per item difficulty (share
with full marks), discrimination (point-biserial against the total) and the score
distribution; the misconceptions the grader recognised with the students who hit each;
a student x item heat map (each student's id links to their feedback page); the manually
graded items (answered, graded, not yet graded, left blank); the late submissions.

Made for a projector: large type, black on white, colours that differ in lightness as
well as hue and carry a symbol too (a grey-scale projector or a colour-blind reader loses
nothing). One file: inline CSS, the histogram as an inline PNG (matplotlib), the heat map
as table cells, no script (the page's policy forbids any). Every string that is not ours
(student ids above all) goes through autograder.grading.safe_text.escape_html.

``render(..., language="ja")`` writes the page in Japanese (headings, labels, prose, the
histogram's labels); reports.py passes the class's language from nbgrader_config.py.
"""
import base64
import io
import math
from dataclasses import dataclass, field

from autograder.grading.lateness import duration
from autograder.grading.safe_text import escape_html
from autograder.instructor import item_statistics as stats
from rnnlib.language import check_language, say as _say

__all__ = ["SECTIONS", "SECTIONS_JA", "ClassData", "GradeRecord", "ItemInfo", "StudentRecord",
           "render", "sections"]

# (section id, heading): the page's table of contents
SECTIONS = [("summary", "Class at a glance"), ("items", "Items"),
            ("misconceptions", "Misconceptions recognised"), ("heatmap", "Student × item"),
            ("manual", "Manually graded items"), ("late", "Late submissions")]
SECTIONS_JA = [("summary", "クラスの概要"), ("items", "項目"),
               ("misconceptions", "見つかった誤解"), ("heatmap", "学生 × 項目"),
               ("manual", "手で採点する項目"), ("late", "期限後の提出")]


def sections(language="en"):
    """The page's (section id, heading) in ``language``."""
    return SECTIONS_JA if language == "ja" else SECTIONS


@dataclass
class ItemInfo:
    """A graded cell of the assignment: its grade_id, points, and whether a person grades
    it (a written answer) rather than the grader (a test cell)."""

    name: str
    max_score: float
    manual: bool = False


@dataclass
class GradeRecord:
    """One student's grade on one item. ``score`` None: a written answer not yet graded;
    ``blank``: a written answer left as released (nbgrader gives it 0 on its own);
    ``misconception``: {"key", "hint"} the grader recognised, for an item without full marks."""

    score: float | None
    blank: bool = False
    misconception: dict | None = None


@dataclass
class StudentRecord:
    """One submission: the student's id (chosen by the student: escape it), the total the
    gradebook holds, and the seconds after the due date it arrived (0 or less: on time)."""

    student: str
    total: float
    grades: dict = field(default_factory=dict)  # item name -> GradeRecord
    timestamp: object = None  # datetime (naive UTC) or None
    seconds_late: float = 0.0


@dataclass
class ClassData:
    assignment: str
    items: list  # [ItemInfo] in notebook order
    students: list  # [StudentRecord]
    duedate: object = None  # datetime (naive UTC) or None

    @property
    def max_total(self):
        return sum(item.max_score for item in self.items)


# --- small pieces ----------------------------------------------------------------------

def _num(value, digits=1):
    """A score as people write it: 3, 2.5, 1.33."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def _pct(share):
    return "—" if share is None else f"{share:.0%}"


def _student(student, links):
    """The student's id, linked to their feedback page when there is one."""
    href = links.get(student)
    text = escape_html(student)
    if href is None:
        return f"<span class='id'>{text}</span>"
    return f"<a class='id' href='{escape_html(href)}'>{text}</a>"


def _state(grade, item, language="en"):
    """(css class, text in the heat map cell, tooltip) of one grade."""
    if grade is None:
        return "none", "", _say("no grade", "成績なし", language)
    if grade.score is None:
        return "pending", "?", _say("answered, not yet graded", "解答済み、未採点", language)
    if grade.blank:
        return "blank", "–", _say("left blank: 0", "未解答: 0", language)
    if math.isclose(grade.score, item.max_score):
        return "full", "✓", _say(f"full marks: {_num(grade.score)}",
                                 f"満点: {_num(grade.score)}", language)
    if grade.score > 0:
        return "partial", _num(grade.score), _say(
            f"partial: {_num(grade.score)} of {_num(item.max_score)}",
            f"部分点: {_num(item.max_score)} 点中 {_num(grade.score)} 点", language)
    return "zero", "✗", "0"


def histogram_png(totals, max_total, mean, median, language="en"):
    """Base64 PNG of the totals' histogram with the mean and median marked."""
    import matplotlib
    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    style = {"font.size": 15, "axes.titlesize": 17, "axes.labelsize": 16}
    if language == "ja":
        from rnnlib.language import japanese_font_family

        style.update({"font.family": japanese_font_family(), "axes.unicode_minus": False})
    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=(9, 4.2))
        top = max(max_total, max(totals, default=0), 1)
        bins = [b - 0.5 for b in range(math.ceil(top) + 2)] if top <= 30 else 20
        ax.hist(totals, bins=bins, color="#1f4e99", edgecolor="white", linewidth=1.5)
        if mean is not None:
            ax.axvline(mean, color="#c62828", linewidth=3,
                       label=_say(f"mean {_num(mean)}", f"平均 {_num(mean)}", language))
            ax.axvline(median, color="#111111", linewidth=3, linestyle="--",
                       label=_say(f"median {_num(median)}", f"中央値 {_num(median)}", language))
            ax.legend(frameon=False, loc="upper left")
        ax.set_xlim(-0.6, top + 0.6)
        ax.set_xlabel(_say(f"total score (of {_num(max_total)})",
                           f"合計点 ({_num(max_total)} 点満点)", language))
        ax.set_ylabel(_say("students", "学生数", language))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# --- sections --------------------------------------------------------------------------

def _summary(data, language="en"):
    totals = [s.total for s in data.students]
    summary = stats.summary(totals)
    late = sum(s.seconds_late > 0 for s in data.students)
    waiting = sum(1 for s in data.students for item in data.items
                  if item.manual and (g := s.grades.get(item.name)) is not None and g.score is None)
    if language == "ja":
        labels = ["学生数", f"平均 ({_num(data.max_total)} 点満点)", "中央値", "範囲", "期限後の提出",
                  "手で採点する解答"]
    else:
        labels = ["students", f"mean (of {_num(data.max_total)})", "median", "range",
                  "late submissions", "answers to grade by hand"]
    values = [str(summary["n"]), _num(summary["mean"]), _num(summary["median"]),
              f"{_num(summary['min'])}–{_num(summary['max'])}" if summary["n"] else "—",
              str(late), str(waiting)]
    cards = list(zip(values, labels))
    html = ["<div class='glance'><div class='cards'>"]
    for value, label in cards:
        html.append(f"<div class='card'><div class='value'>{value}</div>"
                    f"<div class='label'>{label}</div></div>")
    html.append("</div>")
    if totals:
        png = histogram_png(totals, data.max_total, summary["mean"], summary["median"], language)
        alt = _say(f"histogram of the totals: mean "
                   f"{_num(summary['mean'])}, median {_num(summary['median'])}",
                   f"合計点のヒストグラム: 平均 {_num(summary['mean'])}、"
                   f"中央値 {_num(summary['median'])}", language)
        html.append(f"<img class='histogram' alt='{alt}' "
                    f"src='data:image/png;base64,{png}'>")
    html.append("</div>")
    return html


def _distribution_bar(item, statistics, language="en"):
    """A stacked bar: one segment per score, as wide as its share, coloured as the heat map."""
    if not statistics.n:
        return f"<span class='muted'>{_say('no grades yet', 'まだ成績がありません', language)}</span>"
    parts = []
    for score, count in statistics.distribution:
        css = ("full" if math.isclose(score, item.max_score)
               else "partial" if score > 0 else "zero")
        width = 100 * count / statistics.n
        title = _say(f"{_num(score)} points: {count}", f"{_num(score)} 点: {count} 人", language)
        parts.append(f"<span class='{css}' style='width:{width:.2f}%' "
                     f"title='{title}'>{count}</span>")
    legend = " · ".join(_say(f"{_num(score)} pts: {count}", f"{_num(score)} 点: {count} 人", language)
                        for score, count in statistics.distribution)
    return f"<div class='dist'>{''.join(parts)}</div><div class='small'>{legend}</div>"


def _items(data, item_stats, language="en"):
    if language == "ja":
        html = [("<p class='note'>難易度: 満点を取った学生の割合。識別力: その項目で満点かどうかと"
                 "合計点との点双列相関 (0.4 以上はとても良い、0.3 は良い、0.2 はぎりぎり、0.2 未満は"
                 "低い。負の値: できの悪い学生ほど正解しているので、項目を確認してください)。記述式の"
                 "解答は採点されてから数えます。</p>"),
                ("<table class='items'><thead><tr><th>項目</th><th>配点</th>"
                 "<th>難易度 (満点の学生)</th><th>識別力</th>"
                 "<th>得点の分布</th></tr></thead><tbody>")]
    else:
        html = [("<p class='note'>Difficulty: the share of students with full marks. "
                "Discrimination: the point-biserial correlation of full marks on the item with "
                "the total (0.4 and above very good, 0.3 good, 0.2 marginal, below 0.2 poor; "
                "negative: the weaker students did better, check the item). Written answers "
                "count once graded.</p>"),
                ("<table class='items'><thead><tr><th>item</th><th>points</th>"
                "<th>difficulty (students with full marks)</th><th>discrimination</th>"
                "<th>score distribution</th></tr></thead><tbody>")]
    for item in data.items:
        s = item_stats[item.name]
        written = _say("written", "記述式", language)
        kind = f" <span class='tag'>{written}</span>" if item.manual else ""
        share = s.difficulty or 0
        of = _say(f"{s.n_full} of {s.n}", f"{s.n} 人中 {s.n_full} 人", language)
        difficulty = (f"<div class='pct'>{_pct(s.difficulty)}</div>"
                      f"<div class='bar'><span style='width:{100 * share:.1f}%'></span></div>"
                      f"<div class='small'>{of}</div>")
        r = "—" if s.discrimination is None else f"{s.discrimination:+.2f}"
        label_css = {"poor": "warn", "negative: check the item": "bad"}.get(s.discrimination_label, "")
        label = stats.discrimination_label(s.discrimination, language)
        html.append(
            f"<tr><td><code>{escape_html(item.name)}</code>{kind}</td>"
            f"<td class='num'>{_num(item.max_score)}</td><td>{difficulty}</td>"
            f"<td><div class='pct'>{r}</div><div class='small {label_css}'>"
            f"{escape_html(label)}</div></td>"
            f"<td>{_distribution_bar(item, s, language)}</td></tr>")
    html.append("</tbody></table>")
    return html


def misconception_labels(data):
    """{(item, key): (label "M1", hint, [students])} in notebook order, then by how many
    students hit it."""
    found = {}
    for item in data.items:
        hits = {}
        for s in data.students:
            g = s.grades.get(item.name)
            if g is not None and g.misconception:
                key = g.misconception.get("key", "")
                hits.setdefault(key, [g.misconception.get("hint", ""), []])[1].append(s.student)
        for key, (hint, students) in sorted(hits.items(), key=lambda kv: (-len(kv[1][1]), kv[0])):
            found[(item.name, key)] = (f"M{len(found) + 1}", hint, sorted(students))
    return found


def _misconceptions(data, labels, links, language="en"):
    if language == "ja":
        if not labels:
            return ["<p>このクラスでは、採点システムが既知の誤解を見つけませんでした。</p>"]
        html = [("<p class='note'>不合格の項目のうち、出力が既知の誤った実装と一致したもの。"
                 "ラベル (M1, M2, ...) はヒートマップの学生のセルに付いています。</p>"),
                ("<table class='misc'><thead><tr><th></th><th>項目</th>"
                 "<th>何が起きたか</th><th>学生</th></tr></thead><tbody>")]
    elif not labels:
        return ["<p>The grader recognised no known misconception in this class.</p>"]
    else:
        html = [("<p class='note'>A failed item whose output matched a known wrong "
                "implementation. The label (M1, M2, ...) marks the student's cell in the heat "
                "map.</p>"), ("<table class='misc'><thead><tr><th></th><th>item</th>"
                "<th>what happened</th><th>students</th></tr></thead><tbody>")]
    for (item, key), (label, hint, students) in labels.items():
        names = " ".join(f"<span class='chip'>{_student(s, links)}</span>" for s in students)
        html.append(f"<tr><td><span class='mlabel'>{label}</span></td>"
                    f"<td><code>{escape_html(item)}</code><div class='small'>"
                    f"<code>{escape_html(key)}</code></div></td>"
                    f"<td class='hint'>{escape_html(hint)}</td>"
                    f"<td><div class='count'>{len(students)}</div>{names}</td></tr>")
    html.append("</tbody></table>")
    return html


def _heatmap(data, item_stats, labels, links, language="en"):
    if language == "ja":
        keys = [("full", "✓", "満点"), ("partial", "1.5", "部分点"),
                ("zero", "✗", "0"), ("zero", "M1", "0、誤解 M1"),
                ("pending", "?", "未採点"), ("blank", "–", "未解答"),
                ("none", "✎", "記述式の解答 (手で採点)")]
        words_of = {"note": "合計点の高い順。学生の ID をクリックするとフィードバックのページが開きます。",
                    "student": "学生", "total": "合計", "late": "遅れ", "full": "満点"}
    else:
        keys = [("full", "✓", "full marks"), ("partial", "1.5", "partial credit"),
                ("zero", "✗", "0"), ("zero", "M1", "0, misconception M1"),
                ("pending", "?", "not yet graded"), ("blank", "–", "left blank"),
                ("none", "✎", "written answer, graded by hand")]
        words_of = {"note": "Best total first. A student's id opens their feedback page.",
                    "student": "student", "total": "total", "late": "late by",
                    "full": "full marks"}
    legend = "".join(f"<span class='key'><span class='cell {css}'>{text}</span> "
                     f"{escape_html(words)}</span>"
                     for css, text, words in keys)
    html = [f"<p class='legend'>{legend}</p>",
            f"<p class='note'>{words_of['note']}</p>",
            f"<table class='heat'><thead><tr><th class='who'>{words_of['student']}</th>"]
    for item in data.items:
        marker = " ✎" if item.manual else ""
        html.append(f"<th class='col'><span>{escape_html(item.name)}{marker}</span></th>")
    html.append(f"<th class='col'><span>{words_of['total']}</span></th><th class='col'><span>"
                f"{words_of['late']}</span></th></tr></thead><tbody>")
    for s in sorted(data.students, key=lambda s: (-s.total, s.student)):
        cells = []
        for item in data.items:
            grade = s.grades.get(item.name)
            css, text, tip = _state(grade, item, language)
            if css == "zero" and grade.misconception:
                label = labels.get((item.name, grade.misconception.get("key", "")))
                if label:
                    text, tip = label[0], f"0: {label[1]}"
            cells.append(f"<td class='cell {css}' title='{escape_html(tip)}'>{text}</td>")
        late = duration(s.seconds_late, language) if s.seconds_late > 0 else ""
        cells.append(f"<td class='num total'>{_num(s.total)}</td>"
                     f"<td class='late'>{escape_html(late)}</td>")
        html.append(f"<tr><td class='who'>{_student(s.student, links)}</td>{''.join(cells)}</tr>")
    html.append(f"</tbody><tfoot><tr><th class='who'>{words_of['full']}</th>")
    for item in data.items:
        s = item_stats[item.name]
        html.append(f"<td class='num share'>{_pct(s.difficulty)}</td>")
    html.append("<td></td><td></td></tr></tfoot></table>")
    return html


def _manual(data, links, language="en"):
    manual = [item for item in data.items if item.manual]
    if language == "ja":
        if not manual:
            return ["<p>この課題には手で採点する項目はありません。</p>"]
        html = [("<p class='note'>記述式の解答。formgrader で手で採点します。配布したままの"
                 "解答は採点しなくても 0 点です。</p>"),
                ("<table class='manual'><thead><tr><th>項目</th><th>配点</th><th>解答あり</th>"
                 "<th>採点済み</th><th>未採点</th><th>未解答</th></tr></thead><tbody>")]
    elif not manual:
        return ["<p>This assignment has no manually graded item.</p>"]
    else:
        html = [("<p class='note'>Written answers, graded by hand in formgrader. An answer left "
                "as released scores 0 without grading.</p>"),
                ("<table class='manual'><thead><tr><th>item</th><th>points</th><th>answered</th>"
                "<th>graded</th><th>not yet graded</th><th>left blank</th></tr></thead><tbody>")]
    for item in manual:
        grades = [(s.student, s.grades.get(item.name)) for s in data.students]
        answered = [(who, g) for who, g in grades if g is not None and not g.blank]
        pending = sorted(who for who, g in answered if g.score is None)
        graded = len(answered) - len(pending)
        blank = sum(1 for _, g in grades if g is not None and g.blank)
        waiting = (f"<div class='count bad'>{len(pending)}</div>"
                   + " ".join(f"<span class='chip'>{_student(w, links)}</span>" for w in pending)
                   if pending else "<div class='count'>0</div>")
        html.append(f"<tr><td><code>{escape_html(item.name)}</code></td>"
                    f"<td class='num'>{_num(item.max_score)}</td>"
                    f"<td class='num'>{len(answered)}</td><td class='num'>{graded}</td>"
                    f"<td class='waiting'>{waiting}</td><td class='num'>{blank}</td></tr>")
    html.append("</tbody></table>")
    return html


def _late(data, links, language="en"):
    ja = language == "ja"
    if data.duedate is None:
        return [("<p>成績簿でこの課題の提出期限が設定されていないので、期限後の提出として数える"
                 "ものはありません。</p>") if ja else
                ("<p>No due date is set for this assignment in the gradebook, so no "
                "submission counts as late.</p>")]
    due = f"{data.duedate:%Y-%m-%d %H:%M} UTC"
    if not data.students:
        return [f"<p>提出期限 {due}: まだ提出はありません。</p>" if ja
                else f"<p>Due {due}: no submissions yet.</p>"]
    late = sorted((s for s in data.students if s.seconds_late > 0), key=lambda s: -s.seconds_late)
    if not late:
        return [f"<p>提出期限 {due}: すべての提出が期限内に届きました。</p>" if ja
                else f"<p>Due {due}: every submission arrived on time.</p>"]
    if ja:
        html = [(f"<p>提出期限 {due}。{len(data.students)} 件の提出のうち {len(late)} 件が期限後に"
                 "届きました (このコースでは減点しません。フィードバックのページに遅れが書かれます)。"
                 "</p>"),
                ("<table class='late'><thead><tr><th>学生</th><th>提出日時</th><th>遅れ</th>"
                 "<th>合計</th></tr></thead><tbody>")]
    else:
        html = [(f"<p>Due {due}. {len(late)} of {len(data.students)} submissions arrived after "
                "it (the course grades them without penalty; the feedback page says how late).</p>"),
                ("<table class='late'><thead><tr><th>student</th><th>submitted</th><th>late by</th>"
                "<th>total</th></tr></thead><tbody>")]
    for s in late:
        when = f"{s.timestamp:%Y-%m-%d %H:%M} UTC" if s.timestamp is not None else "—"
        html.append(f"<tr><td>{_student(s.student, links)}</td><td>{when}</td>"
                    f"<td>{escape_html(duration(s.seconds_late, language))}</td>"
                    f"<td class='num'>{_num(s.total)}</td></tr>")
    html.append("</tbody></table>")
    return html


CSS = """
:root { color-scheme: light; }
body { font: 22px/1.45 "DejaVu Sans", "Noto Sans", "Noto Sans CJK JP", system-ui, sans-serif;
       color: #111; background: #fff; margin: 0 auto; max-width: 1700px; padding: 24px 40px 80px; }
h1 { font-size: 46px; margin: 8px 0 4px; }
h2 { font-size: 34px; margin: 56px 0 16px; padding-bottom: 6px; border-bottom: 5px solid #111; }
nav { font-size: 20px; margin: 8px 0 24px; }
nav a { margin-right: 22px; white-space: nowrap; }
a { color: #0b3d91; text-underline-offset: 3px; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; }
.sub { font-size: 22px; color: #333; margin: 0; }
.note { color: #333; max-width: 70em; }
.small { font-size: 18px; color: #333; }
.muted { color: #555; }
.warn { color: #8a4b00; font-weight: 700; }
.bad { color: #b3261e; font-weight: 700; }
.glance { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
.cards { display: grid; grid-template-columns: repeat(2, 230px); gap: 16px; }
.card { border: 3px solid #111; border-radius: 12px; padding: 8px 20px; }
.card .value { font-size: 50px; font-weight: 700; line-height: 1.1; }
.card .label { font-size: 19px; color: #333; }
img.histogram { flex: 1 1 560px; min-width: 0; max-width: 820px; height: auto; border: 2px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 8px 14px; text-align: left; vertical-align: top; }
thead th { background: #111; color: #fff; font-size: 20px; }
tbody tr { border-bottom: 2px solid #c8c8c8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pct { font-size: 28px; font-weight: 700; }
.bar { width: 180px; height: 14px; background: #e3e3e3; border: 1px solid #111; }
.bar span { display: block; height: 100%; background: #1f4e99; }
.dist { display: flex; width: 320px; height: 32px; border: 2px solid #111; }
.dist span { display: block; overflow: hidden; text-align: center; font-weight: 700;
             font-size: 18px; line-height: 32px; }
.tag { font-size: 16px; border: 2px solid #555; border-radius: 6px; padding: 0 6px; }
.mlabel { display: inline-block; font-weight: 700; background: #b3261e; color: #fff;
          border-radius: 6px; padding: 2px 10px; }
.hint { max-width: 34em; }
.count { display: inline-block; min-width: 1.4em; margin-right: 8px; font-size: 28px;
         font-weight: 700; vertical-align: middle; }
table.misc td:last-child, table.manual td.waiting { min-width: 380px; }
.chip { display: inline-block; border: 2px solid #999; border-radius: 16px; padding: 0 10px;
        margin: 3px 4px 0 0; font-size: 18px; }
.full { background: #1b6e36; color: #fff; }
.partial { background: #f2c230; color: #111; }
.zero { background: #b3261e; color: #fff; }
.pending { background: #c7ccd3; color: #111; }
.blank { background: #f4d3d0; color: #7a120c; }
.none { background: #fff; }
.legend .key { display: inline-block; white-space: nowrap; margin: 0 22px 8px 0; }
.legend .cell { display: inline-block; min-width: 46px; text-align: center; font-weight: 700;
                padding: 2px 6px; border-radius: 4px; }
table.heat { border-collapse: separate; border-spacing: 3px; }
table.heat tbody tr { border: 0; }
table.heat thead th { position: sticky; top: 0; }
table.heat th.col { vertical-align: bottom; padding: 8px 4px; }
table.heat th.col span { writing-mode: vertical-rl; transform: rotate(180deg);
                         white-space: nowrap; font-family: "DejaVu Sans Mono", monospace;
                         font-size: 18px; }
table.heat td.cell { min-width: 52px; text-align: center; font-weight: 700; padding: 4px; }
table.heat td.who { white-space: nowrap; padding: 4px 14px 4px 0; }
table.heat td.total { font-weight: 700; }
table.heat tfoot th { text-align: left; padding: 6px 14px 6px 0; }
table.heat td.share { text-align: center; font-weight: 700; font-size: 18px; padding: 6px 0; }
table.heat td.late { color: #b3261e; font-weight: 700; white-space: nowrap; }
@media print { body { font-size: 14px; } h2 { break-before: page; } }
"""


def render(data, feedback_links=None, language="en"):
    """The report page of ``data`` (a ClassData); ``feedback_links``: {student: relative
    URL of their feedback page} (a student without one is shown unlinked); ``language``:
    of the page ("en" or "ja", the class's language)."""
    check_language(language)
    links = feedback_links or {}
    totals = {s.student: s.total for s in data.students}
    item_stats = {}
    for item in data.items:
        scores = {s.student: (s.grades[item.name].score if item.name in s.grades else None)
                  for s in data.students}
        item_stats[item.name] = stats.item_statistics(item.name, item.max_score, scores, totals)
    labels = misconception_labels(data)
    body = {"summary": _summary(data, language), "items": _items(data, item_stats, language),
            "misconceptions": _misconceptions(data, labels, links, language),
            "heatmap": _heatmap(data, item_stats, labels, links, language),
            "manual": _manual(data, links, language), "late": _late(data, links, language)}
    title = escape_html(data.assignment)
    nav = "".join(f"<a href='#{key}'>{heading}</a>" for key, heading in sections(language))
    heading = _say(f"Class report: {title}", f"クラスレポート: {title}", language)
    sub = _say(f"{len(data.students)} students, {len(data.items)} graded items, "
               f"{_num(data.max_total)} points",
               f"学生 {len(data.students)} 人、採点項目 {len(data.items)} 個、"
               f"{_num(data.max_total)} 点満点", language)
    parts = [f"<h1>{heading}</h1>", f"<p class='sub'>{sub}</p>", f"<nav>{nav}</nav>"]
    for key, heading in sections(language):
        parts.append(f"<section id='{key}'><h2>{heading}</h2>")
        parts.extend(body[key])
        parts.append("</section>")
    # no script in this page: the policy only keeps any that slipped in from running
    csp = ("<meta http-equiv='Content-Security-Policy' "
           "content=\"default-src 'none'; script-src 'none'; object-src 'none'; img-src data:; "
           "style-src 'unsafe-inline'\">")
    return (f"<!DOCTYPE html><html lang='{language}'><head><meta charset='utf-8'>" + csp
            + "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            + f"<title>{_say('Class report', 'クラスレポート', language)}: {title}</title>"
            + f"<style>{CSS}</style></head><body>"
            + "\n".join(parts) + "\n</body></html>\n")
