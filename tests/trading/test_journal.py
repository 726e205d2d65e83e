"""The journal's own guarantees: one console on it at a time, and a damaged journal
refused at once with its path, never overwritten or deleted."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console.trading.journal import Journal, JournalError
from tests.fakes import a_buy, until


def resting(client_id="tc-a-1"):
    return a_buy(client_id)


def test_a_second_console_on_the_same_journal_is_refused_and_told_who_holds_it(tmp_path):
    path = tmp_path / "orders.db"
    first = Journal(path, "binance", exclusive=True)
    with pytest.raises(JournalError, match=r"another console \(pid \d+\) is trading on"):
        Journal(path, "binance", exclusive=True)
    first.close()
    Journal(path, "binance", exclusive=True).close()  # free again once the first has gone


def test_reading_a_journal_another_console_trades_on_is_allowed(tmp_path):
    path = tmp_path / "orders.db"
    trading = Journal(path, "binance", exclusive=True)
    trading.record("intent", resting())
    reader = Journal(path, "binance")
    assert list(reader.latest()) == ["tc-a-1"]
    reader.close()
    trading.close()


def test_a_new_journal_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "orders.db"
    Journal(path, "binance").close()
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"not a database at all" * 200), id="garbage"),
        pytest.param(lambda path: path.mkdir(), id="a directory"),
        pytest.param(lambda path: path.write_bytes(b""), id="emptied"),
    ],
)
def test_a_damaged_journal_is_refused_with_its_path_and_left_as_it_is(tmp_path, damage):
    path = tmp_path / "orders.db"
    damage(path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(JournalError, match=str(path)):
        Journal(path, "binance")
    assert (path.read_bytes() if path.is_file() else None) == before


def a_journal_of_many_pages(tmp_path):
    """A journal of 300 orders, all in the database file itself (the WAL written back)."""
    path = tmp_path / "orders.db"
    journal = Journal(path, "binance")
    for n in range(300):
        journal.record("intent", resting(f"tc-a-{n}"))
    journal.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    journal.close()
    return path


def test_a_journal_cut_short_is_refused(tmp_path):
    path = a_journal_of_many_pages(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(JournalError, match="cannot be read"):
        Journal(path, "binance")


def test_a_journal_with_a_corrupted_middle_page_is_refused(tmp_path):
    path = a_journal_of_many_pages(tmp_path)
    data = bytearray(path.read_bytes())
    page = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    data[page * 2 : page * 3] = b"\xff" * page
    path.write_bytes(bytes(data))
    with pytest.raises(JournalError, match="cannot be read"):
        Journal(path, "binance")


def test_a_write_that_fails_says_so_as_a_journal_error(tmp_path):
    journal = Journal(tmp_path / "orders.db", "binance")
    journal.db.execute("PRAGMA query_only = ON")  # as a full disk refuses every write
    with pytest.raises(JournalError, match="cannot be written"):
        journal.record("intent", resting())
    journal.close()


def test_each_record_is_committed_as_it_is_written(tmp_path):
    journal = Journal(tmp_path / "orders.db", "binance")
    journal.record("intent", resting())
    reader = sqlite3.connect(tmp_path / "orders.db")
    assert not journal.db.in_transaction
    assert reader.execute("SELECT kind FROM order_events").fetchall() == [("intent",)]
    reader.close()
    journal.close()


def test_the_journal_runs_as_its_docstring_promises_wal_with_synchronous_normal(tmp_path):
    journal = Journal(tmp_path / "orders.db", "binance", exclusive=True)
    modes = journal.db.execute("PRAGMA journal_mode").fetchone()[0]
    synchronous = journal.db.execute("PRAGMA synchronous").fetchone()[0]
    journal.close()
    assert (modes, synchronous) == ("wal", 1)  # 1 is NORMAL


WRITE_THEN_DIE = """
import os, signal, sys
from console.trading.journal import Journal
from tests.fakes import a_buy, until
journal = Journal(sys.argv[1], "binance", exclusive=True)
journal.record("intent", a_buy("tc-a-1"))
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_recorded_intent_survives_the_console_being_killed_right_after(tmp_path):
    path = tmp_path / "orders.db"
    root = Path(__file__).resolve().parents[2]
    died = subprocess.run(
        [sys.executable, "-c", WRITE_THEN_DIE, str(path)], cwd=root, check=False, timeout=60
    )
    assert died.returncode == -9
    journal = Journal(path, "binance", exclusive=True)  # the dead console's lock is gone
    assert list(journal.latest()) == ["tc-a-1"]
    journal.close()


def wal_pages(path):
    """Pages in the journal's write-ahead log (its header is 32 bytes, a frame 24 + 4,096)."""
    wal = Path(f"{path}-wal")
    return 0 if not wal.exists() else (wal.stat().st_size - 32) // (24 + 4096)


def test_a_commit_never_folds_the_log_however_long_it_grows(tmp_path):
    path = tmp_path / "orders.db"
    journal = Journal(path, "binance")
    for n in range(1500):  # SQLite's own checkpoint would fold it at 1,000 pages
        journal.record("intent", resting(f"tc-a-{n}"))
    assert wal_pages(path) > 1000
    journal.close()


def test_folding_moves_the_log_into_the_database_and_keeps_every_record(tmp_path):
    path = tmp_path / "orders.db"
    journal = Journal(path, "binance")
    for n in range(50):
        journal.record("intent", resting(f"tc-a-{n}"))
    assert journal.fold() == wal_pages(path) > 0
    journal.record("answer", resting("tc-a-0"))  # writing goes on after a fold
    assert len(journal.latest()) == 50
    journal.close()


async def test_folding_regularly_folds_on_its_own_until_cancelled(tmp_path):
    import asyncio

    path = tmp_path / "orders.db"
    journal = Journal(path, "binance")
    folds = []
    journal.fold = lambda: folds.append(1) or 0
    folding = asyncio.ensure_future(journal.fold_regularly(every=0))
    await until(lambda: len(folds) >= 3)
    folding.cancel()
    await asyncio.gather(folding, return_exceptions=True)
    assert folding.cancelled()
    journal.close()
