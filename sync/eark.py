"""The XML of an E-ARK CSIP/SIP 2.0.4 package: METS, EAD 2002 and PREMIS 3.

Each function takes frozen records and returns UTF-8 bytes, with no clock and
no randomness: identifiers are derived from the dossier (``file-doc-3``), dates
come from the store (the approval time for the package, each document's own
creation time for its file), attributes keep the order they are written in.
So the same dossier always gives the same bytes.

Tags are written with their usual prefixes (``mets:file``) and the namespace
declarations set on each root, which keeps ElementTree's global prefix
registry untouched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sync.records import DocumentRecord, DossierRecord, ProvenanceEvent

METS_NS = {
    "xmlns:mets": "http://www.loc.gov/METS/",
    "xmlns:csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS",
    "xmlns:sip": "https://DILCIS.eu/XML/METS/SIPExtensionMETS",
    "xmlns:xlink": "http://www.w3.org/1999/xlink",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
METS_LOCATION = ("http://www.loc.gov/METS/ schemas/mets.xsd"
                 " http://www.w3.org/1999/xlink schemas/xlink.xsd")
# A representation METS sits two folders down: its schema paths climb back to schemas/.
REP_METS_LOCATION = ("http://www.loc.gov/METS/ ../../schemas/mets.xsd"
                     " http://www.w3.org/1999/xlink ../../schemas/xlink.xsd")
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_CATEGORY = "Textual works – Digital"
CONTENT_INFORMATION = "VN-TT05-2025-BNV"  # Thông tư 05/2025/TT-BNV digitised dossiers
SOFTWARE = "sohoa"
PACKAGER_VERSION = "sip-1.0"  # the package format, not the app: bumping it changes every SHA
REPRESENTATION = "rep1"  # the PDF/A files (Thông tư 05/2025: what the archive keeps)
ORIGINALS = "rep2"  # digitally signed source PDFs, byte for byte (their signature's evidence)
ORIGINAL_FORMAT = "PDF (digitally signed original)"
PDF_FORMAT = "PDF/A-2b"
LANGUAGES = {"vi": "vie", "en": "eng", "fr": "fre", "zh": "chi", "km": "khm"}
EVENT_TYPES = {
    "dossier.create": "creation", "document.create": "capture",
    "dossier.update": "metadata modification", "document.update": "metadata modification",
    "document.check": "validation", "batch.submit": "submission",
    "batch.reject": "rejection", "batch.approve": "approval",
}


@dataclass(frozen=True)
class FileEntry:
    """One file of the package, as METS and PREMIS describe it."""

    path: str     # inside the package root, "/"-separated
    size: int
    sha256: str   # upper-case hex
    mime: str
    created: str  # ISO 8601


def pdf_name(record: DossierRecord, doc: DocumentRecord) -> str:
    return f"{record.file_code}.{doc.ordinal}.pdf"


def pdf_path(record: DossierRecord, doc: DocumentRecord) -> str:
    return f"representations/{REPRESENTATION}/data/{pdf_name(record, doc)}"


def original_path(record: DossierRecord, doc: DocumentRecord) -> str:
    return f"representations/{ORIGINALS}/data/{pdf_name(record, doc)}"


def _sub(parent: ET.Element, tag: str, attrs: Mapping[str, str] | None = None,
         text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, tag, dict(attrs or {}))
    if text is not None:
        node.text = text
    return node


def serialize(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


# -- METS ---------------------------------------------------------------------------------------

def _mets_root(objid: str, label: str, location: str = METS_LOCATION) -> ET.Element:
    return ET.Element("mets:mets", {
        **METS_NS, "OBJID": objid, "LABEL": label, "TYPE": CONTENT_CATEGORY,
        "csip:CONTENTINFORMATIONTYPE": "OTHER",
        "csip:OTHERCONTENTINFORMATIONTYPE": CONTENT_INFORMATION,
        "PROFILE": SIP_PROFILE, "xsi:schemaLocation": location,
    })


def _header(root: ET.Element, record: DossierRecord, *, full: bool) -> None:
    """The agents of SIP 2.0.4 (metsHdrAgentExample1-4), each from data the store holds.

    Software (CSIP10-16) in every METS; in the root METS also the ward whose records
    these are (ARCHIVIST, SIP9-14), the same ward as the submitting agency (CREATOR
    ORGANIZATION, SIP15-20), the supervisor who approved as contact person (CREATOR
    INDIVIDUAL, SIP21-25) and, when the site names it, the city archive that will keep
    the package (PRESERVATION, SIP26-31). Nothing is invented: an unset archive is left out.
    """
    hdr = _sub(root, "mets:metsHdr", {"CREATEDATE": record.approved_at,
                                      "LASTMODDATE": record.approved_at, "RECORDSTATUS": "NEW",
                                      "csip:OAISPACKAGETYPE": "SIP"})
    software = _sub(hdr, "mets:agent", {"ROLE": "CREATOR", "TYPE": "OTHER",
                                        "OTHERTYPE": "SOFTWARE"})
    _sub(software, "mets:name", text=SOFTWARE)
    _sub(software, "mets:note", {"csip:NOTETYPE": "SOFTWARE VERSION"}, PACKAGER_VERSION)
    if not full:
        return
    ward_name = record.ward_name or record.agency_code
    for role in ("ARCHIVIST", "CREATOR"):
        _organisation(hdr, role, ward_name, record.agency_code)
    if record.approved_by:
        person = _sub(hdr, "mets:agent", {"ROLE": "CREATOR", "TYPE": "INDIVIDUAL"})
        _sub(person, "mets:name", text=record.approved_by)
    if record.archive_name:
        _organisation(hdr, "PRESERVATION", record.archive_name, record.archive_code)
    _sub(hdr, "mets:altRecordID", {"TYPE": "REFERENCECODE"}, record.file_code)


def _organisation(hdr: ET.Element, role: str, name: str, code: str) -> None:
    agent = _sub(hdr, "mets:agent", {"ROLE": role, "TYPE": "ORGANIZATION"})
    _sub(agent, "mets:name", text=name)
    if code:
        _sub(agent, "mets:note", {"csip:NOTETYPE": "IDENTIFICATIONCODE"}, code)


def _checked(entry: FileEntry) -> dict[str, str]:
    return {"MIMETYPE": entry.mime, "SIZE": str(entry.size), "CREATED": entry.created,
            "CHECKSUM": entry.sha256, "CHECKSUMTYPE": "SHA-256"}


def _md_ref(parent: ET.Element, entry: FileEntry, href: str, mdtype: str,
            version: str) -> None:
    _sub(parent, "mets:mdRef", {"LOCTYPE": "URL", "xlink:type": "simple", "xlink:href": href,
                                "MDTYPE": mdtype, "MDTYPEVERSION": version, **_checked(entry)})


def _file(group: ET.Element, file_id: str, entry: FileEntry, href: str) -> None:
    node = _sub(group, "mets:file", {"ID": file_id, **_checked(entry)})
    _sub(node, "mets:FLocat", {"LOCTYPE": "URL", "xlink:type": "simple", "xlink:href": href})


def _file_id(prefix: str, path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return prefix + "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def package_mets(
    record: DossierRecord, *, objid: str, ead: FileEntry, premis: FileEntry,
    documentation: Sequence[FileEntry], schemas: Sequence[FileEntry],
    rep_mets: Sequence[FileEntry],
) -> bytes:
    """The package's root METS.xml (E-ARK SIP profile)."""
    root = _mets_root(objid, record.title or objid)
    _header(root, record, full=True)
    dmd = _sub(root, "mets:dmdSec", {"ID": "dmd-ead", "CREATED": ead.created,
                                     "STATUS": "CURRENT"})
    _md_ref(dmd, ead, ead.path, "EAD", "2002")
    amd = _sub(root, "mets:amdSec")
    digiprov = _sub(amd, "mets:digiprovMD", {"ID": "digiprov-premis", "CREATED": premis.created,
                                             "STATUS": "CURRENT"})
    _md_ref(digiprov, premis, premis.path, "PREMIS", "3.0")
    files = _sub(root, "mets:fileSec", {"ID": "file-sec"})
    for group_id, use, entries in (("grp-documentation", "Documentation", documentation),
                                   ("grp-schemas", "Schemas", schemas)):
        group = _sub(files, "mets:fileGrp", {"ID": group_id, "USE": use})
        for entry in entries:
            _file(group, _file_id("file-", entry.path), entry, entry.path)
    reps = _sub(files, "mets:fileGrp", {
        "ID": "grp-representations", "USE": "Representations",
        "csip:CONTENTINFORMATIONTYPE": "OTHER",
        "csip:OTHERCONTENTINFORMATIONTYPE": CONTENT_INFORMATION})
    names = [entry.path.split("/")[1] for entry in rep_mets]
    for name, entry in zip(names, rep_mets, strict=True):
        _file(reps, f"file-{name}-mets", entry, entry.path)
    _package_struct_map(root, objid, names)
    return serialize(root)


