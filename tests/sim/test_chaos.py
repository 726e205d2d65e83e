"""Fault injection settings and one-shot triggers."""

import pytest

from console.sim.chaos import Chaos


def test_spec_sets_rates_by_name_and_alias():
    chaos = Chaos.parse("drop=0.5, 429=0.1,latency=40")
    assert (chaos.drop, chaos.http_429, chaos.latency) == (0.5, 0.1, 40.0)


@pytest.mark.parametrize("spec", ["meteor=1", "drop", "gap=lots"])
def test_bad_spec_names_the_setting(spec):
    with pytest.raises(ValueError, match="chaos setting"):
        Chaos.parse(spec)


def test_trigger_makes_exactly_the_next_chances_happen():
    chaos = Chaos()
    chaos.trigger("gap", times=2)
    assert [chaos.happens("gap") for _ in range(3)] == [True, True, False]


def test_zero_rate_never_happens():
    chaos = Chaos()
    assert not any(chaos.happens("http_5xx") for _ in range(1000))


def test_rate_one_always_happens():
    chaos = Chaos.parse("5xx=1")
    assert all(chaos.happens("http_5xx") for _ in range(100))
