"""Store benchmark: SQLCipher against plain SQLite on the same workload, as a ratio.

Fills N documents (3 pages each, realistic Vietnamese text, a small page image)
through the real store API — audit rows, search index and all — then measures
insert rate, time to open the store, and FTS query latency (p50/p95, snippets
included). The peer is the same SQLite build (sqlcipher3) with no key and the
same pragmas (page cache included), so the ratio is the cost of encryption alone.

    .venv/bin/python bench/store.py --docs 100000      # the figures in docs/benchmarks.md
    .venv/bin/python bench/store.py --docs 2000        # a quick look
"""

from __future__ import annotations

import argparse
import json
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


def fill(session: store_session.Session, docs: int, pages: int, seed: int) -> float:
    rng = random.Random(seed)
    start = time.perf_counter()
    per_dossier = 10
    for i in range(docs):
        if i % 5000 == 0:
            batch = batches.get_or_create_batch(session, f"lô-{seed}-{i // 5000}")
        if i % per_dossier == 0:
            dossier = documents.add_dossier(session, batch, f"H29.{seed}.{i // per_dossier:06d}",
                                            title="Hồ sơ")
        meta, texts = vntext.document(rng, pages)
        page_inputs = [documents.PageInput(image=IMAGE + i.to_bytes(4, "big") + bytes([p]),
                                           mime="image/jpeg", dpi=300, ocr_status="done",
                                           ocr_text=t) for p, t in enumerate(texts)]
        documents.add_document(session, dossier, page_inputs, meta)
        if i and i % 10000 == 0:
            print(f"  {i} documents, {i / (time.perf_counter() - start):.0f}/s", file=sys.stderr)
    return docs / (time.perf_counter() - start)


def query_latency(session: store_session.Session) -> tuple[float, float]:
    timings = []
    for _ in range(10):
        for q in QUERIES:
            t0 = time.perf_counter()
            search.search(session, q, limit=20)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def run(kind: str, folder: Path, docs: int, pages: int) -> dict[str, float]:
    key = b"\x42" * 32
    path = folder / "store.db"
    conn = open_encrypted(path, key) if kind == "sqlcipher" else open_plain(path)
    session = make_session(conn, folder)
    rate = fill(session, docs, pages, seed=7)
    conn.close()
    t0 = time.perf_counter()
    conn = open_encrypted(path, key) if kind == "sqlcipher" else open_plain(path)
    conn.execute("SELECT count(*) FROM document").fetchone()
    open_s = time.perf_counter() - t0
    session.conn = conn
    p50, p95 = query_latency(session)
    size = sum(p.stat().st_size for p in folder.glob("store.db*"))
    conn.close()
    return {"docs_per_s": rate, "pages_per_s": rate * pages, "open_s": open_s,
            "fts_p50_ms": p50, "fts_p95_ms": p95, "size_mb": size / 1e6}


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
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: temp)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.dir, prefix="sohoa-bench-"))
    try:
        results = {}
        for kind in ("sqlite", "sqlcipher"):
            folder = base / kind
            folder.mkdir()
            print(f"{kind}: filling {args.docs} documents x {args.pages} pages", file=sys.stderr)
            results[kind] = run(kind, folder, args.docs, args.pages)
            shutil.rmtree(folder)
        results["login_s"] = {"sqlcipher": login_time(base)}
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
    print("ratio = SQLCipher cost relative to plain SQLite (1.00 = no cost)")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
