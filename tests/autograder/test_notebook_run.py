import nbformat

from autograder.notebook_run import execute


def test_the_figure_audit_reports_missing_titles_labels_and_legends(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2], label='a'); plt.plot([2, 1], label='b'); plt.show()\n"
        "plt.plot([1, 2]); plt.title('t'); plt.xlabel('x'); plt.ylabel('y'); plt.show()\n"
        "raise NotImplementedError()")]
    path = tmp_path / "plots.ipynb"
    nbformat.write(nb, path)
    run = execute(path)
    assert any("no title" in p for p in run.figure_problems)
    assert any("no label" in p for p in run.figure_problems)
    assert any("no legend" in p for p in run.figure_problems)
    assert len(run.figure_problems) == 3  # the second figure is complete
    assert run.first_error == "NotImplementedError"
