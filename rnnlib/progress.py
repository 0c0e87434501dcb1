"""The progress bar of the course's trainers: ``tqdm`` as ``tqdm.auto`` picks it, except
that without ipywidgets (a student's own environment from the LMS zip's requirements, say)
it is tqdm's plain text bar on **stdout**, not on stderr (which JupyterLab shows in red, as
if something had gone wrong), and without tqdm's "IProgress not found" warning.

    from rnnlib.progress import tqdm
    for it in tqdm(range(100), desc="training"):
        ...
"""
import functools
import sys


@functools.lru_cache(maxsize=1)
def widgets_available():
    """True when ipywidgets imports (tqdm.auto then shows a widget bar in a notebook)."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def tqdm(*args, **kwargs):
    """A tqdm bar: tqdm.auto's with ipywidgets, else the text bar on sys.stdout (the
    current one: in a kernel, the cell's output)."""
    if widgets_available():
        from tqdm.auto import tqdm as auto

        return auto(*args, **kwargs)
    from tqdm.std import tqdm as text

    kwargs.setdefault("file", sys.stdout)
    return text(*args, **kwargs)
