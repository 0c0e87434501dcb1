"""nbgrader plug-ins configured in nbgrader_config.py."""
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
