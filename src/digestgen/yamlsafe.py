"""YAML from untrusted files, bounded: aliases that expand too far, and keys written twice.

PyYAML builds an alias as a reference to the anchored value, so a 400-byte "billion laughs"
file loads quickly, but anything that walks the result (normalising, hashing, pickling,
rendering) walks every expansion: 9 levels took 146 s and 9 GB. The composed node graph tells
the expanded size without expanding it (each node counted once, its size remembered), so a
file is refused before it is constructed.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

# Values a frontmatter block or site.yaml may expand to through aliases. Real files reuse an
# anchor a few times (hundreds of values); a bomb reaches millions within ten levels.
MAX_EXPANDED = 100_000


@dataclass(frozen=True, slots=True)
class Problem:
    line: int  # 0-based line in the YAML text
    message: str


class AliasBombError(yaml.YAMLError):
    """The document expands, through aliases, to more values than :data:`MAX_EXPANDED`."""

    def __init__(self, line: int):
        super().__init__(
            f"YAML aliases (*name) here expand to more than {MAX_EXPANDED:,} values; refused, "
            f"as an alias bomb would exhaust memory. Write the values out")
        self.line = line


def check_expansion(node: yaml.Node | None, limit: int = MAX_EXPANDED) -> None:
    """Raise :class:`AliasBombError` (at the line of the top-level key whose value goes over,
    or of the document) if ``node`` expands to more than ``limit`` values."""
    if node is None:
        return
    sizes: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        known = sizes.get(id(n))
        if known is not None:
            return known
        sizes[id(n)] = 1  # a recursive alias counts once (PyYAML builds it as a cycle)
        total = 1
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        elif isinstance(n, yaml.SequenceNode):
            for v in n.value:
                total += size(v)
                if total > limit:
                    break
        sizes[id(n)] = total
        return total

    if isinstance(node, yaml.MappingNode):
        total = 1
        for key, value in node.value:
            total += 1 + size(value)
            if total > limit:
                raise AliasBombError(key.start_mark.line)
        return
    total = size(node)
    if total > limit:
        raise AliasBombError(node.start_mark.line)


def duplicate_keys(node: yaml.Node | None) -> list[Problem]:
    """Keys written twice in one mapping (YAML keeps the last one silently), anywhere in
    ``node``: each a :class:`Problem` at the later key's line."""
    found: list[Problem] = []
    seen_nodes: set[int] = set()

    def walk(n: yaml.Node) -> None:
        if id(n) in seen_nodes:
            return
        seen_nodes.add(id(n))
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line
                    if key.value in first:
                        found.append(Problem(line, f"key {key.value!r} is written twice (also "
                                                   f"on line {first[key.value] + 1}); the "
                                                   f"last one is used"))
                    else:
                        first[key.value] = line
                walk(value)
        elif isinstance(n, yaml.SequenceNode):
            for value in n.value:
                walk(value)

    walk(node)
    return found


def safe_load(text: str):
    """``yaml.safe_load`` for untrusted text, refusing alias bombs (:class:`AliasBombError`)
    before constructing anything."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        check_expansion(node)
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
