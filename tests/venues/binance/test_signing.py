"""Binance signing reproduces the published vectors byte for byte (VENUES.md §1)."""

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from console.venues.binance.signing import (
    Ed25519Signer,
    HmacSigner,
    rest_query,
    signed_rest_query,
    ws_payload,
)
from tests.vectors import VECTOR_KEY, VECTOR_SECRET

API_KEY, SECRET = VECTOR_KEY, VECTOR_SECRET
ORDER = {
    "side": "BUY",
    "type": "LIMIT",
    "timeInForce": "GTC",
    "quantity": "1",
    "price": "0.1",
    "recvWindow": "5000",
    "timestamp": "1499827319559",
}


def test_rest_vector_b1():
    query = rest_query({"symbol": "LTCBTC", **ORDER})
    assert query == (
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
        "&recvWindow=5000&timestamp=1499827319559"
    )
    assert HmacSigner(SECRET).sign(query.encode()) == (
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
    )


def test_rest_vector_b2_percent_encodes_non_ascii_before_signing():
    query = rest_query({"symbol": "１２３４５６", **ORDER})
    assert query.startswith("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&")
    assert HmacSigner(SECRET).sign(query.encode()) == (
        "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"
    )


def test_signed_rest_query_appends_the_signature_last():
    query = signed_rest_query({"symbol": "LTCBTC", **ORDER}, HmacSigner(SECRET))
    assert query.endswith(
        "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
    )


WS_ORDER = {
    "symbol": "BTCUSDT",
    "side": "SELL",
    "type": "LIMIT",
    "timeInForce": "GTC",
    "quantity": "0.01000000",
    "price": "52000.00",
    "recvWindow": 100,
    "timestamp": 1645423376532,
    "apiKey": API_KEY,
}


def test_ws_vector_b3_sorts_params_and_includes_the_api_key():
    payload = ws_payload({**WS_ORDER, "signature": "ignored"})
    assert payload == (
        f"apiKey={API_KEY}&price=52000.00&quantity=0.01000000&recvWindow=100"
        "&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532"
        "&type=LIMIT"
    )
    assert HmacSigner(SECRET).sign(payload.encode()) == (
        "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"
    )


def test_ws_vector_b4_signs_raw_utf8_without_encoding():
    params = {
        "symbol": "１２３４５６",
        "side": "BUY",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "quantity": "1.00000000",
        "price": "0.10000000",
        "recvWindow": 5000,
        "timestamp": 1645423376532,
        "apiKey": API_KEY,
    }
    payload = ws_payload(params)
    assert "symbol=１２３４５６" in payload
    assert HmacSigner(SECRET).sign(payload.encode()) == (
        "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd"
    )


def test_ed25519_matches_rfc_8032_test_1():
    secret = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    signature = Ed25519Signer(Ed25519PrivateKey.from_private_bytes(secret)).sign(b"")
    assert base64.b64decode(signature).hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
        "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


def test_ed25519_signature_is_88_base64_characters_that_verify():
    key = Ed25519PrivateKey.generate()
    payload = ws_payload(WS_ORDER).encode()
    signature = Ed25519Signer(key).sign(payload)
    assert len(signature) == 88 and signature.endswith("==")
    key.public_key().verify(base64.b64decode(signature), payload)


def test_signers_keep_their_secrets_out_of_repr():
    assert SECRET not in repr(HmacSigner(SECRET))
