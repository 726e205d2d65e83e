"""Suite-wide ordering: tests that declare a long timeout (the fault soak, bound by the
venues' own order budgets) start first, so in parallel runs they overlap the rest of the
suite instead of trailing after it."""


def pytest_collection_modifyitems(config, items):
    def declared_timeout(item):
        marker = item.get_closest_marker("timeout")
        return marker.args[0] if marker and marker.args else 0

    items.sort(key=declared_timeout, reverse=True)  # stable: the rest keep their order
