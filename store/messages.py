"""Core error sentences: a stable code, an English template and its parameters.

Why a catalogue in the core, and not regexes in the GUI: the core's sentences
were English f-strings, and the GUI re-worded the few it recognised by their
shape; every new or reworded sentence silently fell back to English on a
Vietnamese screen, and the CLI could only speak English. Now each error is
raised with ``say(code, english, **params)``: the code is stable (scripts and
logs may rely on it), the English template is what ``str(error)`` has always
printed (tests and logs read it), and ``store.messages_vi`` holds the
Vietnamese template for the same code as plain data. The core stays free of
Qt: any face renders ``error.text("vi")``; ``tests/test_core_messages.py``
walks every core module and fails on a raise whose code has no Vietnamese.

Sentences that reach a face only as text (a capture outcome, an outbox row's
last error) are matched back to their code by ``reword``.
"""

from __future__ import annotations

import contextlib
import re
import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

LANGUAGES = ("en", "vi")


@dataclass(frozen=True)
class Message:
    """One sentence for a user, not yet put into a language."""

    code: str
    english: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        """The sentence in ``language`` (English when there is no wording for it)."""
        if language == "vi":
            from store.messages_vi import VI

            entry = VI.get(self.code)
            if entry is not None:
                return entry[1].format(**_worded(self.params, language))
        return self.english.format(**_worded(self.params, "en"))

    def __str__(self) -> str:
        return self.text("en")


def say(code: str, english: str, /, **params: object) -> Message:
    """A message to raise: ``raise Conflict(say("store.x", "Batch {name!r} ...", name=n))``."""
    return Message(code, english, params)


def _worded(params: Mapping[str, object], language: str) -> dict[str, object]:
    """Nested messages in the same language; in Vietnamese, store words (a batch
    state, a field name) in the words a clerk sees on screen."""
    out: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, Message):
            out[name] = value.text(language)
        elif language == "vi" and isinstance(value, str):
            from store.messages_vi import WORDS

            out[name] = WORDS.get(name, {}).get(value, value)
        else:
            out[name] = value
    return out


def fields_of(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """A regex per catalogued English template, most fixed text first (the most specific
    wins: "page 3 could not be rendered (damaged PDF)" over "... rendered ({reason})")."""
    from store.messages_vi import VI

    found = []
    for code, (english, _) in VI.items():
        if len(re.sub(r"\{[^}]*\}|\W", "", english)) < 6:
            continue  # "{source}: {message}." would match any sentence with a colon
        parts: list[str] = []
        for literal, name, _, conversion in string.Formatter().parse(english):
            parts.append(re.escape(literal))
            if name:
                inner = r"[^']*" if conversion == "r" else ".*?"
                group = f"(?P<{name}>{inner})"
                if f"(?P<{name}>" in "".join(parts):
                    group = f"(?P={name})"
                parts.append(f"'{group}'" if conversion == "r" else group)
        fixed = sum(len(literal) for literal, _, _, _ in string.Formatter().parse(english))
        found.append((fixed, re.compile("^" + "".join(parts) + "$", re.DOTALL), code))
    found.sort(key=lambda p: -p[0])
    return [(pattern, code) for _, pattern, code in found]


def reword(text: str, language: str) -> str | None:
    """An English core sentence known only as text, in ``language``; None when unknown."""
    from store.messages_vi import VI

    for pattern, code in _patterns():
        m = pattern.match(text.strip())
        if m:
            english, vietnamese = VI[code]
            found = {k: reword(v, language) or _Quoted(v) for k, v in m.groupdict().items()}
            params = _worded(found, language)
            try:
                return _loose(vietnamese if language == "vi" else english).format(**params)
            except (KeyError, IndexError, ValueError):
                continue  # the Vietnamese needs a value the English does not show
    return None


def _loose(template: str) -> str:
    """The template without format specs (``{n:.0f}``): values read back are text."""
    out = []
    for literal, name, _, conversion in string.Formatter().parse(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            out.append("{" + name + (f"!{conversion}" if conversion else "") + "}")
    return "".join(out)


class _Quoted(str):
    """A value read back from text: ``!r`` must not quote it a second time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"'{self}'"


def main() -> int:
    """``python -m store.messages``: the catalogue as code, English, Vietnamese (one a line,
    tab-separated) for a translator to read through."""
    from store.messages_vi import VI

    lines = (f"{code}\t{english}\t{vietnamese}\n" for code, (english, vietnamese)
             in sorted(VI.items()))
    with contextlib.suppress(BrokenPipeError):  # piped into head
        sys.stdout.writelines(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
