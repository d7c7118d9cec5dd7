"""docs/comparison.html in headless Chromium: every jurisdiction fits at 1280 px, the header stays in view,
"no figure given" looks unlike a figure, each document is linked, and a 390 px phone reads it without
scrolling sideways."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from policyrules.compare.matrix import matrix
from policyrules.engine.loading import load_pack
from policyrules.pack.files import shipped_packs

from .browser import chromium

PAGE = Path(__file__).resolve().parents[1] / "docs" / "comparison.html"


@pytest.fixture(scope="module")
def browser():
    with chromium(1280, 900) as driver:
        yield driver


def show(driver, width, height, mobile=False):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.get(PAGE.as_uri())
    return driver


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_jurisdiction_fits_at_1280_and_the_header_stays(browser, tmp_path):
    d = show(browser, 1280, 900)
    assert d.execute_script("return document.documentElement.scrollWidth") <= 1280
    heads = d.execute_script(
        "return [...document.querySelectorAll('.matrix thead th')].map(th => th.getBoundingClientRect().right)"
    )
    assert len(heads) == len(shipped_packs()) + 1 and max(heads) <= 1280
    # halfway down the table (the Chinese table is shorter than the page's thirds once were)
    d.execute_script(
        "const t = document.querySelector('.matrix'); window.scrollTo(0, t.offsetTop + t.offsetHeight / 2)"
    )
    top = d.execute_script("return document.querySelector('.matrix thead th:nth-child(2)').getBoundingClientRect().top")
    assert d.execute_script("return window.scrollY") > 500 and 0 <= top <= 1
    shot = tmp_path / "comparison-1280.png"
    d.save_screenshot(str(shot))
    assert png_size(shot.read_bytes()) == (1280, 900)


def test_no_figure_given_is_styled_apart_from_figures(browser):
    d = show(browser, 1280, 900)
    style = (
        "return (s => [getComputedStyle(s).fontStyle, getComputedStyle(s).backgroundColor, getComputedStyle(s).color])"
        "(document.querySelector(arguments[0]))"
    )
    nofig, fig = d.execute_script(style, "td.nofig a"), d.execute_script(style, "td.fig a")
    assert nofig[0] == "italic" and fig[0] == "normal"
    assert nofig[1] != fig[1] and nofig[2] != fig[2]
    wrong = d.execute_script(
        "return [...document.querySelectorAll('.matrix td')]"
        ".filter(td => (td.textContent === '未给出数额') !== td.classList.contains('nofig')).length"
    )
    assert wrong == 0


def test_each_document_is_linked(browser):
    d = show(browser, 1280, 900)
    m = matrix([load_pack(p) for p in shipped_packs()])
    targets = d.execute_script(
        "return [...document.querySelectorAll('.matrix thead th a')].map(a => "
        "(t => t ? t.textContent : null)(document.getElementById(a.hash.slice(1))))"
    )
    assert targets == [f"{c.jurisdiction} · {c.document}" for c in m.columns]
    broken = d.execute_script(
        "return [...document.querySelectorAll('a[href^=\"#\"]')].filter(a => !document.getElementById(a.hash.slice(1)))"
        ".map(a => a.getAttribute('href'))"
    )
    assert broken == []
    assert d.execute_script("return document.querySelectorAll('.src a.doc').length") > 50


def test_a_phone_reads_it_without_scrolling_sideways(browser, tmp_path):
    d = show(browser, 390, 844, mobile=True)
    try:
        assert d.execute_script("return window.innerWidth") == 390
        assert d.execute_script("return document.documentElement.scrollWidth") <= 390
        overflow = d.execute_script(
            "return [...document.querySelectorAll('.matrix th, .matrix td, h1, p')]"
            ".filter(e => e.getBoundingClientRect().right > 391).length"
        )
        assert overflow == 0
        # every shown cell names its jurisdiction, since the header row is not shown on a phone
        label = d.execute_script(
            "return getComputedStyle(document.querySelector('.matrix td.fig'), '::before').content"
        )
        assert label.strip('"') in {c.jurisdiction for c in matrix([load_pack(p) for p in shipped_packs()]).columns}
        size = d.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('.matrix td.fig')).fontSize)"
        )
        assert size >= 13
        shot = tmp_path / "comparison-390.png"
        d.save_screenshot(str(shot))
        assert png_size(shot.read_bytes())[0] == 390
    finally:
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
