"""Review's parts that need no server: the marked answer, agreement, --min-agree, the stored connection
file, and the rule that a missing system part skips (or fails under CI) with a reason."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, read_examples

from curate.annotations.render import Span, findings_markdown, mark_answer, plain_answer


def _review(example_id: str, annotator: str, verdict: str, *, kind: str = "factual_qa", source: str = "example",
            dataset: str = "curate-review", correction: str | None = None) -> Any:
    from curate.schemas import Review, review_id

    return Review(id=review_id(dataset, example_id, annotator), dataset=dataset, example_id=example_id,
                  source=source, kind=kind, tissue="liver", fact_ids=["deg_count:liver:HU"], question="q?",
                  answer="a.", annotator=annotator, annotator_id=annotator, status="submitted", verdict=verdict,
                  corrected_answer=correction, answered_at=f"2026-01-01T00:00:0{len(annotator)}", snapshot="s")


def test_marked_answers_read_back_exactly(default_home: Path) -> None:
    rng = random.Random(0)
    texts = [e[field] for version in ("v1", "v2") for e in read_examples(default_home, version)
             for field in ("output", "instruction")]
    texts += ["x < y & $5 *bold* &amp; <mark>z</mark> \\ _a_ `code` | # [link](u) ~~s~~", ""]
    for text in texts:
        spans = [Span(a, a + rng.randint(1, 9), "wrong number", 'says "x" <b>') for a in
                 sorted(rng.sample(range(max(len(text), 1)), min(3, len(text))))]
        assert plain_answer(mark_answer(text, spans)) == text
    assert len(texts) > 1000


def test_the_claim_checks_finding_is_marked_where_it_is(default_home: Path) -> None:
    from curate.generators.embedded import load_default_factsheet
    from curate.review import claim_check_text, finding_spans

    check = claim_check_text(load_default_factsheet())
    assert check is not None
    answer = "About 12 genes change in the liver under HU, mostly up."
    spans = finding_spans(check(answer, ["deg_count:liver:HU"], "How many genes does HU change in liver?"))
    assert [(answer[s.start:s.end], s.label) for s in spans] == [("12", "wrong number")]
    marked = mark_answer(answer, spans)
    assert marked.startswith('About <mark title="1: wrong number: 12 does not match 4,110')
    assert "</mark> genes" in marked
    assert "4,110" in findings_markdown(answer, spans) and findings_markdown(answer, ()) == ""


def test_agreement_per_kind_names_its_measure() -> None:
    from curate.annotations.status import status_report

    reviews = [_review("e1", "ann", "wrong"), _review("e1", "bob", "partly_correct"),
               _review("e2", "ann", "correct"), _review("e2", "bob", "correct"),
               _review("c1", "ann", "wrong", kind="comparison"), _review("c1", "bob", "wrong", kind="comparison"),
               _review("c1", "cy", "correct", kind="comparison"), _review("c2", "ann", "correct", kind="comparison"),
               _review("c2", "bob", "correct", kind="comparison"), _review("c2", "cy", "correct", kind="comparison")]
    report = status_report(reviews, {"factual_qa": 2, "comparison": 2})
    two = report["by_kind"]["factual_qa"]["agreement"]
    assert (two["measure"], two["raters"], two["records"], two["cohen_kappa"]) == ("cohen_kappa", 2, 2, 0.333)
    three = report["by_kind"]["comparison"]["agreement"]  # alpha by hand: 1 - (2/6) / (16/30) = 0.375
    assert (three["measure"], three["raters"], three["cohen_kappa"]) == ("krippendorff_alpha", 3, None)
    assert three["krippendorff_alpha"] == 0.375 and three["observed"] == pytest.approx(0.667, abs=1e-3)
    everyone = report["agreement"]
    assert everyone["measure"] == "krippendorff_alpha" and everyone["records"] == 4
    one_label = status_report(reviews[2:4], {"factual_qa": 1})["agreement"]
    assert (one_label["observed"], one_label["cohen_kappa"], one_label["krippendorff_alpha"]) == (1.0, None, None)


def test_min_agree_holds_back_what_too_few_reviewers_agree_on() -> None:
    from curate.drill import agreed

    reviews = [_review("e1", "ann", "wrong", correction="Right."), _review("e1", "bob", "wrong"),
               _review("e2", "ann", "wrong"), _review("e2", "bob", "partly_correct"),
               _review("e3", "ann", "wrong"),
               _review("m1", "ann", "wrong", source="eval", dataset="curate-eval-x"),
               _review("m2", "ann", "wrong", source="eval", dataset="curate-eval-x"),
               _review("m2", "bob", "wrong", source="eval", dataset="curate-eval-x")]
    assert agreed(reviews, 1) == (reviews, [])
    kept, waiting = agreed(reviews, 2)
    assert {(r.dataset, r.example_id) for r in kept} == {("curate-review", "e1"), ("curate-eval-x", "m2")}
    assert [(w["example_id"], w["verdict"], w["agreeing"]) for w in waiting] == [
        ("m1", "wrong", 1), ("e2", "wrong", 1), ("e3", "wrong", 1)]
    assert waiting[1]["verdicts"] == {"wrong": 1, "partly_correct": 1}
    assert agreed(reviews, 3)[0] == []


def test_stored_connection_is_private_and_forgets_cleanly(tmp_path: Path) -> None:
    from curate.annotations.connection import StoredConnection, clear, load, save
    from curate.schemas.errors import BadInputError

    path = tmp_path / "home" / "argilla-connection.json"
    save(path, StoredConnection("http://h:1", "secret", "login", username="me", role="owner"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and not list(path.parent.glob(".*partial"))
    loaded = load(path)
    assert loaded is not None and loaded.api_key == "secret" and "api_key" not in loaded.public()
    path.write_text("{not json")
    with pytest.raises(BadInputError, match="not a stored Argilla connection"):
        load(path)
    assert clear(path) is None and not path.exists() and load(path) is None


NEEDS_REDIS = """
from conftest import require

def test_needs_redis():
    require("redis-server")
"""


@pytest.mark.parametrize("ci", ["", "true"])
def test_a_missing_system_part_skips_with_a_reason_or_fails_under_ci(tmp_path: Path, ci: str) -> None:
    (tmp_path / "test_part.py").write_text(NEEDS_REDIS)
    env = {**os.environ, "PATH": str(tmp_path), "CI": ci, "PYTHONPATH": f"{REPO / 'tests'}:{REPO}"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
                           str(tmp_path / "test_part.py")], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=300)
    if ci:
        assert done.returncode == 1, done.stdout
        assert "CI: redis-server is not installed (apt-get install redis-server; `make system-deps` as root)" \
            in done.stdout
    else:
        assert done.returncode == 0, done.stdout
        assert "not run: a part of the system is missing" in done.stdout
        assert "1 test(s) need redis-server (apt-get install redis-server): test_part.py" in done.stdout
        assert "make system-deps" in done.stdout


def test_makefile_installs_the_system_parts_and_ci_says_so() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert "test: system-deps" in makefile
    assert "apt-get install -y -qq redis-server chromium chromium-driver" in makefile
    assert "export CI=true" in (REPO / ".ci" / "run").read_text()
