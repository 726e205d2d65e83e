"""The flight recorder: what it keeps, where, for how long, and what it never keeps."""

import re

import pytest
import zstandard

from console.config import Config, Locations
from console.launch import build
from console.net.recorder import Exchange, Frame, Opened, Recorder, read
from console.venues.feeds import BookState
from tests.fakes import until

DAY = 86_400_000_000_000
"""A day in nanoseconds."""
NOON = 1_797_076_800_000_000_000
"""2026-12-12T12:00:00Z in nanoseconds."""


class Wall:
    def __init__(self, ns=NOON):
        self.ns = ns

    def __call__(self):
        return self.ns


def written(recorder):
    """Close the recorder (its thread writes what is queued) and read its day back, after
    the record that opens the run."""
    recorder.close()
    opened, *records = read(recorder.path)
    assert isinstance(opened, Opened)
    return records


def frames(path):
    return [r.payload for r in read(path) if isinstance(r, Frame)]


def test_frames_and_exchanges_come_back_in_order_with_their_times(tmp_path):
    wall = Wall()
    recorder = Recorder(tmp_path, "binance", 1 << 30, wall_ns=wall)
    recorder.start()
    recorder.frame("market", '{"e":"depthUpdate"}')
    wall.ns += 5_000_000
    recorder.frame("feed", b"\x1f\x8b binary as it came")
    recorder.exchange("GET", "/api/v3/depth?symbol=BTCUSDT", None, 200, b'{"lastUpdateId":1}', 7)
    records = written(recorder)
    assert [type(r) for r in records] == [Frame, Frame, Exchange]
    noon_ms = NOON // 1_000_000
    assert [r.wall_ms for r in records] == [noon_ms, noon_ms + 5, noon_ms + 5]
    assert records[0].mono_ns < records[1].mono_ns < records[2].mono_ns
    assert (records[1].stream, records[1].payload) == ("feed", b"\x1f\x8b binary as it came")
    assert (records[2].url, records[2].status, records[2].answer, records[2].took_ns) == (
        "/api/v3/depth?symbol=BTCUSDT",
        200,
        b'{"lastUpdateId":1}',
        7,
    )
    assert recorder.path.name == "binance-2026-12-12.rec.zst"


def test_a_new_day_goes_to_a_new_file_and_a_second_run_appends_to_its_day(tmp_path):
    wall = Wall()
    first = Recorder(tmp_path, "huobi", 1 << 30, wall_ns=wall)
    first.start()
    first.frame("market", "one")
    first.close()
    second = Recorder(tmp_path, "huobi", 1 << 30, wall_ns=wall)
    second.start()
    second.frame("market", "two")
    wall.ns += DAY  # queued after midnight: tomorrow's file
    second.frame("market", "three")
    second.close()
    names = sorted(p.name for p in tmp_path.glob("*.rec.zst"))
    assert names == ["huobi-2026-12-12.rec.zst", "huobi-2026-12-13.rec.zst"]
    assert frames(tmp_path / names[0]) == ["one", "two"]
    assert frames(tmp_path / names[1]) == ["three"]


def test_the_oldest_days_go_once_the_recordings_pass_their_limit(tmp_path):
    for day in ("2026-12-09", "2026-12-10", "2026-12-11"):
        (tmp_path / f"weex-{day}.rec.zst").write_bytes(b"x" * 1000)
    (tmp_path / "binance-2026-12-01.rec.zst").write_bytes(b"x" * 1000)  # another venue's
    recorder = Recorder(tmp_path, "weex", 2500, wall_ns=Wall())
    recorder.start()
    recorder.frame("market", "today")
    recorder.close()
    assert sorted(p.name for p in tmp_path.glob("*.rec.zst")) == [
        "binance-2026-12-01.rec.zst",
        "weex-2026-12-10.rec.zst",
        "weex-2026-12-11.rec.zst",
        "weex-2026-12-12.rec.zst",
    ]


def test_a_full_queue_drops_and_counts_instead_of_waiting(tmp_path):
    recorder = Recorder(tmp_path, "binance", 1 << 30, wall_ns=Wall(), queue_limit=3)
    for n in range(5):  # the writer is not started: nothing drains the queue
        recorder.frame("market", str(n))
    assert (recorder.dropped, recorder.state().trouble()) == (
        3,
        "recording dropped 3 records (disk too slow)",
    )
    recorder.start()
    assert [r.payload for r in written(recorder)] == ["0", "1"]


