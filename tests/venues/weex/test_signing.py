"""WEEX signing against the vectors in VENUES.md §1.5 (secret `test-secret`)."""

from console.venues.weex.signing import prehash, signature, signed_headers

SECRET = "test-secret"
ORDER_BODY = (
    '{"symbol":"BTCUSDT_SPBL","side":"buy","orderType":"limit","force":"normal",'
    '"price":"1","quantity":"8","clientOrderId":"ww#123456"}'
)


def test_a_get_signs_the_path_and_its_query():
    text = prehash("1591089508404", "GET", "/api/v2/market/depth", "symbol=btcusdt_spbl&limit=20")
    assert text == "1591089508404GET/api/v2/market/depth?symbol=btcusdt_spbl&limit=20"
    assert signature(SECRET, text) == "NKCXXL7UaEq/2Gdy73HXGplC6r4WA36L/8mZs8HCE+I="


def test_a_post_signs_the_body_as_sent_and_no_question_mark():
    text = prehash("1561022985382", "post", "/api/spot/v1/trade/orders", "", ORDER_BODY)
    assert text == "1561022985382POST/api/spot/v1/trade/orders" + ORDER_BODY
    assert signature(SECRET, text) == "YLzo295AcwaQZmstAdfScOdcTQPksplKpsJBxK2GHx4="


def test_the_headers_carry_key_signature_timestamp_and_passphrase():
    headers = signed_headers(
        "key", SECRET, "phrase", 1561022985382, "POST", "/api/spot/v1/trade/orders", "", ORDER_BODY
    )
    assert headers == {
        "ACCESS-KEY": "key",
        "ACCESS-SIGN": "YLzo295AcwaQZmstAdfScOdcTQPksplKpsJBxK2GHx4=",
        "ACCESS-TIMESTAMP": "1561022985382",
        "ACCESS-PASSPHRASE": "phrase",
    }
