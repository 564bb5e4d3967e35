#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against private Azurite instances that the tests
# start on free ports with temporary folders (never 10000-10002, never .azurite/).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite (pinned in package.json)..."
  npm ci --no-audit --no-fund --loglevel=error
fi

# The browser tests drive the system's Chromium through chromedriver; install them when missing.
bash .ci/install-chromium || echo "warning: no Chromium, the browser tests will fail (see .ci/install-chromium)" >&2

dotnet build Pipeline.sln -c Debug --nologo -v quiet -clp:ErrorsOnly
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# Test assemblies (Reporting, Functions, LocalHost, Browser) start their own Azurite instances; -m:2 runs at most two
# at a time whatever the core count (two at once is what the suite ran as before the split, on 2 cores), so neither
# the Azurites nor the xUnit threads of four assemblies compete at once.
dotnet test Pipeline.sln -c Debug --no-build --nologo -m:2 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# One closing line over all test assemblies, in the plain form CI reads.
python3 - "$log" <<'PY'
import re, sys
passed = failed = skipped = 0
for m in re.finditer(r"Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+)", open(sys.argv[1], encoding="utf-8", errors="replace").read()):
    failed += int(m.group(1)); passed += int(m.group(2)); skipped += int(m.group(3))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$rc"
