"""The round trip through the real CLI: `curate simulate`, `curate ingest` per tissue, then the facts.

The planted DEGs, classes and pathway come back; a GeneLab table and a DESeq2 folder written from the
h5ad path's results give the same facts as the h5ad path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import run_curate

from curate.files import sha256_file
from curate.generators.ingest import CONTRAST_NAMES, de_table
from curate.registry import Registry

anndata = pytest.importorskip("anndata")
pytest.importorskip("pydeseq2")
pytest.importorskip("gseapy")

pytestmark = pytest.mark.slow

TISSUES = ("heart", "hippocampus", "liver", "soleus")
GENES = 2000
# Group names as a GeneLab runsheet would spell them (not the h5ad's spellings).
GENELAB_LEVELS = {"drug": ("Vehicle", "Kaempferol"), "hu": ("Normally Loaded", "Hindlimb Unloaded"),
                  "ir": ("Sham", "Irradiated")}
PAIRWISE = {"HU": ((0, 1, 0), (0, 0, 0)), "IR": ((0, 0, 1), (0, 0, 0)), "HU_IR": ((0, 1, 1), (0, 0, 0)),
            "KMP_baseline": ((1, 0, 0), (0, 0, 0)), "KMP_in_HU": ((1, 1, 0), (0, 1, 0)),
            "KMP_in_IR": ((1, 0, 1), (0, 0, 1)), "KMP_in_HU_IR": ((1, 1, 1), (0, 1, 1))}


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("roundtrip")
    home, sim = root / "home", root / "sim"
    made = run_curate("simulate", "--out", str(sim), "--genes", str(GENES), "--seed", "11", "--json", home=home)
    assert made.returncode == 0, made.stderr
    for tissue in TISSUES:
        method = ["--de-method", "fast"] if tissue != "heart" else []  # heart runs pydeseq2's own fit
        run = _ingest(home, str(sim / f"{tissue}.h5ad"), "--tissue", tissue, "--gmt", str(sim / "gene_sets.gmt"),
                      "--name", "sim", *method, *(["--cpus", "1"] if tissue == "heart" else []))
        assert run["tissue"] == tissue and run["format"] == "h5ad"
    return {"home": home, "sim": sim, "truth": json.loads((sim / "truth.json").read_text()), "root": root}


def _ingest(home: Path, *args: str) -> dict[str, Any]:
    run = run_curate("ingest", *args, "--json", home=home)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _results(study: dict[str, Any], tissue: str):  # type: ignore[no-untyped-def]
    return anndata.read_h5ad(study["home"] / "facts" / "sim" / "ingest" / f"{tissue}.h5ad")


def _values(facts: list[Any]) -> dict[str, dict[str, Any]]:
    return {f.id: f.model_dump(exclude={"provenance"}) for f in facts}


def test_roundtrip_recovers_the_planted_degs(study: dict[str, Any]) -> None:
    false_calls = calls = 0
    for tissue in TISSUES:
        truth = study["truth"]["tissues"][tissue]["contrasts"]
        results = _results(study, tissue)
        found = planted = 0
        for contrast in CONTRAST_NAMES:
            table = de_table(results, contrast)
            called = set(table.index[table["padj"].fillna(1.0) < 0.05])
            degs, nonnull = set(truth[contrast]["degs"]), set(truth[contrast]["nonnull"])
            found, planted = found + len(called & degs), planted + len(degs)
            false_calls, calls = false_calls + len(called - nonnull), calls + len(called)
        assert found / planted >= 0.9, (tissue, found, planted)
    assert false_calls / calls <= 0.1, (false_calls, calls)


def test_roundtrip_recovers_classes_and_the_planted_pathway(study: dict[str, Any]) -> None:
    sheet = Registry(study["home"]).factsheet("sim")
    assert sheet.tissues == sorted(TISSUES)
    gmt_sha = sha256_file(study["sim"] / "gene_sets.gmt")
    for tissue in TISSUES:
        planted = study["truth"]["tissues"][tissue]
        (cls,) = sheet.select(kind="tissue_class", tissue=tissue)
        assert cls.response_class == planted["response_class"], tissue
        shifts = sheet.select(kind="pathway_shift", tissue=tissue)
        pathway = next(f for f in shifts if f.pathway == "SIM_STRESS_RESCUED")
        assert (pathway.pattern, pathway.stress_nes < 0, pathway.kmp_nes > 0) == ("RESCUE", True, True), tissue
        assert pathway.provenance.source == "gene_sets.gmt" and pathway.provenance.sha256 == gmt_sha
        assert (study["home"] / "facts" / "sim" / "ingest" / f"{tissue}.h5ad").is_file()


def test_curate_facts_shows_where_each_fact_came_from(study: dict[str, Any]) -> None:
    run = run_curate("facts", "--facts", "sim", "--tissue", "heart", "--kind", "deg_count", "--json",
                     home=study["home"])
    assert run.returncode == 0, run.stderr
    facts = {f["id"]: f for f in json.loads(run.stdout)["facts"]}
    provenance = facts["deg_count:heart:HU_IR"]["provenance"]
    assert provenance["source"] == "heart.h5ad"
    assert provenance["sha256"] == sha256_file(study["sim"] / "heart.h5ad")
    assert provenance["threshold"] == "padj < 0.05" and provenance["contrast"] == "HU_IR"
    assert "pydeseq2" in provenance["method"]


def test_a_genelab_table_gives_the_same_facts(study: dict[str, Any]) -> None:
    folder = study["root"] / "genelab"
    folder.mkdir()
    _write_genelab(folder, _results(study, "heart"), anndata.read_h5ad(study["sim"] / "heart.h5ad"))
    _ingest(study["home"], str(folder), "--tissue", "heart", "--gmt", str(study["sim"] / "gene_sets.gmt"),
            "--name", "genelab")
    registry = Registry(study["home"])
    expected = {k: v for k, v in _values(registry.factsheet("sim").select(tissue="heart")).items()
                if not k.startswith("interaction:")}
    got = registry.factsheet("genelab").facts
    assert _values(got) == expected
    assert {f.provenance.source for f in got if f.kind == "deg_count"} == {"differential_expression_GLbulkRNAseq.csv"}


def test_a_deseq2_folder_gives_the_same_facts(study: dict[str, Any]) -> None:
    folder = study["root"] / "deseq2"
    folder.mkdir()
    results = _results(study, "heart")
    for contrast in CONTRAST_NAMES:
        table = de_table(results, contrast)
        table["symbol"] = results.var["symbol"].to_numpy()
        table.to_csv(folder / f"{contrast}.csv")
    _ingest(study["home"], str(folder), "--tissue", "heart", "--gmt", str(study["sim"] / "gene_sets.gmt"),
            "--name", "deseq2")
    registry = Registry(study["home"])
    got = registry.factsheet("deseq2").facts
    assert _values(got) == _values(registry.factsheet("sim").select(tissue="heart"))
    assert next(f for f in got if f.id == "kmp_effect:heart:HU").provenance.source == "KMP_in_HU.csv"


def _write_genelab(folder: Path, results, counts) -> None:  # type: ignore[no-untyped-def]
    """A GeneLab-format DGE table with its SampleTable and contrasts companions."""
    def group(cell: tuple[int, int, int]) -> str:
        return " & ".join(levels[bit] for levels, bit in zip(GENELAB_LEVELS.values(), cell, strict=False))

    design = results.uns["design"]["mapping"]
    cells = [tuple(int(str(counts.obs[design[f]["column"]].iloc[i]) in design[f]["treated"])
                   for f in ("drug", "hu", "ir")) for i in range(counts.n_obs)]
    samples = pd.DataFrame({"condition": [group(c) for c in cells]}, index=counts.obs_names)
    samples.to_csv(folder / "SampleTable_GLbulkRNAseq.csv")
    X = np.asarray(counts.X, dtype=float)
    logs = np.log(np.where(X > 0, X, np.nan))
    usable = ~np.isnan(logs).any(axis=0)
    size_factors = np.exp(np.median(logs[:, usable] - logs[:, usable].mean(axis=0), axis=1))
    normalised = X / size_factors[:, None] + 1
    table = pd.DataFrame({"ENSEMBL": results.var_names, "SYMBOL": results.var["symbol"].to_numpy()})
    table = pd.concat([table, pd.DataFrame(normalised.T, columns=counts.obs_names)], axis=1)
    listed = {}
    for number, (contrast, (test, ref)) in enumerate(PAIRWISE.items()):
        de = de_table(results, contrast)
        a, b, sign = (group(test), group(ref), 1.0) if number % 2 == 0 else (group(ref), group(test), -1.0)
        name = f"({a})v({b})"
        listed[name] = [a, b]
        table[f"Log2fc_{name}"] = sign * de["log2FoldChange"].to_numpy()
        table[f"Stat_{name}"] = sign * de["stat"].to_numpy()
        table[f"P.value_{name}"] = de["pvalue"].to_numpy()
        table[f"Adj.p.value_{name}"] = de["padj"].to_numpy()
    table["All.mean"] = de_table(results, "HU")["baseMean"].to_numpy() + 1
    table["All.stdev"] = normalised.std(axis=0, ddof=1)
    for label in sorted(set(samples["condition"])):
        members = (samples["condition"] == label).to_numpy()
        table[f"Group.Mean_({label})"] = normalised[members].mean(axis=0)
        table[f"Group.Stdev_({label})"] = normalised[members].std(axis=0, ddof=1)
    table.to_csv(folder / "differential_expression_GLbulkRNAseq.csv", index=False)
    pd.DataFrame(listed, index=["1", "2"]).to_csv(folder / "contrasts_GLbulkRNAseq.csv")
