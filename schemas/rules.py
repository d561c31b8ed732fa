"""The rules that turn a study's values into its labels: part of the contract, defined once.

Generators state them in answers, ingestion calls them on new data, and the judge checks claims with
them; each threshold is a named constant so that a text (or a fact's provenance) can state the rule.
Standard library only.
"""

from __future__ import annotations

# HU and IR in one tissue: combined DEGs against the sum of the single-stressor DEGs.
SYNERGY_RATIO = 1.25
ANTAGONISM_RATIO = 0.8
# Share of up-regulated genes inside which a response counts as balanced, in percent.
BALANCED_LOW, BALANCED_HIGH = 45.0, 55.0
# Response class: when stress at least halves the KMP effect (BLOCKED_FRACTION), the tissue is B
# (baseline-active) if its baseline KMP effect is large next to its own stress response (at least
# BASELINE_SHARE of its largest stressor DEG count), else C (stress-blocked).
BLOCKED_FRACTION = 0.5
BASELINE_SHARE = 0.25

RULE_THRESHOLDS = (SYNERGY_RATIO, ANTAGONISM_RATIO, BALANCED_LOW, BALANCED_HIGH, BLOCKED_FRACTION, BASELINE_SHARE)


def share(part: float, whole: float) -> float:
    """`part` as a percentage of `whole` (0 when `whole` is 0)."""
    return 100.0 * part / whole if whole else 0.0


def interaction_class(hu: int, ir: int, combined: int) -> str:
    """additive, synergistic or antagonistic: combined DEGs against HU + IR DEGs."""
    expected = hu + ir
    if expected == 0:
        return "synergistic" if combined > 0 else "additive"
    ratio = combined / expected
    if ratio >= SYNERGY_RATIO:
        return "synergistic"
    if ratio <= ANTAGONISM_RATIO:
        return "antagonistic"
    return "additive"


def direction_bias(n_up: int, n_down: int) -> str:
    """up, down or balanced, by the share of up-regulated genes."""
    up_share = share(n_up, n_up + n_down)
    if up_share > BALANCED_HIGH:
        return "up"
    if up_share < BALANCED_LOW:
        return "down"
    return "balanced"


def response_class(n_baseline: int, n_under_stress: int, n_stressor: int) -> str | None:
    """The KMP response class from KMP DEGs at baseline and under HU+IR, and the tissue's largest
    stressor DEG count: "A" stress-activated, "B" baseline-active, "C" stress-blocked; None when KMP
    changes nothing, or when stress changes the KMP effect less than 2-fold downwards."""
    if n_baseline == 0 and n_under_stress == 0:
        return None
    if n_under_stress > n_baseline:
        return "A"
    if n_under_stress > BLOCKED_FRACTION * n_baseline:
        return None
    return "B" if n_baseline >= BASELINE_SHARE * n_stressor else "C"


def pathway_pattern(stress_nes: float, kmp_nes: float, stress_significant: bool, kmp_significant: bool) -> str | None:
    """RESCUE: stress lowers the pathway and KMP raises it; SUPPRESSION: stress raises it and KMP
    lowers it; KMP_ONLY: KMP shifts it, stress does not; NS: stress shifts it, KMP does not.
    None when nothing is significant, or when KMP pushes further in the stress direction."""
    if kmp_significant and not stress_significant:
        return "KMP_ONLY"
    if stress_significant and not kmp_significant:
        return "NS"
    if not (stress_significant and kmp_significant) or (stress_nes > 0) == (kmp_nes > 0):
        return None
    return "RESCUE" if stress_nes < 0 else "SUPPRESSION"