def test_a_disk_that_fails_stops_the_recording_and_says_why(tmp_path):
    (tmp_path / "binance-2026-12-12.rec.zst").mkdir()  # the day's file cannot be opened
    recorder = Recorder(tmp_path, "binance", 1 << 30, wall_ns=Wall())
    recorder.start()
    recorder.frame("market", "lost")
    recorder.close()
    recorder.frame("market", "after")
    state = recorder.state()
    assert state.failed is not None and "Is a directory" in state.failed
    assert state.dropped == 2 and state.recorded == 0  # "lost" and "after"
    assert state.trouble().startswith("recording stopped: Is a directory")


async def test_a_recording_cut_short_keeps_every_second_written_before_the_cut(tmp_path):
    recorder = Recorder(tmp_path, "binance", 1 << 30, wall_ns=Wall())
    recorder.start()
    for n in range(50):
        recorder.frame("market", f'{{"n":{n}}}' * 20)
    recorder._wake.set()
    await until(lambda: recorder.recorded == 1 + 50)  # the opening and 50: the first second
    for n in range(50, 100):
        recorder.frame("market", f'{{"n":{n}}}' * 20)
    recorder.close()
    whole = recorder.path.read_bytes()
    recorder.path.write_bytes(whole[: len(whole) - 40])  # a crash in the last second
    kept = frames(recorder.path)
    assert 50 <= len(kept) < 100 and kept == [f'{{"n":{n}}}' * 20 for n in range(len(kept))]


def test_private_frames_and_requests_are_redacted(tmp_path):
    recorder = Recorder(tmp_path, "huobi", 1 << 30, wall_ns=Wall())
    recorder.start()
    recorder.frame("user", '{"params":{"accessKey":"k-123","signature":"s-456"}}', sent=True)
    recorder.frame("user", '{"apiKey":"k-123"}', private=True)
    recorder.frame("market", '{"apiKey":"public"}')
    recorder.exchange("GET", "/v1/x?AccessKeyId=k-123&Signature=s-456", b"", 200, b"{}", 1)
    sent, heard, public, exchange = written(recorder)
    assert sent.payload == '{"params":{"accessKey":"<redacted>","signature":"<redacted>"}}'
    assert heard.payload == '{"apiKey":"<redacted>"}'
    assert public.payload == '{"apiKey":"public"}'  # a market stream carries no secret
    assert exchange.url == "/v1/x?AccessKeyId=<redacted>&Signature=<redacted>"


SECRET_VALUE = re.compile(
    rb"(?i)(signature|\bsign|api-?key|access-?key(id)?|secret|passphrase)[\"']?\s*[=:]\s*[\"']?"
    rb"(?!<redacted>)[^&\s\"',}]+"
)


@pytest.mark.slow
@pytest.mark.recording
@pytest.mark.parametrize("venue", ["binance", "huobi", "weex"])
async def test_a_recording_made_with_keys_holds_none_of_them(tmp_path, venue):
    locations = Locations(tmp_path / "config", tmp_path / "data")
    launch = build(Config(venue=venue), None, True, locations, seed=2, rate=50)
    await launch.start()
    session = launch.session
    await until(lambda: session.orders.user_stream_live)
    await until(lambda: session.market.book.state is BookState.LIVE)
    credentials = launch.server.exchange.credentials
    await launch.stop()
    (day,) = (tmp_path / "data" / "recordings").glob(f"{venue}-sim-*.rec.zst")
    records = list(read(day))
    opened = records[0]
    assert isinstance(opened, Opened)
    assert (opened.venue, opened.env, opened.symbol) == (venue, "sim", "BTCUSDT")
    assert {type(r) for r in records[1:]} == {Frame, Exchange}
    assert {r.stream for r in records if isinstance(r, Frame)} >= {"market", "user"}
    text = zstandard.ZstdDecompressor().stream_reader(day.open("rb"), read_across_frames=True)
    raw = text.read()
    assert SECRET_VALUE.search(raw) is None
    for credential in credentials.values():
        secret = credential.secret or b""
        assert credential.api_key.encode() not in raw
        assert not secret or secret not in raw
        assert not credential.passphrase or credential.passphrase.encode() not in raw
