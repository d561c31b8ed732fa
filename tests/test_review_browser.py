"""One biologist, five answers, in a real browser: headless Chromium on the Argilla review page.

The owner adds the biologist with `curate review add-user` and pushes five of a model's answers
(`review push --from-eval`). The biologist logs in with the generated password, reads the
guidelines, and judges the five from the keyboard alone (the shortcuts the guidelines list): a
wrong answer corrected, a partly correct one corrected, two correct ones confirmed, a wrong one
with its error type ticked. `curate review pull` then holds exactly those five verdicts, with the
answers back as the plain text the model wrote, and `curate drill` drills the facts behind them.

Screenshots go to the test's folder; CURATE_SAVE_SCREENSHOTS=1 refreshes docs/review-*.png.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from _review_server import connection_env, dataset_id, owner_client, shared_server
from conftest import REPO, read_examples, require, run_curate

pytestmark = pytest.mark.slow
WORKSPACE = "browser"
BIOLOGIST = "walkthrough-bio"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1150")
KEYS = {"correct": "1", "partly_correct": "2", "wrong": "3"}


@dataclass(frozen=True)
class Step:
    """One of the five answers, and what the biologist does with it."""

    fact_id: str
    answer: str  # the model's answer; "" means the reference answer, word for word
    model_correct: bool  # the scorer's verdict, pre-filled as the suggestion
    verdict: str
    correction: str = ""
    error_key: str = ""  # the key that ticks an error type (5: overclaiming)


STEPS = (
    Step("deg_count:liver:HU", "About 12 genes change, mostly up.", False, "wrong",
         "In liver, hindlimb unloading changes 4,110 genes (2,189 up, 1,921 down) at padj < 0.05."),
    Step("deg_count:liver:IR", "Ionizing radiation changes 1,273 liver genes: 860 up and 413 down.", False,
         "partly_correct", "Ionizing radiation changes 1,273 liver genes: 413 up and 860 down."),
    Step("deg_count:liver:HU_IR", "", True, "correct"),
    Step("kmp_effect:liver:baseline", "KMP changes 3,000 liver genes at baseline, which proves it protects the liver.",
         False, "wrong", error_key="5"),
    Step("tissue_class:liver", "", True, "correct"),
)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return shared_server(tmp_path_factory)


@pytest.fixture
def browser() -> Any:
    require("chromium", "chromedriver", "selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(shutil.which("chromium") or shutil.which("chromium-browser"))
    profile = tempfile.mkdtemp(prefix="curate-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(shutil.which("chromedriver"))), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _eval_report(home: Path, folder: Path) -> tuple[Path, dict[str, Step]]:
    """A model's five answers to v1 test questions, as an eval report; returns it and the steps by question."""
    from curate.schemas import EvalItem, EvalReport

    tests = {e["fact_ids"][0]: e for e in read_examples(home, "v1")
             if e["split"] == "test" and e["kind"] == "factual_qa" and len(e["fact_ids"]) == 1}
    items, by_question = [], {}
    for step in STEPS:
        example = tests[step.fact_id]
        items.append(EvalItem(example_id=example["id"], kind="factual_qa", tissue="liver", fact_ids=[step.fact_id],
                              question=example["instruction"], reference=example["output"],
                              answer=step.answer or example["output"], verdicts={"numeric": step.model_correct},
                              correct=step.model_correct))
        by_question[example["instruction"]] = step
    report = EvalReport(id="ev-walkthrough", version="v1", facts_name="kmp-study", split="test",
                        created="2026-01-01T00:00:00+00:00", n_items=5, n_correct=2, accuracy=0.4, items=items)
    path = folder / "report.json"
    path.write_text(report.model_dump_json(by_alias=True, indent=2))
    return path, by_question


class Page:
    """The review page as the biologist uses it: keys, what is selected, screenshots."""

    def __init__(self, driver: Any, shots: Path) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver, self.shots, self.wait = driver, shots, WebDriverWait(driver, 60)

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(*keys).perform()
        time.sleep(0.3)

    def shift_enter(self) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.RETURN).key_up(Keys.SHIFT).perform()
        time.sleep(0.3)

    def checked(self) -> set[str]:
        from selenium.webdriver.common.by import By

        return {str(e.get_attribute("id")) for e in self.driver.find_elements(By.CSS_SELECTOR, "input:checked")}

    def text(self) -> str:
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.TAG_NAME, "body").text)

    def html(self) -> str:
        return str(self.driver.page_source)

    def shot(self, name: str) -> None:
        path = self.shots / name
        self.driver.save_screenshot(str(path))
        if os.environ.get("CURATE_SAVE_SCREENSHOTS") == "1":
            shutil.copyfile(path, REPO / "docs" / name)


def _sign_in(page: Page, api_url: str, username: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    page.driver.get(f"{api_url}/sign-in")
    page.wait.until(ready.presence_of_element_located((By.NAME, "Username"))).send_keys(username)
    page.driver.find_element(By.NAME, "Password").send_keys(password)
    page.wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, "button[type=submit]"))).click()
    page.wait.until(lambda driver: "sign-in" not in driver.current_url)


