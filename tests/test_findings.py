"""One Finding for the claim check, the gates and the eval scorers; reports written in older shapes still load."""

from __future__ import annotations

import json

from curate.schemas import EvalReport, Finding

# An eval report.json item as the scorers wrote it before Finding was one model.
OLD_EVAL_FINDING = {"scorer": "numeric", "message": "12 is not the DEG count", "fact_id": "deg_count:liver:HU",
                    "expected": "4,110", "found": "12"}
# A gates.json finding as the gates wrote it (dataclass + the derived "claim").
OLD_GATE_FINDING = {"type": "wrong_number", "start": 30, "end": 35, "text": "1,273", "found": "1,273",
                    "expected": "4,110 (deg_count:liver:HU)", "fact_ids": ["deg_count:liver:HU"],
                    "message": "1,273 does not match 4,110", "example_id": "ex1", "field": "output", "claim": "number"}


def test_an_old_eval_report_loads() -> None:
    item = {"example_id": "ex1", "kind": "factual_qa", "tissue": "liver", "fact_ids": ["deg_count:liver:HU"],
            "question": "How many?", "reference": "4,110", "answer": "12", "answerable": True,
            "verdicts": {"numeric": False}, "findings": [OLD_EVAL_FINDING], "correct": False}
    report = EvalReport.model_validate({"facts_name": "kmp-study", "split": "test", "created": "2025-01-01T00:00:00Z",
                                        "n_items": 1, "n_correct": 0, "accuracy": 0.0, "items": [item]})
    [finding] = report.items[0].findings
    assert (finding.check, finding.type, finding.fact_ids) == ("numeric", "numeric", ("deg_count:liver:HU",))
    assert (finding.scorer, finding.fact_id, finding.expected, finding.found) == ("numeric", "deg_count:liver:HU",
                                                                                  "4,110", "12")
    again = EvalReport.model_validate_json(report.model_dump_json(by_alias=True))
    assert again.items[0].findings == [finding]


def test_an_old_gate_finding_loads_and_round_trips() -> None:
    finding = Finding.model_validate(OLD_GATE_FINDING)
    assert finding.claim == "number" and finding.check == "claims" and finding.start == 30
    dumped = finding.model_dump(mode="json")
    assert dumped["fact_ids"] == ["deg_count:liver:HU"] and dumped["claim"] == "number"
    assert Finding.model_validate(json.loads(json.dumps(dumped))) == finding


def test_unknown_fields_are_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Finding.model_validate({"type": "wrong_number", "colour": "red"})
