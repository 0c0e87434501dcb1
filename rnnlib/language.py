"""The language of the course's messages and plots in a student's kernel: "en" or "ja".

The imports cell of each edition's notebook sets it (``set_language("ja")`` in the Japanese
edition); the visible tests' helpers (rnnlib.testing) and the plot helpers then write in
that language, and plots get a font with Japanese glyphs. The grader never reads this
setting: it takes the class's language from nbgrader_config.py.
"""
LANGUAGES = ("en", "ja")
_current = {"language": "en"}  # one setting per kernel, like matplotlib's rcParams


def check_language(language):
    """``language`` if it is one of LANGUAGES, else a ValueError that names them."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    return language


def set_language(language):
    """Use ``language`` ("en" or "ja") for messages and plots from now on in this kernel."""
    _current["language"] = check_language(language)
    if language == "ja":
        use_japanese_font()


def current_language():
    return _current["language"]


def say(en, ja, language=None):
    """The message in ``language`` (default: the kernel's): ``en`` or ``ja``."""
    return ja if (language or _current["language"]) == "ja" else en


JAPANESE_FONT = "IPAexGothic"


def register_japanese_font():
    """Add IPAexGothic, shipped by the matplotlib-fontja package from the registry (so every
    machine has it), to matplotlib's font manager, once. The package is found, not
    imported: importing it would change the caller's rcParams."""
    import importlib.util
    from pathlib import Path

    from matplotlib import font_manager

    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or spec.origin is None:
        raise RuntimeError("Japanese plots need the package matplotlib-fontja "
                           "(pip install matplotlib-fontja)")
    path = str(Path(spec.origin).parent / "fonts" / "ipaexg.ttf")
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)


def japanese_font_family():
    """Font families for plots with Japanese labels: IPAexGothic, then DejaVu Sans."""
    register_japanese_font()
    return [JAPANESE_FONT, "DejaVu Sans"]


def use_japanese_font():
    """Make matplotlib draw Japanese text in this kernel (plot titles, labels, legends)."""
    import matplotlib

    matplotlib.rcParams["font.family"] = japanese_font_family()
    matplotlib.rcParams["axes.unicode_minus"] = False  # IPAexGothic has no U+2212 minus
