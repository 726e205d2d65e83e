"""Suite-wide arrangements.

The fast tier (`pytest -m "not slow"`, under a minute) leaves out what is slow by nature:
whole-console runs (in a pseudo-terminal, or driven by keys through the screen on a live
simulator), the fault soaks bound by the venues' own order budgets, real protocol windows,
and the wheel install. Whole folders and modules of such tests are marked here; single
slow tests elsewhere carry `@pytest.mark.slow` themselves. `.ci/run` runs everything.

Tests that declare a long timeout (the fault soak) start first, so in parallel runs they
overlap the rest of the suite instead of trailing after it.

Sessions built in-process record their traffic only in tests marked `recording` (the
recorder's and the replay's): a recording is the product's default, but a thread writing
a compressed file for every test session is time CI spends on what those tests prove once.
"""

import decimal

import pytest

from console import launch
from console.venues import feeds

SLOW_PLACES = (
    "tests/e2e/",
    "tests/clients/",
    "tests/test_install.py",
    "tests/ui/test_trading_screen.py",
    "tests/ui/test_venues.py",
    "tests/ui/test_fills_and_positions.py",
    "tests/ui/test_watchlist.py",
    "tests/ui/test_move.py",
    "tests/ui/test_alerts.py",
    "tests/ui/test_deep_ladder.py",
    "tests/ui/test_stops.py",
    "tests/ui/test_trading_core.py",
    "tests/ui/test_after_a_bad_minute.py",
    "tests/ui/test_replay.py",
    "tests/trading/test_paper.py",
    "tests/venues/conformance/test_fault_soak.py",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(SLOW_PLACES):
            item.add_marker(pytest.mark.slow)

    def declared_timeout(item):
        marker = item.get_closest_marker("timeout")
        return marker.args[0] if marker and marker.args else 0

    # Stable: the rest keep their order. The longest start first, one to a worker
    # (`--maxschedchunk 1`), not all in the first worker's share.
    items.sort(key=declared_timeout, reverse=True)


def pytest_xdist_auto_num_workers(config):
    """The fast tier keeps the processor busy: three workers on two cores. The whole suite
    mostly waits (soaks at a venue's order rate, heartbeat windows, simulators and consoles
    in processes of their own): four."""
    return 3 if "not slow" in (config.getoption("markexpr") or "") else 4


def pytest_addoption(parser):
    parser.addoption(
        "--replay-minutes",
        type=float,
        default=0.0,
        help="record this many minutes for the replay test (tests/e2e/test_replay.py) and "
        "compare at 100 instants, instead of a few seconds at 20",
    )


@pytest.fixture(autouse=True)
def quiet_markets_fetch_their_snapshot_at_once(monkeypatch):
    """Most simulated markets here are still (rate 0) and send no first delta: waiting for
    one would add half a second to every session a test builds."""
    monkeypatch.setattr(feeds, "FIRST_DELTA_WAIT", 0.01)


@pytest.fixture(autouse=True)
def no_recording_unless_asked(request, monkeypatch):
    if request.node.get_closest_marker("recording") is None:
        monkeypatch.setattr(launch, "recorder_for", lambda *_args, **_kw: None)


@pytest.fixture(autouse=True)
def python_default_decimal_context():
    """ccxt sets the thread's decimal rounding to half-up (and traps underflow) each time it
    formats a number; a test after one of ccxt's in the same worker starts from Python's
    own context, as the console, which never changes it, always runs."""
    yield
    decimal.setcontext(decimal.Context())
