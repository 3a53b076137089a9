"""Helpers for the warehouse tests: tokens bound to an agency, dossier codes of that agency.

A warehouse station may commit only dossiers whose code begins with an agency code
it was bound to when IT issued its token (`sohoa-warehouse token --agency`).
"""

from __future__ import annotations

from tests.test_sync_support import Warehouse

AGENCY = "000.00.12.H29"      # the ward of the tests' station
OTHER_AGENCY = "000.00.13.H29"  # a neighbouring ward


def code(number: int, agency: str = AGENCY, year: int = 2024) -> str:
    """A dossier code of ``agency``: ``<agency>.<year>.<number>`` (Thông tư 05/2025)."""
    return f"{agency}.{year}.{number:02d}"


def token(house: Warehouse, station: str = "desk-1", *agencies: str) -> str:
    """A one-time token for ``station``, bound to ``agencies`` (default: the tests' ward)."""
    return house.token(station, *(agencies or (AGENCY,)))
