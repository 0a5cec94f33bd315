#!/usr/bin/env bash
# `make docs`: builds the DocC archives of EntityGraph and EntityGraphviz into .build/docs/ and fails
# on an undocumented public symbol (Scripts/doc-coverage.py) or on any DocC warning, such as a
# ``symbol`` link that does not resolve.
#
# Symbol graphs come from `swift symbolgraph-extract` run on the modules of the debug build (so a
# build that `make test` already did is reused), and the archives from `docc convert`; no package
# plugin is needed. EntityGraphviz's archive resolves links into EntityGraph's (written
# ``/EntityGraph/Graph``) through `docc convert --dependency`.
#
# Environment: SWIFT (default swift), DOCC (default: docc on PATH, else `xcrun docc`).
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
if [ -z "${DOCC:-}" ]; then
    if command -v docc >/dev/null; then DOCC=docc; else DOCC="xcrun docc"; fi
fi
OUT=.build/docs
GRAPHS=$OUT/symbol-graphs

$SWIFT build --target EntityGraphviz
BIN=$($SWIFT build --show-bin-path)
TRIPLE=$($SWIFT -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["target"]["triple"])')
SDK=()
if [ "$(uname -s)" = Darwin ]; then SDK=(-sdk "$(xcrun --show-sdk-path)"); fi
GRAPHVIZ_INCLUDES=()
for flag in $(pkg-config --cflags-only-I libgvc 2>/dev/null); do GRAPHVIZ_INCLUDES+=(-Xcc "$flag"); done

rm -rf "$OUT"
for module in EntityGraph EntityGraphviz; do
    mkdir -p "$GRAPHS/$module"
    $SWIFT symbolgraph-extract -module-name "$module" -target "$TRIPLE" "${SDK[@]}" \
        -I "$BIN/Modules" -I "$BIN" -module-cache-path "$OUT/module-cache" \
        -Xcc -fmodule-map-file=Sources/CGraphviz/include/module.modulemap \
        -Xcc -fmodule-map-file=Sources/CGraphvizLibrary/module.modulemap "${GRAPHVIZ_INCLUDES[@]}" \
        -minimum-access-level public -output-dir "$GRAPHS/$module"
done

python3 Scripts/doc-coverage.py "$GRAPHS/EntityGraph/EntityGraph.symbols.json" \
    "$GRAPHS/EntityGraphviz/EntityGraphviz.symbols.json"

# docc's warnings go to stderr as it finds them and to a JSON file that docs-diagnostics.py checks.
convert() {
    local module=$1
    shift
    $DOCC convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$GRAPHS/$module" \
        --output-path "$OUT/$module.doccarchive" --fallback-display-name "$module" \
        --fallback-bundle-identifier "$module" --enable-experimental-external-link-support \
        --diagnostics-file "$OUT/$module-diagnostics.json" "$@"
    python3 Scripts/docs-diagnostics.py "$module" "$OUT/$module-diagnostics.json"
}
convert EntityGraph
convert EntityGraphviz --dependency "$OUT/EntityGraph.doccarchive"
echo "docs: $OUT/EntityGraph.doccarchive and $OUT/EntityGraphviz.doccarchive"