def _package_struct_map(root: ET.Element, objid: str, reps: Sequence[str]) -> None:
    smap = _sub(root, "mets:structMap", {"ID": "struct-map", "TYPE": "PHYSICAL",
                                         "LABEL": "CSIP"})
    top = _sub(smap, "mets:div", {"ID": "div-package", "LABEL": objid})
    _sub(top, "mets:div", {"ID": "div-metadata", "LABEL": "Metadata", "DMDID": "dmd-ead",
                           "ADMID": "digiprov-premis"})
    for div_id, label, group in (("div-documentation", "Documentation", "grp-documentation"),
                                 ("div-schemas", "Schemas", "grp-schemas"),
                                 ("div-representations", "Representations",
                                  "grp-representations")):
        div = _sub(top, "mets:div", {"ID": div_id, "LABEL": label})
        _sub(div, "mets:fptr", {"FILEID": group})
    for name in reps:
        rep = _sub(div, "mets:div", {"ID": f"div-{name}", "LABEL": f"Representations/{name}"})
        _sub(rep, "mets:mptr", {"LOCTYPE": "URL", "xlink:type": "simple",
                                "xlink:href": f"representations/{name}/METS.xml",
                                "xlink:title": "grp-representations"})


def representation_mets(
    record: DossierRecord, *, premis: FileEntry, pdfs: Sequence[FileEntry],
    name: str = REPRESENTATION,
) -> bytes:
    """representations/<name>/METS.xml: its files; paths relative to the representation."""
    prefix = f"representations/{name}/"
    root = _mets_root(name, record.title or record.file_code, REP_METS_LOCATION)
    _header(root, record, full=False)
    amd = _sub(root, "mets:amdSec")
    digiprov = _sub(amd, "mets:digiprovMD", {"ID": "digiprov-premis-rep",
                                             "CREATED": premis.created, "STATUS": "CURRENT"})
    _md_ref(digiprov, premis, premis.path.removeprefix(prefix), "PREMIS", "3.0")
    files = _sub(root, "mets:fileSec", {"ID": "file-sec-rep"})
    group = _sub(files, "mets:fileGrp", {
        "ID": "grp-data", "USE": "Data", "csip:CONTENTINFORMATIONTYPE": "OTHER",
        "csip:OTHERCONTENTINFORMATIONTYPE": CONTENT_INFORMATION})
    for entry in pdfs:
        _file(group, _file_id("file-", entry.path), entry, entry.path.removeprefix(prefix))
    smap = _sub(root, "mets:structMap", {"ID": "struct-map-rep", "TYPE": "PHYSICAL",
                                         "LABEL": "CSIP"})
    top = _sub(smap, "mets:div", {"ID": "div-rep", "LABEL": name})
    _sub(top, "mets:div", {"ID": "div-rep-metadata", "LABEL": "Metadata",
                           "ADMID": "digiprov-premis-rep"})
    data = _sub(top, "mets:div", {"ID": "div-rep-data", "LABEL": "Data"})
    _sub(data, "mets:fptr", {"FILEID": "grp-data"})
    return serialize(root)


