"""Installed as a user installs a tool: a built wheel in a fresh virtualenv, run from an
empty directory, finds its shipped themes and keymaps and opens the trading screen."""

import fcntl
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.terminal import Terminal

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel and installed into a new virtualenv; its bin folder.
    The virtualenv sees this interpreter's packages for the dependencies (no network),
    while the console itself comes only from the wheel."""
    work = tmp_path_factory.mktemp("install")
    shared = tmp_path_factory.getbasetemp().parent  # every worker's, under pytest-xdist
    with (shared / "wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time in the checkout's build/
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "-q",
                "-w",
                str(work / "dist"),
                str(ROOT),
            ],
            check=True,
            capture_output=True,
        )
    (wheel,) = (work / "dist").glob("trading_console-*.whl")
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(work / "venv")
    bin_dir = work / "venv" / "bin"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(bin_dir / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    empty = work / "elsewhere"
    empty.mkdir()
    return bin_dir, empty


def run(bin_dir, empty, *args):
    return subprocess.run(
        [str(bin_dir / "trading-console"), *args],
        cwd=empty,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CONFIG_HOME": str(empty / "config")},
        check=True,
    ).stdout


def test_the_installed_console_is_the_wheels_not_the_checkout(installed):
    bin_dir, empty = installed
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import console; print(console.__file__)"],
        cwd=empty,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(bin_dir.parent) in where and str(ROOT) not in where


def test_the_installed_console_lists_its_shipped_themes_and_keymaps(installed):
    bin_dir, empty = installed
    themes = run(bin_dir, empty, "--list-themes").split()
    assert {"console-ansi", "console-dark", "console-light"} <= set(themes)
    assert "dracula" in themes and themes == sorted(themes)  # Textual's, as the palette offers
    assert run(bin_dir, empty, "--list-keymaps").split() == ["default", "vim"]


def test_the_installed_console_opens_the_trading_screen_from_an_empty_directory(
    installed, tmp_path
):
    bin_dir, empty = installed
    term = Terminal(tmp_path, [str(bin_dir / "trading-console"), "--rate", "100"], cwd=empty)
    try:
        term.wait_for(lambda s: "SIM" in s and "book LIVE" in s)
        term.type("q")
        assert term.exit_status() == 0
    finally:
        term.close()
