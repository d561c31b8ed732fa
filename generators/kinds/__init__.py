"""One module per kind of example; GENERATORS maps each kind to its generator, in a fixed order."""

from curate.generators.engine import KindGenerator
from curate.generators.kinds import (
    calibration,
    chain_of_thought,
    comparison,
    counterfactual,
    design_critique,
    error_correction,
    factual_qa,
    interaction_prediction,
)

GENERATORS: dict[str, KindGenerator] = {
    module.GENERATOR.kind: module.GENERATOR
    for module in (
        factual_qa,
        comparison,
        chain_of_thought,
        interaction_prediction,
        design_critique,
        counterfactual,
        calibration,
        error_correction,
    )
}

__all__ = ["GENERATORS"]
