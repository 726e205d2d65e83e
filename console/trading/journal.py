"""Write-ahead journal of every order intent and venue answer, in SQLite.

The intent is written (and committed) before the request leaves the machine, so after a
crash the console knows which orders it may have sent and reconciles them by client order
id instead of guessing. WAL mode keeps a write cheap enough for the order path.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from console.model import Order

SCHEMA = """
CREATE TABLE IF NOT EXISTS order_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    venue TEXT NOT NULL,
    client_order_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    order_json BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS order_events_by_id ON order_events (venue, client_order_id);
"""


EXPORT_FIELDS = [
    "seq",
    "at",
    "venue",
    "client_order_id",
    "event",
    *(name for name in Order.__struct_fields__ if name != "client_order_id"),
]
"""The columns of an export (an empty journal still gets its header)."""


class Journal:
    def __init__(self, path: Path | str, venue: str) -> None:
        self.venue = venue
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._encode = msgspec.json.Encoder().encode
        self._decode = msgspec.json.Decoder(Order).decode

    def record(self, kind: str, order: Order) -> None:
        """Append one event (`intent`, `answer`, `unknown`, `update`, ...) and commit it."""
        with self.db:
            self.db.execute(
                "INSERT INTO order_events (at_ms, venue, client_order_id, kind, order_json) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    int(time.time() * 1000),
                    self.venue,
                    order.client_order_id,
                    kind,
                    self._encode(order),
                ),
            )

    def latest(self) -> dict[str, Order]:
        """Each order's last known state, for recovery at start."""
        rows = self.db.execute(
            "SELECT order_json FROM order_events WHERE seq IN (SELECT MAX(seq) FROM "
            "order_events WHERE venue = ? GROUP BY client_order_id)",
            (self.venue,),
        )
        orders = (self._decode(row[0]) for row in rows)
        return {order.client_order_id: order for order in orders}

    def events(self, client_order_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT kind FROM order_events WHERE venue = ? AND client_order_id = ? ORDER BY seq",
            (self.venue, client_order_id),
        )
        return [row[0] for row in rows]

    def export(self, since_ms: int = 0) -> list[dict[str, object]]:
        """Every event from `since_ms` on, oldest first, flat enough for a spreadsheet."""
        rows = self.db.execute(
            "SELECT seq, at_ms, venue, client_order_id, kind, order_json FROM order_events "
            "WHERE at_ms >= ? ORDER BY seq",
            (since_ms,),
        )
        return [
            {
                "seq": seq,
                "at": datetime.fromtimestamp(at_ms / 1000, UTC).isoformat(timespec="milliseconds"),
                "venue": venue,
                "client_order_id": client_order_id,
                "event": kind,
                **{
                    field: _plain(value)
                    for field, value in msgspec.to_builtins(self._decode(raw)).items()
                    if field != "client_order_id"
                },
            }
            for seq, at_ms, venue, client_order_id, kind, raw in rows
        ]

    def close(self) -> None:
        self.db.close()


def _plain(value: object) -> object:
    return "" if value is None else value
