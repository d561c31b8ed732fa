"""Options with a fixed set of values, as enums so that `--help` lists them and typer refuses others.

Their values are the strings the logic modules take (`Choice.value`); those modules check them too,
for callers that are not the CLI.
"""

from enum import StrEnum


class IngestFormat(StrEnum):
    auto = "auto"
    h5ad = "h5ad"
    deseq2 = "deseq2"
    genelab = "genelab"
    fgsea = "fgsea"


class DeMethod(StrEnum):
    pydeseq2 = "pydeseq2"
    fast = "fast"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    alpaca = "alpaca"
    chat = "chat"
    prompt_completion = "prompt-completion"
    dpo = "dpo"


class ExportSplit(StrEnum):
    train = "train"
    validation = "validation"
    test = "test"
    all = "all"


class EvalSplit(StrEnum):
    train = "train"
    validation = "validation"
    test = "test"


class Preset(StrEnum):
    study = "study"
    tiny = "tiny"


class Launcher(StrEnum):
    none = "none"
    accelerate = "accelerate"


class Backend(StrEnum):
    transformers = "transformers"
    vllm = "vllm"


class Reviewer(StrEnum):
    auto = "auto"
    argilla = "argilla"
