"""`trading-console sim` as a newcomer runs it: a real process serving a moving market."""

import asyncio
import itertools
import json
import signal
import ssl
import sys

import httpx
import pytest
import websockets

from console.cli import main
from tests.tls import loopback_certificate


async def sim_saying(*args):
    """`trading-console sim` started with `args`, and what it says once it serves."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "console",
        "sim",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    lines = []
    while not lines or not lines[-1].startswith("Ctrl+C"):
        line = await asyncio.wait_for(process.stdout.readline(), 20)
        assert line, (await process.stderr.read()).decode()
        lines.append(line.decode().strip())
    return process, lines


async def start_sim(*args):
    process, lines = await sim_saying("--port", "0", *args)
    urls = dict(line.split(None, 1) for line in lines[1:-1])
    return process, urls


@pytest.mark.slow
async def test_sim_command_serves_a_moving_market_until_interrupted():
    process, urls = await start_sim("--rate", "400", "--seed", "5")
    try:
        assert urls["api"].startswith("key ")
        async with httpx.AsyncClient(base_url=urls["rest"]) as rest:
            book = (await rest.get("/api/v3/depth", params={"symbol": "BTCUSDT"})).json()
        assert book["bids"] and book["asks"]
        async with websockets.connect(urls["streams"] + "/btcusdt@depth@100ms") as ws:
            events = [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(5)]
        assert all(b["U"] == a["u"] + 1 for a, b in itertools.pairwise(events))
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0


def test_a_symbol_the_simulator_does_not_list_is_a_usage_error_naming_those_it_does(capsys):
    assert main(["sim", "--symbols", "BTCUSDT,FOOBAR"]) == 2
    said = capsys.readouterr().err
    assert "no simulated symbol FOOBAR; the simulator lists BTCUSDT, ETHUSDT, SOLUSDT" in said


@pytest.mark.slow
async def test_sim_lists_only_the_symbols_asked_for():
    process, urls = await start_sim("--symbols", "ETHBTC,DOGEUSDT", "--rate", "0")
    try:
        async with httpx.AsyncClient(base_url=urls["rest"]) as rest:
            info = (await rest.get("/api/v3/exchangeInfo")).json()
        listed = {s["symbol"]: (s["baseAsset"], s["quoteAsset"]) for s in info["symbols"]}
        assert listed == {"ETHBTC": ("ETH", "BTC"), "DOGEUSDT": ("DOGE", "USDT")}
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0


def test_unknown_chaos_setting_is_a_usage_error(capsys):
    assert main(["sim", "--chaos", "meteor=1"]) == 2
    assert "unknown chaos setting 'meteor=1'" in capsys.readouterr().err


@pytest.mark.slow
async def test_sim_command_serves_tls_with_the_certificate_it_is_given(tmp_path):
    _, authority = loopback_certificate(tmp_path)
    key = tmp_path / "sim-key.pem"
    process, urls = await start_sim("--tls-cert", str(authority), "--tls-key", str(key))
    try:
        assert urls["rest"].startswith("https://") and urls["streams"].startswith("wss://")
        trusted = ssl.create_default_context(cafile=authority)
        async with httpx.AsyncClient(base_url=urls["rest"], verify=trusted) as rest:
            answer = await rest.get("/api/v3/time")
        assert answer.status_code == 200 and answer.json()["serverTime"] > 0
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0


def test_a_certificate_without_its_key_is_a_usage_error(tmp_path, capsys):
    assert main(["sim", "--tls-cert", str(tmp_path / "cert.pem")]) == 2
    assert "--tls-cert and --tls-key go together" in capsys.readouterr().err


def test_an_unreadable_certificate_is_a_usage_error(tmp_path, capsys):
    missing = str(tmp_path / "missing.pem")
    assert main(["sim", "--tls-cert", missing, "--tls-key", missing]) == 2
    assert "cannot load the TLS certificate" in capsys.readouterr().err


def test_unreadable_ed25519_key_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "missing.pem"
    assert main(["sim", "--ed25519-public-key", str(path)]) == 2
    assert "cannot read an Ed25519 public key" in capsys.readouterr().err


def test_non_ed25519_key_is_refused_with_its_kind(tmp_path, capsys):
    from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    path = tmp_path / "ec.pem"
    key = generate_private_key(SECP256R1()).public_key()
    path.write_bytes(key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    assert main(["sim", "--ed25519-public-key", str(path)]) == 2
    assert "not an Ed25519 public key" in capsys.readouterr().err


def test_huobis_aws_environment_reaches_huobis_aws_hosts_and_trades_live(monkeypatch, tmp_path):
    from console.cli import build_parser, venues_to_trade
    from console.config import Locations
    from console.launch import connect, environment_label

    monkeypatch.setenv("HUOBI_AWS_API_KEY", "key")
    monkeypatch.setenv("HUOBI_AWS_API_SECRET", "secret")
    args = build_parser().parse_args(["--venue", "huobi", "--env", "aws"])
    ((config, credentials, sim),) = venues_to_trade(args, Locations(tmp_path, tmp_path))
    venue = connect(config, credentials)
    assert (venue.rest_url, sim, environment_label(config, sim)) == (
        "https://api-aws.huobi.pro",
        False,
        "LIVE",
    )


def test_an_environment_the_venue_does_not_have_is_refused_with_those_it_has(capsys):
    assert main(["--venue", "binance", "--env", "aws"]) == 2
    assert capsys.readouterr().err.strip() == (
        "trading-console: binance has no aws environment: production, testnet, custom"
    )


def test_a_missing_key_is_asked_for_in_the_venues_own_fields(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    for venue in ("HUOBI", "WEEX"):
        for name in ("API_KEY", "API_SECRET", "API_PASSPHRASE"):
            monkeypatch.delenv(f"{venue}_{name}", raising=False)
    assert main(["--venue", "huobi", "--live"]) == 2
    assert "set HUOBI_API_KEY and HUOBI_API_SECRET (or a [huobi]" in capsys.readouterr().err
    assert main(["--venue", "weex", "--live"]) == 2
    said = capsys.readouterr().err
    assert "WEEX_API_PASSPHRASE" in said and "ED25519" not in said


@pytest.mark.slow
async def test_sim_all_serves_every_venues_dialect_a_few_basis_points_apart():
    process, lines = await sim_saying("--venue", "all")
    try:
        rest, dialect = {}, None
        for line in lines:
            if line.startswith("SIM "):
                dialect = line.split()[1]
            elif line.startswith("rest "):
                rest[dialect] = line.split()[1]
        async with httpx.AsyncClient() as client:
            binance = (
                await client.get(rest["binance"] + "/api/v3/ticker/bookTicker?symbol=BTCUSDT")
            ).json()
            huobi = (
                await client.get(rest["huobi"] + "/market/detail/merged?symbol=btcusdt")
            ).json()
        binance_bid, huobi_bid = float(binance["bidPrice"]), huobi["tick"]["bid"][0]
        assert 3 < (huobi_bid / binance_bid - 1) * 10_000 < 5  # Huobi's market opens 4 bp up
        assert set(rest) == {"binance", "huobi", "weex"}
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0
