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


def doubt_sealed(pages: Sequence[PageText], fields: dict[str, Field],
                 review: dict[str, str]) -> None:
    """Cap each field whose region a seal found on its page crosses (module doc)."""
    for name, found in fields.items():
        region = found.region
        if region is None or not 0 <= region.page < len(pages):
            continue
        if any(crosses(seal, region) for seal in pages[region.page].seals):
            fields[name] = replace(found, confidence=min(found.confidence, SEAL_CAP))
            review.setdefault(name, "under_seal")


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
