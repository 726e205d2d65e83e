"""`trading-console doctor`: every line passes on the simulator, a dead venue fails."""

import io

import pytest

from console.cli import main
from console.doctor import Doctor
from console.venues.binance.adapter import BinanceEndpoints, BinanceVenue
from console.venues.registry import NAMES


@pytest.mark.parametrize("venue", NAMES)
def test_doctor_without_credentials_passes_every_line_on_the_simulator(venue, capsys, monkeypatch):
    for name in ("API_KEY", "API_SECRET", "ED25519_KEY_FILE"):
        monkeypatch.delenv(f"{venue.upper()}_{name}", raising=False)
    assert main(["doctor", "--venue", venue]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("SIM") and f"({venue} dialect)" in lines[0]
    checks = [line.split()[1] for line in lines[1:]]
    assert checks == ["reachability", "clock", "instruments", "API", "market", "user"]
    assert all(line.startswith("PASS") for line in lines[1:])


async def test_unreachable_venue_fails_and_stops_early():
    out = io.StringIO()
    venue = BinanceVenue(BinanceEndpoints.on("http://127.0.0.1:9"))
    venue.rest.client.read_retries = 0
    try:
        assert await Doctor(venue, out).run() is False
    finally:
        await venue.close()
    (line,) = out.getvalue().splitlines()
    assert line.startswith("FAIL  reachability")


def test_doctor_reads_the_secrets_file_as_the_console_does(tmp_path, monkeypatch):
    for name in ("BINANCE_API_KEY", "BINANCE_API_SECRET", "BINANCE_ED25519_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    secrets = tmp_path / "trading-console" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[binance]\napi_key = "from-file"\napi_secret = "s"\n')
    secrets.chmod(0o600)
    seen = []

    async def record(out, config, credentials, sim):
        seen.append((credentials.api_key, sim))
        return 0

    monkeypatch.setattr("console.cli.run_doctor", record)
    assert main(["doctor"]) == 0
    assert seen == [("from-file", False)]


async def test_doctor_says_where_it_checks_before_any_request(monkeypatch):
    from console.config import Config, Credentials
    from console.doctor import run_doctor

    asked = []

    async def nothing_sent(self):
        asked.append(out.getvalue())
        return True

    monkeypatch.setattr(Doctor, "run", nothing_sent)
    out = io.StringIO()
    assert (
        await run_doctor(
            out, Config(), Credentials({"API_KEY": "key", "API_SECRET": "secret"}), sim=False
        )
        == 0
    )
    assert asked == ["LIVE  binance production at https://api.binance.com\n"]
