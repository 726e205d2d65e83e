"""Write-ahead journal of every order intent and venue answer, in SQLite.

The intent is written (and committed) before the request leaves the machine, so after a
crash the console knows which orders it may have sent and reconciles them by client order
id instead of guessing. WAL mode keeps a write cheap enough for the order path.

The write-ahead log is folded into the database (a checkpoint, with its two disk syncs) on
a thread of its own every half minute (`fold_regularly`), never by the commit of an order:
left to SQLite, every few hundred records one commit would wait milliseconds on the disk.

Durability: WAL with `synchronous=NORMAL`. A commit survives the console being killed
(the write is in the operating system's hands when `record` returns); a power cut or a
kernel crash may lose the last commits, never the journal's consistency. An order whose
intent was lost that way is found again as an orphan by reconciliation.

A journal is the order record of one console: the console that trades on it holds a lock
beside it, and a second console on the same journal is refused at start. A journal that
cannot be read is never overwritten or deleted: the console refuses to start and says
where it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

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


class JournalError(Exception):
    """The journal cannot be opened, read or written; worded for the trader, with its path
    and what to do."""


MEMORY = ":memory:"
FOLD_EVERY = 30.0
"""Seconds between checkpoints of the write-ahead log."""

log = logging.getLogger(__name__)


class Journal:
    def __init__(self, path: Path | str, venue: str, exclusive: bool = False) -> None:
        """Open (creating it, readable by its owner only) the journal at `path`. With
        `exclusive`, hold its lock for as long as this journal is open: the console that
        trades on it does."""
        self.venue = venue
        self.path = str(path)
        self._lock: IO[bytes] | None = None
        if self.path != MEMORY:
            _create_or_check(Path(self.path))
            if exclusive:
                self._lock = _take_lock(Path(self.path))
        try:
            # opened where the console starts, written on the trading core's thread only;
            # each record its own transaction (`record`)
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA wal_autocheckpoint=0")  # folded by `fold_regularly`
            (verdict,) = self.db.execute("PRAGMA quick_check").fetchone()
            if verdict != "ok":
                raise sqlite3.DatabaseError(verdict)
            self.db.executescript(SCHEMA)
        except sqlite3.Error as error:
            self.close()
            raise unreadable(self.path, error) from None
        self._encode = msgspec.json.Encoder().encode
        self._decode = msgspec.json.Decoder(Order).decode

    def record(self, kind: str, order: Order) -> None:
        """Append one event (`intent`, `answer`, `unknown`, `update`, ...) and commit it;
        raises `JournalError` when the write fails (a full disk, say). One statement, which
        SQLite commits as it ends: a transaction opened and committed around it would be two
        more calls that let the screen's thread run Python and wait to get it back, on the
        order path."""
        try:
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
        except sqlite3.Error as error:
            raise JournalError(
                f"the order journal {self.path} cannot be written: {error}"
            ) from None

    def latest(self) -> dict[str, Order]:
        """Each order's last known state, for recovery at start."""
        rows = self.db.execute(
            "SELECT order_json FROM order_events WHERE seq IN (SELECT MAX(seq) FROM "
            "order_events WHERE venue = ? GROUP BY client_order_id)",
            (self.venue,),
        )
        try:
            orders = [self._decode(row[0]) for row in rows]
        except (sqlite3.Error, msgspec.DecodeError) as error:
            raise unreadable(self.path, error) from None
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

    def fold(self) -> int:
        """Fold the write-ahead log into the database, on a connection of its own (any
        thread may call it), without waiting for a writer; how many pages were folded."""
        if self.path == MEMORY:
            return 0
        with contextlib.closing(sqlite3.connect(self.path)) as db:
            _, _, folded = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(folded)

    async def fold_regularly(self, every: float = FOLD_EVERY) -> None:
        """Fold every `every` seconds on a worker thread, until cancelled. A fold that fails
        loses nothing (the log only grows) and is said in the log."""
        while True:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(self.fold)
            except sqlite3.Error as error:
                log.warning("the order journal's log could not be folded: %s", error)

    def close(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def unreadable(path: str, error: Exception) -> JournalError:
    return JournalError(
        f"the order journal {path} cannot be read ({error}). It was left as it is: move it "
        "aside (keep it: it may hold orders still open) and start again"
    )


def _create_or_check(path: Path) -> None:
    """Create a new journal file only its owner can read; refuse one that is there but
    empty: a journal holds its schema from its first moment, so it was emptied."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        if path.is_file() and path.stat().st_size == 0:
            raise JournalError(
                f"the order journal {path} is empty: it was truncated, and the orders it "
                "held are not known here. Restore it from a backup, or move it aside to "
                "start a new one"
            ) from None
        return
    except OSError as error:
        raise JournalError(f"the order journal {path} cannot be created: {error}") from None
    os.close(descriptor)


def _take_lock(path: Path) -> IO[bytes]:
    """Hold the journal's lock file, or say which console holds it. The lock goes with
    the process, however it ends."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the journal's life
    except OSError as error:
        raise JournalError(f"cannot lock the order journal {path}: {error}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().decode(errors="replace").strip() or "another process"
        handle.close()
        raise JournalError(
            f"another console ({holder}) is trading on the order journal {path}: one "
            "console per venue and environment, or give this one its own data directory "
            "(XDG_DATA_HOME)"
        ) from None
    handle.truncate(0)
    handle.write(f"pid {os.getpid()}".encode())
    handle.flush()
    return handle


def _plain(value: object) -> object:
    return "" if value is None else value
