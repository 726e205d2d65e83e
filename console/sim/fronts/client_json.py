"""JSON from a client, which may be anything a careless or hostile client sends."""

from __future__ import annotations

from typing import Any

import msgspec


class Malformed(ValueError):
    """Not JSON, or nested deeper than any venue reads (past the decoder's recursion limit)."""


def read_json(text: str | bytes) -> Any:
    """The JSON value of `text`; raises `Malformed` (a ValueError) for anything else."""
    try:
        return msgspec.json.decode(text)
    except (msgspec.DecodeError, RecursionError):
        raise Malformed("not a JSON value a venue reads") from None
