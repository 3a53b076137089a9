"""Store commands: init, users, info, batches, search, show, audit, backup, restore."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cli import output, secrets
from cli.context import Context
from store import backup, batches, documents, info, search, users, views
from store.errors import AuditBroken, ExitCode, UsageError
from store.messages import say
from store.roles import parse_role
from store.session import Session, init_store, recover

OK = int(ExitCode.OK)


def register(commands: Any) -> None:
    _init(commands)
    _recover(commands)
    _user(commands)
    p = commands.add_parser("info", help="summary of the store")
    _json(p).set_defaults(handler=cmd_info)
    _batch(commands)
    p = commands.add_parser("search", help="full-text search (diacritics optional)")
    p.add_argument("query")
    p.add_argument("--limit", type=count_arg, default=20)
    _json(p).set_defaults(handler=cmd_search)
    p = commands.add_parser("show", help="one document with its metadata and text")
    p.add_argument("doc_id", type=id_arg, metavar="DOC_ID")
    _json(p).set_defaults(handler=cmd_show)
    _audit(commands)
    p = commands.add_parser("backup", help="encrypted backup while the store is in use")
    p.add_argument("out", metavar="OUT")
    _json(p).set_defaults(handler=cmd_backup)
    p = commands.add_parser("restore", help="replace the store with a verified backup")
    p.add_argument("source", metavar="IN")
    p.add_argument("--replace-store", action="store_true",
                   help="the backup is of another store: replace this one (its admin only)")
    _json(p).set_defaults(handler=cmd_restore)


MAX_ID = 2**63 - 1  # SQLite's INTEGER
MAX_COUNT = 100_000


def id_arg(text: str) -> int:
    """A row id: a whole number SQLite can hold (`show 1e30` is a usage error, not a crash)."""
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not a document number")
    return int(text)


def count_arg(text: str) -> int:
    """A count; numbers too large for SQLite are usage errors (below 1: the view says so)."""
    stripped = text.strip().lstrip("-")
    if not stripped.isdigit() or int(stripped) > MAX_COUNT:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number up to {MAX_COUNT}")
    return int(text)


def printable(text: str) -> str:
    """Control characters (terminal escape codes, RTL overrides, newlines) shown as \\xNN:
    a name or a journal line written by an attacker cannot repaint the admin's terminal."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _json(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--json", action="store_true", help="print JSON, one object per line")
    return parser


def _init(commands: Any) -> None:
    p = commands.add_parser("init", help="create a new store with its first admin")
    p.add_argument("--admin", required=True, metavar="NAME")
    _json(p).set_defaults(handler=cmd_init)


def _recover(commands: Any) -> None:
    p = commands.add_parser("recover", help="reset an admin's password with the recovery key")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--recovery-key-file", metavar="FILE")
    p.add_argument("--new-password-file", metavar="FILE")
    p.set_defaults(handler=cmd_recover)


