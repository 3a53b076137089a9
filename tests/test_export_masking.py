"""export-report masks a citizen's ID wherever it sits, not only in its own column."""

from __future__ import annotations

import csv
import io

from store import documents
from sync.export import export_report
from tests.conftest import StoreFixture
from tests.test_sync_support import make_dossier

CCCD = "079303001270"


def test_an_id_in_the_subject_is_masked_unless_asked(store: StoreFixture) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    dossier = make_dossier(lan, "lô-1", "000.00.12.H29.2024.07", 1)
    doc = lan.conn.execute("SELECT id FROM document WHERE dossier_id = ?",
                           (dossier,)).fetchone()[0]
    documents.update_document(lan, doc, {"subject": f"Cấp bản sao CCCD số {CCCD} cho bà Lan"})
    out = io.StringIO()
    export_report(lan, out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert CCCD not in out.getvalue()
    assert row["subject"] == "Cấp bản sao CCCD số 079******270 cho bà Lan"
    full = io.StringIO()
    export_report(minh, full, unmasked=True)
    assert f"CCCD số {CCCD}" in full.getvalue()


def test_dossier_codes_are_not_taken_for_id_numbers() -> None:
    """"000.00.00.H29.2019.01.1" holds nine digits after the letter: a code, not a CMND."""
    from store.masking import mask_text

    assert mask_text("000.00.00.H29.2019.01.1") == "000.00.00.H29.2019.01.1"
    assert mask_text("CMND 023.456.789; CCCD 079 303 001 270; x079303001270") == \
        "CMND 023***789; CCCD 079******270; x079******270"
