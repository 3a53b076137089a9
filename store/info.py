"""A summary of a store for `sohoa info` and the admin health page."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from store import db
from store.session import Session


@dataclass(frozen=True)
class StoreInfo:
    data_dir: str
    store_id: str
    schema: int
    user: str
    role: str
    users: int
    batches: int
    dossiers: int
    documents: int
    pages: int
    store_bytes: int
    last_backup: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def info(session: Session) -> StoreInfo:
    conn = session.conn

    def count(table: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    paths = session.settings.paths
    size = sum(p.stat().st_size for p in (paths.db, paths.db.with_name("store.db-wal"))
               if p.exists())
    last = conn.execute("SELECT max(ts) FROM audit WHERE action = 'store.backup'").fetchone()[0]
    return StoreInfo(
        data_dir=str(paths.data_dir), store_id=session.keyring.store_id,
        schema=db.user_version(conn), user=session.user.name, role=session.user.role.value,
        users=count("user"), batches=count("batch"), dossiers=count("dossier"),
        documents=count("document"), pages=count("page"), store_bytes=size, last_backup=last)
