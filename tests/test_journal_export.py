"""`trading-console journal export`: every journal event for a post-mortem, as CSV or JSON
lines, from a moment on."""

import csv
import io
import json
from decimal import Decimal

import msgspec
import pytest

from console.cli import main
from console.config import Locations
from console.model import Order, OrderStatus, OrderType, Side
from console.trading.journal import Journal


@pytest.fixture
def journal_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    journal = Journal(Locations().journal("binance", "production"), "binance")
    order = Order("BTCUSDT", "tc-1", Side.BUY, OrderType.LIMIT, Decimal("0.01"), Decimal(65000))
    journal.record("intent", order)
    journal.record("answer", msgspec.structs.replace(order, status=OrderStatus.NEW, order_id="42"))
    journal.close()


def test_jsonl_export_has_one_line_an_event_oldest_first(journal_file, capsys):
    assert main(["journal", "export", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["event"], r["status"], r["order_id"]) for r in rows] == [
        ("intent", "PENDING", ""),
        ("answer", "NEW", "42"),
    ]
    assert rows[0]["client_order_id"] == "tc-1" and rows[0]["price"] == "65000"


def test_csv_export_has_a_header_and_a_row_an_event(journal_file, capsys):
    assert main(["journal", "export"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["event"] for r in rows] == ["intent", "answer"]
    assert rows[1]["qty"] == "0.01"


def test_since_leaves_out_what_came_before(journal_file, capsys):
    assert main(["journal", "export", "--format", "jsonl", "--since", "2100-01-01"]) == 0
    assert capsys.readouterr().out == ""


def test_a_since_that_is_not_a_moment_is_refused_in_one_line(journal_file, capsys):
    assert main(["journal", "export", "--since", "yesterday"]) == 2
    assert "--since 'yesterday'" in capsys.readouterr().err


def test_exporting_a_damaged_journal_says_so_in_one_line_and_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = Locations().journal("binance", "production")
    path.write_bytes(b"garbage" * 1000)
    assert main(["journal", "export"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"trading-console: the order journal {path} cannot be read")


def test_the_console_refuses_to_start_on_a_damaged_journal_and_leaves_it(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("BINANCE_CUSTOM_API_KEY", "key")
    monkeypatch.setenv("BINANCE_CUSTOM_API_SECRET", "secret")
    path = Locations().journal("binance", "custom")
    path.write_bytes(b"garbage" * 1000)
    urls = ["--rest-url", "http://127.0.0.1:9", "--ws-url", "ws://127.0.0.1:9"]
    assert main(["--env", "custom", *urls]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "cannot be read" in line and "move it aside" in line
    assert path.read_bytes() == b"garbage" * 1000
