"""The flight recorder: every frame the console hears, every frame it sends and every REST
exchange, with when it happened (wall clock and monotonic), one compressed file per venue
per day.

Records are msgpack (msgspec encodes it: bytes stay bytes, as a gzip frame came) behind a
4-byte length, in zstandard frames: a day of a busy market compresses about tenfold at a
small cost, `zstd -dc` reads a file anywhere, and a file cut short by a crash loses only its
last second. A file is appended to by each run of its day, one zstandard frame after another.

The recorder never holds up what it records: the loop only appends a tuple to a bounded
queue; a thread redacts, encodes, compresses and writes. When the disk is slow and the queue
full, records are dropped and counted; when the disk fails, recording stops and says why.
Secrets never reach the file: what the console sends, what private streams answer and every
REST request go through the same redaction as the log.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec
import zstandard

from console.logs import redact

SUFFIX = ".rec.zst"
QUEUE_LIMIT = 200_000
"""Records waiting for the writer before new ones are dropped: seconds of a firehose."""
FLUSH_SECONDS = 1.0
"""How often the writer wakes; what is written is flushed to the file each time."""
PRUNE_EVERY = 64 << 20
"""Bytes written between two looks at the recordings' total size."""
LENGTH = struct.Struct("<I")


class Frame(msgspec.Struct, array_like=True, tag="f"):
    """A frame of a stream: heard (after the venue's framing, such as Huobi's gzip) or sent."""

    wall_ms: int
    mono_ns: int
    stream: str
    data: bytes
    """A text frame in UTF-8, or a binary frame as it came."""
    binary: bool = False
    sent: bool = False

    @property
    def payload(self) -> str | bytes:
        """The frame as the stream's handler took it."""
        return self.data if self.binary else self.data.decode()


class Exchange(msgspec.Struct, array_like=True, tag="x"):
    """A REST request and its answer (`status` 0: none came; `answer` says why)."""

    wall_ms: int
    mono_ns: int
    method: str
    url: str
    body: str
    status: int
    answer: bytes
    took_ns: int


class Opened(msgspec.Struct, array_like=True, tag="o"):
    """A run's first record: what a replay needs to speak as the console spoke."""

    wall_ms: int
    mono_ns: int
    venue: str
    env: str
    api: str
    symbol: str
    key: str = "hmac"
    """How the key signed (`VenueBasics.key_kind`)."""


Record = Opened | Frame | Exchange
_ENCODE = msgspec.msgpack.Encoder()
_DECODE = msgspec.msgpack.Decoder(Record)


@dataclass(frozen=True)
class RecorderState:
    """What the status bar and the exit say of the recording."""

    recorded: int
    dropped: int
    failed: str | None
    path: Path | None

    def trouble(self) -> str | None:
        """Words for the trader when the recording is not whole; None when it is."""
        if self.failed is not None:
            return f"recording stopped: {self.failed}"
        if self.dropped:
            return f"recording dropped {self.dropped:,} records (disk too slow)"
        return None


