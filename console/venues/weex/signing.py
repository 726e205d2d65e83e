"""WEEX request signing, the same on v1 and v3 (VENUES.md §1.5).

ACCESS-SIGN is base64(HMAC-SHA256(secret, timestamp + METHOD + path + ("?" + query when
there is one) + body)), with the same millisecond timestamp in ACCESS-TIMESTAMP, the key in
ACCESS-KEY and the passphrase in ACCESS-PASSPHRASE. The body is signed as the exact bytes
sent, so it is serialised once, before signing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

KEY_HEADER = "ACCESS-KEY"
SIGN_HEADER = "ACCESS-SIGN"
TIMESTAMP_HEADER = "ACCESS-TIMESTAMP"
PASSPHRASE_HEADER = "ACCESS-PASSPHRASE"


def prehash(timestamp_ms: str, method: str, path: str, query: str = "", body: str = "") -> str:
    return f"{timestamp_ms}{method.upper()}{path}{'?' + query if query else ''}{body}"


def signature(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_headers(
    api_key: str,
    secret: str,
    passphrase: str,
    timestamp_ms: int,
    method: str,
    path: str,
    query: str = "",
    body: str = "",
) -> dict[str, str]:
    """The four ACCESS-* headers of one request."""
    stamp = str(timestamp_ms)
    return {
        KEY_HEADER: api_key,
        SIGN_HEADER: signature(secret, prehash(stamp, method, path, query, body)),
        TIMESTAMP_HEADER: stamp,
        PASSPHRASE_HEADER: passphrase,
    }
