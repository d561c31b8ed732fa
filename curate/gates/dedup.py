"""Duplicates: exact copies, and near copies of a prompt that ask the same question.

Rules (docs/gates.md has the reasoning and the measured similarities):

- Text is normalised first: Unicode NFKC, lower case, runs of white space made one space, curly
  quotes made straight, and the trailing punctuation dropped.
- Exact: two items with the same normalised prompt (instruction + input). If their answers are also
  the same it is a duplicate example; if not, the same question has two answers.
- Near: two prompts whose similarity (rapidfuzz `fuzz.ratio`, 0-100, an Indel distance on
  characters) is at least `NEAR_THRESHOLD` *and* that are about the same thing: the same fact ids
  when both items have them (curate's own examples), else the same entities (tissues, contrasts,
  terms, pathways, genes, organs, drugs and numbers named in the prompt). "How many genes change
  under HU in liver?" and "... under IR in liver?" differ by one character and are different
  questions about different facts; they are not duplicates.
- Comparisons run inside blocks of items that share what they are about, so the cost grows with the
  block sizes, not with the square of the dataset. A block of more than `LSH_BLOCK` items (external
  data with no entities) is searched with MinHash LSH (datasketch) and its candidates verified with
  the same similarity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from curate.gates.items import GateItem
from curate.schemas.examples import normalise_text

if TYPE_CHECKING:
    from curate.judge import Lexicon

NEAR_THRESHOLD = 90.0  # duplicates within and across splits
LEAK_THRESHOLD = 80.0  # a test prompt this close to a training prompt about the same thing leaks
LSH_BLOCK = 2000
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})
_TOKEN = re.compile(r"[A-Za-z0-9][\w.+,-]*")
_HAS_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"(?<![\w.])[+-]?\d[\d,]*(?:\.\d+)?")
_NAMING = frozenset({"tissue", "cond", "term", "pathway", "gene", "cattr"})


@dataclass(frozen=True)
class Pair:
    a: str  # item ids
    b: str
    similarity: float
    kind: str  # exact | near
    splits: tuple[str, str]
    text_a: str = ""
    text_b: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "similarity": round(self.similarity, 1), "kind": self.kind,
                "splits": list(self.splits), "text_a": self.text_a, "text_b": self.text_b}


@dataclass
class DuplicateReport:
    exact_examples: list[list[str]] = field(default_factory=list)  # groups of ids: same prompt, same answer
    conflicting: list[list[str]] = field(default_factory=list)  # same prompt, different answers
    near_pairs: list[Pair] = field(default_factory=list)
    threshold: float = NEAR_THRESHOLD

    @property
    def n_duplicates(self) -> int:
        """Items that could be dropped: all but one of every group, plus one per near pair."""
        return (sum(len(g) - 1 for g in self.exact_examples) + sum(len(g) - 1 for g in self.conflicting)
                + len(self.near_pairs))

    @property
    def passed(self) -> bool:
        return not (self.exact_examples or self.conflicting or self.near_pairs)

    def groups(self) -> list[list[str]]:
        """Every duplicate group: exact groups, and near pairs joined into connected groups."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for pair in self.near_pairs:
            parent[find(pair.a)] = find(pair.b)
        near: dict[str, list[str]] = defaultdict(list)
        for x in list(parent):
            near[find(x)].append(x)
        return self.exact_examples + self.conflicting + [sorted(g) for g in near.values() if len(g) > 1]

    def to_dict(self, limit: int = 2000) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "threshold": self.threshold,
            "n_exact_groups": len(self.exact_examples),
            "n_conflicting_groups": len(self.conflicting),
            "n_near_pairs": len(self.near_pairs),
            "n_duplicates": self.n_duplicates,
            "exact_examples": self.exact_examples[:limit],
            "conflicting": self.conflicting[:limit],
            "near_pairs": [p.to_dict() for p in self.near_pairs[:limit]],
        }


class Prompts:
    """Normalised prompts and what each is about, computed once and shared by dedup and leakage."""

    def __init__(self, items: Sequence[GateItem], lex: Lexicon | None) -> None:
        self.items = items
        self.text = [normalise_text(item.prompt) for item in items]
        self._lex = lex
        self._entities: dict[str, frozenset[str]] = {}

    def about(self, index: int) -> tuple[str, frozenset[str]]:
        """The block key: the fact ids, or (no fact ids) the entities the prompt names."""
        item = self.items[index]
        if item.fact_ids:
            return "facts", frozenset(item.fact_ids)
        return "entities", self.entities(index)

    def entities(self, index: int) -> frozenset[str]:
        prompt = self.items[index].prompt
        cached = self._entities.get(prompt)
        if cached is None:
            cached = self._entities[prompt] = entity_signature(prompt, self._lex)
        return cached


def entity_signature(text: str, lex: Lexicon | None) -> frozenset[str]:
    """What a prompt names: sheet entities (as ids), numbers, gene-like tokens, organs and drugs."""
    from curate.judge import DOMAIN_WORDS

    found: set[str] = set()
    if lex is not None:  # what is named, not how: "vehicle-treated" and "vs control" name nothing new
        found |= {f"{c.dim}={c.value}" + ("!" if c.negated else "") for c in lex.scan(text)
                  if c.dim in _NAMING or (c.dim == "agent" and c.value == "kmp")}
    found |= {n.replace(",", "").lstrip("+") for n in _NUMBER.findall(text)}
    for position, match in enumerate(_TOKEN.finditer(text)):
        token = match.group(0).rstrip(".,")
        lower = token.lower()
        is_number = token.replace(",", "").replace(".", "").isdigit()
        if lower in DOMAIN_WORDS or (_HAS_DIGIT.search(token) and not is_number):
            found.add(lower)
        elif position > 0 and any(ch.isupper() for ch in token[1:]) and len(token) > 1:
            found.add(lower)  # HU, OXPHOS, Hmox1: acronyms and gene symbols
    return frozenset(found)


