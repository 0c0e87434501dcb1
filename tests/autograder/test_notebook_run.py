import nbformat
import pytest

from autograder.instructor.notebook_run import execute


@pytest.mark.kernel
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


@pytest.mark.kernel
def test_a_colorbar_needs_a_label_but_no_title(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "for label in ('weight', ''):\n"
        "    fig, ax = plt.subplots()\n"
        "    image = ax.imshow([[0, 1], [1, 0]])\n"
        "    ax.set_title('t'); ax.set_xlabel('x'); ax.set_ylabel('y')\n"
        "    fig.colorbar(image, ax=ax, label=label)\n"
        "    plt.show()\n")]
    path = tmp_path / "colorbar.ipynb"
    nbformat.write(nb, path)
    run = execute(path)
    # only the second figure's colorbar (no label) is reported
    assert len(run.figure_problems) == 1 and run.figure_problems[0].endswith("a colorbar has no label")


@pytest.mark.nbgrader
def test_cells_busy_for_seconds_without_a_progress_bar_are_reported(tmp_path):
    """A cell whose kernel thread computes for longer than ``slow_seconds`` is reported
    unless it showed a tqdm bar; waiting (sleep) is not computing, so load on the machine,
    which stretches wall time, does not make a cell "slow"."""
    busy = "_t0 = time.thread_time()\nwhile time.thread_time() - _t0 < 0.8:\n    pass\n"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import time\nfrom tqdm.auto import tqdm"),
        nbformat.v4.new_code_cell(busy),
        nbformat.v4.new_code_cell("for _ in tqdm(range(2), desc='train', leave=False):\n"
                                  + "\n".join("    " + line for line in busy.splitlines())),
        nbformat.v4.new_code_cell("time.sleep(0.8)"),
    ]
    path = tmp_path / "loops.ipynb"
    nbformat.write(nb, path)
    run = execute(path, slow_seconds=0.5)
    assert len(run.slow_cells_without_progress) == 1, run.slow_cells_without_progress
    assert run.slow_cells_without_progress[0].startswith("cell 1 ("), run.slow_cells_without_progress
    assert "CPU" in run.slow_cells_without_progress[0]
