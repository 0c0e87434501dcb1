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


def japanese_font_family():
    """Font families for plots with Japanese labels: IPAexGothic (shipped by the
    matplotlib-fontja package from the registry, so every machine has it), registered
    with matplotlib on first use, then DejaVu Sans for the rest."""
    from pathlib import Path

    import matplotlib.font_manager as font_manager
    import matplotlib_fontja

    for path in Path(matplotlib_fontja.__file__).parent.rglob("*.ttf"):
        if path not in _registered:
            font_manager.fontManager.addfont(str(path))
            _registered.add(path)
    return ["IPAexGothic", "DejaVu Sans"]


_registered = set()


def use_japanese_font():
    """Make matplotlib draw Japanese text in this kernel (plot titles, labels, legends)."""
    import matplotlib

    matplotlib.rcParams["font.family"] = japanese_font_family()
    matplotlib.rcParams["axes.unicode_minus"] = False  # IPAexGothic has no U+2212 minus
