"""The import rules that keep venues apart, for every venue the registry lists and every
dialect the simulator serves, found from the registries themselves: a new venue is held to
them the moment it registers, with no list to edit. (The layers are import-linter's
contracts in pyproject.toml.)"""

from itertools import permutations

import grimp
import pytest

from console.sim.server import FRONTS
from console.venues.registry import VENUES

GRAPH = grimp.build_graph("console")


def package_of(module: str) -> str:
    """`console.venues.binance.adapter` -> `console.venues.binance`."""
    return ".".join(module.split(".")[:3])


VENUE_PACKAGES = sorted({package_of(entry.connect.__module__) for entry in VENUES.values()})
DIALECT_PACKAGES = sorted({f"{front.__module__}" for front in FRONTS.values()})


def chain(importer: str, imported: str):
    return GRAPH.find_shortest_chains(importer=importer, imported=imported, as_packages=True)


def test_the_simulator_speaks_the_dialect_of_every_registered_venue():
    assert sorted(FRONTS) == sorted(VENUES)


def test_every_registered_venue_and_dialect_is_a_package_of_its_own():
    venues, dialects = VENUE_PACKAGES, DIALECT_PACKAGES
    assert venues == sorted(f"console.venues.{name}" for name in VENUES)
    assert dialects == sorted(f"console.sim.fronts.{name}" for name in FRONTS)


@pytest.mark.parametrize(("importer", "imported"), list(permutations(VENUE_PACKAGES, 2)))
def test_a_venue_never_imports_another_venue(importer, imported):
    assert not chain(importer, imported)


@pytest.mark.parametrize("venue", VENUE_PACKAGES)
def test_a_venue_never_imports_the_registry_that_lists_them_all(venue):
    assert not chain(venue, "console.venues.registry")


@pytest.mark.parametrize(("importer", "imported"), list(permutations(DIALECT_PACKAGES, 2)))
def test_a_simulator_dialect_never_imports_another_dialect(importer, imported):
    assert not chain(importer, imported)


@pytest.mark.parametrize("dialect", DIALECT_PACKAGES)
def test_a_simulator_dialect_never_imports_the_server_that_picks_one(dialect):
    assert not chain(dialect, "console.sim.server")
