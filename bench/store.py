"""Store benchmark: SQLCipher against plain SQLite on the same workload, as a ratio.

Fills N documents (3 pages each, realistic Vietnamese text, a small page image)
into two stores through the real store API — audit rows, search index and all —
in alternating chunks, then measures insert rate, time to open the store, and
FTS query latency (p50/p95, snippets included; each query on both stores in
turn). The peer is the same SQLite build (sqlcipher3) with no key and the same
pragmas (page cache included), so the ratio is the cost of encryption alone.

    .venv/bin/python bench/store.py --docs 100000      # the figures in docs/benchmarks.md
    .venv/bin/python bench/store.py --docs 2000        # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import vntext
from store import batches, db, documents, search
from store import session as store_session
from store.roles import Role, User
from store.settings import StoreSettings

QUERIES = ["nguyen van an", "giay phep xay dung", "QĐ-UBND", "dai doan ket", "Bến Nghé",
           "tran thi hoa", "xu phat vi pham", "thuong tru tam tru", "ho ngheo", "pasteur",
           "dien bien phu", "le loi", "an toan thuc pham", "ngan sach", "hieu luc"]
IMAGE = bytes(range(256)) * 8  # 2 KB stand-in: images are measured by the capture bench
KEY = b"\x42" * 32


class PlainSession(store_session.Session):
    """A Session whose connection has no key: the peer for the ratio."""


def open_plain(path: Path) -> db.Connection:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    for pragma in (*db.CACHE_PRAGMAS, "journal_mode = WAL", "synchronous = NORMAL",
                   "foreign_keys = ON", "busy_timeout = 5000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn  # type: ignore[no-any-return]


def open_encrypted(path: Path, key: bytes) -> db.Connection:
    return db.connect(path, key)


def make_session(conn: db.Connection, folder: Path) -> store_session.Session:
    db.migrate(conn)
    ts = "2024-01-01T00:00:00"
    conn.execute("INSERT INTO user (name, role, created_at) VALUES ('lan', 'clerk', ?)", (ts,))
    settings = StoreSettings(data_dir=folder)
    user = User(1, "lan", Role.CLERK)
    return store_session.Session(settings, conn, user, None, _NoLock(), bytearray())  # type: ignore[arg-type]


class _NoLock:
    def release(self) -> None:
        pass


class Filler:
    """Adds documents to one store a chunk at a time, keeping its own clock.

    Both stores are filled in alternating chunks so that they meet the same machine:
    on a shared machine, filling one store after the other let a busy spell land on
    only one side of the ratio (runs gave 1.37 and 1.51 for the same code).
    """

    def __init__(self, session: store_session.Session, pages: int, seed: int) -> None:
        self.session, self.pages = session, pages
        self.rng = random.Random(seed)
        self.done, self.seconds = 0, 0.0
        self.batch: batches.BatchInfo | None = None
        self.dossier = 0

    def add(self, count: int) -> None:
        start = time.perf_counter()
        for i in range(self.done, self.done + count):
            if i % 5000 == 0:
                self.batch = batches.get_or_create_batch(self.session, f"lô-{i // 5000}")
            assert self.batch is not None
            if i % 10 == 0:
                self.dossier = documents.add_dossier(self.session, self.batch,
                                                     f"H29.7.{i // 10:06d}", title="Hồ sơ")
            meta, texts = vntext.document(self.rng, self.pages)
            page_inputs = [documents.PageInput(image=IMAGE + i.to_bytes(4, "big") + bytes([p]),
                                               mime="image/jpeg", dpi=300, ocr_status="done",
                                               ocr_text=t) for p, t in enumerate(texts)]
            documents.add_document(self.session, self.dossier, page_inputs, meta)
        self.done += count
        self.seconds += time.perf_counter() - start


def query_latency(sessions: dict[str, store_session.Session]) -> dict[str, tuple[float, float]]:
    """p50/p95 per store; each query runs on both stores back to back."""
    timings: dict[str, list[float]] = {kind: [] for kind in sessions}
    for _ in range(10):
        for q in QUERIES:
            for kind, session in sessions.items():
                t0 = time.perf_counter()
                search.search(session, q, limit=20)
                timings[kind].append((time.perf_counter() - t0) * 1000)
    out = {}
    for kind, values in timings.items():
        values.sort()
        out[kind] = (statistics.median(values), values[int(len(values) * 0.95) - 1])
    return out


def open_kind(kind: str, path: Path) -> db.Connection:
    return open_encrypted(path, KEY) if kind == "sqlcipher" else open_plain(path)


def run(base: Path, docs: int, pages: int, chunk: int) -> dict[str, dict[str, float]]:
    kinds = ("sqlite", "sqlcipher")
    folders = {k: base / k for k in kinds}
    fillers = {}
    for kind in kinds:
        folders[kind].mkdir()
        conn = open_kind(kind, folders[kind] / "store.db")
        fillers[kind] = Filler(make_session(conn, folders[kind]), pages, seed=7)
    while fillers["sqlite"].done < docs:
        step = min(chunk, docs - fillers["sqlite"].done)
        for kind in kinds:
            fillers[kind].add(step)
        rates = "  ".join(f"{k} {f.done / f.seconds:.0f}/s" for k, f in fillers.items())
        print(f"  {fillers['sqlite'].done} documents: {rates}", file=sys.stderr)
    results: dict[str, dict[str, float]] = {}
    for kind, filler in fillers.items():
        filler.session.conn.close()
        t0 = time.perf_counter()
        conn = open_kind(kind, folders[kind] / "store.db")
        conn.execute("SELECT count(*) FROM document").fetchone()
        filler.session.conn = conn
        rate = docs / filler.seconds
        results[kind] = {"docs_per_s": rate, "pages_per_s": rate * pages,
                         "open_s": time.perf_counter() - t0}
    latency = query_latency({k: f.session for k, f in fillers.items()})
    for kind, filler in fillers.items():
        results[kind]["fts_p50_ms"], results[kind]["fts_p95_ms"] = latency[kind]
        filler.session.conn.close()
        results[kind]["size_mb"] = sum(
            p.stat().st_size for p in folders[kind].glob("store.db*")) / 1e6
    return results


def copy_floor(path: Path) -> float:
    """Seconds to copy the store file with an fsync: the I/O floor of rewriting every page."""
    copy = path.with_name("copy.db")
    t0 = time.perf_counter()
    with open(path, "rb") as src, open(copy, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    seconds = time.perf_counter() - t0
    copy.unlink()
    return seconds


def rekey_time(folder: Path) -> dict[str, float]:
    """Re-encrypting the filled store under a new key (what disabling a user costs), and
    its peer: copying the same file with an fsync, the I/O floor of rewriting every page.

    ``PRAGMA rekey`` and the checkpoint are all but the whole of store.rekey.rekey (the
    key file it also writes is a few kB).
    """
    path = folder / "store.db"
    conn = open_encrypted(path, KEY)
    t0 = time.perf_counter()
    new_key = (b"\x43" * 32).hex()
    conn.execute(f"PRAGMA rekey = \"x'{new_key}'\"")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    rekey_s = time.perf_counter() - t0
    conn.close()
    return {"rekey_s": rekey_s, "copy_s": copy_floor(path),
            "size_mb": path.stat().st_size / 1e6}


def login_time(tmp: Path) -> float:
    """The whole login a clerk waits for: Argon2id + open + schema check + audit row."""
    settings = StoreSettings(data_dir=tmp / "login")
    store_session.init_store(settings, "admin", "admin-password")
    t0 = time.perf_counter()
    store_session.open_session(settings, "admin", "admin-password").close()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=5000,
                        help="documents per turn of each store (they alternate)")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: temp)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.dir, prefix="sohoa-bench-"))
    try:
        print(f"filling 2 x {args.docs} documents x {args.pages} pages, alternating",
              file=sys.stderr)
        results: dict = run(base, args.docs, args.pages, args.chunk)  # type: ignore[type-arg]
        results["login_s"] = {"sqlcipher": login_time(base)}
        results["rekey"] = rekey_time(base / "sqlcipher")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    report(results, args.docs, args.pages)


def report(results: dict, docs: int, pages: int) -> None:  # type: ignore[type-arg]
    plain, enc = results["sqlite"], results["sqlcipher"]
    print(f"store benchmark: {docs} documents, {docs * pages} pages")
    print(f"{'measure':22}{'SQLite':>12}{'SQLCipher':>12}{'ratio':>8}")
    for key in ("docs_per_s", "pages_per_s", "open_s", "fts_p50_ms", "fts_p95_ms", "size_mb"):
        ratio = (plain[key] / enc[key]) if key.endswith("_per_s") else (enc[key] / plain[key])
        print(f"{key:22}{plain[key]:12.3f}{enc[key]:12.3f}{ratio:8.2f}")
    print(f"full login (Argon2id + open + audit): {results['login_s']['sqlcipher']:.3f} s")
    rk = results["rekey"]
    print(f"re-key (disable a user, admin password reset): {rk['rekey_s']:.2f} s for "
          f"{rk['size_mb']:.0f} MB; copying the file: {rk['copy_s']:.2f} s; "
          f"ratio {rk['rekey_s'] / rk['copy_s']:.1f}")
    print("ratio = SQLCipher cost relative to plain SQLite (1.00 = no cost)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
