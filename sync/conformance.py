"""The project's own E-ARK conformance checks of a package, runnable with nothing beside it.

Why our own: the reference validator (eark-validator) reads only the root METS,
wrongly fires on correct agents, and is not shipped with the station; the city's
stricter tool (``../shared/tools/eark-validate``) is not on every machine. These
checks run anywhere and cover what the issue found broken:

- schema: every METS file is validated against the METS schema the package itself
  carries in ``schemas/`` (offline; http imports are served from that folder);
- files: every file, mdRef and mptr a METS names exists with its SIZE and SHA-256,
  and every file in the package is named by some METS (the root METS excepted);
- agents: the software agent in every METS (CSIP10-16), and in the root METS the
  archival creator (SIP9-14), the submitting agent (SIP15-20, ``ROLE="CREATOR"``
  ``TYPE="ORGANIZATION"|"INDIVIDUAL"``) and the preservation agent (SIP26-31);
- EAD 2002 and PREMIS 3: well-formed, the right root, and the EAD attribute values
  the EAD schema restricts that a writer is likely to get wrong (``unitdate/@type``).

Each finding is ``(rule, file, message)``, the rule named as in the specifications.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}href"
CSIP = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}"
EAD = "{urn:isbn:1-931666-22-9}"
PREMIS_ROOT = "{http://www.loc.gov/premis/v3}premis"
PERSON_TYPES = ("ORGANIZATION", "INDIVIDUAL")
# EAD 2002 (ead.xsd) enumerations a writer may get wrong; any other value fails the schema
_LEVELS = {"class", "collection", "file", "fonds", "item", "otherlevel", "recordgrp", "series",
           "subfonds", "subgrp", "subseries"}
EAD_ENUMS = {("unitdate", "type"): {"bulk", "inclusive"}, ("c", "level"): _LEVELS,
             ("archdesc", "level"): _LEVELS, ("ead", "audience"): {"external", "internal"}}


@dataclass(frozen=True)
class Finding:
    rule: str
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.file}: {self.message}"


def check_package(root: Path) -> list[Finding]:
    """Every finding for the unpacked package folder ``root`` (empty: it conforms)."""
    findings: list[Finding] = []
    mets_files = [root / "METS.xml", *sorted(root.glob("representations/*/METS.xml"))]
    if not mets_files[0].is_file():
        return [Finding("CSIPSTR4", "METS.xml", "the package has no root METS.xml")]
    schema = _mets_schema(root / "schemas", findings)
    named: set[Path] = {mets_files[0].resolve()}
    for path in mets_files:
        tree = _parse(path, root, findings)
        if tree is None:
            continue
        if schema is not None and not schema.validate(tree):
            findings += [Finding("XSD", _rel(path, root), f"line {e.line}: {e.message}")
                         for e in schema.error_log]
        findings += _agents(tree, _rel(path, root), is_root=path == mets_files[0])
        named |= _referenced_files(tree, path, root, findings)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.resolve() not in named:
            findings.append(Finding("CSIP-FILES", _rel(path, root),
                                    "this file is named by no METS file"))
    findings += _descriptive(root)
    return findings


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


class _LocalSchemas(etree.Resolver):  # type: ignore[misc]
    """Serves a schema import by its file name from the package's own schemas/ folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        local = self.folder / system_url.rsplit("/", 1)[-1]
        if local.is_file():
            return self.resolve_filename(str(local), context)
        return None


def _mets_schema(folder: Path, findings: list[Finding]) -> etree.XMLSchema | None:
    path = folder / "mets.xsd"
    if not path.is_file():
        findings.append(Finding("CSIP113", "schemas/mets.xsd",
                                "the package does not carry the METS schema"))
        return None
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas(folder))
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        findings.append(Finding("CSIP113", "schemas/mets.xsd", f"unusable schema: {exc}"))
        return None


