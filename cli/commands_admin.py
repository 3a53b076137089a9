"""Admin commands: site settings, and the station's health (the app's Health tab)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from cli import output
from cli.context import Context
from store import site
from store.errors import ExitCode
from store.sitefile import Enroller

OK = int(ExitCode.OK)


def register(commands: Any) -> None:
    group = commands.add_parser("site", help="site settings (admin)").add_subparsers(
        dest="site_command", metavar="ACTION", required=True)
    p = group.add_parser("show", help="show the site settings")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_site_show)
    p = group.add_parser("set", help="change one site setting")
    p.add_argument("key", metavar="KEY")
    p.add_argument("value", metavar="VALUE")
    p.set_defaults(handler=cmd_site_set)
    p = commands.add_parser("health", help="can this station capture, read, keep and send "
                            "dossiers? (admin)")
    p.add_argument("--json", action="store_true", help="one JSON line per check")
    p.set_defaults(handler=cmd_health)


def sync_enroller() -> Enroller:
    """sync's enrolment (the credential saved), for store.sitefile: the face wires the
    layers together, the store never looks sync up."""
    from sync import station  # sync (requests, TLS) only for the commands that enrol

    return station.site_file_enroller()


def cmd_site_show(ctx: Context) -> int:
    with ctx.login() as s:
        values = asdict(site.load(s.conn))
    if ctx.args.json:
        output.emit_json(values)
    else:
        for key, value in values.items():
            print(f"{key:18} {value}")
    return OK


def cmd_site_set(ctx: Context) -> int:
    with ctx.login() as s:
        site.set_value(s, ctx.args.key, ctx.args.value)
    print(f"{ctx.args.key} set.")
    return OK


def cmd_health(ctx: Context) -> int:
    """The checks of the app's Health tab: ocr.health's, then sync.health's (the core's
    health may not import sync, so the face joins them). Exit 0 even when a check fails:
    the lines say which; a script reads ``ok`` from --json."""
    from cli.commands_capture import capture_settings
    from ocr.health import check_health
    from sync import health

    settings = capture_settings(ctx)
    with ctx.login() as s:
        checks = check_health(s, ocr=settings.ocr, scan=settings.scan)
        target = health.read_target(s)
    checks += health.check_warehouse(target)  # the network part, after the store is closed
    if ctx.args.json:
        for c in checks:
            output.emit_json(asdict(c))
        return OK
    output.table([(c.key, "ok" if c.ok else "FAILED", c.error or c.value) for c in checks],
                 ("check", "state", "detail"))
    return OK