class Recorder:
    """One venue's recordings in `folder`, named `<label>-<day>.rec.zst` (UTC days); the
    oldest days go once the label's files pass `max_bytes` together."""

    def __init__(
        self,
        folder: Path,
        label: str,
        max_bytes: int,
        wall_ns: Callable[[], int] = time.time_ns,
        queue_limit: int = QUEUE_LIMIT,
        run: tuple[str, str, str, str, str] = ("", "", "", "", "hmac"),
    ) -> None:
        """`run`: the venue, environment, API, symbol and key kind, written first
        (`Opened`)."""
        self.folder, self.label, self.max_bytes = folder, label, max_bytes
        self.run = run
        self.wall_ns = wall_ns
        self.queue_limit = queue_limit
        self.recorded = 0
        self.dropped = 0
        self.failed: str | None = None
        self.path: Path | None = None
        self._queue: collections.deque[tuple[object, ...]] = collections.deque()
        self._wake = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None
        self._file: zstandard.ZstdCompressionWriter | None = None
        self._day = ""
        self._since_prune = 0
        self._put(("o", time.monotonic_ns(), *run))

    # -- the loop's side: append, never wait ---------------------------------------------------

    def frame(
        self, stream: str, data: str | bytes, sent: bool = False, private: bool = False
    ) -> None:
        self._put(("f", time.monotonic_ns(), stream, data, sent, private or sent))

    def exchange(
        self, method: str, url: str, body: bytes | None, status: int, answer: bytes, took_ns: int
    ) -> None:
        self._put(("x", time.monotonic_ns(), method, url, body, status, answer, took_ns))

    def _put(self, item: tuple[object, ...]) -> None:
        if self.failed is not None or len(self._queue) >= self.queue_limit:
            self.dropped += 1
            return
        self._queue.append((self.wall_ns() // 1_000_000, *item))

    def state(self) -> RecorderState:
        return RecorderState(self.recorded, self.dropped, self.failed, self.path)

    # -- control ---------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        self._thread = threading.Thread(
            target=self._run, name=f"recorder {self.label}", daemon=True
        )
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued and close the file; a disk that will not take it within
        `timeout` keeps the rest, counted as dropped."""
        self._closing = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                self.dropped += len(self._queue)

    # -- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            closing = self._closing
            try:
                self._write_queued()
            except OSError as error:
                self._fail(f"{error.strerror or error} ({self.path})")
            if closing:
                self._close_file()
                return

    def _write_queued(self) -> None:
        queue, wrote = self._queue, False
        while queue:
            item = queue.popleft()
            record = _record(item)
            self._file_for(record.wall_ms).write(_framed(record))
            self.recorded += 1
            wrote = True
        if wrote and self._file is not None:
            self._file.flush(zstandard.FLUSH_BLOCK)

    def _file_for(self, wall_ms: int) -> zstandard.ZstdCompressionWriter:
        day = datetime.datetime.fromtimestamp(wall_ms / 1000, datetime.UTC).date().isoformat()
        if self._file is None or day != self._day:
            self._close_file()
            self.path = self.folder / f"{self.label}-{day}{SUFFIX}"
            raw = self.path.open("ab")
            self.path.chmod(0o600)
            self._file = zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=True)
            self._day = day
            self._prune()
        return self._file

    def _close_file(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None

    def _fail(self, why: str) -> None:
        self.failed = why
        self.dropped += len(self._queue)
        self._queue.clear()
        self._close_file()

    def _prune(self) -> None:
        """Remove this label's oldest days while they all pass `max_bytes`, never today's."""
        days = sorted(self.folder.glob(f"{self.label}-*{SUFFIX}"))
        sizes = {path: path.stat().st_size for path in days}
        total = sum(sizes.values())
        for path in days:
            if total <= self.max_bytes or path == self.path:
                break
            path.unlink()
            total -= sizes[path]


def _record(item: tuple[object, ...]) -> Record:
    """A queued tuple as its record, redacted where a secret could be in it."""
    wall_ms, kind, mono_ns, *rest = item
    assert isinstance(wall_ms, int) and isinstance(mono_ns, int)
    if kind == "o":
        venue, env, api, symbol, key = map(str, rest)
        return Opened(wall_ms, mono_ns, venue, env, api, symbol, key)
    if kind == "f":
        stream, data, sent, private = rest
        if isinstance(data, bytes):
            return Frame(wall_ms, mono_ns, str(stream), data, binary=True, sent=bool(sent))
        text = redact(str(data)) if private else str(data)
        return Frame(wall_ms, mono_ns, str(stream), text.encode(), sent=bool(sent))
    method, url, body, status, answer, took_ns = rest
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else ""
    return Exchange(
        wall_ms,
        mono_ns,
        str(method),
        redact(str(url)),
        redact(text),
        int(status),  # type: ignore[call-overload]
        answer,  # type: ignore[arg-type]
        int(took_ns),  # type: ignore[call-overload]
    )


def _framed(record: Record) -> bytes:
    body = _ENCODE.encode(record)
    return LENGTH.pack(len(body)) + body


def read(path: Path) -> Iterator[Record]:
    """Every record of a recording in order; a tail cut short (a crash mid-write) ends it."""
    with path.open("rb") as raw:
        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        with reader:
            while (head := _read_exactly(reader, LENGTH.size)) is not None:
                (size,) = LENGTH.unpack(head)
                body = _read_exactly(reader, size)
                if body is None:
                    return
                yield _DECODE.decode(body)


def _read_exactly(reader: zstandard.ZstdDecompressionReader, size: int) -> bytes | None:
    """`size` bytes, or None at the end (a clean one, or a tail cut short)."""
    parts, wanted = [], size
    while wanted:
        try:
            part = reader.read(wanted)
        except zstandard.ZstdError:
            return None
        if not part:
            return None
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)
