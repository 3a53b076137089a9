"""Values read through a seal are never trusted.

The worker reads a view of the page with red ink dropped (capture.prepare.ocr_view),
so the words carry no trace of a red seal over the signer's title and name, yet a
seal costs letters there ("Phùng" read "Phững"): on the realistic corpus 10 of 23
values under a seal kept a confidence at or above the form's tint threshold. The
worker finds the seals on the page image (``PageText.seals``); a field whose box
(``Field.region``) a seal crosses is capped below the tint and says "under_seal",
unless a reason found while reading it already says more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ocr.model import Field, PageText, Region

SEAL_CAP = 0.7  # under the form's tint threshold (0.75): shown, tinted


_SIGNER = ("signer_authority", "signer_position", "signer_name")


def doubt_sealed(pages: Sequence[PageText], fields: dict[str, Field],
                 review: dict[str, str]) -> None:
    """Cap each field whose region a seal found on its page crosses (module doc).

    The signer's fields are judged by their whole block, authority lines to name: a seal
    can swallow the "PHÓ CHỦ TỊCH" line whole, and the title then read from the line
    above ("Chủ tịch", realistic corpus) is wrong though no seal crosses its own box.
    """
    block = _signer_block(fields)
    for name, found in fields.items():
        region = block if name in _SIGNER and block is not None else found.region
        if region is None or not 0 <= region.page < len(pages):
            continue
        if any(crosses(seal, region) for seal in pages[region.page].seals):
            fields[name] = replace(found, confidence=min(found.confidence, SEAL_CAP))
            review.setdefault(name, "under_seal")


def _signer_block(fields: dict[str, Field]) -> Region | None:
    """The box around the signer's fields on the page of the name (or of the title)."""
    regions = [f.region for n in _SIGNER if (f := fields.get(n)) is not None and f.region]
    if not regions:
        return None
    page = regions[-1].page
    same = [r for r in regions if r.page == page]
    left, top = min(r.left for r in same), min(r.top for r in same)
    right = max(r.left + r.width for r in same)
    bottom = max(r.top + r.height for r in same)
    return Region(page, left, top, right - left, bottom - top)


def crosses(seal: tuple[int, int, int, int], region: Region) -> bool:
    """Whether the round seal inscribed in ``seal`` (left, top, width, height) overlaps the
    box: a seal's square corners are paper, and a line beside the ring is read whole."""
    left, top, width, height = seal
    rx, ry = width / 2, height / 2
    if rx <= 0 or ry <= 0:
        return False
    cx, cy = left + rx, top + ry
    nx = min(max(cx, region.left), region.left + region.width)  # the box's nearest point
    ny = min(max(cy, region.top), region.top + region.height)
    return ((nx - cx) / rx) ** 2 + ((ny - cy) / ry) ** 2 <= 1.0
