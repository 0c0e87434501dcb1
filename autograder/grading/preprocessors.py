"""nbgrader plug-ins configured in nbgrader_config.py.

What they write into a notebook (the Grading note, the stderr label) is in the class's
language, ``Edition.language`` of nbgrader_config.py (autograder.grading.language).
"""
import copy
import logging
import os
import warnings
from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.grading.language import class_language

STDERR_LABEL = "[stderr, not graded]\n"
STDERR_LABEL_JA = "[stderr、採点対象外]\n"

# nbgrader's gradebook (nbgrader/api.py) trips SQLAlchemy's autoflush on every new
# submission: "SAWarning: Object of type <SubmittedAssignment> not in session, add operation
# along 'Student.submissions' will not proceed". Known noise (the rows are added right
# after); only that message is ignored, in every nbgrader command (nbgrader_config.py
# imports this module). Other SQLAlchemy warnings still show.
try:
    from sqlalchemy.exc import SAWarning as _SAWarning
except ImportError:  # pragma: no cover
    _SAWarning = Warning
warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session",
                        category=_SAWarning)

OVERWRITE_CELLS_MESSAGE = "Attribute '%s' for cell %s has changed! (should be: %s, got: %s)"


class _RestoredCellsFilter(logging.Filter):
    """Demotes nbgrader OverwriteCells' "Attribute '...' for cell X has changed!" to DEBUG
    for the cells RestoreSourceMetadata has just put the course's version on: what it
    compares then is the source notebook with the gradebook's record of the release (the
    hidden tests, the locking), never the student's file, so it is expected; what the
    student had changed is named in the Grading note. Still shown with --log-level=DEBUG."""

    def __init__(self):
        super().__init__()
        self.restored = set()

    def filter(self, record):
        if (record.msg == OVERWRITE_CELLS_MESSAGE and isinstance(record.args, tuple)
                and len(record.args) == 4 and record.args[1] in self.restored):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


class KeepStderrOutOfGrading(NbGraderPreprocessor):
    """Turn stderr streams of graded cells into labelled stdout streams.

    nbgrader scores a test cell 0 when it printed anything to stderr, so a numpy
    RuntimeWarning from a correct function would cost the item. Errors still count: they
    are 'error' outputs, which this leaves alone.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and utils.is_grade(cell):
            label = STDERR_LABEL_JA if class_language(self.config) == "ja" else STDERR_LABEL
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
                    output["text"] = label + output.get("text", "")
        return cell, resources


GRADING_FLAGS = ("grade", "solution", "locked", "task", "points", "grade_id")
NOTE_ID = "grading-note-metadata"
NOTE_LABEL = {"en": "**Grading note.** ", "ja": "**採点についての注意。** "}
# the kinds of change RestoreSourceMetadata names (its English words are the keys)
CHANGED_JA = {"the cell type": "セルの種類",
              "the grading metadata (flags, points or id)": "採点用のメタデータ (フラグ、配点、ID)",
              "the tags": "タグ"}


def nbgrader_meta(cell):
    """The cell's nbgrader metadata as a dict ({} when absent or malformed)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def grade_id_of(cell):
    grade_id = nbgrader_meta(cell).get("grade_id")
    return grade_id if isinstance(grade_id, str) else None


def has_role(cell):
    """Graded, answer or locked in the source: what a submission may not re-label."""
    meta = nbgrader_meta(cell)
    return any(meta.get(flag) for flag in ("grade", "solution", "locked", "task"))


def released_meta(source_cell, checksum=None):
    """The source's nbgrader metadata as a release carries it (with the cell type; the
    checksum is nbgrader's to check and rewrite, OverwriteCells does)."""
    meta = copy.deepcopy(nbgrader_meta(source_cell))
    meta["cell_type"] = source_cell.cell_type
    if isinstance(checksum, str):
        meta["checksum"] = checksum
    return meta