def _user(commands: Any) -> None:
    group = commands.add_parser("user", help="user accounts").add_subparsers(
        dest="user_command", metavar="ACTION", required=True)
    p = group.add_parser("add", help="add a user (admin)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=["clerk", "supervisor", "admin"])
    p.add_argument("--new-password-file", metavar="FILE",
                   help="the new user's password (or SOHOA_NEW_PASSWORD, or a prompt)")
    p.set_defaults(handler=cmd_user_add)
    p = group.add_parser("passwd", help="change your password, or another's (admin)")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--new-password-file", metavar="FILE")
    p.set_defaults(handler=cmd_user_passwd)
    _json(group.add_parser("list", help="list users (admin)")).set_defaults(
        handler=cmd_user_list)
    for action in ("disable", "enable"):
        p = group.add_parser(action, help=f"{action} an account (admin)")
        p.add_argument("name", metavar="NAME")
        p.set_defaults(handler=cmd_user_enable if action == "enable" else cmd_user_disable)


def _batch(commands: Any) -> None:
    group = commands.add_parser("batch", help="batches of work").add_subparsers(
        dest="batch_command", metavar="ACTION", required=True)
    p = group.add_parser("list", help="batches you can see")
    p.add_argument("--state", choices=["open", "submitted", "approved", "rejected"])
    _json(p).set_defaults(handler=cmd_batch_list)
    for action, helptext in (("create", "start a batch (clerk)"),
                             ("submit", "send a batch for review (clerk)"),
                             ("approve", "approve a batch for sync (supervisor)")):
        p = group.add_parser(action, help=helptext)
        p.add_argument("name", metavar="NAME")
        _json(p).set_defaults(handler=cmd_batch_action, action=action)
    p = group.add_parser("reject", help="send a batch back to its clerk (supervisor)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--reason", required=True)
    _json(p).set_defaults(handler=cmd_batch_action, action="reject")
    p = group.add_parser("rename", help="give your open or sent-back batch a new name (clerk)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new_name", metavar="NEW_NAME")
    _json(p).set_defaults(handler=cmd_batch_action, action="rename")
    p = group.add_parser("delete", help="delete your batch, never submitted (clerk)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--with-documents", action="store_true",
                   help="also delete the documents it holds")
    _json(p).set_defaults(handler=cmd_batch_action, action="delete")


def _audit(commands: Any) -> None:
    group = commands.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", metavar="ACTION", required=True)
    p = group.add_parser("verify", help="check the hash chain, the anchors, the signed accounts")
    p.add_argument("--re-anchor", metavar="REASON",
                   help="(admin) accept the log as it is now, after investigating; audited")
    _json(p).set_defaults(handler=cmd_audit_verify)
    p = group.add_parser("list", help="recent audit entries")
    p.add_argument("--by", dest="by_user", metavar="USER")
    p.add_argument("--action")
    p.add_argument("--since", metavar="ISO_TIME")
    p.add_argument("--limit", type=count_arg, default=50)
    _json(p).set_defaults(handler=cmd_audit_list)


# -- handlers -----------------------------------------------------------------------------

def cmd_init(ctx: Context) -> int:
    password = secrets.password(ctx.args.password_file, confirm=True)
    key = init_store(ctx.settings, ctx.args.admin, password)
    if ctx.args.json:  # for an installer script that files the key in a safe
        output.emit_json({"data_dir": str(ctx.settings.data_dir), "admin": ctx.args.admin,
                          "recovery_key": key})
        return OK
    print(f"Created a sohoa store in {ctx.settings.data_dir} with admin {ctx.args.admin}.")
    print("RECOVERY KEY (shown once; write it down and keep it in a safe place):")
    print(f"  {key}")
    return OK


def cmd_recover(ctx: Context) -> int:
    key = secrets.read_secret(ctx.args.recovery_key_file, "SOHOA_RECOVERY_KEY", "Recovery key")
    recover(ctx.settings, ctx.args.name, key, secrets.new_password(ctx.args.new_password_file))
    print(f"New password set for {ctx.args.name}.")
    return OK


def cmd_user_add(ctx: Context) -> int:
    with ctx.login() as s:
        role = parse_role(ctx.args.role)
        users.may_add_user(s)
        added = users.add_user(s, ctx.args.name, role,
                               secrets.new_password(ctx.args.new_password_file))
    print(f"Added {added.name} as {ctx.args.role}.")  # the name as stored (NFKC), not as typed
    return OK


def cmd_user_passwd(ctx: Context) -> int:
    with ctx.login() as s:
        users.may_set_password(s, ctx.args.name)
        rekeyed = users.set_password(s, ctx.args.name,
                                     secrets.new_password(ctx.args.new_password_file))
    print(f"Password changed for {ctx.args.name or s.user.name}.")
    _say_rekey_pending(rekeyed)
    return OK


def _say_rekey_pending(rekeyed: bool) -> None:
    """The admin must know the old key file still opens the store until the re-key runs."""
    if not rekeyed:
        print("The store could not be re-keyed now: another sohoa program has it open. "
              "It is re-keyed at the next login that finds it free; until then an old copy "
              "of the key file with the old password still opens it.", file=sys.stderr)


def cmd_user_list(ctx: Context) -> int:
    with ctx.login() as s:
        found = users.list_users(s)
    if ctx.args.json:
        for u in found:
            output.emit_json(asdict(u))
    else:
        output.table([(printable(u.name), u.role, "yes" if u.active else "no", u.created_at)
                      for u in found], ("user", "role", "active", "created"))
    return OK


def _set_active(ctx: Context, active: bool) -> int:
    with ctx.login() as s:
        rekeyed = users.set_active(s, ctx.args.name, active)
    print(f"{ctx.args.name} {'enabled' if active else 'disabled'}.")
    _say_rekey_pending(rekeyed)
    return OK


def cmd_user_enable(ctx: Context) -> int:
    return _set_active(ctx, True)


def cmd_user_disable(ctx: Context) -> int:
    return _set_active(ctx, False)


def cmd_info(ctx: Context) -> int:
    with ctx.login() as s:
        summary = info.info(s)
    if ctx.args.json:
        output.emit_json(summary.as_dict())
    else:
        for key, value in summary.as_dict().items():
            print(f"{key:12} {value if value is not None else '-'}")
    return OK


def cmd_batch_list(ctx: Context) -> int:
    with ctx.login() as s:
        found = batches.list_batches(s, ctx.args.state)
    if ctx.args.json:
        for b in found:
            output.emit_json(b.as_dict())
    else:
        output.table([(b.name, b.state, b.owner, b.dossiers, b.documents, b.pages,
                       b.reject_reason or "") for b in found],
                     ("batch", "state", "clerk", "dossiers", "docs", "pages", "note"))
    return OK


def cmd_batch_action(ctx: Context) -> int:
    name, action = ctx.args.name, ctx.args.action
    with ctx.login() as s:
        if action == "create":
            result = batches.create_batch(s, name)
        elif action == "submit":
            result = batches.submit(s, name)
        elif action == "approve":
            result = batches.approve(s, name)
        elif action == "rename":
            result = batches.rename_batch(s, name, ctx.args.new_name)
        elif action == "delete":
            result = batches.delete_batch(s, name, with_documents=ctx.args.with_documents)
        else:
            result = batches.reject(s, name, ctx.args.reason)
    if ctx.args.json:
        output.emit_json(result.as_dict())
    elif action == "delete":
        print(f"Batch {result.name} deleted ({result.documents} documents, {result.pages} pages).")
    else:
        print(f"Batch {result.name} is {result.state}.")
    return OK


def cmd_search(ctx: Context) -> int:
    if not ctx.args.query.strip():
        raise UsageError(say("cli.search_empty", "Give something to search for."))
    with ctx.login() as s:
        hits = search.search(s, ctx.args.query, limit=ctx.args.limit)
    for hit in hits:
        if ctx.args.json:
            output.emit_json(hit.as_dict())
        else:
            print(f"#{hit.document_id}  {hit.file_code}  {hit.type_name or '-'} "
                  f"{hit.code or ''}  {hit.subject or ''}".rstrip())
            print(f"    {hit.snippet.marked()}")
    if not hits and not ctx.args.json:
        print("No documents found.")
    return OK


def document_json(view: documents.DocumentView) -> dict[str, Any]:
    """The document object shared by `show --json` and `ingest --json`."""
    kept = [p for p in view.pages if not p.deleted]
    extraction = view.extraction
    return {
        "id": view.id, "source": view.source, "file_code": view.file_code,
        "batch": view.batch, "ordinal": view.ordinal,
        "pages": sum(1 for p in kept if not p.blank),
        "blank_pages": sum(1 for p in kept if p.blank),
        **view.metadata,
        "citizen_ids": view.citizen_ids,
        "text": "\n\n".join(p.ocr_text for p in kept if not p.blank),
        "confidence": extraction.get("confidence", {}),
        "extra": extraction.get("extra", {}),  # signer_authority, code_year, organ_parent
        "review": extraction.get("review", {}),  # field -> why it needs a look
        "signature": extraction.get("signature"),  # the source PDF's digital signatures
        "text_layer": extraction.get("text_layer", []),  # pages read from the PDF's own text
        "errors": extraction.get("errors", []) + [
            f"page {p.ordinal}: {p.ocr_error}" for p in kept if p.ocr_status == "failed"],
        "checked": view.checked,
    }


def cmd_show(ctx: Context) -> int:
    with ctx.login() as s:
        view = documents.get_document(s, ctx.args.doc_id)
    obj = document_json(view)
    if ctx.args.json:
        output.emit_json(obj)
        return OK
    for key in ("id", "file_code", "batch", "source", "pages", *documents.DOCUMENT_FIELDS,
                "citizen_ids", "checked"):
        print(f"{key:16} {obj.get(key) if obj.get(key) not in (None, '') else '-'}")
    print()
    print(obj["text"])
    return OK


def cmd_audit_verify(ctx: Context) -> int:
    with ctx.login() as s:
        if ctx.args.re_anchor:
            done = views.re_anchor(s, ctx.args.re_anchor)
            print(f"The audit log is anchored anew at row {done.audit_id}.")
        result = views.verify_audit(s)
        remote, checked = (None, "") if not result.ok else _against_warehouse(s)
    if ctx.args.json:
        output.emit_json({**asdict(result), "warehouse": checked, "warehouse_problem": remote})
    if not result.ok:
        where = f" at row {result.first_bad}" if result.first_bad else ""
        raise AuditBroken(say(
            "cli.audit_broken", "The audit log is broken{where}: {reason}.",
            where=where, reason=printable(result.reason)))
    if remote:
        raise AuditBroken(say(
            "cli.audit_disagrees", "The audit log disagrees with {checked}: {remote}.",
            checked=checked, remote=printable(remote)))
    if not ctx.args.json:
        print(f"Audit log intact: {result.rows} rows, hash chain verified; "
              + _anchored(result.rows, result.anchored_to, result.anchored_at)
              + f"; {checked}.")
    return OK


def _against_warehouse(session: Session) -> tuple[str | None, str]:
    """The newest anchor the warehouse holds (a copy-back of store and anchor file fools
    every local check); sync's, since the store may not import sync."""
    from sync.health import audit_against_warehouse

    return audit_against_warehouse(session)


def _anchored(rows: int, anchored_to: int | None, anchored_at: str | None) -> str:
    if anchored_to is None:
        return "not anchored yet (a supervisor or admin login anchors it)"
    tail = f"; rows {anchored_to + 1}-{rows} not yet" if rows > anchored_to else ""
    return f"anchored up to row {anchored_to} (signed {anchored_at}){tail}"


def cmd_audit_list(ctx: Context) -> int:
    wanted = views.AuditFilter(user=ctx.args.by_user, action=ctx.args.action,
                               since=ctx.args.since, limit=ctx.args.limit)
    with ctx.login() as s:
        found = views.audit_log(s, wanted)
    for e in found:
        if ctx.args.json:
            output.emit_json(e.as_dict())
        else:
            change = f" {e.field}: {e.old_value!r} -> {e.new_value!r}" if e.field else ""
            line = (f"{e.id:6} {e.ts} {e.user_name or '-':12} {e.action:16} "
                    f"{e.object_type or ''} {e.object_id or ''}{change}")
            print(printable(line).rstrip())
    return OK


def cmd_backup(ctx: Context) -> int:
    with ctx.login() as s:
        result = backup.backup(s, Path(ctx.args.out))
    if ctx.args.json:
        output.emit_json(asdict(result))
    else:
        print(f"Backup written: {result.path} ({result.size} bytes, "
              f"{result.documents} documents).")
    return OK


def cmd_restore(ctx: Context) -> int:
    password = secrets.password(ctx.args.password_file)
    result = backup.restore(ctx.settings, Path(ctx.args.source), ctx.user_name, password,
                            replace_store=ctx.args.replace_store)
    if ctx.args.json:
        output.emit_json(asdict(result))
    else:
        kept = "; the previous store was kept beside it" if result.kept_previous else ""
        print(f"Restored {result.documents} documents from {result.path} "
              f"(backup of {result.created_at}){kept}.")
    return OK
