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

# Every test project runs in one of the two lanes below; a new one must be added there.
lanes=" Pipeline.Reporting.Tests Pipeline.LocalHost.Tests Pipeline.Functions.Tests Pipeline.BrowserTests "
for project in tests/*/*.csproj; do
  name=$(basename "$(dirname "$project")")
  if grep -q '<IsTestProject>true' "$project" && [[ "$lanes" != *" $name "* ]]; then
    echo "test.sh: $project is a test project that no lane runs; add it to test.sh" >&2
    exit 1
  fi
done

dotnet build Pipeline.sln -c Debug --nologo -v quiet -clp:ErrorsOnly
log=$(mktemp)
light=$(mktemp)
trap 'rm -f "$log" "$light"' EXIT
set +e
# Two lanes, so that the two heavy assemblies (the API suites and the browser, each with its own Azurite instances and
# local hosts) never run at once on 2 cores: one lane runs them one after the other, the other lane runs the light
# ones (the library's tests, mostly without Azure, and the local host's) beside them; its output follows.
run() { dotnet test "tests/$1" -c Debug --no-build --nologo "${@:2}"; }
( run Pipeline.Reporting.Tests "$@" && rc_r=0 || rc_r=$?; run Pipeline.LocalHost.Tests "$@" && rc_l=0 || rc_l=$?
  exit $(( rc_r != 0 || rc_l != 0 )) ) >"$light" 2>&1 &
light_pid=$!
{ run Pipeline.Functions.Tests "$@"; rc_f=$?; run Pipeline.BrowserTests "$@"; rc_b=$?; exit $(( rc_f != 0 || rc_b != 0 )); } 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
wait "$light_pid" || rc=1
cat "$light"
cat "$light" >>"$log"
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
