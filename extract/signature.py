"""Digital signatures inside an imported PDF: present, by whom, when, over what.

Why capture records them: a digitally signed PDF (the e-signature boxes "Ký bởi: …
Cơ quan: … Thời gian ký: …" on today's documents) proves its authenticity only in
its own bytes. Any re-rendering (the PDF/A the archive keeps) loses the signature,
so the clerk and the archive must at least know that the original was signed, by
whom and when, and that the signed bytes were the whole file as received.

What is read (ISO 32000 12.8): each signature field's value dictionary (``/Name``,
``/M``, ``/Reason``, ``/Location``, ``/ByteRange``, ``/Contents``); the signer is
the subject of the signing certificate in the PKCS#7/CMS blob (the certificate
that issued no other certificate in it). What is NOT done: certificate-chain
validation (no trust store of Vietnamese CAs is on the desk, and revocation needs
a network) and checking the CMS signature value; ``covers_file`` only says that the
signed byte ranges reach the end of the file, i.e. nothing was appended after
signing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pikepdf
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-].*)?")


@dataclass(frozen=True)
class SignatureInfo:
    signer: str | None      # the certificate subject's common name, else /Name
    organisation: str | None
    signed_at: str | None   # ISO 8601 from /M
    reason: str | None
    location: str | None
    covers_file: bool       # the signed byte ranges end at the end of the file

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def read_signatures(path: Path) -> tuple[SignatureInfo, ...]:
    """Every signature of a PDF file; () for an unsigned or unreadable PDF."""
    try:
        size = path.stat().st_size
        with pikepdf.open(path) as pdf:
            return tuple(_info(v, size) for v in _signature_values(pdf))
    except (OSError, pikepdf.PdfError, ValueError):
        return ()


def _signature_values(pdf: pikepdf.Pdf) -> list[Any]:
    form = pdf.Root.get("/AcroForm")
    if form is None:
        return []
    found, stack = [], list(form.get("/Fields", []))
    while stack:
        field = stack.pop(0)
        stack.extend(field.get("/Kids", []))
        value = field.get("/V")
        if field.get("/FT") == "/Sig" and isinstance(value, pikepdf.Dictionary):
            found.append(value)
    return found


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _info(value: Any, size: int) -> SignatureInfo:
    signer, organisation = _certificate_subject(bytes(value.get("/Contents", b"")))
    ranges = [int(x) for x in value.get("/ByteRange", [])]
    covers = len(ranges) == 4 and ranges[0] == 0 and ranges[2] + ranges[3] == size
    return SignatureInfo(
        signer=signer or _text(value.get("/Name")), organisation=organisation,
        signed_at=_iso(_text(value.get("/M"))), reason=_text(value.get("/Reason")),
        location=_text(value.get("/Location")), covers_file=covers)


def _certificate_subject(contents: bytes) -> tuple[str | None, str | None]:
    """(common name, organisation) of the signing certificate in a CMS blob."""
    try:
        certs = pkcs7.load_der_pkcs7_certificates(contents.rstrip(b"\0"))
    except ValueError:
        return None, None
    issuers = {c.issuer for c in certs if c.issuer != c.subject}  # self-signed roots aside
    leaf = next((c for c in certs if c.subject not in issuers), certs[0] if certs else None)
    if leaf is None:
        return None, None
    return _attr(leaf.subject, NameOID.COMMON_NAME), _attr(leaf.subject, NameOID.ORGANIZATION_NAME)


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _iso(value: str | None) -> str | None:
    """PDF date "D:20250904101500+07'00'" -> "2025-09-04T10:15:00+07:00"."""
    m = _PDF_DATE.match(value or "")
    if m is None:
        return None
    year, month, day, hour, minute, second = (g or d for g, d in zip(
        m.groups()[:6], ("", "01", "01", "00", "00", "00"), strict=True))
    zone = (m.group(7) or "").replace("'", "")
    if zone[:1] in "+-" and len(zone) >= 5:
        zone = f"{zone[:3]}:{zone[3:5]}"
    elif zone[:1] in "Zz":
        zone = "Z"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}"