def find_duplicates(prompts: Prompts, *, threshold: float = NEAR_THRESHOLD,
                    progress: Callable[[int], None] | None = None) -> DuplicateReport:
    report = DuplicateReport(threshold=threshold)
    items = prompts.items
    by_prompt: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(prompts.text):
        by_prompt[text].append(index)
    exact_pairs = set()
    for indices in by_prompt.values():
        if len(indices) < 2:
            continue
        by_answer: dict[str, list[str]] = defaultdict(list)
        for index in indices:
            by_answer[normalise_text(items[index].output)].append(items[index].id)
        if len(by_answer) == 1:
            report.exact_examples.append(sorted(items[i].id for i in indices))
        else:
            report.conflicting.append(sorted(items[i].id for i in indices))
        exact_pairs |= {(a, b) for a in indices for b in indices if a < b}
    representatives = [indices[0] for indices in by_prompt.values()]
    seen = set()
    for block in _blocks(prompts, representatives):
        for a, b, score in _similar_pairs(prompts, block, block, threshold):
            a, b = min(a, b), max(a, b)
            if (a, b) not in exact_pairs and (a, b) not in seen:
                seen.add((a, b))
                report.near_pairs.append(_pair(prompts, a, b, score))
        if progress is not None:
            progress(len(block))
    report.near_pairs.sort(key=lambda p: (-p.similarity, p.a, p.b))
    return report


def _pair(prompts: Prompts, a: int, b: int, score: float) -> Pair:
    items = prompts.items
    kind = "exact" if prompts.text[a] == prompts.text[b] else "near"
    return Pair(items[a].id, items[b].id, score, kind, (items[a].split, items[b].split),
                items[a].prompt[:200], items[b].prompt[:200])


def _blocks(prompts: Prompts, indices: Iterable[int]) -> list[list[int]]:
    """Items grouped by what they are about: their fact ids, or (without) the entities they name."""
    blocks: dict[tuple[str, frozenset[str]], list[int]] = defaultdict(list)
    for index in indices:
        blocks[prompts.about(index)].append(index)
    return [block for block in blocks.values() if len(block) > 1]


def _similar_pairs(prompts: Prompts, left: list[int], right: list[int],
                   threshold: float) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for i in left, j in right with similarity >= threshold; i != j."""
    from rapidfuzz import fuzz, process

    if len(left) > LSH_BLOCK or len(right) > LSH_BLOCK:
        return _lsh_pairs(prompts, left, right, threshold)
    found = []
    same = left is right
    if len(left) * len(right) <= 16:
        for x, i in enumerate(left):
            for j in (right[x + 1:] if same else right):
                score = fuzz.ratio(prompts.text[i], prompts.text[j], score_cutoff=threshold)
                if score and _both_sides(prompts, i, j):
                    found.append((i, j, score))
        return found
    matrix = process.cdist([prompts.text[i] for i in left], [prompts.text[j] for j in right], scorer=fuzz.ratio,
                           score_cutoff=threshold, workers=1)
    rows, cols = matrix.nonzero()
    for x, y in zip(rows.tolist(), cols.tolist(), strict=False):
        i, j = left[x], right[y]
        if i == j or (same and x > y) or not _both_sides(prompts, i, j):
            continue
        found.append((i, j, float(matrix[x, y])))
    return found


def _both_sides(prompts: Prompts, i: int, j: int) -> bool:
    """Two items that both have fact ids are compared in their fact block only."""
    a, b = prompts.items[i], prompts.items[j]
    if a.fact_ids and b.fact_ids:
        return frozenset(a.fact_ids) == frozenset(b.fact_ids)
    return True


def _shingles(text: str, size: int = 5) -> set[bytes]:
    return {text[i:i + size].encode("utf-8") for i in range(max(1, len(text) - size + 1))}


def _lsh_pairs(prompts: Prompts, left: list[int], right: list[int], threshold: float) -> list[tuple[int, int, float]]:
    from datasketch import MinHash, MinHashLSH
    from rapidfuzz import fuzz

    template = MinHash(num_perm=64, seed=1)
    lsh = MinHashLSH(threshold=0.4, num_perm=64)
    signatures = {}
    for index in set(left) | set(right):
        signature = MinHash(num_perm=64, seed=1, permutations=template.permutations,
                            **({"scheme": template.scheme} if hasattr(template, "scheme") else {}))  # datasketch 2
        signature.update_batch(list(_shingles(prompts.text[index])))
        signatures[index] = signature
    for j in right:
        lsh.insert(str(j), signatures[j], check_duplication=False)
    found = []
    same = left is right
    for i in left:
        for key in lsh.query(signatures[i]):
            j = int(key)
            if j == i or (same and j < i) or not _both_sides(prompts, i, j):
                continue
            score = fuzz.ratio(prompts.text[i], prompts.text[j], score_cutoff=threshold)
            if score:
                found.append((i, j, score))
    return found
