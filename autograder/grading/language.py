"""The class's language: which edition of the course nbgrader works on, and the language of
everything the grader writes (feedback, hints, notes).

Every authored notebook holds both languages (cells marked ``lang="en"`` / ``lang="ja"``);
the build writes both editions: English into source/, notebooks/, solutions/ and Japanese
into ja/source/, ja/notebooks/, ja/solutions/. nbgrader_config.py picks one for the class
with one line, ``use_edition(c, "ja")``: nbgrader's folders, the "YOUR CODE HERE" stubs
and ``c.Edition.language``, which the grader, the reports and the demo read.
"""
from traitlets import Enum
from traitlets.config import Configurable

from rnnlib.language import LANGUAGES, check_language


class Edition(Configurable):
    """The language of the class (set by use_edition in nbgrader_config.py)."""

    language = Enum(LANGUAGES, default_value="en",
                    help="en: the English edition; ja: the Japanese edition").tag(config=True)


# nbgrader's folders of each edition, relative to the course root
FOLDERS = {
    "en": {"source_directory": "source", "release_directory": "notebooks",
           "solution_directory": "solutions"},
    "ja": {"source_directory": "ja/source", "release_directory": "ja/notebooks",
           "solution_directory": "ja/solutions"},
}
CODE_STUB = {"en": "# YOUR CODE HERE\nraise NotImplementedError()",
             "ja": "# ここにコードを書く (YOUR CODE HERE)\nraise NotImplementedError()"}
TEXT_STUB = {"en": "YOUR ANSWER HERE", "ja": "ここに解答を書く (YOUR ANSWER HERE)"}


def edition_settings(language):
    """{(configurable, trait): value} that make nbgrader work on ``language``'s edition."""
    check_language(language)
    settings = {("CourseDirectory", key): value for key, value in FOLDERS[language].items()}
    settings[("ClearSolutions", "code_stub")] = {"python": CODE_STUB[language]}
    settings[("ClearSolutions", "text_stub")] = TEXT_STUB[language]
    settings[("Edition", "language")] = language
    return settings


def use_edition(c, language):
    """In nbgrader_config.py: the class works on ``language``'s edition ("en" or "ja")."""
    for (section, trait), value in edition_settings(language).items():
        setattr(c[section], trait, value)


def command_line(language):
    """The same settings as nbgrader command-line options (the build writes both editions
    whatever the class's setting is)."""
    options = []
    for (section, trait), value in edition_settings(language).items():
        if section == "Edition":
            continue  # read by the grader, not by the commands the build runs
        if isinstance(value, dict):  # the python stub: nbgrader makes a lone string its
            value = value["python"]  # {"python": ...} (a dict does not parse on its command line)
        options.append(f"--{section}.{trait}={value}")
    return options


def class_language(config):
    """The class's language from a loaded nbgrader config (``Edition.language``)."""
    return Edition(config=config).language
