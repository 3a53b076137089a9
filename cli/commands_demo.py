"""`sohoa demo`: the main job on a local store — sample scans captured for real.

Creates a store with a user of each role (demo passwords, printed), has the
clerk ingest the sample scans in resources/samples (clean-up, Tesseract,
metadata extraction, PDF/A, encryption), submits the batch, has the supervisor
approve it, searches without diacritics and verifies the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from capture.pipeline import IngestRequest, ingest
from cli import output
from cli.commands_capture import capture_settings
from cli.context import Context
from store import audit, batches, documents, search, users
from store.errors import ExitCode, NotFound
from store.roles import Role
from store.session import init_store, open_session
from store.settings import StoreSettings

DEMO_PASSWORDS = {"admin": "demo-admin", "lan": "demo-clerk", "minh": "demo-supervisor"}
SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"
BATCH = "Lô mẫu"


def register(commands: Any) -> None:
    p = commands.add_parser("demo", help="a demo store: sample scans captured, reviewed, "
                                         "searched (demo passwords)")
    p.add_argument("--workers", type=int, default=None, help="OCR processes (default: cores)")
    p.set_defaults(handler=cmd_demo)


def _create(settings: StoreSettings) -> None:
    init_store(settings, "admin", DEMO_PASSWORDS["admin"])
    with open_session(settings, "admin", DEMO_PASSWORDS["admin"]) as admin:
        users.add_user(admin, "lan", Role.CLERK, DEMO_PASSWORDS["lan"])
        users.add_user(admin, "minh", Role.SUPERVISOR, DEMO_PASSWORDS["minh"])


def _capture(ctx: Context) -> None:
    scans = sorted(str(p) for p in SAMPLES.glob("*.jpg"))
    with open_session(ctx.settings, "lan", DEMO_PASSWORDS["lan"]) as clerk:
        report = ingest(clerk, IngestRequest(scans, batch=BATCH), capture_settings(ctx))
        for outcome in report.outcomes:
            if outcome.id is None:
                output.note(f"  {outcome.source}: {'; '.join(outcome.errors)}")
                continue
            doc = documents.get_document(clerk, outcome.id, audit_open=False)
            m = doc.metadata
            print(f"  #{doc.id} {Path(outcome.source).name}: {m['type_name']} "
                  f"{m['code_number']}/{m['code_notation']} {m['issued_date']} — "
                  f"{m['organ_name']}")
        batches.submit(clerk, BATCH)


def cmd_demo(ctx: Context) -> int:
    settings = ctx.settings
    if not settings.paths.keyring.exists():
        _create(settings)
        output.note(f"Capturing {len(list(SAMPLES.glob('*.jpg')))} sample scans "
                    "(clean-up, OCR, extraction, PDF/A)…")
        _capture(ctx)
    with open_session(settings, "minh", DEMO_PASSWORDS["minh"]) as supervisor:
        try:
            if batches.get_batch(supervisor, BATCH).state == "submitted":
                batches.approve(supervisor, BATCH)
        except NotFound:
            pass
        hits = search.search(supervisor, "uy ban nhan dan")
        intact = audit.verify(supervisor.conn)
    print(f"search 'uy ban nhan dan' (no diacritics): {len(hits)} document(s)")
    for hit in hits[:3]:
        print(f"  #{hit.document_id} {hit.type_name} {hit.code}: {hit.snippet.marked()[:90]}")
    print(f"audit log: {intact.rows} rows, hash chain {'intact' if intact.ok else 'BROKEN'}")
    output.note(f"Demo store in {settings.data_dir}; demo passwords (never for real data): "
                + ", ".join(f"{k}={v}" for k, v in DEMO_PASSWORDS.items()))
    return int(ExitCode.OK)
