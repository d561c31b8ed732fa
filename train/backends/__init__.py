"""Generation backends for `curate train eval`: transformers (default, in train.generation) and vLLM.

A backend is chosen by name and imported only then, so an optional engine costs nothing when unused.
"""

from __future__ import annotations

BACKENDS = ("transformers", "vllm")