# -- EAD 2002 -----------------------------------------------------------------------------------

def _p(parent: ET.Element, tag: str, value: str | None, attrs: Mapping[str, str]) -> None:
    if value:
        node = _sub(parent, tag, attrs)
        _sub(node, "p", text=value)


def ead(record: DossierRecord, files: Mapping[int, str]) -> bytes:
    """Descriptive metadata: the dossier (archdesc) and its documents (one ``c`` each).

    ``files`` maps a document's ordinal to its PDF's path in the package; a
    document of blank pages only has none and is described without a ``dao``.
    """
    root = ET.Element("ead", {
        "xmlns": "urn:isbn:1-931666-22-9", "xmlns:xlink": "http://www.w3.org/1999/xlink",
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": "urn:isbn:1-931666-22-9 http://www.loc.gov/ead/ead.xsd",
        "audience": "internal"})
    header = _sub(root, "eadheader", {"langencoding": "iso639-2b", "dateencoding": "iso8601"})
    _sub(header, "eadid", {"countrycode": "VN", "mainagencycode": record.agency_code},
         record.file_code)
    titles = _sub(_sub(header, "filedesc"), "titlestmt")
    _sub(titles, "titleproper", text=record.title or record.file_code)
    profile = _sub(header, "profiledesc")
    creation = _sub(profile, "creation", text=f"{SOFTWARE} {PACKAGER_VERSION} ")
    _sub(creation, "date", {"normal": record.approved_at[:10]}, record.approved_at[:10])
    usage = _sub(profile, "langusage")
    _sub(usage, "language", {"langcode": "vie"}, "Tiếng Việt")
    archdesc = _sub(root, "archdesc", {"level": "file"})
    _dossier_did(archdesc, record)
    _p(archdesc, "odd", record.maintenance, {"type": "maintenance"})
    _p(archdesc, "accessrestrict", record.mode, {"type": "mode"})
    _p(archdesc, "scopecontent", record.description, {})
    dsc = _sub(archdesc, "dsc")
    for doc in record.documents:
        _document_c(dsc, record, doc, files.get(doc.ordinal))
    return serialize(root)


