"""Reading WEEX v1 requests: the ACCESS-* headers checked as the seed describes, the
`{"code", "msg", "requestTime", "data"}` envelope, and request parameters.

The signature is base64(HMAC-SHA256(secret, timestamp + METHOD + path + ("?" + query when
there is one) + body)) over the body exactly as sent. A header that is missing, a key or
passphrase that is wrong, a timestamp that is not a number or is too old, and a signature
that does not verify each have their own code in the seed's common table.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from console.sim.exchange import Credential
from console.sim.fronts.client_json import read_json
from console.sim.fronts.rest import FrontError, Params

TIMESTAMP_TOLERANCE_MS = 30_000
"""A signed request's ACCESS-TIMESTAMP is good for 30 seconds either side of the server's."""


class WeexError(FrontError):
    """A refusal in the seed's words: `{"code": "40017", "msg": ..., "requestTime", "data":
    null}`, with the HTTP status the seed's tables give (400, or 429)."""

    def __init__(self, code: str, msg: str, status: int = 400) -> None:
        self.code, self.msg = code, msg
        super().__init__(status, {"code": code, "msg": msg, "requestTime": 0, "data": None})

    def body(self) -> dict[str, Any]:
        return {**self.payload, "requestTime": int(time.time() * 1000)}


def invalid(msg: str = "Parameter verification failed") -> WeexError:
    return WeexError("40017", msg)


def empty(name: str) -> WeexError:
    return WeexError("40724", f"The parameter is empty: {name}")


class WeexParams(Params):
    """The query and, for a POST, the JSON body (which the signature covers as sent)."""

    def __init__(self, query: Mapping[str, str], body_text: str) -> None:
        self.body_text = body_text
        try:
            body = read_json(body_text) if body_text else {}
        except ValueError:
            raise WeexError("40409", "Wrong format") from None
        if not isinstance(body, dict):
            raise WeexError("40409", "Wrong format")
        super().__init__(query, body)

    def missing(self, name: str) -> WeexError:
        return empty(name)

    def bad(self, name: str, low: int | None = None, high: int | None = None) -> WeexError:
        if low is None:
            return invalid(f"{name} is not what it takes")
        return invalid(f"{name} must be from {low} to {high}")


def signed_text(request: web.Request, timestamp: str, body_text: str) -> bytes:
    query = request.query_string
    path = request.path + ("?" + query if query else "")
    return f"{timestamp}{request.method.upper()}{path}{body_text}".encode()


def verify(
    credentials: Mapping[str, Credential],
    headers: Mapping[str, str],
    now_ms: int,
    text: bytes,
) -> Credential:
    """The credential a signed request came from, or the seed's code for what is wrong."""
    key = headers.get("ACCESS-KEY")
    sign = headers.get("ACCESS-SIGN")
    stamp = headers.get("ACCESS-TIMESTAMP")
    passphrase = headers.get("ACCESS-PASSPHRASE")
    if not key:
        raise WeexError("40001", 'The request header "ACCESS_KEY" cannot be empty')
    if not sign:
        raise WeexError("40002", 'The request header "ACCESS_SIGN" cannot be empty')
    if not stamp:
        raise WeexError("40003", 'The request header "ACCESS_TIMESTAMP" cannot be empty')
    if not passphrase:
        raise WeexError("40011", 'The request header "ACCESS_PASSPHRASE" cannot be empty')
    if not stamp.isdigit():
        raise WeexError("40005", "Invalid ACCESS_TIMESTAMP")
    if abs(now_ms - int(stamp)) > TIMESTAMP_TOLERANCE_MS:
        raise WeexError("40008", "The requested timestamp expired")
    credential = credentials.get(key)
    if credential is None:
        raise WeexError("40006", "Invalid ACCESS_KEY")
    if credential.passphrase is None or passphrase != credential.passphrase:
        raise WeexError("40012", "apikey/passphrase is incorrect")
    if not credential.verify_hmac_base64(text, sign):
        raise WeexError("40009", "API verification failed")
    return credential
