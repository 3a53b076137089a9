"""``sohoa-warehouse`` / ``python -m warehouse``: serve, issue enrolment tokens, list, revoke."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from warehouse.index import Index


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sohoa-warehouse",
                                     description="Reference warehouse for sohoa packages.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--certfile", help="TLS certificate (PEM); without it, plain HTTP")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    serve.add_argument("--chaos", type=int, metavar="SEED", help="inject faults, per seed")
    serve.add_argument("--chaos-rate", type=float, default=0.2, metavar="SHARE")
    serve.add_argument("--chaos-stall", type=float, default=2.0, metavar="SECONDS")
    serve.add_argument("--upload-hours", type=float, default=168.0, metavar="HOURS",
                       help="an upload left alone this long expires and is deleted"
                       " (tus Expiration; default 7 days)")
    serve.add_argument("--bench-sink", action="store_true",
                       help="accept PUT /v1/sink (bench/sync.py only)")
    token = commands.add_parser("token", help="print a one-time enrolment token")
    token.add_argument("--station", required=True, metavar="NAME")
    token.add_argument("--agency", action="append", default=[], metavar="CODE",
                       help="an agency code (000.00.12.H29) the station may submit dossiers"
                       " for; repeat for more. Without one the station cannot commit.")
    listing = commands.add_parser("list", help="received packages")
    listing.add_argument("--json", action="store_true")
    revoke = commands.add_parser("revoke", help="refuse a station from now on")
    revoke.add_argument("--station", required=True, metavar="ID_OR_NAME")
    bind = commands.add_parser("bind", help="set the agency codes a station may submit for")
    bind.add_argument("--station", required=True, metavar="ID_OR_NAME")
    bind.add_argument("--agency", action="append", required=True, metavar="CODE")
    commands.add_parser("stations", help="enrolled stations (JSON lines)")
    commands.add_parser("cleanup", help="delete expired uploads now (serve does it too)")
    for sub in (serve, token, listing, revoke, bind, commands.choices["stations"],
                commands.choices["cleanup"]):
        sub.add_argument("--data", required=True, type=Path, metavar="DIR")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from warehouse.server import serve

        return serve(args)
    index = Index(args.data)
    try:
        return _offline(args, index)
    finally:
        index.close()


def _offline(args: argparse.Namespace, index: Index) -> int:
    if args.command == "token":
        try:
            token = index.new_token(args.station, tuple(args.agency))
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        bound = ", ".join(args.agency) or "no agency (it cannot commit)"
        print(f"Enrolment token for {args.station}, for {bound} (one use, 7 days):")
        print(token)
    elif args.command == "list":
        for package in index.packages():
            if args.json:
                print(json.dumps(package, ensure_ascii=False))
            else:
                print(f"{package['dossier']}  {package['sha256']}  {package['receipt_id']}")
    elif args.command == "revoke":
        if not index.revoke(args.station):
            print(f"No active station {args.station!r}.", file=sys.stderr)
            return 16
        print(f"Station {args.station} revoked.")
    elif args.command == "bind":
        try:
            changed = index.bind(args.station, tuple(args.agency))
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        if not changed:
            print(f"No active station {args.station!r}.", file=sys.stderr)
            return 16
        print(f"Station {args.station} may submit for {', '.join(args.agency)}.")
    elif args.command == "cleanup":
        print(f"{index.expire_uploads()} expired upload(s) deleted.")
    elif args.command == "stations":
        for station in index.stations():
            print(json.dumps(station, ensure_ascii=False))
    return 0
