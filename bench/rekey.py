"""Re-key benchmark: the product's re-key of a real store, against two peers, as ratios.

Why a script of its own: bench/store.py fills a plain and an encrypted store side
by side (for the cost of encryption); the re-key only needs the encrypted one, and
at 100,000 documents filling a second store doubles an already long run.

The store is made the real way (``init_store``, an admin, a clerk and a supervisor,
so three key slots are re-sealed) and filled through the real store API by a clerk
(the same documents as bench/store.py: 3 pages each, realistic Vietnamese text, a
small page image). Then, in alternating rounds on the same file:

- **product**: :func:`store.rekey.rekey` as an admin calls it when a user is disabled
  or a password reset (new key, every slot re-sealed, ``PRAGMA rekey`` in WAL mode,
  checkpoint, key file promoted);
- **peer: export**: ``sqlcipher_export`` of the same database into a new file under a
  new key (the other way SQLCipher documents for changing a key), fsynced;
- **floor: copy**: copying the file with an fsync (the I/O of rewriting every page once).

    nice -n 10 .venv/bin/python bench/rekey.py --docs 100000   # docs/benchmarks.md
    .venv/bin/python bench/rekey.py --docs 2000 --rounds 1     # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store import Filler, copy_floor
from store import db, rekey, users
from store.roles import Role
from store.session import init_store, open_session
from store.settings import StoreSettings

PASSWORDS = {"admin": "bench-admin-1", "lan": "bench-clerk-1", "minh": "bench-super-1"}


def fill(settings: StoreSettings, docs: int, pages: int, chunk: int) -> float:
    """A real store with ``docs`` documents; returns the seconds filling took."""
    init_store(settings, "admin", PASSWORDS["admin"])
    with open_session(settings, "admin", PASSWORDS["admin"]) as admin:
        users.add_user(admin, "lan", Role.CLERK, PASSWORDS["lan"])
        users.add_user(admin, "minh", Role.SUPERVISOR, PASSWORDS["minh"])
    t0 = time.perf_counter()
    with open_session(settings, "lan", PASSWORDS["lan"]) as clerk:
        filler = Filler(clerk, pages, seed=7)
        while filler.done < docs:
            filler.add(min(chunk, docs - filler.done))
            print(f"  {filler.done} documents ({filler.done / filler.seconds:.0f}/s)",
                  file=sys.stderr)
        clerk.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return time.perf_counter() - t0


def product(settings: StoreSettings) -> float:
    with open_session(settings, "admin", PASSWORDS["admin"]) as admin:
        t0 = time.perf_counter()
        rekey.rekey(admin, "bench")
        return time.perf_counter() - t0


def export_peer(settings: StoreSettings, folder: Path) -> float:
    """``sqlcipher_export`` into a new file under a new key, with the store's cipher settings."""
    target = folder / "exported.db"
    with open_session(settings, "admin", PASSWORDS["admin"]) as admin:
        conn = admin.conn
        hmac = db.hmac_algorithm(conn)
        t0 = time.perf_counter()
        conn.execute(f"ATTACH DATABASE ? AS fresh KEY \"x'{os.urandom(32).hex()}'\"",
                     (str(target),))
        conn.execute(f"PRAGMA fresh.cipher_page_size = {db.PAGE_SIZE}")
        conn.execute(f"PRAGMA fresh.cipher_hmac_algorithm = {hmac}")
        conn.execute("SELECT sqlcipher_export('fresh')").fetchone()
        conn.execute("DETACH DATABASE fresh")
        _fsync(target)
        seconds = time.perf_counter() - t0
    target.unlink()
    return seconds


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def measure(settings: StoreSettings, folder: Path, rounds: int) -> dict[str, list[float]]:
    """Alternate the three, so a busy spell on the shared machine hits each in turn."""
    times: dict[str, list[float]] = {"rekey_s": [], "export_s": [], "copy_s": []}
    for n in range(rounds):
        for name, run in (("copy_s", lambda: copy_floor(settings.paths.db)),
                          ("export_s", lambda: export_peer(settings, folder)),
                          ("rekey_s", lambda: product(settings))):
            times[name].append(run())
            print(f"  round {n + 1}: {name} {times[name][-1]:.1f}", file=sys.stderr)
    return times


def check_open(settings: StoreSettings, docs: int) -> None:
    """After the re-keys every user still opens the store and sees every document."""
    with open_session(settings, "minh", PASSWORDS["minh"]) as supervisor:
        count = supervisor.conn.execute("SELECT count(*) FROM document").fetchone()[0]
    if count != docs:
        raise SystemExit(f"after re-key the store holds {count} documents, not {docs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: temp)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.dir, prefix="sohoa-rekey-"))
    settings = StoreSettings(data_dir=base / "store")
    try:
        fill_s = fill(settings, args.docs, args.pages, args.chunk)
        size_mb = settings.paths.db.stat().st_size / 1e6
        times = measure(settings, base, args.rounds)
        check_open(settings, args.docs)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    report(args.docs, size_mb, fill_s, times)


def report(docs: int, size_mb: float, fill_s: float, times: dict[str, list[float]]) -> None:
    best = {k: min(v) for k, v in times.items()}
    print(f"re-key benchmark: {docs} documents, store {size_mb:.0f} MB (filled in {fill_s:.0f} s)")
    print(f"{'measure':34}{'best, s':>10}{'all runs, s':>24}")
    for key, label in (("rekey_s", "sohoa re-key (store.rekey.rekey)"),
                       ("export_s", "peer: sqlcipher_export + fsync"),
                       ("copy_s", "floor: copy the file + fsync")):
        runs = ", ".join(f"{t:.1f}" for t in times[key])
        print(f"{label:34}{best[key]:10.1f}{runs:>24}")
    print(f"ratio re-key / export {best['rekey_s'] / best['export_s']:.2f};"
          f" re-key / copy {best['rekey_s'] / best['copy_s']:.2f}")
    print(json.dumps({"docs": docs, "size_mb": size_mb, "fill_s": fill_s, **times}))


if __name__ == "__main__":
    main()
