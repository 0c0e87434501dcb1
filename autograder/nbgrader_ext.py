"""nbgrader plug-ins configured in nbgrader_config.py."""
import os

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

STDERR_LABEL = "[stderr, not graded]\n"


class KeepStderrOutOfGrading(NbGraderPreprocessor):
    """Turn stderr streams of graded cells into labelled stdout streams.

    nbgrader scores a test cell 0 when it printed anything to stderr, so a numpy
    RuntimeWarning from a correct function would cost the item. Errors still count: they
    are 'error' outputs, which this leaves alone.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
                    output["text"] = STDERR_LABEL + output.get("text", "")
        return cell, resources


class RestoreDeletedGradeCells(NbGraderPreprocessor):
    """Put back every graded cell of the source notebook that a submission lacks.

    nbgrader restores the *content* of graded cells a student edited, but a deleted (or
    de-tagged) test cell is simply not graded. This puts a copy of the source's cell back,
    after the cell that precedes it in the source, so it is graded like any other.
    """

    def preprocess(self, nb, resources):
        import nbformat
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        coursedir = CourseDirectory(parent=self)
        source_path = os.path.join(
            coursedir.format_path(coursedir.source_directory, ".", info.get("assignment", "")),
            f"{info.get('notebook', '')}.ipynb")
        if not os.path.exists(source_path):
            return nb, resources
        source = nbformat.read(source_path, as_version=4)
        present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        for index, cell in enumerate(source.cells):
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade") or meta.get("grade_id") in present:
                continue
            position = self._position_after(nb, source.cells[:index])
            restored = nbformat.from_dict(cell)
            restored.id = "restored-" + str(meta.get("grade_id")).replace("_", "-")
            if restored.cell_type == "code":
                restored.outputs, restored.execution_count = [], None
            nb.cells.insert(position, restored)
            present.add(meta.get("grade_id"))
            self.log.warning("Restored the deleted graded cell %r", meta.get("grade_id"))
        return nb, resources

    @staticmethod
    def _position_after(nb, earlier_source_cells):
        ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in earlier_source_cells]
        for grade_id in reversed([i for i in ids if i]):
            for position, cell in enumerate(nb.cells):
                if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                    return position + 1
        return len(nb.cells)