def _read_guidelines(page: Page) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page.driver.find_elements(By.XPATH, "//p[normalize-space(text())='Guidelines']")[0].click()
    page.wait.until(lambda _: "Working from the keyboard" in page.text())
    heading = page.driver.find_element(By.XPATH, "//h2[normalize-space(text())='Working from the keyboard']")
    page.driver.execute_script("arguments[0].scrollIntoView()", heading)
    time.sleep(0.5)
    page.shot("review-guidelines.png")
    page.driver.find_elements(By.XPATH, "//p[normalize-space(text())='Guidelines']")[0].click()
    time.sleep(0.5)
    page.keys(Keys.TAB)  # back from a click outside the form: Tab activates it (focus on the first question)


def _judge(page: Page, step: Step) -> None:
    """One record, from the keyboard: the verdict (its key, unless the suggestion already says it), the
    correction (Down to its box, Shift+Enter, type, Esc), an error type, then Enter to submit."""
    from selenium.webdriver.common.keys import Keys

    on_verdict = True  # the page focuses the first question when a record opens
    if f"verdict_{step.verdict}" not in page.checked():
        page.keys(KEYS[step.verdict])  # selecting a label moves on to the next question
        on_verdict = False
    assert f"verdict_{step.verdict}" in page.checked()
    if step.correction:
        if on_verdict:
            page.keys(Keys.ARROW_DOWN)
        page.shift_enter()
        page.keys(step.correction)
        if step.verdict == "partly_correct":
            page.shot("review-correction.png")
        page.keys(Keys.ESCAPE)
    if step.error_key:
        page.keys(Keys.ARROW_DOWN, *([Keys.ARROW_DOWN] if on_verdict else []), step.error_key)
        assert "error_types_overclaiming" in page.checked()
    page.keys(Keys.RETURN)


def test_a_biologist_judges_five_answers_from_the_keyboard(browser: Any, server: dict[str, Any],
                                                           tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready

    home, env = tmp_path / "home", connection_env(server)
    assert run_curate("generate", "--tissue", "liver", "--json", home=home).returncode == 0
    added = run_curate("review", "add-user", BIOLOGIST, "--workspace", WORKSPACE, "--json", home=home, env=env)
    assert added.returncode == 0, added.stderr
    report, steps = _eval_report(home, tmp_path)
    pushed = run_curate("review", "push", "--from-eval", str(report), "--workspace", WORKSPACE, "--json", home=home,
                        env=env)
    assert pushed.returncode == 0 and pushed.json()["pushed"] == 5, pushed.stderr
    dataset = pushed.json()["dataset"]
    ident = dataset_id(server, dataset, WORKSPACE)

    page = Page(browser, tmp_path)
    _sign_in(page, server["api_url"], BIOLOGIST, Path(added.json()["password_file"]).read_text().strip())
    browser.get(f"{server['api_url']}/dataset/{ident}/annotation-mode")
    page.wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, "label[for=verdict_wrong]")))
    _read_guidelines(page)
    done: list[str] = []
    for _ in STEPS:
        question = page.wait.until(lambda _: next((q for q in steps if q in page.text() and q not in done), None))
        step = steps[question]
        if step.fact_id == "deg_count:liver:HU":  # the check marks the wrong count, and says what the facts say
            assert '<mark title="1: wrong number: 12 does not match 4,110' in page.html()
            assert "What the automatic check found" in page.text() and "stressor_degs.csv, row 7" in page.text()
            page.shot("review-record.png")
        _judge(page, step)
        done.append(question)
        _wait_for_completed(server, ident, len(done))
    time.sleep(1)
    page.shot("review-done.png")

    pulled = run_curate("review", "pull", "--workspace", WORKSPACE, "--dataset", dataset, "--json", home=home,
                        env=env)
    assert pulled.returncode == 0, pulled.stderr
    reviews = [json.loads(line) for line in (home / "reviews" / "reviews.jsonl").read_text().splitlines()]
    got = {r["question"]: r for r in reviews if r["dataset"] == dataset}
    assert set(got) == set(steps) and {r["annotator"] for r in got.values()} == {BIOLOGIST}
    items = {item["question"]: item for item in json.loads(report.read_text())["items"]}
    for question, step in steps.items():
        review = got[question]
        assert (review["status"], review["verdict"]) == ("submitted", step.verdict), question
        assert review["corrected_answer"] == (step.correction or None)
        assert review["answer"] == items[question]["answer"]  # plain text again, marks and all removed
    assert got[next(q for q, s in steps.items() if s.error_key)]["error_types"] == ["overclaiming"]

    drilled = run_curate("drill", "--from-review", "--dataset", dataset, "--version", "v1", "--json", home=home)
    assert drilled.returncode == 0, drilled.stderr
    wrong = {s.fact_id for s in STEPS if s.verdict != "correct"}
    assert set(drilled.json()["drilled_facts"]) == wrong
    assert {d["annotator"] for d in drilled.json()["drivers"] if d["type"] == "review"} == {BIOLOGIST}


def _wait_for_completed(server: dict[str, Any], ident: str, n: int, timeout: float = 30) -> None:
    client = owner_client(server)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = client.http_client.get(f"/api/v1/datasets/{ident}/progress").json()
        if progress.get("completed") == n:
            return
        time.sleep(0.3)
    raise AssertionError(f"the UI's submission never reached the server: {progress} (expected {n} completed)")