def _tags(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return list(tags) if isinstance(tags, list) else tags


def _cell_keys(cell):
    """The keys a cell is matched by, strongest first: (grade_id, id), id, grade_id."""
    grade_id, cell_id = grade_id_of(cell), cell.get("id")
    cell_id = cell_id if isinstance(cell_id, str) and cell_id else None
    return [("both", grade_id, cell_id) if grade_id and cell_id else None,
            ("id", cell_id) if cell_id else None,
            ("grade_id", grade_id) if grade_id else None]


def match_cells(source_cells, cells):
    """{source index: submission index}: each source cell that has a grade_id or a cell id
    claims one submission cell, first one with both the same grade_id and cell id, then
    one with the same cell id (the build sets it; a copied or new cell gets a new one),
    then one with the same grade_id. Linear in the number of cells."""
    found = {}  # key -> submission indices in order
    for j, cell in enumerate(cells):
        for key in filter(None, _cell_keys(cell)):
            found.setdefault(key, []).append(j)
    matched, taken = {}, set()
    for strength in range(3):
        for i, source_cell in enumerate(source_cells):
            key = _cell_keys(source_cell)[strength]
            if i in matched or key is None:
                continue
            j = next((j for j in found.get(key, []) if j not in taken), None)
            if j is not None:
                matched[i] = j
                taken.add(j)
    return matched


def _label(source_cell, index, language="en"):
    grade_id = grade_id_of(source_cell)
    if grade_id:
        return repr(grade_id)
    return f"セル {index + 1}" if language == "ja" else f"cell {index + 1}"


def _describe(source_cell, index, language="en"):
    if language == "ja":
        return f"セル {_label(source_cell, index, language)}"
    return f"the cell {_label(source_cell, index)}"


def restored_note(changes, language="en"):
    """[(what, cell label)] -> [one sentence naming, per kind of change, every cell]."""
    cells_of = {}
    for what, label in changes:
        cells_of.setdefault(what, []).append(label)
    if not cells_of:
        return []
    if language == "ja":
        parts = [f"{'、'.join(labels)} の{CHANGED_JA.get(what, what)}"
                 for what, labels in cells_of.items()]
        return ["提出されたファイルでは " + "; ".join(parts) + " が変更されていました (採点では"
                "それぞれコースの元の版を使いました)"]
    parts = [f"{what} of {', '.join(labels)}" for what, labels in cells_of.items()]
    return ["Your file had changed " + "; ".join(parts) + " (the grader used the course's "
            "version of each)"]


class RestoreSourceMetadata(NbGraderPreprocessor):
    """Make the submission's cells carry the source notebook's metadata, nothing else.

    Tags, nbgrader flags, grade ids, points, cell ids and cell types of the source's cells
    are put back on the matching submission cells (matched by grade_id and by cell id);
    locked cells get the source's text; graded and locked cells the submission lacks are
    put back (an answer cell as the released stub, never the model answer); a cell that
    claims a grade id or grading flags the source does not give it loses them, and cells
    the student added carry no tags. Every change is named in a "Grading note" at the top
    of the notebook, so it shows in the feedback. Runs first among the sanitize
    preprocessors: nbgrader's own ones then see only the source's metadata.
    """

    practice_tag = Unicode("practice", help="Tag of the cells grading skips (named in the "
                           "note when a student edited one).").tag(config=True)

    def preprocess(self, nb, resources):
        source = self._source_notebook(resources)
        if source is None:
            self.log.warning("No source notebook found: submission metadata left as it is")
            return nb, resources
        self._language = language = class_language(self.config)
        matched = match_cells(source.cells, nb.cells)
        self._quiet_overwrite_cells({grade_id_of(source.cells[i]) for i in matched} - {None})
        changes = [(what, _label(source.cells[i], i, language)) for i, j in sorted(matched.items())
                   for what in self._restore(source.cells[i], nb.cells[j], i)]
        notes = restored_note(changes, language)
        notes += self._strip_unmatched(nb, set(matched.values()))
        notes += self._put_back_missing(nb, source, matched)
        self._make_ids_unique(nb, matched)
        notes += self._practice_edits(source, nb, matched)
        if notes:
            self._add_note(nb, notes, language)
        return nb, resources

    def _quiet_overwrite_cells(self, grade_ids):
        """Install (once per logger) the filter that demotes OverwriteCells' reports on the
        cells restored here; OverwriteCells logs through the same application logger."""
        logger = self.log
        found = [f for f in getattr(logger, "filters", []) if isinstance(f, _RestoredCellsFilter)]
        quiet = found[0] if found else _RestoredCellsFilter()
        if not found and hasattr(logger, "addFilter"):
            logger.addFilter(quiet)
        quiet.restored = set(grade_ids)

    def _source_notebook(self, resources):
        import nbformat
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(parent=self)
        path = os.path.join(
            coursedir.format_path(coursedir.source_directory, ".", info.get("assignment", "")),
            f"{info.get('notebook', '')}.ipynb")
        return nbformat.read(path, as_version=4) if os.path.exists(path) else None

    def _restore(self, source_cell, cell, index):
        """Put the source's metadata (and, if locked, text) on one matched cell; returns
        what had changed."""
        changed = []
        if cell.cell_type != source_cell.cell_type:
            changed.append("the cell type")
            _set_type(cell, source_cell.cell_type)
        ours = nbgrader_meta(source_cell)
        theirs = nbgrader_meta(cell)
        flags_differ = any(ours.get(k) != theirs.get(k) for k in GRADING_FLAGS)
        if flags_differ or ("nbgrader" in cell.metadata) != bool(ours):
            changed.append("the grading metadata (flags, points or id)")
        if _tags(cell) != _tags(source_cell):
            changed.append("the tags")
        cell.metadata.pop("nbgrader", None)
        cell.metadata.pop("tags", None)
        if ours:
            cell.metadata["nbgrader"] = released_meta(source_cell, theirs.get("checksum"))
        if "tags" in source_cell.metadata:
            cell.metadata["tags"] = list(source_cell.metadata["tags"])
        cell["id"] = source_cell.get("id", cell.get("id"))
        if ours.get("locked"):
            cell.source = source_cell.source
        if changed:
            self.log.warning("Restored %s of %s from the source", ", ".join(changed),
                             _describe(source_cell, index))
        return changed

    def _strip_unmatched(self, nb, matched_cells):
        """Cells with no source counterpart: no grading metadata, no tags."""
        stripped = 0
        for j, cell in enumerate(nb.cells):
            if j in matched_cells:
                continue
            if "nbgrader" in cell.metadata:
                stripped += 1
                del cell.metadata["nbgrader"]
            cell.metadata.pop("tags", None)
        if not stripped:
            return []
        self.log.warning("Removed grading metadata from %d cells not in the source", stripped)
        if self._language == "ja":
            return [f"配布したノートブックにない {stripped} 個のセルに採点用のメタデータ (採点される"
                    "セルの ID や採点フラグ) が付いていました。採点システムはそれを取り除き、"
                    "普通のセルとして扱いました"]
        return [f"{stripped} cell(s) not in the released notebook carried grading metadata (a "
                "graded cell's id or grading flags); the grader removed it and treated them as "
                "ordinary cells"]

    def _put_back_missing(self, nb, source, matched):
        """Insert the graded and locked source cells the submission lacks, in source order."""
        notes = []
        position_of = dict(matched)
        for i, source_cell in enumerate(source.cells):
            if i in position_of or not self._must_exist(source_cell):
                continue
            earlier = [position_of[k] for k in range(i) if k in position_of]
            position = max(earlier) + 1 if earlier else 0
            nb.cells.insert(position, self._restored_copy(source_cell))
            position_of = {k: (p + 1 if p >= position else p) for k, p in position_of.items()}
            position_of[i] = position
            self.log.warning("Restored the missing cell %r", grade_id_of(source_cell))
            if self._language == "ja":
                notes.append(f"{_describe(source_cell, i, 'ja')} がなかったので、元に戻しました")
            else:
                notes.append(f"{_describe(source_cell, i).capitalize()} was missing and was put back")
        matched.clear()
        matched.update(position_of)
        return notes

    @staticmethod
    def _must_exist(source_cell):
        meta = nbgrader_meta(source_cell)
        return bool(meta.get("grade") or meta.get("locked"))

    def _restored_copy(self, source_cell):
        import nbformat
        from nbgrader.preprocessors import ClearSolutions

        cell = nbformat.from_dict(copy.deepcopy(source_cell))
        cell.metadata["nbgrader"] = released_meta(source_cell)
        if nbgrader_meta(cell).get("solution"):
            cell, _ = ClearSolutions(parent=self).preprocess_cell(cell, {"language": "python"}, 0)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        return cell

    @staticmethod
    def _make_ids_unique(nb, matched):
        """Cells matched to the source keep its ids; any other cell reusing one is renamed."""
        keep = set(matched.values())
        seen = {nb.cells[j].get("id") for j in keep}
        for index, cell in enumerate(nb.cells):
            if index in keep:
                continue
            if cell.get("id") in seen:
                cell["id"] = f"student-cell-{index}"
            seen.add(cell.get("id"))

    def _practice_edits(self, source, nb, matched):
        def is_edited_practice(i, j):
            original = source.cells[i]
            return (self.practice_tag in _tags(original) and not has_role(original)
                    and original.cell_type == "code" and nb.cells[j].source != original.source)

        edited = [i for i, j in matched.items() if is_edited_practice(i, j)]
        if not edited:
            return []
        if self._language == "ja":
            return [f"練習用セル (practice) が {len(edited)} 個編集されていました: 練習用セルは採点"
                    "では実行されないので、そこに書いたコードは得点になりません。解答は解答用の"
                    "セルに書いてください"]
        return [f"{len(edited)} practice cell(s) were edited: practice cells are not run when "
                "grading, so code written in them does not count; answers go in the answer cells"]

    _language = "en"  # set from the configuration by preprocess

    @staticmethod
    def _add_note(nb, notes, language="en"):
        import nbformat

        if language == "ja":
            text = NOTE_LABEL["ja"] + "".join(n if n.endswith("。") else n + "。" for n in notes)
        else:
            text = NOTE_LABEL["en"] + " ".join(n if n.endswith(".") else n + "." for n in notes)
        note = nbformat.v4.new_markdown_cell(text)
        note["id"] = NOTE_ID
        existing = {cell.get("id") for cell in nb.cells}
        suffix = 1
        while note["id"] in existing:
            suffix += 1
            note["id"] = f"{NOTE_ID}-{suffix}"
        nb.cells.insert(0, note)


def _set_type(cell, cell_type):
    """Turn ``cell`` into a ``cell_type`` cell, keeping its text."""
    cell.cell_type = cell_type
    if cell_type == "code":
        cell["outputs"], cell["execution_count"] = [], None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    if cell_type != "markdown" and cell_type != "raw":
        cell.pop("attachments", None)


def _without_label(text):
    """A Grading note's text without its bold label (in either language)."""
    for label in NOTE_LABEL.values():
        if text.startswith(label):
            return text[len(label):]
    return text.replace(NOTE_LABEL["en"], "", 1)


def grading_notes(autograded_folder):
    """The Grading notes RestoreSourceMetadata put into the autograded notebooks in
    ``autograded_folder`` (one text per note, without its bold label): what the student's
    file had changed, for the grading commands to print."""
    import nbformat

    notes = []
    for path in sorted(Path(autograded_folder).glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:
            continue
        notes += [_without_label(cell.source) for cell in nb.cells
                  if str(cell.get("id", "")).startswith(NOTE_ID)]
    return notes
