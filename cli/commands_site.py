"""Site-file commands: `sohoa site check FILE` (no store needed) and `sohoa site apply [FILE]`.

They join the `site` group that commands_admin.py creates (show, set), so IT
sees one place for everything about a ward's settings.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli import output
from cli.commands_admin import sync_enroller
from cli.context import Context
from store import site as store_site
from store.errors import ExitCode
from store.sitefile import SiteFile, apply_site_file, default_site_file, load_site_file
from sync import client

OK = int(ExitCode.OK)


def register(commands: Any) -> None:
    group = _site_group(commands)
    if "set" in group.choices:  # `site set` (commands_admin): warehouse_url goes through sync
        group.choices["set"].set_defaults(handler=cmd_site_set)
    p = group.add_parser("apply", help="apply the site file IT installed (admin); enrols "
                         "the station once")
    p.add_argument("file", nargs="?", metavar="FILE",
                   help=f"the site file (default: {default_site_file()})")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_site_apply)
    p = group.add_parser("check", help="check a site file (no store or login needed)")
    p.add_argument("file", nargs="?", metavar="FILE",
                   help=f"the site file (default: {default_site_file()})")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_site_check)


def _site_group(commands: Any) -> Any:
    """The subcommands of `sohoa site`, created here if commands_admin did not yet."""
    site = commands.choices.get("site")
    if site is None:
        return commands.add_parser("site", help="site settings (admin)").add_subparsers(
            dest="site_command", metavar="ACTION", required=True)
    for action in site._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the `site` command has no subcommands")


def _path(ctx: Context) -> Path:
    return Path(ctx.args.file) if ctx.args.file else default_site_file()


def _summary(site: SiteFile) -> dict[str, Any]:
    values: dict[str, Any] = dict(site.settings())
    values["enrolment_token"] = "present" if site.enrolment_token else "absent"
    return {"file": site.source, "sha256": site.sha256, **values}


def cmd_site_set(ctx: Context) -> int:
    """`site set KEY VALUE`; warehouse_url is checked against the enrolment (sync uses that)."""
    with ctx.login() as s:
        if ctx.args.key == "warehouse_url":
            client.set_warehouse_url(s, ctx.args.value)
        else:
            store_site.set_value(s, ctx.args.key, ctx.args.value)
    print(f"{ctx.args.key} set.")
    return OK


def cmd_site_check(ctx: Context) -> int:
    site = load_site_file(_path(ctx))
    if ctx.args.json:
        output.emit_json({"valid": True, **_summary(site)})
        return OK
    print(f"{site.source}: valid.")
    for key, value in _summary(site).items():
        if key != "file":
            print(f"  {key:18} {value}")
    return OK


def cmd_site_apply(ctx: Context) -> int:
    path = _path(ctx)
    with ctx.login() as s:
        report = apply_site_file(s, path, enrol=sync_enroller())
    if ctx.args.json:
        output.emit_json({"file": report.source, "changed": list(report.changed),
                          "enrolment": report.enrolment, "detail": report.detail})
        return OK
    changed = ", ".join(report.changed) if report.changed else "nothing (already set)"
    print(f"Applied {report.source}: changed {changed}.")
    print(f"Enrolment: {report.enrolment}" + (f" ({report.detail})." if report.detail else "."))
    return OK