def _dossier_did(archdesc: ET.Element, record: DossierRecord) -> None:
    did = _sub(archdesc, "did")
    _sub(did, "unitid", {"type": "fileCode"}, record.file_code)
    if record.paper_file_code:
        _sub(did, "unitid", {"type": "paperFileCode"}, record.paper_file_code)
    _sub(did, "unittitle", text=record.title or record.file_code)
    if record.start_date or record.end_date:
        start, end = record.start_date or "", record.end_date or ""
        _sub(did, "unitdate", {"type": "inclusive", "normal": f"{start}/{end}".strip("/")},
             f"{start} – {end}".strip(" –"))
    physdesc = _sub(did, "physdesc")
    _sub(physdesc, "extent", {"unit": "totalDoc"}, str(len(record.documents)))
    _sub(physdesc, "extent", {"unit": "pageTotal"}, str(record.page_total))
    lang = LANGUAGES.get(record.language, record.language)
    _sub(_sub(did, "langmaterial"), "language", {"langcode": lang})
    repository = _sub(did, "repository")
    _sub(repository, "corpname", {"normal": record.agency_code},
         record.ward_name or record.agency_code)


def _document_c(
    dsc: ET.Element, record: DossierRecord, doc: DocumentRecord, path: str | None
) -> None:
    c = _sub(dsc, "c", {"id": f"doc-{doc.ordinal}", "level": "item"})
    did = _sub(c, "did")
    _sub(did, "unitid", {"type": "docCode"}, f"{record.file_code}.{doc.ordinal}")
    for kind, value in (("codeNumber", doc.code_number), ("codeNotation", doc.code_notation)):
        if value:
            _sub(did, "unitid", {"type": kind}, value)
    _sub(did, "unittitle", text=doc.subject or doc.type_name or f"Văn bản {doc.ordinal}")
    if doc.issued_date:
        # EAD 2002 allows @type only "inclusive" or "bulk"; @datechar says what the date is
        _sub(did, "unitdate", {"datechar": "issued", "normal": doc.issued_date},
             doc.issued_date)
    if doc.organ_name:
        origination = _sub(did, "origination", {"label": "organName"})
        _sub(origination, "corpname", text=doc.organ_name)
    physdesc = _sub(did, "physdesc")
    if doc.type_name:
        attrs = {"type": "typeName"} | ({"normal": doc.type_code} if doc.type_code else {})
        _sub(physdesc, "genreform", attrs, doc.type_name)
    _sub(physdesc, "extent", {"unit": "numberOfPage"}, str(doc.page_count))
    if path:
        _sub(did, "dao", {"xlink:type": "simple", "xlink:href": path,
                          "xlink:title": path.rsplit("/", 1)[-1]})
    if doc.original_sha256:
        _sub(did, "dao", {"xlink:type": "simple", "xlink:href": original_path(record, doc),
                          "xlink:title": "Bản gốc có chữ ký số / digitally signed original"})
    for sig in doc.signatures:
        _p(c, "odd", _signature_text(sig), {"type": "digitalSignature"})
    if doc.signer_name or doc.signer_position:
        odd = _sub(c, "odd", {"type": "signer"})
        para = _sub(odd, "p")
        if doc.signer_position:
            _sub(para, "title", {"render": "nonproport"}, doc.signer_position).tail = " "
        if doc.signer_name:
            _sub(para, "persname", {"role": "signer"}, doc.signer_name)


