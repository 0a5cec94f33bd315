#!/usr/bin/env python3
"""Fails when `docc convert` reported any warning or error (its --diagnostics-file).

Usage: Scripts/docs-diagnostics.py MODULE DIAGNOSTICS_JSON

docc has printed each diagnostic already; this prints a count and sets the exit status, so a broken
``symbol`` link, an unknown <doc:article> or a parameter documented under the wrong name fails
`make docs`. (docc's own --warnings-as-errors would do the same, but this keeps the allowance below
explicit.)

PENDING names symbols that the articles link to and that are being added on another branch at the
time of writing; a link to one of them that does not resolve yet is reported but does not fail.
Empty this set once they exist.
"""

import json
import sys

PENDING: set = set()


def main():
    if len(sys.argv) != 3:
        print("usage: docs-diagnostics.py MODULE DIAGNOSTICS_JSON", file=sys.stderr)
        return 2
    module, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as file:
        diagnostics = json.load(file).get("diagnostics", [])
    failing, pending = [], []
    for diagnostic in diagnostics:
        if diagnostic.get("severity") not in ("warning", "error"):
            continue
        summary = diagnostic.get("summary", "")
        if any(f"'{name}'" in summary for name in PENDING):
            pending.append(diagnostic)
        else:
            failing.append(diagnostic)
    for diagnostic in pending:
        source = diagnostic.get("source", "").removeprefix("file://")
        line = diagnostic.get("range", {}).get("start", {}).get("line", 0)
        print(f"docs: {module}: pending (exists after the merge): {source}:{line}: {diagnostic['summary']}")
    if failing:
        print(f"docs: {module}: docc reported {len(failing)} problem(s), listed above")
        return 1
    print(f"docs: {module}: no docc warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
