"""generators.ingest, in process: design mapping, readers, the DE against pydeseq2, and the rules."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from curate.generators.embedded import load_default_factsheet
from curate.generators.ingest import (
    CONTRAST_NAMES,
    DesignSpec,
    FactorSpec,
    de_table,
    detect_format,
    differential_expression,
    load_design,
    map_design,
    map_groups,
    pathway_name,
    pathway_pattern,
    read_deseq2,
    read_gmt,
    response_class,
)
from curate.generators.ingest._contrasts import CELLS, FACTORS, contrast_from_name
from curate.generators.ingest._de import (
    cells_of,
    contrast_matrix,
    design_metadata,
    fit_pydeseq2,
    single_threaded_blas,
    wald_tests,
)
from curate.generators.ingest._fast import fit_saturated
from curate.generators.ingest._simulate import _make_genes, simulate_tissue
from curate.schemas.errors import BadInputError

anndata = pytest.importorskip("anndata")
pytest.importorskip("pydeseq2")

FIELDS = ("log2FoldChange", "lfcSE", "stat", "pvalue", "padj")


def _tissue(tissue: str, *, genes: int, replicates: int, seed: int, outliers: int = 0):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    adata, truth = simulate_tissue(tissue, genes=_make_genes(rng, genes), rng=rng, replicates=replicates)
    counts = np.asarray(adata.X).astype(np.int64)
    for gene in rng.choice(counts.shape[1], outliers, replace=False):
        sample = rng.integers(counts.shape[0])
        counts[sample, gene] = counts[sample, gene] * 25 + 50
    adata.X = counts
    return adata, truth


def _cells(adata) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    return cells_of(design_metadata(adata))


def _obs_adata(columns: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    obs = pd.DataFrame(columns, index=[f"s{i}" for i in range(len(next(iter(columns.values()))))])
    return anndata.AnnData(X=np.ones((len(obs), 3), dtype=np.int64), obs=obs)


def _factorial(levels: dict[str, tuple[str, str]], replicates: int = 2) -> dict[str, list[str]]:
    rows = [(d, h, i) for d in (0, 1) for h in (0, 1) for i in (0, 1) for _ in range(replicates)]
    return {name: [pair[row[k]] for row in rows] for k, (name, pair) in enumerate(levels.items())}


# -- vocabulary and design mapping ------------------------------------------------------------
@pytest.mark.parametrize(
    ("stem", "contrast"),
    [("HU_IR", "HU_IR"), ("deseq2_KMP_in_HU", "KMP_in_HU"), ("kmp_x_ir.results", "KMP_x_IR"),
     ("HU-IR", "HU_IR"), ("fgsea_kmp_in_hu_ir", "KMP_in_HU_IR"), ("KMP_vs_everything", None)],
)
def test_contrast_names_come_from_file_names(stem: str, contrast: str | None) -> None:
    assert contrast_from_name(stem) == contrast


@pytest.mark.parametrize(
    "levels",
    [
        {"treatment": ("Vehicle", "Kaempferol"), "unloading": ("NL", "HU"), "radiation": ("Sham", "IR")},
        {"drug": ("VEH", "KMP"), "hu": ("loaded", "HLU"), "ir": ("0Gy", "0.5Gy")},
        {"compound": ("control", "kaempferol"), "loading": ("normally loaded", "unloaded"),
         "irradiation": ("sham", "irradiated")},
        {"Drug": ("vehicle", "KMP"), "HU": ("False", "True"), "radiation": ("sham", "GCR")},
    ],
)
def test_map_design_recognises_common_spellings(levels: dict[str, tuple[str, str]]) -> None:
    adata = _obs_adata({**_factorial(levels), "batch": ["b1", "b2"] * 8})
    map_design(adata)
    mapping = adata.uns["design"]["mapping"]
    assert [mapping[f]["column"] for f in FACTORS] == list(levels)
    for factor, (reference, treated) in zip(FACTORS, levels.values(), strict=False):
        assert mapping[factor]["treated"] == [treated] and mapping[factor]["reference"] == [reference]
    assert list(adata.obs["design_drug"].cat.categories) == ["vehicle", "KMP"]
    assert set(adata.uns["design"]["cell_counts"].values()) == {2}


def test_map_design_reads_a_group_column() -> None:
    parts = _factorial({"d": ("VEH", "KMP"), "h": ("NL", "HU"), "i": ("sham", "IR")})
    groups = [" & ".join(t) for t in zip(parts["d"], parts["h"], parts["i"], strict=False)]
    adata = _obs_adata({"group": groups})
    map_design(adata)
    assert adata.obs["design_hu"].tolist() == ["HU" if "HU" in g.split(" & ") else "NL" for g in groups]


def test_map_groups_reads_genelab_names_including_make_names_spelling() -> None:
    names = [f"{d} & {h} & {i}" for d in ("Kaempferol", "Vehicle") for h in ("Hindlimb Unloaded", "Normally Loaded")
             for i in ("Irradiated", "Sham")]
    cells = map_groups(names)
    assert cells["Kaempferol & Hindlimb Unloaded & Sham"] == (1, 1, 0)
    made = [n.replace(" & ", "...").replace(" ", ".") for n in names]
    assert map_groups(made)["Vehicle...Normally.Loaded...Irradiated"] == (0, 0, 1)


def test_ambiguous_columns_are_refused_and_design_yaml_settles_them(tmp_path: Path) -> None:
    columns = _factorial({"drug": ("VEH", "KMP"), "hu": ("NL", "HU"), "ir": ("sham", "IR")})
    columns["treatment"] = list(reversed(columns["drug"]))  # a second drug column that disagrees
    with pytest.raises(BadInputError, match="ambiguous design: 'drug' and 'treatment'"):
        map_design(_obs_adata(columns))
    design = tmp_path / "design.yaml"
    design.write_text("factors:\n  drug: {column: treatment}\n")
    adata = _obs_adata(columns)
    map_design(adata, design=load_design(design))
    assert adata.uns["design"]["mapping"]["drug"]["column"] == "treatment"


def test_design_yaml_levels_override_unknown_spellings() -> None:
    columns = _factorial({"arm": ("A0", "A1"), "hu": ("NL", "HU"), "ir": ("sham", "IR")})
    with pytest.raises(BadInputError, match="obs has no column for drug"):
        map_design(_obs_adata(columns))
    spec = DesignSpec(factors={"drug": FactorSpec(column="arm", treated=("A1",), reference=("A0",))})
    adata = _obs_adata(columns)
    map_design(adata, design=spec)
    assert adata.obs["design_drug"].tolist()[:2] == ["vehicle", "vehicle"]


def test_design_yaml_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "design.yaml"
    bad.write_text("factors:\n  dose: {column: x}\n")
    with pytest.raises(BadInputError, match="unknown factor 'dose'"):
        load_design(bad)
    bad.write_text("files:\n  a.csv: HU_plus_IR\n")
    with pytest.raises(BadInputError, match="unknown contrast 'HU_plus_IR'"):
        load_design(bad)


# -- readers ----------------------------------------------------------------------------------
def test_read_gmt_and_format_detection(tmp_path: Path) -> None:
    gmt = tmp_path / "sets.gmt"
    gmt.write_text("HALLMARK_A\tdesc\tG1\tG2\tG2\nB\t\tG3\n")
    assert read_gmt(gmt) == {"HALLMARK_A": ["G1", "G2"], "B": ["G3"]}
    table = tmp_path / "HU.csv"
    table.write_text(",baseMean,log2FoldChange,lfcSE,stat,pvalue,padj\ng1,10,1,0.5,2,0.04,0.1\n")
    assert detect_format(table) == "deseq2"
    fgsea = tmp_path / "HU_IR.tsv"
    fgsea.write_text("pathway\tpval\tpadj\tNES\tsize\tleadingEdge\nA\t0.01\t0.02\t1.5\t20\tG1,G2\n")
    assert detect_format(fgsea) == "fgsea"
    assert pathway_name("HALLMARK_OXIDATIVE_PHOSPHORYLATION", "x") == ("OXIDATIVE_PHOSPHORYLATION", "MSigDB Hallmark")
    assert pathway_name("my set-1", "sets") == ("MY_SET_1", "sets")


def test_deseq2_reader_accepts_filtered_genes_and_refuses_other_gaps(tmp_path: Path) -> None:
    rows = ["gene,baseMean,log2FoldChange,lfcSE,stat,pvalue,padj",
            "g1,500,2.0,0.3,6.6,1e-10,1e-8", "g2,300,-1.0,0.3,-3.3,0.001,0.01",
            "g3,0.5,3.0,2.0,1.5,0.13,NA", "g4,0,NA,NA,NA,NA,NA"]
    table = tmp_path / "KMP_in_HU.csv"
    table.write_text("\n".join(rows) + "\n")
    adata = read_deseq2([table])
    assert adata.uns["de"]["contrasts"] == ["KMP_in_HU"]
    assert np.isnan(de_table(adata, "KMP_in_HU")["padj"]["g3"])
    table.write_text("\n".join([*rows[:2], "g2,800,-1.0,0.3,-3.3,0.001,NA", *rows[3:]]) + "\n")
    with pytest.raises(BadInputError, match=r"padj is NaN at row 2 \(gene 'g2'\)"):
        read_deseq2([table])


# -- the rules on the published figures -------------------------------------------------------
def test_rules_reproduce_the_published_classes_and_patterns() -> None:
    sheet = load_default_factsheet()
    for fact in sheet.select(kind="tissue_class"):
        kmp = {f.condition: f.n_degs for f in sheet.select(kind="kmp_effect", tissue=fact.tissue)}
        stressor = max(f.n_degs for f in sheet.select(kind="deg_count", tissue=fact.tissue))
        assert response_class(kmp["baseline"], kmp["HU_IR"], stressor) == fact.response_class, fact.tissue
    pathways = sheet.select(kind="pathway_shift")
    assert len(pathways) == 11
    for fact in pathways:
        pattern = pathway_pattern(fact.stress_nes, fact.kmp_nes, fact.stress_significant, fact.kmp_significant)
        assert pattern == fact.pattern, fact.id


def test_rules_edge_cases() -> None:
    assert response_class(0, 0, 100) is None
    assert response_class(300, 250, 1000) is None  # less than 2-fold down: undecided
    assert pathway_pattern(2.0, 1.5, True, True) is None  # KMP pushes further: no pattern of the four
    assert pathway_pattern(-2.0, 0.3, True, False) == "NS"


# -- DE: the vectorised Wald test against pydeseq2's own DeseqStats ---------------------------
@pytest.fixture(scope="module")
def fitted():  # type: ignore[no-untyped-def]
    adata, _truth = _tissue("heart", genes=700, replicates=4, seed=3, outliers=6)
    map_design(adata)
    counts = np.asarray(adata.X)
    with single_threaded_blas():
        dds, fit = fit_pydeseq2(counts, design_metadata(adata), n_cpus=1)
    return adata, dds, fit


def test_vectorised_wald_matches_deseqstats_for_every_contrast(fitted) -> None:  # type: ignore[no-untyped-def]
    from pydeseq2.ds import DeseqStats

    adata, dds, fit = fitted
    matrix = contrast_matrix(fit.design, _cells(adata))
    ours = wald_tests(fit, matrix, alpha=0.05)
    assert fit.cooks_outlier.any(), "the fixture should exercise Cook's filtering"
    for k, name in enumerate(CONTRAST_NAMES):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stats = DeseqStats(dds, contrast=matrix[:, k], alpha=0.05, quiet=True, n_cpus=1)
            stats.summary()
        for field in FIELDS:
            reference = stats.results_df[field].to_numpy()
            assert np.array_equal(np.isnan(reference), np.isnan(ours[field][:, k])), (name, field)
            np.testing.assert_allclose(ours[field][:, k], reference, rtol=1e-7, atol=1e-12, equal_nan=True,
                                       err_msg=f"{name} {field}")


def test_fast_fit_agrees_with_pydeseq2(fitted) -> None:  # type: ignore[no-untyped-def]
    adata, _, fit = fitted
    cells = _cells(adata)
    fast = fit_saturated(np.asarray(adata.X), np.array([c[0] * 4 + c[1] * 2 + c[2] for c in cells]),
                         fit.design, fit.columns)
    np.testing.assert_allclose(fast.size_factors, fit.size_factors, rtol=1e-12)
    assert np.array_equal(fast.cooks_outlier, fit.cooks_outlier)
    assert np.nanmedian(np.abs(np.log(fast.dispersions / fit.dispersions))) < 0.01
    matrix = contrast_matrix(fit.design, cells)
    ours, theirs = (np.nan_to_num(wald_tests(f, matrix, alpha=0.05)["padj"], nan=1) < 0.05 for f in (fast, fit))
    assert (ours & theirs).sum() / (ours | theirs).sum() >= 0.97


def test_fast_fit_replaces_outliers_as_pydeseq2_does() -> None:
    adata, _ = _tissue("liver", genes=300, replicates=7, seed=5, outliers=12)
    map_design(adata)
    counts = np.asarray(adata.X)
    with single_threaded_blas():
        dds, fit = fit_pydeseq2(counts, design_metadata(adata), n_cpus=1)
    replaced = dds.var["replaced"].to_numpy()
    assert replaced.sum() >= 5
    cells = _cells(adata)
    fast = fit_saturated(counts, np.array([c[0] * 4 + c[1] * 2 + c[2] for c in cells]), fit.design, fit.columns)
    np.testing.assert_allclose(fast.lfc[replaced], fit.lfc[replaced], atol=1e-4)
    np.testing.assert_allclose(fast.base_mean, fit.base_mean, rtol=1e-9)


def test_differential_expression_writes_h5ad_storable_results(tmp_path: Path) -> None:
    adata, _ = _tissue("soleus", genes=500, replicates=3, seed=9)
    map_design(adata)
    differential_expression(adata, method="fast", padj=0.1)
    assert adata.varm["de_padj"].shape == (adata.n_vars, 10)
    assert adata.uns["de"]["params"]["padj"] == 0.1
    adata.write_h5ad(tmp_path / "out.h5ad")
    back = anndata.read_h5ad(tmp_path / "out.h5ad")
    table = de_table(back, "HU")
    assert list(table.columns) == ["baseMean", *FIELDS]
    np.testing.assert_array_equal(table["padj"].to_numpy(), adata.varm["de_padj"][:, 0])


# -- GeneLab tables and fGSEA tables ----------------------------------------------------------
def _genelab_group(cell: tuple[int, int, int]) -> str:
    words = (("Vehicle", "Kaempferol"), ("Normally Loaded", "Hindlimb Unloaded"), ("Sham", "Irradiated"))
    return " & ".join(pair[bit] for pair, bit in zip(words, cell, strict=True))


def test_genelab_reader_maps_groups_and_flips_reversed_comparisons(tmp_path: Path) -> None:
    from curate.generators.ingest import read_genelab

    table = pd.DataFrame({"ENSEMBL": ["E1", "E2", "E3"], "SYMBOL": ["Abc", "Def", "Ghi"], "All.mean": [501, 301, 11]})
    stressed, control = _genelab_group((0, 1, 1)), _genelab_group((0, 0, 0))
    kmp_stress = _genelab_group((1, 1, 1))
    table[f"Log2fc_({stressed})v({control})"] = [2.0, -1.0, 0.1]  # no Stat columns: older GeneLab tables
    table[f"P.value_({stressed})v({control})"] = [1e-6, 1e-3, 0.8]
    table[f"Adj.p.value_({stressed})v({control})"] = [1e-5, 1e-2, 0.9]
    table[f"Log2fc_({stressed})v({kmp_stress})"] = [0.5, 3.0, 0.0]  # reversed: vehicle over KMP
    table[f"P.value_({stressed})v({kmp_stress})"] = [0.2, 1e-8, 1.0]
    table[f"Adj.p.value_({stressed})v({kmp_stress})"] = [0.4, 1e-7, np.nan]
    path = tmp_path / "GLDS-1_rna_seq_differential_expression_GLbulkRNAseq.csv"
    table.to_csv(path, index=False)
    samples = pd.DataFrame({"condition": [_genelab_group(c) for c in CELLS for _ in range(2)]},
                           index=[f"S{i}" for i in range(16)])
    samples.to_csv(tmp_path / "GLDS-1_rna_seq_SampleTable_GLbulkRNAseq.csv")
    adata = read_genelab(path)
    assert adata.uns["de"]["contrasts"] == ["HU_IR", "KMP_in_HU_IR"]
    kmp = de_table(adata, "KMP_in_HU_IR")
    assert kmp["log2FoldChange"].tolist() == [-0.5, -3.0, -0.0]
    assert adata.var["symbol"].tolist() == ["Abc", "Def", "Ghi"]
    samples.iloc[:1].to_csv(tmp_path / "GLDS-1_rna_seq_SampleTable_GLbulkRNAseq.csv")
    with pytest.raises(BadInputError, match="missing the cell"):
        read_genelab(path)


def test_ingest_takes_fgsea_tables_beside_deseq2_tables(tmp_path: Path) -> None:
    from curate.generators.ingest import ingest

    rows = ["g1,500,2.0,0.3,6.6,1e-10,1e-8", "g2,300,-1.0,0.3,-3.3,0.001,0.01", "g3,80,0.1,0.3,0.3,0.7,0.9"]
    for contrast in ("KMP_baseline", "KMP_in_HU_IR", "HU_IR"):
        (tmp_path / f"{contrast}.csv").write_text("\n".join(["gene,baseMean,log2FoldChange,lfcSE,stat,pvalue,padj",
                                                             *rows]) + "\n")
    (tmp_path / "gsea_HU_IR.csv").write_text("pathway,padj,NES\nHALLMARK_A,0.01,-2.1\nHALLMARK_B,0.01,1.9\n")
    (tmp_path / "gsea_KMP_in_HU_IR.csv").write_text("pathway,padj,NES\nHALLMARK_A,0.02,1.7\nHALLMARK_B,0.3,-0.2\n")
    result = ingest([tmp_path], tissue="Heart")
    shifts = {f.pathway: f.pattern for f in result.facts if f.kind == "pathway_shift"}
    assert shifts == {"A": "RESCUE", "B": "NS"}
    assert {f.tissue for f in result.facts} == {"heart"}
    assert result.summary["response_class"] is None  # 2 DEGs at baseline and under stress: undecided
