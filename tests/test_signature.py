"""Digitally signed PDFs: the signature is read and kept in the document's record.

The signed PDF is made here as a signing tool makes it (ISO 32000 12.8.1): a
signature field whose value holds a ``/ByteRange`` over the whole file but the
``/Contents`` hole, and a detached CMS (PKCS#7) signature of those bytes by a
certificate made for the test.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pikepdf
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import NameOID

from capture.pipeline import CaptureSettings, IngestRequest, ingest
from extract.signature import read_signatures
from store import blobs, db, documents
from tests.conftest import StoreFixture
from tests.test_sync_support import tiny_pdf

HOLE = 8192  # hex digits reserved for the CMS blob


def _certificate() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn An"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND phường Bến Nghé")])
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=3650)).sign(key, hashes.SHA256()))
    return cert, key


def plain_pdf() -> bytes:
    """A one-page PDF that is not PDF/A (as most signing tools write them)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()


def signed_pdf(path: Path, *, append: bytes = b"", base: bytes | None = None) -> None:
    """A one-page PDF signed over its whole bytes (then ``append``ed to, if given)."""
    pdf = pikepdf.open(io.BytesIO(base if base is not None else tiny_pdf(3)))
    value = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Sig, Filter=pikepdf.Name("/Adobe.PPKLite"),
        SubFilter=pikepdf.Name("/adbe.pkcs7.detached"),
        ByteRange=[0, 9999999999, 9999999999, 9999999999],
        Contents=pikepdf.String(b"\0" * (HOLE // 2)), M="D:20250904101500+07'00'",
        Reason="Phát hành văn bản", Location="Phường Bến Nghé"))
    field = pdf.make_indirect(pikepdf.Dictionary(
        FT=pikepdf.Name.Sig, T="Sig1", V=value, Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Widget, Rect=[0, 0, 0, 0], F=132, P=pdf.pages[0].obj))
    pdf.pages[0].obj.Annots = pdf.make_indirect([field])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field], SigFlags=3)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             compress_streams=False)
    data = out.getvalue()
    start = data.index(b"<" + b"00" * (HOLE // 2) + b">")
    end = start + HOLE + 2
    ranges = f"[ 0 {start} {end} {len(data) - end} ]".encode()
    old = re.search(rb"\[ ?0 9999999999 9999999999 9999999999 ?\]", data)
    assert old is not None
    data = data[:old.start()] + ranges.ljust(old.end() - old.start()) + data[old.end():]
    cert, key = _certificate()
    blob = (pkcs7.PKCS7SignatureBuilder().set_data(data[:start] + data[end:])
            .add_signer(cert, key, hashes.SHA256())
            .sign(Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature]))
    hexed = blob.hex().encode().ljust(HOLE, b"0")
    path.write_bytes(data[:start + 1] + hexed + data[end - 1:] + append)


def test_a_signature_is_read_with_its_signer_and_time(tmp_path: Path) -> None:
    signed_pdf(tmp_path / "signed.pdf")
    (sig,) = read_signatures(tmp_path / "signed.pdf")
    assert (sig.signer, sig.organisation) == ("Nguyễn Văn An", "UBND phường Bến Nghé")
    assert sig.signed_at == "2025-09-04T10:15:00+07:00"
    assert (sig.reason, sig.location, sig.covers_file) == (
        "Phát hành văn bản", "Phường Bến Nghé", True)


def test_bytes_added_after_signing_are_noticed(tmp_path: Path) -> None:
    signed_pdf(tmp_path / "edited.pdf", append=b"\n% an incremental update\n")
    (sig,) = read_signatures(tmp_path / "edited.pdf")
    assert sig.covers_file is False


def test_an_unsigned_or_broken_pdf_has_none(tmp_path: Path) -> None:
    (tmp_path / "plain.pdf").write_bytes(tiny_pdf(4))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really")
    assert read_signatures(tmp_path / "plain.pdf") == ()
    assert read_signatures(tmp_path / "broken.pdf") == ()


def test_capture_records_the_signature(store: StoreFixture, tmp_path: Path) -> None:
    signed_pdf(tmp_path / "signed.pdf")
    (tmp_path / "plain.pdf").write_bytes(tiny_pdf(4))
    lan = store.login("lan")
    report = ingest(lan, IngestRequest([str(tmp_path / "signed.pdf"),
                                        str(tmp_path / "plain.pdf")], batch="lô-ký"),
                    CaptureSettings())
    signed, plain = (documents.get_document(lan, o.id) for o in report.stored
                     if o.id is not None)
    assert signed.extraction["signature"] == [{
        "signer": "Nguyễn Văn An", "organisation": "UBND phường Bến Nghé",
        "signed_at": "2025-09-04T10:15:00+07:00", "reason": "Phát hành văn bản",
        "location": "Phường Bến Nghé", "covers_file": True}]
    assert plain.extraction["signature"] is None and "original" not in plain.extraction
    # the signed file's own bytes are kept, and survive the clean-up of unused files
    with db.transaction(lan.conn):
        blobs.collect_garbage(lan.conn, older_than="9999-01-01T00:00:00Z")
    kept = signed.extraction["original"]["sha256"]
    assert blobs.read_blob(lan.conn, kept) == (tmp_path / "signed.pdf").read_bytes()
