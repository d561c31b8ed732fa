"""Typed facts about a study, each with a stable id and its provenance.

A fact's id names what the fact is about (tissue, contrast, pathway...), never its value, so a
corrected value keeps its id and every example that states it stays linked to it.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

STRESSOR_CONTRASTS = ("HU", "IR", "HU_IR")
KMP_CONDITIONS = ("baseline", "HU", "IR", "HU_IR")
INTERACTION_TERMS = ("HU_x_IR", "KMP_x_HU", "KMP_x_IR")
PATHWAY_PATTERNS = ("RESCUE", "SUPPRESSION", "KMP_ONLY", "NS")
RESPONSE_CLASSES = ("A", "B", "C")
RESPONSE_CLASS_LABELS = {"A": "stress-activated", "B": "baseline-active", "C": "stress-blocked"}

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]


class Provenance(BaseModel):
    """Where a fact came from: the file, its hash, the row or contrast, and how it was derived."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(description="File name the value was read from, relative to its dataset.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    row: int | None = Field(default=None, ge=1, description="1-based data row in the source table.")
    contrast: str | None = None
    method: str = Field(description="How the value was obtained, e.g. 'published summary' or 'pydeseq2 Wald'.")
    threshold: str | None = Field(default=None, description="Significance rule, e.g. 'padj < 0.05'.")
    note: str | None = Field(default=None, description="Why a value was interpreted the way it was.")


class _FactBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Fields (besides tissue) that identify the fact; the id is built from them.
    key_fields: ClassVar[tuple[str, ...]] = ()

    id: str = ""
    tissue: Slug
    provenance: Provenance

    @model_validator(mode="before")
    @classmethod
    def _fill_id(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        expected = cls.make_id(data)
        given = data.get("id")
        if given and given != expected:
            raise ValueError(f"fact id {given!r} does not match its content; expected {expected!r}")
        return {**data, "id": expected}

    @classmethod
    def make_id(cls, data: dict[str, Any]) -> str:
        kind = cls.model_fields["kind"].default
        parts = [kind, str(data.get("tissue", ""))] + [str(data.get(k, "")) for k in cls.key_fields]
        return ":".join(parts)


class DegCountFact(_FactBase):
    """Number of DEGs a stressor causes against control (vehicle), with its up/down split."""

    kind: Literal["deg_count"] = "deg_count"
    key_fields = ("contrast",)
    contrast: Literal["HU", "IR", "HU_IR"]
    n_degs: int = Field(ge=0)
    n_up: int | None = Field(default=None, ge=0)
    n_down: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _split_adds_up(self) -> DegCountFact:
        if (self.n_up is None) != (self.n_down is None):
            raise ValueError(f"{self.id}: give both n_up and n_down, or neither")
        if self.n_up is not None and self.n_down is not None and self.n_up + self.n_down != self.n_degs:
            raise ValueError(
                f"{self.id}: n_up {self.n_up} + n_down {self.n_down} != n_degs {self.n_degs}"
            )
        return self


class KmpEffectFact(_FactBase):
    """Number of DEGs between KMP and vehicle within one stress condition."""

    kind: Literal["kmp_effect"] = "kmp_effect"
    key_fields = ("condition",)
    condition: Literal["baseline", "HU", "IR", "HU_IR"]
    n_degs: int = Field(ge=0)


class InteractionFact(_FactBase):
    """Number of genes with a significant two-way interaction term."""

    kind: Literal["interaction"] = "interaction"
    key_fields = ("term",)
    term: Literal["HU_x_IR", "KMP_x_HU", "KMP_x_IR"]
    n_degs: int = Field(ge=0)


class PathwayShiftFact(_FactBase):
    """NES of a gene set under combined stress and with KMP, and the pattern the pair forms."""

    kind: Literal["pathway_shift"] = "pathway_shift"
    key_fields = ("pathway",)
    pathway: str = Field(pattern=r"^[A-Z0-9_]+$")
    collection: str
    stress_nes: float
    kmp_nes: float
    pattern: Literal["RESCUE", "SUPPRESSION", "KMP_ONLY", "NS"]
    stress_significant: bool
    kmp_significant: bool


class TissueClassFact(_FactBase):
    """How a tissue's KMP response changes from baseline to combined stress."""

    kind: Literal["tissue_class"] = "tissue_class"
    response_class: Literal["A", "B", "C"]

    @property
    def label(self) -> str:
        return RESPONSE_CLASS_LABELS[self.response_class]


class HubGeneFact(_FactBase):
    """A hub gene of a tissue's response, with its mean absolute log2 fold change."""

    kind: Literal["hub_gene"] = "hub_gene"
    key_fields = ("gene",)
    gene: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    mean_abs_log2fc: float = Field(ge=0)
    function: str = ""


Fact = Annotated[
    DegCountFact | KmpEffectFact | InteractionFact | PathwayShiftFact | TissueClassFact | HubGeneFact,
    Field(discriminator="kind"),
]
F = TypeVar("F", bound=_FactBase)
FACT_KINDS = ("deg_count", "kmp_effect", "interaction", "pathway_shift", "tissue_class", "hub_gene")


class FactSheet(BaseModel):
    """All facts about one study, the input every generator reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Slug
    title: str
    description: str = ""
    padj_threshold: float = Field(default=0.05, gt=0, lt=1)
    facts: list[Fact]

    @model_validator(mode="after")
    def _ids_unique(self) -> FactSheet:
        seen: set[str] = set()
        for fact in self.facts:
            if fact.id in seen:
                raise ValueError(f"duplicate fact id {fact.id!r}")
            seen.add(fact.id)
        return self

    @property
    def tissues(self) -> list[str]:
        return sorted({f.tissue for f in self.facts})

    def by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    def select(self, *, kind: str | None = None, tissue: str | None = None) -> list[Fact]:
        return [
            f for f in self.facts if (kind is None or f.kind == kind) and (tissue is None or f.tissue == tissue)
        ]

    def of_type(self, cls: type[F], tissue: str | None = None) -> list[F]:
        """Facts of one type, typed as such."""
        return [f for f in self.facts if isinstance(f, cls) and (tissue is None or f.tissue == tissue)]

    def get(self, fact_id: str, cls: type[F]) -> F | None:
        """The fact with this id if it exists and has this type."""
        found = next((f for f in self.facts if f.id == fact_id), None)
        return found if isinstance(found, cls) else None
