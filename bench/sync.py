"""Sync benchmark: tus upload against one plain HTTP PUT of the same bytes, on loopback.

Starts the reference warehouse (``--bench-sink`` adds ``PUT /v1/sink``, which
writes and hashes a body exactly as an upload chunk is written and hashed),
enrols a station, then:

1. throughput: the same N MiB sent (a) by the sync's tus client — creation,
   HEAD, one PATCH per chunk with its SHA-256 checksum — and (b) by one PUT,
   alternately, ``--runs`` times; the median of the per-pair ratios tus/PUT
   is the price of resumability;
2. resend after a cut: the sync's own client sends the payload (N MiB and a
   half, so 50 % is not on a chunk boundary) and its link dies at the byte at
   50 %, in the middle of a PATCH; a fresh client resumes from the server's
   offset. The warehouse counts every body byte it received, so
   resent = received − size, to compare with the chunk that was in flight.

Both for the default chunking (1 MiB, growing toward 2 s per PATCH up to
16 MiB) and for fixed chunks of ``--chunk-kib``.

    .venv/bin/python bench/sync.py                  # the figures in docs/benchmarks.md
    .venv/bin/python bench/sync.py --mib 16 --runs 1
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
AGENCY = "000.00.12.H29"  # the station is bound to it; the bench dossier code is of it
sys.path.insert(0, str(ROOT))

from store.outbox import Credential  # noqa: E402
from sync.client import PackageRef, WarehouseClient, enrol  # noqa: E402
from sync.net import Backoff, Http, WarehouseError  # noqa: E402
from sync.settings import MIB, SyncSettings  # noqa: E402
from sync.tus import Transfer, TusClient  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def warehouse(data: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "warehouse", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--data", str(data), "--bench-sink"], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(requests.RequestException):
                if requests.get(url + "/v1/health", timeout=1).ok:
                    break
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def token(data: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "warehouse", "token", "--data", str(data),
                           "--station", "bench", "--agency", AGENCY], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def transfer(settings: SyncSettings) -> Transfer:
    return Transfer(settings.chunk_size, 3, Backoff(0.1, 1, 5, random.Random(1)),
                    threading.Event(), None, settings.max_chunk_size, settings.chunk_seconds)


def tus_once(credential: Credential, settings: SyncSettings, payload: Path) -> float:
    size = payload.stat().st_size
    client = WarehouseClient(credential, settings)
    try:
        started = time.perf_counter()
        ref = PackageRef(f"{AGENCY}.2024.99", "0" * 64, size, "bench")
        url = client.create(ref, transfer(settings))
        client.tus.send(url, payload, size, transfer(settings), lambda *_: None)
        return time.perf_counter() - started
    finally:
        client.close()


def put_once(url: str, credential: Credential, payload: Path) -> float:
    with requests.Session() as http, open(payload, "rb") as fh:
        started = time.perf_counter()
        answer = http.put(url + "/v1/sink", data=fh, timeout=300,
                          headers={"Authorization": f"Bearer {credential.secret}"})
        elapsed = time.perf_counter() - started
    answer.raise_for_status()
    assert answer.json()["size"] == payload.stat().st_size
    return elapsed


class LinkCut(Exception):
    pass


class CutBody:
    """A PATCH body that breaks off after ``cut`` bytes, as a dying link would."""

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut = data, cut

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, self.cut, 64 * 1024):
            yield self.data[start:min(start + 64 * 1024, self.cut)]
        raise ConnectionAbortedError("link cut")


class CuttingTus(TusClient):
    """The sync's own tus client, whose link dies halfway through the upload: the
    PATCH carrying the byte at 50 % (with its checksum, as always) stops there."""

    def __init__(self, http: Http, size: int) -> None:
        super().__init__(http)
        self.half = size // 2
        self.chunk_at_cut = 0

    def patch(self, url: str, offset: int, data: bytes, transfer: Transfer) -> int:
        if not offset <= self.half < offset + len(data):
            return super().patch(url, offset, data, transfer)
        self.chunk_at_cut = len(data)
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
        with contextlib.suppress(WarehouseError):
            self.http.request("PATCH", url, ok=(204,), data=CutBody(data, self.half - offset),
                              headers={"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
                                       "Upload-Checksum": f"sha256 {digest}",
                                       "Content-Type": "application/offset+octet-stream"})
        raise LinkCut()


def resend_after_cut(data_dir: Path, credential: Credential, settings: SyncSettings,
                     payload: Path) -> dict[str, int]:
    size = payload.stat().st_size
    client = WarehouseClient(credential, settings)
    cutting = CuttingTus(client.http, size)
    ref = PackageRef(f"{AGENCY}.2024.98", "0" * 64, size, "bench")
    url = client.create(ref, transfer(settings))
    with contextlib.suppress(LinkCut):
        cutting.send(url, payload, size, transfer(settings), lambda *_: None)
    client.close()
    time.sleep(0.5)  # the server sees the connection go
    resumed = WarehouseClient(credential, settings)  # a new process would start like this
    resumed.tus.send(url, payload, size, transfer(settings), lambda *_: None)
    resumed.close()
    with contextlib.closing(sqlite3.connect(data_dir / "index.db")) as index:
        received = index.execute("SELECT bytes_received FROM upload WHERE id = ?",
                                 (url.rsplit("/", 1)[-1],)).fetchone()[0]
    return {"size": size, "chunk_at_cut": cutting.chunk_at_cut, "received": int(received),
            "resent": int(received) - size}


def measure(url: str, data: Path, credential: Credential, settings: SyncSettings,
            payload: Path, runs: int) -> dict[str, float]:
    pairs = []  # interleaved, so a busy moment of the machine hits both alike
    for _ in range(runs):
        pairs.append((tus_once(credential, settings, payload),
                      put_once(url, credential, payload)))
    tus = statistics.median(t for t, _ in pairs)
    put = statistics.median(p for _, p in pairs)
    cut = resend_after_cut(data, credential, settings, payload)
    mb = payload.stat().st_size / 1e6
    return {"tus_mb_s": round(mb / tus, 1), "put_mb_s": round(mb / put, 1),
            "ratio": round(statistics.median(p / t for t, p in pairs), 3), **cut,
            "resent_fraction_of_chunk": round(cut["resent"] / cut["chunk_at_cut"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=64, help="payload size")
    parser.add_argument("--chunk-kib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sohoa-bench-sync-"))
    try:
        payload = work / "payload.bin"
        with open(payload, "wb") as fh:  # N MiB and a half: 50 % is not a chunk boundary
            for _ in range(args.mib):
                fh.write(os.urandom(MIB))
            fh.write(os.urandom(MIB // 2))
        chunk = args.chunk_kib * 1024
        configs = {"default (1 MiB, growing to 16 MiB)": SyncSettings(),
                   f"fixed {args.chunk_kib} KiB": SyncSettings(chunk_size=chunk,
                                                               max_chunk_size=chunk)}
        data = work / "wh"
        results = {}
        with warehouse(data) as url:
            credential = enrol(url, token(data), "bench", SyncSettings())
            for name, settings in configs.items():
                results[name] = measure(url, data, credential, settings, payload, args.runs)
        print(json.dumps({"payload_mib": args.mib, "runs": args.runs, **results}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
