#!/usr/bin/env bash
# Builds and lints every Bicep file under infra/ with a pinned Bicep CLI taken from NuGet.
#
#   bash infra/bicep.sh
#
# - The CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (the only network access),
#   restored by a throwaway project in a temporary folder into the NuGet global packages folder
#   (~/.nuget/packages, or $NUGET_PACKAGES), where later runs find it without restoring again.
# - `bicep build` compiles every file into a temporary folder (nothing is written to the repository).
# - `bicep lint --diagnostics-format sarif` lints every file; ANY diagnostic it reports (error, warning,
#   info) fails the script. `bicep lint` itself exits 0 on warnings, which is why the SARIF is read
#   instead of relying on its exit code. Rule levels are set in infra/bicepconfig.json.
# - infra/main.parameters.json is checked against the compiled main.bicep: every parameter it names
#   exists, and every parameter without a default is supplied.
# Exits non-zero on any failure. Needs: dotnet (SDK 8 or later), python3.
set -euo pipefail

readonly BICEP_VERSION="0.49.2"
readonly BICEP_PACKAGE="Azure.Bicep.CommandLine.linux-x64"

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/bicep-check.XXXXXX")"
trap 'rm -rf "$work_dir"' EXIT

fail() {
  echo "bicep.sh: $*" >&2
  exit 1
}

# --- 1. the pinned Bicep CLI -------------------------------------------------------------------
install_bicep() {
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) ;;
    *) fail "only linux-x64 is supported (package $BICEP_PACKAGE); this is $(uname -s)/$(uname -m)" ;;
  esac
  command -v dotnet >/dev/null || fail "dotnet is needed to restore $BICEP_PACKAGE from NuGet"

  local packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  local package_dir
  package_dir="$packages/$(echo "$BICEP_PACKAGE" | tr '[:upper:]' '[:lower:]')/$BICEP_VERSION"
  BICEP="$package_dir/tools/bicep"

  if [[ ! -f "$BICEP" ]]; then
    echo "Restoring $BICEP_PACKAGE $BICEP_VERSION from NuGet..."
    local project_dir="$work_dir/restore"
    mkdir -p "$project_dir"
    # Outside the repository on purpose: the repository's Directory.Build.props does not apply.
    cat >"$project_dir/bicep-cli.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <DisableImplicitFrameworkReferences>true</DisableImplicitFrameworkReferences>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$BICEP_PACKAGE" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
EOF
    dotnet restore "$project_dir/bicep-cli.csproj" --nologo --verbosity quiet \
      || fail "dotnet restore of $BICEP_PACKAGE $BICEP_VERSION failed"
    [[ -f "$BICEP" ]] || BICEP="$(find "$package_dir" -type f -name bicep -path '*/tools/*' | head -n 1)"
    [[ -n "$BICEP" && -f "$BICEP" ]] || fail "no bicep binary found under $package_dir after restore"
  fi

  [[ -x "$BICEP" ]] || chmod +x "$BICEP"
  local version
  version="$("$BICEP" --version)" || fail "$BICEP does not run"
  [[ "$version" == *"$BICEP_VERSION"* ]] || fail "expected Bicep CLI $BICEP_VERSION, got: $version"
  echo "$version ($BICEP)"
}

install_bicep
command -v python3 >/dev/null || fail "python3 is needed to read the linter's SARIF output"

# --- 2. build and lint every .bicep file ---------------------------------------------------------
# One CLI call for all files each (--pattern): the CLI takes a few seconds to start.
cd "$infra_dir"
mapfile -t files < <(find . -name '*.bicep' -not -path '*/node_modules/*' | sed 's|^\./||' | sort)
((${#files[@]} > 0)) || fail "no .bicep files under $infra_dir"
printf '  %s\n' "${files[@]}"

status=0
# Build: compile errors fail it. Its warnings (the linter's) also go to stderr; the lint below judges them.
if "$BICEP" build --pattern '**/*.bicep' --outdir "$work_dir/build" 2>"$work_dir/build.err"; then
  built="$(find "$work_dir/build" -name '*.json' | wc -l)"
  if ((built == ${#files[@]})); then
    echo "ok    build: ${#files[@]} files compiled"
  else
    echo "FAIL  build: $built of ${#files[@]} files compiled" >&2
    status=1
  fi
else
  cat "$work_dir/build.err" >&2
  echo "FAIL  build" >&2
  status=1
fi

# Lint: the CLI writes one SARIF document per file, one after another. Any result in any of them,
# whatever its level, is a failure; so is output that cannot be read, or no output at all.
lint_rc=0
"$BICEP" lint --pattern '**/*.bicep' --diagnostics-format sarif >"$work_dir/lint.sarif" 2>"$work_dir/lint.err" || lint_rc=$?
if python3 - "$work_dir/lint.sarif" "$infra_dir" "$lint_rc" <<'PY'
import json, sys
path, base, rc = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, encoding="utf-8").read()
decoder, pos, docs = json.JSONDecoder(), 0, []
try:
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        doc, pos = decoder.raw_decode(text, pos)
        docs.append(doc)
    results = [r for doc in docs for run in doc["runs"] for r in run.get("results", [])]
except Exception as e:  # noqa: BLE001 - any malformed output must fail the check
    print(f"  cannot read the linter's SARIF output: {e}", file=sys.stderr)
    sys.exit(1)
if not docs:
    print("  the linter wrote no SARIF output", file=sys.stderr)
    sys.exit(1)
seen = set()
for r in results:
    loc = (r.get("locations") or [{}])[0].get("physicalLocation", {})
    uri = loc.get("artifactLocation", {}).get("uri", "?")
    uri = uri[len("file://"):] if uri.startswith("file://") else uri
    uri = uri[len(base) + 1:] if uri.startswith(base + "/") else uri
    line = loc.get("region", {}).get("startLine", "?")
    msg = f"  {uri}:{line}: {r.get('level', 'warning')} {r.get('ruleId', '?')}: {r.get('message', {}).get('text', '')}"
    if msg not in seen:  # a module's diagnostics can be reported again by the file that uses it
        seen.add(msg)
        print(msg, file=sys.stderr)
if rc != 0 and not results:
    print(f"  bicep lint exited {rc}", file=sys.stderr)
sys.exit(1 if results or rc != 0 else 0)
PY
then
  echo "ok    lint: no diagnostics"
else
  cat "$work_dir/lint.err" >&2
  echo "FAIL  lint" >&2
  status=1
fi

# --- 3. main.parameters.json against main.bicep --------------------------------------------------
if [[ -f "$infra_dir/main.parameters.json" && -f "$work_dir/build/main.json" ]]; then
  if python3 - "$work_dir/build/main.json" "$infra_dir/main.parameters.json" <<'PY'
import json, sys
template = json.load(open(sys.argv[1], encoding="utf-8"))
supplied = json.load(open(sys.argv[2], encoding="utf-8")).get("parameters", {})
declared = template.get("parameters", {})
errors = [f"main.parameters.json names '{n}', which main.bicep does not declare" for n in supplied if n not in declared]
errors += [f"main.bicep parameter '{n}' has no default and is not in main.parameters.json"
           for n, p in declared.items() if "defaultValue" not in p and not p.get("nullable") and n not in supplied]
for e in errors:
    print("  " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
  then
    echo "ok    main.parameters.json matches main.bicep"
  else
    echo "FAIL  main.parameters.json" >&2
    status=1
  fi
fi

if ((status != 0)); then
  echo "bicep.sh: FAILED" >&2
  exit "$status"
fi
echo "bicep.sh: ${#files[@]} Bicep files built and linted with no diagnostics"
