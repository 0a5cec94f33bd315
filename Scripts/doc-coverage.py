#!/usr/bin/env python3
"""Fails when a public symbol of EntityGraph or EntityGraphviz has no doc comment of its own.

Usage: Scripts/doc-coverage.py SYMBOL_GRAPH_FILE...

Reads symbol graphs made by `swift symbolgraph-extract -minimum-access-level public` (see
Scripts/build-docs.sh) and lists every public or open symbol, declared in this package's sources,
that has no doc comment, as `path:line: Kind Type.member`. Exit status 1 when there is any.

Exempt, because there is no source of ours to put a comment on, or because the comment would only
repeat the standard library's:
  1. Members the compiler synthesizes or copies in: symbol graph ids containing `::SYNTHESIZED::`
     (default implementations from a protocol extension, such as `!=` or `EntityID.init(rawValue:)`;
     the latter's declaration in our `extension StringIdentifier` is itself checked), and symbols
     without a source location (`init(rawValue:)` of a raw-value enum, a derived `init(from:)`).
  2. Our implementations of these standard-library requirements, whose meaning the protocol fixes
     and whose documentation DocC shows from the protocol: `rawValue`, `init(rawValue:)`, the
     `ExpressibleBy…Literal` initializers, `init(from:)`, `encode(to:)`, `hash(into:)` and `==`.
     Everything else that implements a protocol requirement (`description`, `<`, `id`, `~=`) says
     something specific to its type, so it needs its own comment.
"""

import json
import sys

EXEMPT_REQUIREMENTS = {
    "rawValue",
    "init(rawValue:)",
    "init(stringLiteral:)",
    "init(integerLiteral:)",
    "init(booleanLiteral:)",
    "init(floatLiteral:)",
    "init(arrayLiteral:)",
    "init(dictionaryLiteral:)",
    "init(nilLiteral:)",
    "init(from:)",
    "encode(to:)",
    "hash(into:)",
    "==(_:_:)",
}


def has_own_comment(symbol, module):
    comment = symbol.get("docComment")
    if not comment:
        return False
    # A comment inherited from a protocol in another module (the standard library) is not ours.
    origin = comment.get("module")
    if origin is not None and origin != module:
        return False
    return any(line.get("text", "").strip() for line in comment.get("lines", []))


def check(path):
    with open(path, encoding="utf-8") as file:
        graph = json.load(file)
    module = graph["module"]["name"]
    missing = []
    checked = 0
    for symbol in graph["symbols"]:
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        if "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
            continue
        location = symbol.get("location")
        if location is None:
            continue
        checked += 1
        if has_own_comment(symbol, module):
            continue
        name = symbol["pathComponents"][-1]
        if name in EXEMPT_REQUIREMENTS:
            continue
        uri = location["uri"]
        source = uri[uri.find("/Sources/") + 1 :] if "/Sources/" in uri else uri
        line = location["position"]["line"] + 1
        kind = symbol["kind"]["displayName"]
        missing.append((source, line, f"{source}:{line}: {kind} {'.'.join(symbol['pathComponents'])}"))
    return module, checked, [entry for _, _, entry in sorted(missing)]


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = False
    for path in sys.argv[1:]:
        module, checked, missing = check(path)
        if missing:
            failed = True
            print(f"doc-coverage: {module}: {len(missing)} of {checked} public symbols have no doc comment:")
            for entry in missing:
                print("  " + entry)
        else:
            print(f"doc-coverage: {module}: all {checked} public symbols documented")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
