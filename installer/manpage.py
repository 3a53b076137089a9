"""Write sohoa(1) from the real argument parser, so the man page cannot drift from --help.

Run it with the Python that has sohoa installed (build-deb uses the package's
own environment):

    python installer/manpage.py --version 0.1.0 --date 2025-11-23 > sohoa.1
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator

# argparse wraps usage lines at the terminal's width: fix it so every build is the same.
os.environ["COLUMNS"] = "100"

from cli.main import build_parser  # after COLUMNS on purpose
from store.errors import ExitCode

EXIT_MEANINGS = {
    "OK": "done", "INTERNAL": "internal error (a bug; details in ~/.cache/sohoa/error.log)",
    "USAGE": "a missing or wrong argument, or no password given",
    "BAD_INPUT": "bad input: an unreadable file, an invalid value, a bad site file",
    "PARTIAL": "some inputs failed, the others were stored",
    "WRONG_PASSWORD": "wrong password", "UNKNOWN_USER": "unknown user",
    "PERMISSION_DENIED": "your role may not do that",
    "STORE_CORRUPT": "the store is damaged or not a sohoa store",
    "STORE_IN_USE": "the store is in use by another sohoa program",
    "DISK_FULL": "the disk is full (nothing was changed)",
    "NOT_FOUND": "not found", "CONFLICT": "conflict with the current state",
    "NOT_INITIALISED": "no store here yet (sohoa init)",
    "AUDIT_BROKEN": "the audit log's hash chain is broken",
    "STORE_TOO_NEW": "the store was written by a newer sohoa: install that version",
    "EXTERNAL_TOOL": "an external tool (Tesseract, Poppler, a scanner) failed",
    "NETWORK": "network", "CANCELLED": "cancelled",
}


def esc(text: str) -> str:
    """Escape text for troff: backslashes, dashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    lines = [("\\&" + line) if line.startswith((".", "'")) else line
             for line in text.splitlines()]
    return "\n".join(lines)


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[
        argparse.ArgumentParser] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def _options(parser: argparse.ArgumentParser) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        value = str(action.metavar or action.dest.upper())
        if action.choices and not action.metavar:
            value = "{" + ",".join(map(str, action.choices)) + "}"
        if action.option_strings:
            names = ", ".join(action.option_strings)
            if action.nargs != 0:
                names += " " + value
        else:
            names = value
        yield f".TP\n.B {esc(names)}\n{esc(action.help or '')}"


def _commands(parser: argparse.ArgumentParser, path: str) -> Iterator[str]:
    sub = _subcommands(parser)
    if sub is None:
        return
    helps = {a.dest: a.help or "" for a in sub._choices_actions}
    for name, child in sub.choices.items():
        full = f"{path} {name}"
        usage = child.format_usage().removeprefix("usage: ").strip()
        if _subcommands(child) is None:
            yield f'.SS "{esc(full)}"\n{esc(helps.get(name, ""))}\n.PP\n.nf\n{esc(usage)}\n.fi'
            options = [o for o in _options(child) if not o.startswith(".TP\n.B \\-h")]
            if options:
                yield ".RS\n" + "\n".join(options) + "\n.RE"
        yield from _commands(child, full)


def render(version: str, date: str) -> str:
    parser = build_parser()
    parts = [
        f'.TH SOHOA 1 "{date}" "sohoa {esc(version)}" "User Commands"',
        ".SH NAME", "sohoa \\- " + esc(parser.description or ""),
        ".SH SYNOPSIS", ".B sohoa", "[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]",
        ".SH DESCRIPTION",
        esc("sohoa is the desk station on which ward clerks digitise legacy dossiers. "
            "sohoa gui opens the desktop app; the other commands do the same work from a "
            "terminal or a script. Every command that prints data takes --json; progress goes to "
            "stderr. Passwords come from --password-file, SOHOA_PASSWORD or a prompt, "
            "never from the command line."),
        ".SH OPTIONS", *_options(parser),
        ".SH COMMANDS", *_commands(parser, "sohoa"),
        ".SH FILES",
        ".TP\n.B /etc/sohoa/site.toml\n" + esc(
            "the site file IT installed (root:sohoa 0640); applied at the first admin login "
            "or by sohoa site apply. Members of the sohoa group can read it."),
        ".TP\n.B ~/.local/share/sohoa\n" + esc(
            "the default store folder (an encrypted SQLCipher database and its key file); "
            "removing or upgrading the package never touches it."),
        ".TP\n.B /opt/sohoa\n" + esc(
            "the program and its Python environment; requirements.lock lists every bundled "
            "package with its version and hash, BUILD-INFO the commit it was built from."),
        ".SH ENVIRONMENT",
        ".TP\n.B SOHOA_USER, SOHOA_PASSWORD, SOHOA_NEW_PASSWORD, SOHOA_RECOVERY_KEY\n"
        + esc("who you are and the secrets a command asks for (instead of a prompt)."),
        ".TP\n.B SOHOA_DEBUG\n" + esc("show the stack of an internal error."),
        ".SH EXIT STATUS",
        *(f".TP\n.B {int(code)}\n{esc(EXIT_MEANINGS.get(code.name, code.name.lower()))}"
          for code in ExitCode),
        ".SH SEE ALSO",
        esc("/usr/share/doc/sohoa/ and the project's docs/cli.md and docs/install.md."),
    ]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--version", required=True)
    args.add_argument("--date", required=True, help="YYYY-MM-DD (the commit's date)")
    ns = args.parse_args(argv)
    sys.stdout.write(render(ns.version, ns.date))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
