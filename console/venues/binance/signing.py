"""Binance request signing, REST and WebSocket API (rules and vectors in VENUES.md §1).

REST signs the query string then the body exactly as sent, non-ASCII percent-encoded.
The WebSocket API signs every param but `signature`, sorted by name, as raw UTF-8 text.
HMAC keys sign in hex; Ed25519 keys sign in base64 (and `session.logon` needs Ed25519).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import quote, urlencode

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


class Signer(Protocol):
    can_log_on: bool

    def sign(self, payload: bytes) -> str: ...


class HmacSigner:
    can_log_on = False

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def sign(self, payload: bytes) -> str:
        return hmac.new(self._secret, payload, hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return "HmacSigner(<secret>)"


class Ed25519Signer:
    can_log_on = True

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self._key.sign(payload)).decode()

    def __repr__(self) -> str:
        return "Ed25519Signer(<private key>)"


def rest_query(params: Mapping[str, str]) -> str:
    """Params in insertion order, percent-encoded as they go on the wire."""
    return urlencode(params, quote_via=quote)


def signed_rest_query(params: Mapping[str, str], signer: Signer) -> str:
    query = rest_query(params)
    return f"{query}&signature={quote(signer.sign(query.encode()), safe='')}"


def ws_payload(params: Mapping[str, object]) -> str:
    """The WS-API signing text: params but `signature`, sorted by name, not encoded."""
    signed = sorted((k, v) for k, v in params.items() if k != "signature")
    return "&".join(f"{k}={_text(v)}" for k, v in signed)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
