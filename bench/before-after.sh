#!/usr/bin/env bash
# The figures of docs/performance.md, before and after: runs today's harness (this bench/) over the library of
# BEFORE_COMMIT and over the working tree, one after the other on the same machine, then writes the table into
# docs/performance.md between its markers. Run it on a quiet machine (nothing else building or testing).
#
# Usage: bench/before-after.sh BEFORE_COMMIT [OUT_DIR]      e.g. bench/before-after.sh fcff488
# OUT_DIR (default bench/results) keeps before.json, after.json and both runs' console output.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=${1:?usage: bench/before-after.sh BEFORE_COMMIT [OUT_DIR]}
out=$(mkdir -p "${2:-$root/bench/results}" && cd "${2:-$root/bench/results}" && pwd)
run=(storage batch rollup --seconds 5)

# The old library as committed, with today's bench/ in place of its own (the harness names none of the library's
# classes but the unit registry, so it builds against either) and the working tree's Azurite, started by today's
# tools/Pipeline.Azurite (the harness's launcher: the storage part reads Azurite's collections through it).
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
git -C "$root" archive "$before" | tar -x -C "$tree"
rm -rf "$tree/bench"
tar -C "$root" --exclude=bin --exclude=obj --exclude=results -c bench | tar -x -C "$tree"
rm -rf "$tree/tools/Pipeline.Azurite"
tar -C "$root" --exclude=bin --exclude=obj -c tools/Pipeline.Azurite | tar -x -C "$tree"
ln -s "$root/node_modules" "$tree/node_modules"

echo "== before: $(git -C "$root" log -1 --format='%h %s' "$before")"
dotnet run -c Release --project "$tree/bench/Pipeline.Benchmarks" -- "${run[@]}" --json "$out/before.json" | tee "$out/before.log"
echo "== after: $(git -C "$root" log -1 --format='%h %s') (and the working tree)"
dotnet run -c Release --project "$root/bench/Pipeline.Benchmarks" -- "${run[@]}" --json "$out/after.json" | tee "$out/after.log"
dotnet run -c Release --no-build --project "$root/bench/Pipeline.Benchmarks" -- --markdown "$out/before.json" "$out/after.json" --into "$root/docs/performance.md"