def _signature_text(sig: Mapping[str, object]) -> str:
    """"Ký số bởi / signed by: …; thời gian / at: …" from a capture signature record."""
    parts = [f"Ký số bởi / signed by: {sig.get('signer') or '?'}"]
    if sig.get("organisation"):
        parts.append(f"{sig['organisation']}")
    if sig.get("signed_at"):
        parts.append(f"thời gian / at: {sig['signed_at']}")
    if sig.get("covers_file") is False:
        parts.append("tệp đã bị thêm sau khi ký / bytes added after signing")
    return "; ".join(parts)


# -- PREMIS 3 -----------------------------------------------------------------------------------

PREMIS_NS = {
    "xmlns:premis": "http://www.loc.gov/premis/v3",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsi:schemaLocation": "http://www.loc.gov/premis/v3"
                          " https://www.loc.gov/standards/premis/premis.xsd",
    "version": "3.0",
}


def _identifier(parent: ET.Element, kind: str, id_type: str, value: str) -> None:
    node = _sub(parent, f"premis:{kind}Identifier")
    _sub(node, f"premis:{kind}IdentifierType", text=id_type)
    _sub(node, f"premis:{kind}IdentifierValue", text=value)


def premis_representation(pdfs: Sequence[FileEntry], fmt: str = PDF_FORMAT) -> bytes:
    """One PREMIS file object per file: fixity, size, format."""
    root = ET.Element("premis:premis", dict(PREMIS_NS))
    for entry in pdfs:
        obj = _sub(root, "premis:object", {"xsi:type": "premis:file"})
        _identifier(obj, "object", "local", entry.path)
        chars = _sub(obj, "premis:objectCharacteristics")
        _sub(chars, "premis:compositionLevel", text="0")
        fixity = _sub(chars, "premis:fixity")
        _sub(fixity, "premis:messageDigestAlgorithm", text="SHA-256")
        _sub(fixity, "premis:messageDigest", text=entry.sha256)
        _sub(chars, "premis:size", text=str(entry.size))
        designation = _sub(_sub(chars, "premis:format"), "premis:formatDesignation")
        _sub(designation, "premis:formatName", text=fmt)
        _sub(obj, "premis:originalName", text=entry.path.rsplit("/", 1)[-1])
    return serialize(root)


def premis_package(record: DossierRecord) -> bytes:
    """Provenance: who captured, corrected, checked and approved what, when, on which desk."""
    root = ET.Element("premis:premis", dict(PREMIS_NS))
    entity = _sub(root, "premis:object", {"xsi:type": "premis:intellectualEntity"})
    _identifier(entity, "object", "fileCode", record.file_code)
    doc_paths = {str(d.id): pdf_path(record, d) for d in record.documents}
    for event in record.events:
        _event(root, record, event, doc_paths)
    users = sorted({e.user for e in record.events if e.user})
    for user in users:
        agent = _sub(root, "premis:agent")
        _identifier(agent, "agent", "sohoa-user", user)
        _sub(agent, "premis:agentName", text=user)
        _sub(agent, "premis:agentType", text="person")
    station = _sub(root, "premis:agent")
    _identifier(station, "agent", "sohoa-station", _station_id(record))
    _sub(station, "premis:agentName", text=record.station or record.store_id)
    _sub(station, "premis:agentType", text="hardware")
    software = _sub(root, "premis:agent")
    _identifier(software, "agent", "software", f"{SOFTWARE} {PACKAGER_VERSION}")
    _sub(software, "premis:agentName", text=SOFTWARE)
    _sub(software, "premis:agentType", text="software")
    _sub(software, "premis:agentVersion", text=PACKAGER_VERSION)
    return serialize(root)


