"""Reading Huobi requests: signature version 2 checked as the document describes, the
v1 and v2 error envelopes, and request parameters.

The pre-signed text is the method, the host in lower case as the client sent it, the path,
and the parameters sorted by name with URL-encoded values, each on its own line; the
signature is its HMAC-SHA256 in base64. REST signs the query (business parameters of a
POST travel unsigned in a JSON body); the account WebSocket signs `accessKey`,
`signatureMethod`, `signatureVersion` (2.1) and `timestamp` for `GET /ws/v2`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from console.sim.exchange import Credential
from console.sim.fronts.rest import FrontError

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"
TIMESTAMP_TOLERANCE_MS = 5 * 60_000
"""A signed request's Timestamp is good for five minutes either side of the server clock."""


class HuobiError(FrontError):
    """A v1 refusal: `{"status": "error", "err-code", "err-msg", "data": null}`, which Huobi
    sends with HTTP 200 unless the gateway itself refuses."""

    def __init__(self, code: str, msg: str, status: int = 200, **extra: Any) -> None:
        self.code, self.msg = code, msg
        body = {"status": "error", "err-code": code, "err-msg": msg, "data": None, **extra}
        super().__init__(status, body)


class HuobiV2Error(FrontError):
    """A v2 refusal: `{"code": 2002, "message": ...}`."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(200, {"code": code, "message": message, "data": None})


def invalid(msg: str) -> HuobiError:
    return HuobiError("invalid-parameter", msg)


def encode(value: str) -> str:
    """A parameter value as it is signed: UTF-8, percent-encoded with uppercase hex."""
    return quote(value, safe="-_.~")


def pre_signed(method: str, host: str, path: str, params: Mapping[str, str]) -> bytes:
    query = "&".join(f"{name}={encode(params[name])}" for name in sorted(params))
    return f"{method.upper()}\n{host.lower()}\n{path}\n{query}".encode()


def parse_timestamp(text: str | None) -> int | None:
    """`2017-05-11T15:19:30` (UTC) in ms, or None when it is not in that form."""
    if not text:
        return None
    try:
        stamp = datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(stamp.timestamp() * 1000)


def verify(
    credentials: Mapping[str, Credential],
    access_key: str | None,
    timestamp: str | None,
    now_ms: int,
    signed_text: bytes,
    signature: str | None,
) -> Credential:
    """The credential a signed request came from, or Huobi's `api-signature-not-valid`."""
    credential = credentials.get(access_key or "")
    if credential is None:
        raise HuobiError(
            "api-signature-not-valid", "Signature not valid: Incorrect Access key [Access key错误]"
        )
    stamp = parse_timestamp(timestamp)
    if stamp is None or abs(now_ms - stamp) > TIMESTAMP_TOLERANCE_MS:
        raise HuobiError(
            "api-signature-not-valid", "Signature not valid: Timestamp expired or malformed"
        )
    if not signature or not credential.verify_hmac_base64(signed_text, signature):
        raise HuobiError("api-signature-not-valid", "Signature not valid: Verification failure")
    return credential
