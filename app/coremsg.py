"""The core's sentences in the clerk's language.

Why so little here: every core error is raised with a stable code and its
parameters, and its Vietnamese lives beside the English in the core
(``store/messages_vi.py``, plain data, so the CLI speaks it too). This module
only says which language the installed translation is, and asks the error (or,
for a sentence that arrived as text, the catalogue) for its words. Until
session 6 it held regexes re-wording about twenty English sentences; the other
190 stayed English on a Vietnamese screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from store.errors import SohoaError
from store.messages import LANGUAGES, reword


def ui_language() -> str:
    """The language of the installed translation ("en" when none is installed).

    Read from the translation itself, so that a screen built after *Xem → Ngôn ngữ*
    speaks the same language as its labels without being handed the setting.
    """
    code = QCoreApplication.translate(
        "CoreMessages", "en", "the language code of this translation (vi for Vietnamese)")
    return code if code in LANGUAGES else "en"


def core_text(exc: SohoaError) -> str:
    """The error's sentence in the UI language."""
    return exc.text(ui_language())


def translate_detail(message: str) -> str | None:
    """A core sentence known only as text, in the UI language; None when it is not known."""
    language = ui_language()
    if language == "en":
        return None
    return reword(message, language)
