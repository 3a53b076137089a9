"""A minimal PDF serialiser that writes each object as soon as it is made.

Why not pikepdf for writing: qpdf keeps every stream of a new document in
memory until ``save()``, so a 300-page scan held all its page images at once
(1.1 GB peak). A PDF is a sequence of numbered objects followed by a table
of their byte offsets; writing objects in order and remembering only the
offsets keeps memory at one page whatever the page count. Objects that must
refer to later ones (the page tree, the catalog) get their numbers reserved
up front and are written last.

Only what :mod:`capture.pdfa` needs is here: dictionaries as text, streams
(optionally Flate-compressed), a classic cross-reference table (PDF/A allows
it; it needs no object streams) and a trailer ``/ID`` derived from the bytes
written, so the same input gives the same file.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import BinaryIO

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # the binary comment marks the file as binary (PDF/A)


def ref(num: int) -> str:
    return f"{num} 0 R"


def name(value: str) -> str:
    """A PDF name from plain ASCII letters and digits (all this writer uses)."""
    if not value.isascii() or not value.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"unsupported PDF name {value!r}")
    return "/" + value


def text_string(value: str) -> str:
    """A PDF text string: literal for printable ASCII, UTF-16BE with a BOM otherwise."""
    if value.isascii() and value.isprintable():
        escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def dictionary(entries: dict[str, str]) -> str:
    """``<< /Key value ... >>`` from keys without their slash and values already serialised."""
    return "<< " + " ".join(f"{name(k)} {v}" for k, v in entries.items()) + " >>"


def array(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


class PdfWriter:
    """Appends numbered objects to ``out``; :meth:`finish` writes the xref and trailer."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pos = 0
        self._offsets: dict[int, int] = {}
        self._next = 1
        self._digest = hashlib.sha256()
        self._emit(HEADER)

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)
        self._pos += len(data)

    def reserve(self) -> int:
        """A number for an object written later (so earlier objects can refer to it)."""
        num = self._next
        self._next += 1
        return num

    def _begin(self, num: int | None) -> int:
        num = self.reserve() if num is None else num
        if num in self._offsets or num >= self._next:
            raise ValueError(f"object {num} was not reserved or is written twice")
        self._offsets[num] = self._pos
        self._emit(f"{num} 0 obj\n".encode("ascii"))
        return num

    def write(self, body: str, num: int | None = None) -> int:
        """Write a non-stream object; returns its number."""
        num = self._begin(num)
        self._emit(body.encode("ascii") + b"\nendobj\n")
        return num

    def write_stream(self, entries: dict[str, str], data: bytes, *, compress: bool = True,
                     num: int | None = None) -> int:
        """Write a stream object; ``entries`` must not hold /Length or /Filter when compressing."""
        if compress:
            data = zlib.compress(data, 6)
            entries = {**entries, "Filter": "/FlateDecode"}
        num = self._begin(num)
        head = dictionary({**entries, "Length": str(len(data))})
        self._emit(head.encode("ascii") + b"\nstream\n")
        self._emit(data)
        self._emit(b"\nendstream\nendobj\n")
        return num

    def finish(self, *, root: int, info: int) -> None:
        """Cross-reference table and trailer; the /ID is a digest of everything before it."""
        size = self._next
        missing = [n for n in range(1, size) if n not in self._offsets]
        if missing:
            raise ValueError(f"objects reserved but never written: {missing[:5]}")
        file_id = self._digest.hexdigest()[:32].upper()
        xref_at = self._pos
        rows = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        rows += [f"{self._offsets[n]:010d} 00000 n \n" for n in range(1, size)]
        self._emit("".join(rows).encode("ascii"))
        trailer = dictionary({"Size": str(size), "Root": ref(root), "Info": ref(info),
                              "ID": f"[<{file_id}> <{file_id}>]"})
        self._emit(f"trailer\n{trailer}\nstartxref\n{xref_at}\n%%EOF\n".encode("ascii"))
