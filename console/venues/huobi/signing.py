"""Huobi signature version 2, as the document's "Signature Method" lays it out.

The pre-signed text is four lines: the method, the host in lower case, the path, and the
parameters sorted by name (ASCII, so `Timestamp` comes before `order-id`) with values
URL-encoded in upper-case hex. The signature is HMAC-SHA256 of it with the secret, in
base64. REST signs its query (a POST's business parameters go unsigned in a JSON body);
the account WebSocket signs `accessKey`, `signatureMethod`, `signatureVersion` (2.1) and
`timestamp` as `GET <host> /ws/v2`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote

METHOD = "HmacSHA256"
REST_VERSION = "2"
WS_VERSION = "2.1"


def encode(value: str) -> str:
    return quote(value, safe="-_.~")


def timestamp(now_ms: int) -> str:
    """UTC in the document's form, `2017-05-11T15:19:30`."""
    return datetime.fromtimestamp(now_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def pre_signed(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    query = "&".join(f"{name}={encode(params[name])}" for name in sorted(params))
    return f"{method.upper()}\n{host.lower()}\n{path}\n{query}"


def signature(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_query(
    access_key: str,
    secret: str,
    method: str,
    host: str,
    path: str,
    params: Mapping[str, str],
    now_ms: int,
) -> str:
    """A REST query string with the four auth parameters and `Signature` appended."""
    query = {
        **params,
        "AccessKeyId": access_key,
        "SignatureMethod": METHOD,
        "SignatureVersion": REST_VERSION,
        "Timestamp": timestamp(now_ms),
    }
    query["Signature"] = signature(secret, pre_signed(method, host, path, query))
    return "&".join(f"{name}={encode(value)}" for name, value in query.items())


def ws_auth(access_key: str, secret: str, host: str, now_ms: int) -> dict[str, str]:
    """The `params` of the account WebSocket's auth request (`authType` is not signed)."""
    params = {
        "accessKey": access_key,
        "signatureMethod": METHOD,
        "signatureVersion": WS_VERSION,
        "timestamp": timestamp(now_ms),
    }
    params["signature"] = signature(secret, pre_signed("GET", host, "/ws/v2", params))
    return {"authType": "api", **params}
