"""Headless Chromium from Debian's packages, driven through its ChromeDriver with selenium.

Skipped when no browser is installed; under CI=true a missing browser fails,
since .ci/run installs one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from typing import Any, Iterator

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # this machine has no network: Chromium would keep trying
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--lang=en-US",  # the page asks for Chinese itself, whatever the browser prefers
)


def _find(*names: str) -> str | None:
    return next((p for p in map(shutil.which, names) if p), None)


def _unavailable(why: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; .ci/run installs chromium and chromium-driver from Debian's packages")
    pytest.skip(why)


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A fresh headless Chromium (new profile) with a window of width × height CSS pixels."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (it is in the test extra)")
    binary, driver_path = _find("chromium", "chromium-browser"), _find("chromedriver")
    if binary is None or driver_path is None:
        _unavailable("no headless browser: chromium and chromedriver are not installed")
    profile = tempfile.mkdtemp(prefix="policyrules-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    # Both paths are given, so selenium never tries to download a driver or a browser.
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
