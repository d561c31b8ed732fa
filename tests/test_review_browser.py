"""A biologist in a real browser: headless Chromium logs in to the Argilla UI, corrects one answer and submits.

Then `curate review pull` sees that response, and `curate drill` writes a version with the correction.
Set CURATE_SAVE_SCREENSHOTS=1 to refresh docs/review-ui.png from this test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from _review_server import connection_env, dataset_id, owner_client, shared_server
from conftest import REPO, read_examples, run_curate

pytestmark = pytest.mark.slow
WORKSPACE = "browser"
DATASET = "curate-review"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1000")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return shared_server(tmp_path_factory)


@pytest.fixture
def browser() -> Any:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="curate-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _correction_for(example: dict[str, Any]) -> str:
    from curate.generators.embedded import load_default_factsheet
    from curate.generators.text import describe

    facts = load_default_factsheet().by_id()
    return " ".join(describe(facts[i]) for i in example["fact_ids"]) + " Checked against the source table."


def test_biologist_corrects_an_answer_in_the_browser(browser: Any, server: dict[str, Any],
                                                     tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    home = tmp_path / "home"
    assert run_curate("generate", "--tissue", "liver", "--json", home=home).returncode == 0
    pushed = run_curate("review", "push", "v1", "--kinds", "factual_qa", "--sample", "2", "--workspace", WORKSPACE,
                        "--json", home=home, env=connection_env(server))
    assert pushed.returncode == 0 and pushed.json()["pushed"] == 2, pushed.stderr
    examples = {e["instruction"]: e for e in read_examples(home, "v1") if e["kind"] == "factual_qa"}

    wait = WebDriverWait(browser, 60)
    browser.get(f"{server['api_url']}/sign-in")
    wait.until(ready.presence_of_element_located((By.NAME, "Username"))).send_keys(server["username"])
    browser.find_element(By.NAME, "Password").send_keys(server["password"])
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, "button[type=submit]"))).click()
    wait.until(lambda page: "sign-in" not in page.current_url)
    ident = dataset_id(server, DATASET, WORKSPACE)
    browser.get(f"{server['api_url']}/dataset/{ident}/annotation-mode")
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, "label[for=verdict_wrong]")))
    shown = wait.until(lambda page: next((q for q in examples if q in _visible_text(page)), None))
    example = examples[shown]
    correction = _correction_for(example)

    browser.find_element(By.CSS_SELECTOR, "label[for=verdict_wrong]").click()
    editor = browser.find_element(By.CSS_SELECTOR, "[aria-label='Question: corrected_answer'] [contenteditable=true]")
    editor.click()
    editor.send_keys(correction)
    browser.find_element(By.CSS_SELECTOR, "label[for=error_types_wrong_number]").click()
    browser.find_element(By.CSS_SELECTOR, "label[for=confidence_4]").click()
    screenshot = tmp_path / "review-ui.png"
    browser.save_screenshot(str(screenshot))
    if os.environ.get("CURATE_SAVE_SCREENSHOTS") == "1":
        shutil.copyfile(screenshot, REPO / "docs" / "review-ui.png")
    browser.find_element(By.CSS_SELECTOR, "button.button--submit").click()
    _wait_for_submission(server, ident)

    pulled = run_curate("review", "pull", "--workspace", WORKSPACE, "--json", home=home, env=connection_env(server))
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.json()["datasets"][0]["responses"] == 1
    drilled = run_curate("drill", "--from-review", "--version", "v1", "--json", home=home)
    assert drilled.returncode == 0, drilled.stderr
    v2 = read_examples(home, drilled.json()["version"])
    (fixed,) = [e for e in v2 if e["origin"] == "correction"]
    assert fixed["output"] == correction and fixed["instruction"] == example["instruction"]
    assert fixed["metadata"]["reviewer"] == server["username"] and fixed["metadata"]["error_types"] == "wrong_number"
    assert example["id"] not in {e["id"] for e in v2}


def _visible_text(page: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(page.find_element(By.TAG_NAME, "body").text)


def _wait_for_submission(server: dict[str, Any], ident: str, timeout: float = 30) -> None:
    client = owner_client(server)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = client.http_client.get(f"/api/v1/datasets/{ident}/progress").json()
        if progress.get("completed") == 1:
            return
        time.sleep(0.3)
    raise AssertionError(f"the UI's submission never reached the server: {progress}")
