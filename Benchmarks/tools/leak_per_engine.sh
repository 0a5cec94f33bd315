#!/usr/bin/env bash
# Bytes Graphviz itself loses per render, per engine: the suppressed definitely-lost bytes of a run
# with 2N renders minus those of a run with N renders (one-time caches cancel out), divided by N.
#   Benchmarks/tools/leak_per_engine.sh BINARY [N]
set -euo pipefail
binary=$1; n=${2:-20}
lost() {
  valgrind --leak-check=full --show-leak-kinds=definite --suppressions=valgrind/graphviz-2.42.supp \
    "$binary" leakcheck --only "$1" --no-seed --cycles "$(( $2 * 4 ))" 2>&1 \
    | awk '/suppressed:/ {gsub(",", "", $3); print $3; exit}'
}
printf '%-18s %s\n' engine "bytes lost per render (Graphviz's own)"
for engine in dot "dot, clustered" neato sfdp; do
  a=$(lost "$engine" "$n"); b=$(lost "$engine" "$(( 2 * n ))")
  printf '%-18s %d\n' "$engine" $(( (b - a) / n ))
done