def _station_id(record: DossierRecord) -> str:
    return f"{record.station}@{record.store_id}" if record.station else record.store_id


def _event(
    root: ET.Element, record: DossierRecord, event: ProvenanceEvent,
    doc_paths: Mapping[str, str],
) -> None:
    node = _sub(root, "premis:event")
    _identifier(node, "event", "sohoa-audit", f"{record.store_id}:{event.id}")
    _sub(node, "premis:eventType", text=EVENT_TYPES.get(event.action, event.action))
    _sub(node, "premis:eventDateTime", text=event.ts)
    detail = event.action
    if event.field:
        detail += f" {event.field}: {event.old if event.old is not None else '∅'} -> " \
                  f"{event.new if event.new is not None else '∅'}"
    _sub(_sub(node, "premis:eventDetailInformation"), "premis:eventDetail", text=detail)
    if event.user:
        link = _sub(node, "premis:linkingAgentIdentifier")
        _sub(link, "premis:linkingAgentIdentifierType", text="sohoa-user")
        _sub(link, "premis:linkingAgentIdentifierValue", text=event.user)
        _sub(link, "premis:linkingAgentRole", text="implementer")
    if event.action in ("dossier.create", "document.create"):
        link = _sub(node, "premis:linkingAgentIdentifier")
        _sub(link, "premis:linkingAgentIdentifierType", text="sohoa-station")
        _sub(link, "premis:linkingAgentIdentifierValue", text=_station_id(record))
        _sub(link, "premis:linkingAgentRole", text="executing program")
    target = doc_paths.get(event.object_id or "") if event.object_type == "document" else None
    obj = _sub(node, "premis:linkingObjectIdentifier")
    _sub(obj, "premis:linkingObjectIdentifierType", text="local" if target else "fileCode")
    _sub(obj, "premis:linkingObjectIdentifierValue", text=target or record.file_code)


# -- documentation ------------------------------------------------------------------------------

def documentation(record: DossierRecord, objid: str) -> bytes:
    """A short human-readable guide to the package, in Vietnamese and English."""
    lines = [
        f"Gói thông tin / Information package: {objid}",
        f"Hồ sơ / Dossier: {record.file_code} — {record.title}",
        f"Lô / Batch: {record.batch_name}; duyệt / approved: {record.approved_at}",
        "",
        "Cấu trúc / Layout (E-ARK CSIP/SIP 2.0.4):",
        "  METS.xml                              gói / package",
        "  metadata/descriptive/EAD.xml          mô tả hồ sơ và văn bản (EAD 2002)",
        "  metadata/preservation/PREMIS.xml      nguồn gốc: ai số hóa, sửa, duyệt (PREMIS 3)",
        f"  representations/{REPRESENTATION}/METS.xml         tệp PDF/A và tổng kiểm",
        f"  representations/{REPRESENTATION}/data/<mã hồ sơ>.<số thứ tự>.pdf   văn bản PDF/A-2b",
        f"  representations/{ORIGINALS}/data/<mã hồ sơ>.<số thứ tự>.pdf   bản gốc có chữ ký số"
        " (nếu có) / signed originals, byte for byte",
        "  schemas/                              lược đồ XML / XML schemas",
        "",
        "Mọi tệp có SHA-256 (chữ hoa) trong METS. Every file has its SHA-256 (upper case)"
        " in METS.",
        "Trường / Fields: Nghị định 30/2020/NĐ-CP Phụ lục VI, Thông tư 05/2025/TT-BNV.",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
