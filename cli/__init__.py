"""The `sohoa` command line: a thin face over the core."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from cli.main import run

    return run(argv)
