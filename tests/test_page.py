"""The case page at /, in headless Chromium: fill the form as a person would, read what the page shows."""

from __future__ import annotations

import pytest

from .browser import chromium
from .webserver import running

pytest.importorskip("fastapi", reason="the web extra is not installed")

REWARD = '[data-rule="reward.excess_quota"]'


@pytest.fixture(scope="module")
def page():
    with running() as url, chromium(1280, 900) as driver:
        yield driver, url


def open_page(page):
    from selenium.webdriver.support.ui import WebDriverWait

    driver, url = page
    driver.get(url + "/")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    return driver


def choose(driver, name, value):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.NAME, name)).select_by_value(value)


def fill_employer(driver, with_wage=True):
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, 'details[data-group="unit"] > summary').click()
    driver.find_element(By.CSS_SELECTOR, 'details[data-group="place"] > summary').click()
    choose(driver, "unit.kind", "private_enterprise")
    driver.find_element(By.NAME, "unit.staff").send_keys("200")
    driver.find_element(By.NAME, "unit.disabled_employees").send_keys("6")
    choose(driver, "unit.fiscally_funded", "false")
    choose(driver, "unit.is_concentrated_employment_unit", "false")
    if with_wage:
        driver.find_element(By.NAME, "place.monthly_minimum_wage").send_keys("1980")
    # a date input takes keys in the browser's locale order; setting the value is what a date picker does
    driver.execute_script("document.getElementById('as-of').value = '2024-06-01'")


def submit_and_wait(driver, columns):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results .column")) == columns)
    return {c.get_attribute("data-pack"): c for c in driver.find_elements(By.CSS_SELECTOR, "#results .column")}


def test_form_labels_are_chinese(page):
    from selenium.webdriver.common.by import By

    driver = open_page(page)
    label = driver.find_element(By.CSS_SELECTOR, 'label[for="f-unit-staff"]').get_attribute("textContent")
    assert "职工" in label or "在职" in label, label
    options = [
        o.get_attribute("textContent") for o in driver.find_elements(By.CSS_SELECTOR, '[name="unit.kind"] option')
    ]
    assert any(o.startswith("民营企业") for o in options), options


def test_employer_case_shows_the_reward_and_its_citation(page):
    from selenium.webdriver.common.by import By

    driver = open_page(page)
    choose(driver, "pack", "baotou")
    fill_employer(driver)
    cols = submit_and_wait(driver, 1)
    reward = cols["baotou"].find_element(By.CSS_SELECTOR, REWARD)
    text = reward.text
    assert "合计 29700" in text
    assert "每超比例安排1名残疾人" in text  # Chinese, though the browser prefers English
    assert "包府办发〔2023〕43号" in text and "主要措施·实施民营企业安排残疾人就业·2" in text
    assert "每超额安排1名残疾人" in reward.find_element(By.CSS_SELECTOR, "blockquote.quote").text


def test_a_missing_fact_is_asked_for(page):
    from selenium.webdriver.common.by import By

    driver = open_page(page)
    choose(driver, "pack", "baotou")
    fill_employer(driver, with_wage=False)
    cols = submit_and_wait(driver, 1)
    reward = cols["baotou"].find_element(By.CSS_SELECTOR, REWARD)
    assert "合计" not in reward.text
    assert "月最低工资" in reward.find_element(By.CSS_SELECTOR, ".missing").text


def test_two_jurisdictions_side_by_side(page):
    from selenium.webdriver.common.by import By

    driver = open_page(page)
    choose(driver, "pack", "baotou")
    choose(driver, "compare", "jinan")
    fill_employer(driver)
    cols = submit_and_wait(driver, 2)
    assert set(cols) == {"baotou", "jinan"}
    assert "29700" in cols["baotou"].find_element(By.CSS_SELECTOR, REWARD).text
    assert "济南" in cols["jinan"].find_element(By.TAG_NAME, "h2").text
    left, right = cols["baotou"].rect, cols["jinan"].rect
    assert left["y"] == right["y"] and left["x"] + left["width"] <= right["x"]  # side by side, not stacked


def test_a_rejected_case_marks_what_is_wrong(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = open_page(page)
    choose(driver, "pack", "baotou")
    driver.find_element(By.CSS_SELECTOR, 'details[data-group="unit"] > summary').click()
    driver.find_element(By.NAME, "unit.staff").send_keys("5")
    driver.find_element(By.NAME, "unit.disabled_employees").send_keys("11")
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 20).until(lambda d: "error" in d.find_element(By.ID, "status").get_attribute("class"))
    problem = driver.find_element(By.CSS_SELECTOR, 'details[data-group="unit"].error .problem')
    assert "超过了 staff" in problem.text  # the page speaks Chinese, and so do the problems it shows
    assert not driver.find_elements(By.CSS_SELECTOR, "#results .column")
