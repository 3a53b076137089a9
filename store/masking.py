"""Masking citizen ID numbers (CCCD, CMND) in any text shown to those who may not read them.

Why here, not in ocr: the store decides who sees what (the audit log for an
admin, who may not read documents), and the store is the bottom layer. The rule
is deliberately broader than ocr's validated finder: any run of 9 or 12 digits,
grouped or not by spaces, dots or hyphens, is masked. Hiding a number that only
looked like a CCCD costs nothing; showing a real one is a breach.
"""

from __future__ import annotations

import re

# Digits with at most one separator between two of them; maximal, not inside a longer run.
_RUN = re.compile(r"(?<![\d])\d(?:[ .\-]?\d)*(?![\d])")
_ID_LENGTHS = (9, 12)


def mask_number(digits: str) -> str:
    """Keep the first and last three digits ("079203001270" -> "079******270")."""
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def _mask_run(match: re.Match[str]) -> str:
    run = match.group()
    before = match.string[match.start() - 1 : match.start()]
    if "." in run and (before.isalpha() or before == "."):
        return run  # dotted groups after a letter: part of a code ("H29.2019.01.1")
    digits = re.sub(r"\D", "", run)
    if len(digits) in _ID_LENGTHS:
        return mask_number(digits)
    if len(digits) > 12:  # ids glued to other groups: mask every 12-digit group
        groups = re.split(r"[ .\-]", run)
        return " ".join(mask_number(g) if len(g) in _ID_LENGTHS else g for g in groups)
    return run


def mask_text(text: str | None) -> str | None:
    """``text`` with every citizen-ID-like number masked (None stays None)."""
    if text is None:
        return None
    return _RUN.sub(_mask_run, text)
