"""Huobi signature v2 against the document's own example (VENUES.md §1.4)."""

from console.venues.huobi.signing import pre_signed, signature, timestamp, ws_auth

DOC_PARAMS = {
    "AccessKeyId": "e2xxxxxx-99xxxxxx-84xxxxxx-7xxxx",
    "SignatureMethod": "HmacSHA256",
    "SignatureVersion": "2",
    "Timestamp": "2017-05-11T15:19:30",
    "order-id": "1234567890",
}
DOC_PRE_SIGNED = (
    "GET\napi.huobi.pro\n/v1/order/orders\n"
    "AccessKeyId=e2xxxxxx-99xxxxxx-84xxxxxx-7xxxx&SignatureMethod=HmacSHA256"
    "&SignatureVersion=2&Timestamp=2017-05-11T15%3A19%3A30&order-id=1234567890"
)


def test_the_documents_example_pre_signs_byte_for_byte():
    assert pre_signed("GET", "api.huobi.pro", "/v1/order/orders", DOC_PARAMS) == DOC_PRE_SIGNED


def test_the_host_is_lower_cased_and_order_id_sorts_after_timestamp():
    text = pre_signed("get", "API.Huobi.PRO", "/v1/order/orders", DOC_PARAMS)
    assert text == DOC_PRE_SIGNED


def test_the_signature_is_base64_hmac_sha256_of_the_pre_signed_text():
    # The document does not publish its secret; this vector is computed with "test-secret".
    assert (
        signature("test-secret", DOC_PRE_SIGNED) == "lL3lPrNZnPir2vOf08aV+MBcL/rAOyhY2isQSodsPsE="
    )


def test_timestamps_are_utc_seconds_in_the_documents_form():
    assert timestamp(1494515970000) == "2017-05-11T15:19:30"


def test_the_account_socket_signs_four_fields_but_not_the_auth_type():
    params = ws_auth(
        "0664b695-rfhfg2mkl3-abbf6c5d-49810", "test-secret", "api.huobi.sg", 1575546783000
    )
    signed = {k: v for k, v in params.items() if k not in ("authType", "signature")}
    expected = pre_signed("GET", "api.huobi.sg", "/ws/v2", signed)
    assert expected == (
        "GET\napi.huobi.sg\n/ws/v2\naccessKey=0664b695-rfhfg2mkl3-abbf6c5d-49810"
        "&signatureMethod=HmacSHA256&signatureVersion=2.1&timestamp=2019-12-05T11%3A53%3A03"
    )
    assert params["signature"] == signature("test-secret", expected)
    assert params["authType"] == "api"
