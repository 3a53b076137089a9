"""The checks a package must pass before the warehouse signs a receipt for it.

One streaming pass over the tar (bounded memory) hashes every member; then the
package METS and each representation METS are read and every file they name
must be there with the SIZE and SHA-256 they state, and every file in the
archive must be named by one of them. The archive must hold exactly one root
folder named after the dossier, with plain files and folders only (no links,
devices, absolute paths or ``..``).
"""

from __future__ import annotations

import hashlib
import posixpath
import tarfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

METS = "{http://www.loc.gov/METS/}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
CSIP_TYPE = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE"
MAX_METS = 16 * 1024 * 1024
BLOCK = 1024 * 1024


class PackageInvalid(Exception):
    """The package is not acceptable; the message says why (sent back to the station)."""


@dataclass(frozen=True)
class Member:
    size: int
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
    return digest.hexdigest().upper()


def _scan(path: Path, root: str) -> tuple[dict[str, Member], dict[str, bytes]]:
    """Hash every regular file; keep the METS documents' bytes."""
    members: dict[str, Member] = {}
    mets: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:") as tar:
            for info in tar:
                name = info.name.rstrip("/")
                if name != root and not name.startswith(root + "/"):
                    raise PackageInvalid(f"{name} is outside the package folder {root}/.")
                rel = name[len(root) + 1:]
                if info.isdir():
                    continue
                if not info.isfile() or ".." in rel.split("/") or rel.startswith("/"):
                    raise PackageInvalid(f"{name} is not a plain file.")
                members[rel], data = _hash_member(tar, info, keep=rel.endswith("METS.xml"))
                if data is not None:
                    mets[rel] = data
    except (tarfile.TarError, EOFError) as exc:
        raise PackageInvalid(f"The package is not a readable tar archive ({exc}).") from exc
    return members, mets


def _hash_member(
    tar: tarfile.TarFile, info: tarfile.TarInfo, *, keep: bool
) -> tuple[Member, bytes | None]:
    stream = tar.extractfile(info)
    assert stream is not None
    digest, kept = hashlib.sha256(), bytearray()
    while block := stream.read(BLOCK):
        digest.update(block)
        if keep and len(kept) < MAX_METS:
            kept += block
    return Member(info.size, digest.hexdigest().upper()), bytes(kept) if keep else None


def _references(mets: bytes, where: str) -> tuple[ET.Element, list[tuple[str, int, str]]]:
    try:
        root = ET.fromstring(mets)
    except ET.ParseError as exc:
        raise PackageInvalid(f"{where} is not well-formed XML ({exc}).") from exc
    if root.tag != f"{METS}mets":
        raise PackageInvalid(f"{where} is not a METS document.")
    refs = []
    for node in root.iter():
        if node.tag == f"{METS}file":
            flocat = node.find(f"{METS}FLocat")
            href = flocat.get(XLINK_HREF) if flocat is not None else None
        elif node.tag == f"{METS}mdRef":
            href = node.get(XLINK_HREF)
        else:
            continue
        if not href or node.get("CHECKSUMTYPE") != "SHA-256":
            raise PackageInvalid(f"{where}: every file needs a location and a SHA-256.")
        try:
            size = int(node.get("SIZE", ""))
        except ValueError as exc:
            raise PackageInvalid(f"{where}: {href} has no SIZE.") from exc
        refs.append((href, size, node.get("CHECKSUM", "")))
    return root, refs


def _check_refs(
    refs: list[tuple[str, int, str]], base: str, members: dict[str, Member], where: str
) -> set[str]:
    named = set()
    for href, size, checksum in refs:
        rel = posixpath.normpath(posixpath.join(base, href))
        if rel.startswith("../") or href.startswith("/") or "://" in href:
            raise PackageInvalid(f"{where}: {href} points outside the package.")
        member = members.get(rel)
        if member is None:
            raise PackageInvalid(f"{where} names {rel}, which is not in the package.")
        if member.size != size or member.sha256 != checksum:
            raise PackageInvalid(f"{rel} does not match the SIZE/SHA-256 that {where} states.")
        named.add(rel)
    return named


def check_package(path: Path, *, dossier: str, sha256: str) -> None:
    """Raise PackageInvalid unless ``path`` is the complete, intact package of ``dossier``."""
    if file_sha256(path) != sha256.upper():
        raise PackageInvalid("The uploaded bytes do not have the SHA-256 given at commit.")
    members, mets = _scan(path, dossier)
    if "METS.xml" not in mets:
        raise PackageInvalid(f"The package has no {dossier}/METS.xml.")
    root, refs = _references(mets["METS.xml"], "METS.xml")
    if root.get("OBJID") != dossier:
        raise PackageInvalid(f"METS.xml names package {root.get('OBJID')!r}, not {dossier!r}.")
    header = root.find(f"{METS}metsHdr")
    if header is None or header.get(CSIP_TYPE) != "SIP":
        raise PackageInvalid("METS.xml does not declare an E-ARK SIP (OAISPACKAGETYPE).")
    named = _check_refs(refs, "", members, "METS.xml")
    for rep in [n for n in named if n.startswith("representations/") and
                n.endswith("/METS.xml")]:
        _rep_root, rep_refs = _references(mets[rep], rep)
        named |= _check_refs(rep_refs, posixpath.dirname(rep), members, rep)
    unnamed = sorted(set(members) - named - {"METS.xml"})
    if unnamed:
        raise PackageInvalid(f"{unnamed[0]} is in the package but no METS names it.")
    if not any(n.startswith("representations/") and n.endswith(".pdf") for n in named):
        raise PackageInvalid("The package holds no document.")