def _parse(path: Path, root: Path, findings: list[Finding]) -> Any:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    try:
        return etree.parse(str(path), parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        findings.append(Finding("XML", _rel(path, root), f"not well-formed XML: {exc}"))
        return None


# -- files --------------------------------------------------------------------------------------

def _referenced_files(tree: Any, mets: Path, root: Path, findings: list[Finding]) -> set[Path]:
    """Checks each file/mdRef/mptr target of one METS; returns the paths it names."""
    named: set[Path] = set()
    base = mets.parent
    where = _rel(mets, root)
    for node in tree.iter(f"{METS}file", f"{METS}mdRef", f"{METS}mptr"):
        href = node.get(XLINK) if node.tag != f"{METS}file" else _flocat(node)
        if not href:
            findings.append(Finding("CSIP-FILES", where, f"line {node.sourceline}: no href"))
            continue
        target = (base / href).resolve()
        if not target.is_relative_to(root.resolve()) or not target.is_file():
            findings.append(Finding("CSIP-FILES", where,
                                    f"line {node.sourceline}: {href} is not in the package"))
            continue
        named.add(target)
        if node.tag != f"{METS}mptr":
            findings += _fixity(node, target, href, where)
    return named


def _flocat(node: Any) -> str | None:
    flocat = node.find(f"{METS}FLocat")
    return None if flocat is None else flocat.get(XLINK)


def _fixity(node: Any, target: Path, href: str, where: str) -> list[Finding]:
    out: list[Finding] = []
    size = target.stat().st_size
    if node.get("SIZE") != str(size):
        out.append(Finding("CSIP-FILES", where, f"{href}: SIZE {node.get('SIZE')} but the"
                                                f" file has {size} bytes"))
    if node.get("CHECKSUMTYPE") != "SHA-256":
        out.append(Finding("CSIP-FILES", where, f"{href}: CHECKSUMTYPE is not SHA-256"))
        return out
    digest = hashlib.sha256()
    with open(target, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    if (node.get("CHECKSUM") or "").upper() != digest.hexdigest().upper():
        out.append(Finding("CSIP-FILES", where, f"{href}: CHECKSUM does not match the file"))
    return out


# -- agents -------------------------------------------------------------------------------------

def _agents(tree: Any, where: str, *, is_root: bool) -> list[Finding]:
    hdr = tree.find(f"{METS}metsHdr")
    if hdr is None:
        return [Finding("CSIP10", where, "no metsHdr, so no agent records the software")]
    agents = hdr.findall(f"{METS}agent")
    out = _software_agent(agents, where)
    if is_root:
        out += _sip_agents(agents, where)
    return out


def _software_agent(agents: list[Any], where: str) -> list[Finding]:
    kind = ("CREATOR", "OTHER", "SOFTWARE")
    found = [a for a in agents if (a.get("ROLE"), a.get("TYPE"), a.get("OTHERTYPE")) == kind]
    if not found:
        return [Finding("CSIP10", where, 'no ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"'
                                         " agent records the software")]
    notes = found[0].findall(f"{METS}note")
    if not any(n.get(f"{CSIP}NOTETYPE") == "SOFTWARE VERSION" and (n.text or "").strip()
               for n in notes):
        return [Finding("CSIP16", where, "the software agent has no SOFTWARE VERSION note")]
    return []


def _sip_agents(agents: list[Any], where: str) -> list[Finding]:
    out: list[Finding] = []
    for role, rule, types in (("ARCHIVIST", "SIP11", PERSON_TYPES),
                              ("PRESERVATION", "SIP28", ("ORGANIZATION",))):
        for agent in (a for a in agents if a.get("ROLE") == role):
            if agent.get("TYPE") not in types:
                out.append(Finding(rule, where, f"the {role} agent has TYPE="
                                                f"{agent.get('TYPE')!r}"))
            out += _identification_notes(agent, where, rule)
    creators = [a for a in agents if a.get("ROLE") == "CREATOR" and a.get("TYPE") in PERSON_TYPES]
    if not creators:
        out.append(Finding("SIP15", where, 'no submitting agent (ROLE="CREATOR" TYPE='
                                           '"ORGANIZATION" or "INDIVIDUAL")'))
    orgs = [a for a in creators if a.get("TYPE") == "ORGANIZATION"]
    if len(orgs) > 1:
        out.append(Finding("SIP15", where, f"{len(orgs)} submitting organisations"))
    for agent in orgs:
        out += _identification_notes(agent, where, "SIP20")
    return out


def _identification_notes(agent: Any, where: str, rule: str) -> list[Finding]:
    return [Finding(rule, where, f"line {note.sourceline}: the note is not typed"
                                 ' csip:NOTETYPE="IDENTIFICATIONCODE"')
            for note in agent.findall(f"{METS}note")
            if note.get(f"{CSIP}NOTETYPE") != "IDENTIFICATIONCODE"]


# -- descriptive and preservation metadata ------------------------------------------------------

def _descriptive(root: Path) -> list[Finding]:
    out: list[Finding] = []
    for path in sorted(root.glob("metadata/descriptive/*.xml")):
        tree = _parse(path, root, out)
        if tree is None:
            continue
        if tree.getroot().tag != f"{EAD}ead":
            out.append(Finding("EAD", _rel(path, root), "the root is not an EAD 2002 <ead>"))
            continue
        for (tag, attr), allowed in EAD_ENUMS.items():
            for node in tree.iter(f"{EAD}{tag}"):
                value = node.get(attr)
                if value is not None and value not in allowed:
                    out.append(Finding("EAD", _rel(path, root),
                                       f"line {node.sourceline}: {tag}/@{attr}={value!r} is"
                                       f" not one of {sorted(allowed)}"))
    for path in sorted(root.rglob("metadata/preservation/*.xml")):
        tree = _parse(path, root, out)
        if tree is not None and tree.getroot().tag != PREMIS_ROOT:
            out.append(Finding("PREMIS", _rel(path, root), "the root is not a PREMIS 3 <premis>"))
    return out
