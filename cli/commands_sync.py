"""Sync commands: enrol, sync (run, status, pause, resume, retry, set), exports.

Who: an admin enrols the station (it is a site setting); a supervisor runs,
pauses, resumes and retries sync and writes packages for hand-over; the CSV
report is for anyone who may see the documents, with citizen IDs masked unless
a supervisor asks otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli import output
from cli.context import Context
from store import outbox
from store.errors import ExitCode, PermissionDenied
from store.fsutil import output_file
from store.session import Session
from sync import engine, export, station
from sync.net import check_url
from sync.settings import KIB, SyncSettings

OK = int(ExitCode.OK)


def register(commands: Any) -> None:
    p = commands.add_parser("enrol", help="enrol this station with the warehouse (admin)")
    p.add_argument("url", metavar="URL")
    p.add_argument("token", metavar="TOKEN", help="the one-time token IT gave you")
    p.set_defaults(handler=cmd_enrol)
    _sync(commands)
    p = commands.add_parser("export-package",
                            help="write a dossier's archival package without sending it")
    p.add_argument("dossier", metavar="DOSSIER")
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--unpacked", action="store_true", help="a folder instead of a .tar")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_export_package)
    p = commands.add_parser("export-report",
                            help="CSV of dossiers and documents (citizen IDs masked)")
    p.add_argument("out", metavar="OUT.csv")
    p.add_argument("--batch", metavar="NAME")
    p.add_argument("--unmasked", action="store_true",
                   help="show citizen IDs in full (supervisor; audited)")
    p.set_defaults(handler=cmd_export_report)


def _sync(commands: Any) -> None:
    p = commands.add_parser("sync", help="send approved dossiers to the warehouse (supervisor)")
    p.add_argument("--once", action="store_true", help="one pass; failed items wait")
    p.add_argument("--json", action="store_true", help="one JSON line per package")
    p.add_argument("--parallel", type=int, default=0, metavar="N")
    p.add_argument("--bandwidth-kbps", type=int, default=0, metavar="KBPS")
    p.add_argument("--chunk-kib", type=int, default=0, metavar="KIB",
                   help="fixed upload chunk (default: 1 MiB, growing on fast links)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="read timeout of one request")
    p.set_defaults(handler=cmd_sync)
    actions = p.add_subparsers(dest="sync_action", metavar="ACTION")
    q = actions.add_parser("status", help="the outbox, one line per dossier")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_sync_status)
    for action in ("pause", "resume"):
        actions.add_parser(action, help=f"{action} sync for this station").set_defaults(
            handler=cmd_sync_pause, paused=action == "pause")
    q = actions.add_parser("retry", help="try failed dossiers again now")
    q.add_argument("dossiers", nargs="*", metavar="DOSSIER")
    q.set_defaults(handler=cmd_sync_retry)
    q = actions.add_parser("set", help="parallel uploads or bandwidth limit (kbit/s, 0=none)")
    q.add_argument("key", choices=["parallel", "bandwidth_kbps"])
    q.add_argument("value", metavar="VALUE")
    q.set_defaults(handler=cmd_sync_set)


def _settings(session: Session, args: argparse.Namespace | None = None) -> SyncSettings:
    if args is None:
        return station.sync_settings(session)
    chunks = {}
    if args.chunk_kib:
        chunks = {"chunk_size": args.chunk_kib * KIB, "max_chunk_size": args.chunk_kib * KIB}
    return station.sync_settings(session, SyncSettings(
        parallel=args.parallel, bandwidth_kbps=args.bandwidth_kbps, read_timeout=args.timeout,
        **chunks))


# -- handlers -------------------------------------------------------------------------------

def cmd_enrol(ctx: Context) -> int:
    check_url(ctx.args.url)  # a bad address is refused before the password is asked
    with ctx.login() as s:
        credential = station.enrol(s, ctx.args.url, ctx.args.token)
    print(f"Enrolled as station {credential.station_id} with {credential.warehouse_url}.")
    return OK


def _print_event(event: engine.SyncEvent, as_json: bool) -> None:
    if as_json:
        output.emit_json(event.as_dict())
    elif event.state == "acknowledged":
        print(f"sent      {event.dossier}  {event.size} bytes  receipt {event.receipt_id}")
    elif event.state == "failed":
        print(f"failed    {event.dossier}  {event.error}")
    else:
        print(f"{event.state:9} {event.dossier}  {event.bytes}/{event.size} bytes")


def cmd_sync(ctx: Context) -> int:
    with ctx.login() as s:
        report = engine.run_sync(s, _settings(s, ctx.args), once=ctx.args.once,
                                 on_event=lambda e: _print_event(e, ctx.args.json))
        left = outbox.summary(s)
    quiet = ctx.args.quiet or ctx.args.json
    if report.unauthorized:
        raise PermissionDenied(report.unauthorized)
    if report.fatal is not None:
        raise report.fatal
    if report.anchor_problem:  # the dossiers went; the supervisor must still hear of it
        output.note(report.anchor_problem, quiet=False)
    if report.paused:
        output.note("Sync is paused on this station (`sohoa sync resume`).", quiet=quiet)
    if report.offline:
        output.note("The warehouse cannot be reached; nothing is lost, try again later.",
                    quiet=quiet)
        return int(ExitCode.NETWORK)
    output.note(f"{report.count('acknowledged')} sent, {report.count('failed')} failed;"
                f" outbox: {left['acknowledged']} acknowledged, {left['failed']} failed,"
                f" {left['waiting'] + left['uploading'] + left['committed']} pending.",
                quiet=quiet)
    if left["failed"]:
        return int(ExitCode.PARTIAL)
    return int(ExitCode.AUDIT_BROKEN) if report.anchor_problem else OK


def cmd_sync_status(ctx: Context) -> int:
    with ctx.login() as s:
        items = outbox.list_items(s)
        controls = outbox.load_controls(s.conn)
    if ctx.args.json:  # one line per dossier, then the controls (as the text form ends)
        for item in items:
            output.emit_json(item.as_dict())
        output.emit_json({"controls": {"paused": controls.paused,
                                       "parallel": controls.parallel,
                                       "bandwidth_kbps": controls.bandwidth_kbps}})
        return OK
    output.table([(i.file_code, i.state, f"{i.upload_offset}/{i.package_size or '?'}",
                   i.attempts, i.receipt_id or i.last_error or "") for i in items],
                 ("dossier", "state", "bytes", "tries", "receipt / error"))
    limit = f"{controls.bandwidth_kbps} kbit/s" if controls.bandwidth_kbps else "no limit"
    print(f"paused: {'yes' if controls.paused else 'no'}; parallel: {controls.parallel};"
          f" bandwidth: {limit}")
    return OK


def cmd_sync_pause(ctx: Context) -> int:
    with ctx.login() as s:
        outbox.set_control(s, "paused", "1" if ctx.args.paused else "0")
    print("Sync paused." if ctx.args.paused else "Sync resumed.")
    return OK


def cmd_sync_retry(ctx: Context) -> int:
    with ctx.login() as s:
        count = outbox.retry(s, ctx.args.dossiers)
    print(f"{count} dossier(s) will be tried again at the next sync.")
    return OK


def cmd_sync_set(ctx: Context) -> int:
    with ctx.login() as s:
        outbox.set_control(s, ctx.args.key, ctx.args.value)
    print(f"{ctx.args.key} set.")
    return OK


def cmd_export_package(ctx: Context) -> int:
    with ctx.login() as s:
        result = export.export_package(s, ctx.args.dossier, Path(ctx.args.out_dir),
                                       unpacked=ctx.args.unpacked)
    if ctx.args.json:
        output.emit_json({"dossier": result.file_code, "path": str(result.path),
                          "sha256": result.sha256, "size": result.size})
    else:
        print(f"{result.path}" + (f"  SHA-256 {result.sha256}" if result.sha256 else ""))
    return OK


def cmd_export_report(ctx: Context) -> int:
    out = Path(ctx.args.out)
    with ctx.login() as s, output_file(out, "the report") as part, \
                open(part, "w", encoding="utf-8", newline="") as fh:
        count = export.export_report(s, fh, batch=ctx.args.batch, unmasked=ctx.args.unmasked)
    print(f"{count} document(s) written to {out}.")
    return OK
