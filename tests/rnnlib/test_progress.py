"""The trainers' progress bar (rnnlib.progress, issue 16 item 8): a widget where ipywidgets
imports, else tqdm's text bar on stdout, never red stderr text in JupyterLab."""
import re
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from rnnlib import progress
from tests.conftest import REPO_ROOT


@pytest.fixture
def no_widgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # `import ipywidgets` fails
    progress.widgets_available.cache_clear()
    yield
    progress.widgets_available.cache_clear()


def test_without_ipywidgets_the_bar_is_text_on_stdout(no_widgets, capsys, recwarn):
    assert not progress.widgets_available()
    for _ in progress.tqdm(range(3), desc="train"):
        pass
    out, err = capsys.readouterr()
    assert "train: 100%|" in out and "3/3" in out
    assert err == ""
    assert not [w for w in recwarn if "IProgress" in str(w.message)]


def test_every_trainer_uses_the_course_bar():
    """No module of rnnlib imports tqdm itself (one place decides where the bar goes)."""
    own = re.compile(r"^\s*(from tqdm\b|import tqdm\b)", re.M)
    for path in sorted((REPO_ROOT / "rnnlib").glob("*.py")):
        if path.name != "progress.py":
            assert not own.search(path.read_text()), path


BAR = "from rnnlib.progress import tqdm\nfor _ in tqdm(range(3), desc='train'):\n    pass"


@pytest.mark.kernel
def test_in_a_kernel_a_widget_with_ipywidgets_and_stdout_text_without(tmp_path):
    """As JupyterLab shows it: the kernel's outputs of a bar with and without ipywidgets."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(BAR),
                nbformat.v4.new_code_cell("import sys\nfrom rnnlib import progress\n"
                                          "sys.modules['ipywidgets'] = None\n"
                                          "progress.widgets_available.cache_clear()"),
                nbformat.v4.new_code_cell(BAR)]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    with_widgets, without = nb.cells[0].outputs, nb.cells[2].outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in with_widgets), with_widgets
    assert not [o for o in without if o.get("name") == "stderr"], without
    stdout = "".join(o["text"] for o in without if o.get("name") == "stdout")
    assert "train: 100%|" in stdout, without
