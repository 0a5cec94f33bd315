#!/usr/bin/env python3
"""Checks EntityGraph's FollowTheMoney export with FtM's own Python library (`followthemoney`).

Usage (by hand; `swift test --filter InteropConsumerTests` runs it on the seed graph, the hostile
fixture and the zala FtM fixture read and written back):
    python3 Tests/interop/check_followthemoney.py --ftm OUT.ftm.json [--original IN.ftm.json]
        [--objects N]

For every line of OUT.ftm.json:
  - it is one JSON object with a string id, a schema the model knows and is not abstract, and a
    `properties` object of arrays of strings;
  - `model.get_proxy(data, cleaned=False)` accepts it (unknown properties raise), and every value of
    every property is valid for the property's type (`type.clean(value)` is not None: dates, countries,
    URLs, entity ids ...); edges have their source and target property;
  - `proxy.to_dict()` gives back the same id and schema;
  - no id is written twice.
With --objects N: there are N lines. With --original: the objects are exactly those of IN.ftm.json
(same ids; for each, the same schema, the same values of every property and the same top-level keys),
which is the round trip FtM -> EntityGraph -> FtM. Values the original itself has that FtM's types
reject are counted and named in a note, not failed: they are the data's, and kept as they were.

followthemoney is installed into ~/.cache/entitygraph/followthemoney-venv when missing. Exit status:
0 when every check passed, 1 when one failed (each failure printed), 77 when it cannot be installed.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the work tree
import consumers  # noqa: E402


def read_lines(path, check, what):
    objects = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                objects.append((number, json.loads(line)))
            except ValueError as error:
                check.fail("%s line %d is not JSON: %s" % (what, number, error))
    return objects


def main():
    name, requirements, probe = consumers.FOLLOWTHEMONEY
    consumers.run_in_venv(consumers.ensure_venv(name, requirements, probe), __file__)
    from followthemoney import model  # noqa: E402

    parser = argparse.ArgumentParser()
    parser.add_argument("--ftm", required=True)
    parser.add_argument("--original")
    parser.add_argument("--objects", type=int)
    args = parser.parse_args()
    check = consumers.Checker("followthemoney")

    written = read_lines(args.ftm, check, "output")
    if args.objects is not None:
        check.equal(len(written), args.objects, "number of objects")
    original = {}
    original_invalid = set()
    if args.original:
        for _, data in read_lines(args.original, check, "original"):
            original[data.get("id")] = data
    seen = set()
    for number, data in written:
        where = "line %d" % number
        if not check.expect(isinstance(data, dict), "%s is not an object" % where):
            continue
        entity_id = data.get("id")
        if not check.expect(isinstance(entity_id, str) and entity_id, "%s has no string id" % where):
            continue
        where = "line %d (%r)" % (number, entity_id)
        check.expect(entity_id not in seen, "%s: id written twice" % where)
        seen.add(entity_id)
        schema = model.get(data.get("schema") or "")
        if not check.expect(schema is not None, "%s: unknown schema %r" % (where, data.get("schema"))):
            continue
        check.expect(not schema.abstract, "%s: abstract schema %s" % (where, schema.name))
        properties = data.get("properties")
        if not check.expect(isinstance(properties, dict), "%s: properties is not an object" % where):
            continue
        for prop_name, values in properties.items():
            prop = schema.get(prop_name)
            if not check.expect(prop is not None, "%s: %s has no property %r" % (where, schema.name, prop_name)):
                continue
            if not check.expect(
                isinstance(values, list) and all(isinstance(v, str) for v in values),
                "%s: %s is not an array of strings" % (where, prop_name),
            ):
                continue
            for value in values:
                if prop.type.clean(value, proxy=None) is None:
                    source = original.get(entity_id, {}).get("properties", {}).get(prop_name, [])
                    if value in source:
                        original_invalid.add((schema.name, prop_name))
                    else:
                        check.fail("%s: %r is not a valid %s for %s" % (where, value, prop.type.name, prop_name))
        if schema.edge:
            for end in (schema.edge_source, schema.edge_target):
                check.expect(bool(properties.get(end)), "%s: edge %s has no %s" % (where, schema.name, end))
        try:
            proxy = model.get_proxy(data, cleaned=False)
        except Exception as error:  # InvalidData and its kin: what FtM refuses
            check.fail("%s: followthemoney refuses it: %s" % (where, error))
            continue
        back = proxy.to_dict()
        check.equal(back.get("id"), entity_id, "%s id" % where)
        check.equal(back.get("schema"), schema.name, "%s schema" % where)
        if args.original:
            before = original.get(entity_id)
            if not check.expect(before is not None, "%s: not in the original" % where):
                continue
            check.equal(data.get("schema"), before.get("schema"), "%s schema as in the original" % where)
            check.equal(properties, before.get("properties", {}), "%s properties as in the original" % where)
            check.equal(
                {k: v for k, v in data.items() if k != "properties"},
                {k: v for k, v in before.items() if k != "properties"},
                "%s top-level keys as in the original" % where,
            )
    if args.original:
        check.equal(sorted(seen), sorted(original), "the ids of the original")
    if original_invalid:
        listed = ", ".join("%s.%s" % pair for pair in sorted(original_invalid))
        check.notes.append("values FtM's types reject that the original already had (kept): " + listed)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
