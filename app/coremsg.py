"""The core's English sentences, put into the clerk's language.

Why here: the core (``store``, ``ocr``, ``sync``) speaks English in its error
messages and carries a stable exit code; the GUI leads with a translated
sentence per exit code (``app.ui``) and shows the core's specifics (which
batch, which value) as detail. Those specifics are recognised here by the
sentence's shape and worded again; an unknown sentence is kept as it is for IT.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from app.i18n import batch_state_label, field_labels


def _field(name: str) -> str:
    return field_labels().get(name, name)


translate = QCoreApplication.translate


Wording = Callable[[dict[str, str]], str]

_PATTERNS: list[tuple[re.Pattern[str], Wording]] = [
    (re.compile(r"^Batch '(?P<name>.*)' is (?P<state>\w+) and can no longer be changed\.$"),
     lambda g: translate(
         "CoreMessages", "Batch {name} is “{state}” and can no longer be changed.").format(
         name=g["name"], state=batch_state_label(g["state"]))),
    (re.compile(r"^Batch '(?P<name>.*)' is (?P<state>\w+), not (?P<want>\w+)\.$"),
     lambda g: translate(
         "CoreMessages", "Batch {name} is “{state}”, not “{want}”.").format(
         name=g["name"], state=batch_state_label(g["state"]),
         want=batch_state_label(g["want"]))),
    (re.compile(r"^Batch '(?P<name>.*)' belongs to (?P<owner>.+)\.$"),
     lambda g: translate(
         "CoreMessages", "Batch {name} belongs to {owner}.").format(**g)),
    (re.compile(r"^Batch '(?P<name>.*)' has no documents to submit\.$"),
     lambda g: translate(
         "CoreMessages", "Batch {name} has no documents to submit.").format(**g)),
    (re.compile(r"^Batch '(?P<name>.*)' was changed by someone else; look again\.$"),
     lambda g: translate(
         "CoreMessages", "Batch {name} was changed by someone else; look again.").format(**g)),
    (re.compile(r"^Batch '(?P<name>.*)' was sent back for corrections; correct and submit it"
                r" again instead of deleting it\.$"),
     lambda g: translate(
         "CoreMessages", "Batch {name} was sent back for corrections; correct and submit it "
         "again instead of deleting it.").format(**g)),
    (re.compile(r"^Batch '(?P<name>.*)' holds (?P<n>\d+) documents; delete them with it only"
                r" on purpose"),
     lambda g: translate(
         "CoreMessages", "Batch {name} holds {n} documents; delete them with it only on "
         "purpose.").format(**g)),
    (re.compile(r"^not stored: the import was cancelled after (?P<n>\d+) of its pages were"
                r" read; import the file again$"),
     lambda g: translate(
         "CoreMessages", "not stored: the import was cancelled after {n} of its pages were "
         "read; import the file again").format(**g)),
    (re.compile(r"^A batch named '(?P<name>.*)' already exists\.$"),
     lambda g: translate(
         "CoreMessages", "A batch named {name} already exists.").format(**g)),
    (re.compile(r"^A user named '(?P<name>.*)' already exists\.$"),
     lambda g: translate(
         "CoreMessages", "A user named {name} already exists.").format(**g)),
    (re.compile(r"^A batch name is 1 to 120 characters\.$"),
     lambda g: translate(
         "CoreMessages", "A batch name is 1 to 120 characters.")),
    (re.compile(r"^A password needs at least (?P<n>\d+) characters\.$"),
     lambda g: translate(
         "CoreMessages", "A password needs at least {n} characters.").format(**g)),
    (re.compile(r"^You cannot disable your own account\.$"),
     lambda g: translate(
         "CoreMessages", "You cannot disable your own account.")),
    (re.compile(r"^warehouse_url must be an https:// address \(got (?P<value>.*)\)\.$"),
     lambda g: translate(
         "CoreMessages", "The warehouse address must start with https:// (given: {value}).").format(
         **g)),
    (re.compile(r"^agency_code must look like (?P<example>\S+) \(got (?P<value>.*)\)\.$"),
     lambda g: translate(
         "CoreMessages", "The agency code must look like {example} (given: {value}).").format(**g)),
    (re.compile(r"^idle_lock_minutes must be a whole number from (?P<low>\d+) to (?P<high>\d+)"),
     lambda g: translate(
         "CoreMessages", "The idle lock is a whole number of minutes from {low} to {high}.").format(
         **g)),
    (re.compile(r"^This setting must be 1 to 300 characters\.$"),
     lambda g: translate(
         "CoreMessages", "This setting must be 1 to 300 characters.")),
    (re.compile(r"^(?P<name>\w+) must be one of (?P<codes>[\d, ]+) \(got (?P<value>.*)\)\.$"),
     lambda g: translate(
         "CoreMessages", "{field} must be one of {codes} (given: {value}).").format(
         field=_field(g["name"]), codes=g["codes"], value=g["value"])),
    (re.compile(r"^(?P<name>\w+): (?P<value>.*) is not a real date\.$"),
     lambda g: translate(
         "CoreMessages", "{field}: {value} is not a real date.").format(
         field=_field(g["name"]), value=g["value"])),
    (re.compile(r"^A dossier with file code '(?P<code>.*)' already exists\.$"),
     lambda g: translate(
         "CoreMessages", "A dossier with code {code} already exists.").format(**g)),
]


def translate_detail(message: str) -> str | None:
    """The core's sentence in the UI language, or None when its shape is not known."""
    for pattern, wording in _PATTERNS:
        m = pattern.match(message.strip())
        if m:
            return wording({k: v for k, v in m.groupdict().items() if v is not None})
    return None
