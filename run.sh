#!/usr/bin/env bash
# Runs the pipeline locally: Azurite (storage emulator) + the local Functions host, with an admin token
# and sample reports. Stays in the foreground; Ctrl-C stops everything.
#   ./run.sh          keep the data in .azurite/ from earlier runs
#   ./run.sh --fresh  start from empty storage
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

fresh=false
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=true ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

port=${PIPELINE_PORT:-7071}
# Azurite's ports; move them (AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT) to run beside another Azurite.
blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
data="$root/.azurite"
if $fresh; then rm -rf "$data"; fi
mkdir -p "$data"

say() { printf '\033[1m%s\033[0m\n' "$*"; }

if [ ! -x node_modules/.bin/azurite ]; then
  say "Installing Azurite (pinned in package.json)..."
  npm ci --no-audit --no-fund --loglevel=error
fi
[ -f local.settings.json ] || cp local.settings.sample.json local.settings.json
# The rollup PDF needs a font with Chinese glyphs and TrueType outlines; without one it is still made, with the Chinese
# text missing. fonts-noto-cjk does not count: its outlines are PostScript (CFF), which the PDF writer cannot embed.
font_hint="  To get Chinese text in the rollup PDF: as root run 'apt-get update && apt-get install -y fonts-wqy-microhei',
  or set Pipeline__PdfFont to a .ttf/.ttc file with Chinese glyphs (e.g. export Pipeline__PdfFont=/path/to/wqy-microhei.ttc)."
if [ -z "${Pipeline__PdfFont:-}" ] && [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] \
   && [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing a Chinese font for the rollup PDF (fonts-wqy-microhei)..."
    # A new machine has empty package lists: apt-get install then finds nothing until they are updated.
    if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
      apt-get update -q >/dev/null 2>&1 || true
    fi
    if ! apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1; then
      echo "  Could not install fonts-wqy-microhei; the PDF will lack Chinese text." >&2
      echo "$font_hint" >&2
    fi
  else
    echo "  No Chinese font found; the rollup PDF will lack Chinese text." >&2
    echo "$font_hint" >&2
  fi
fi

say "Building..."
dotnet build tools/Pipeline.LocalHost -c Debug --nologo -v quiet -clp:ErrorsOnly

pids=()
cleanup() {
  trap - INT TERM EXIT
  # The host first, while storage still answers (its shutdown otherwise retries a dead Azurite for minutes), then
  # Azurite; whatever is still running after 15 s is killed.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[$i]}
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  say "Stopped."
}
trap cleanup INT TERM EXIT

say "Starting Azurite (data in .azurite/)..."
# --disableTelemetry: Azurite otherwise sends usage data to Azure, and goes on trying for a while when stopped.
# Azurite and the host run in sessions of their own (setsid): Ctrl-C reaches only this script, which stops the host
# first and then Azurite (both at once left the host's last minute logging refused connections).
setsid node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --location "$data" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" >"$data/azurite.log" 2>&1 &
pids+=($!)
# The host's first storage calls would otherwise meet refused connections: pages of retry traces in its log.
for i in $(seq 1 120); do
  kill -0 "${pids[0]}" 2>/dev/null || { echo "Azurite stopped (a port in use?): $(tail -3 "$data/azurite.log")" >&2; exit 1; }
  (: </dev/tcp/127.0.0.1/"$blob_port" && : </dev/tcp/127.0.0.1/"$queue_port" && : </dev/tcp/127.0.0.1/"$table_port") 2>/dev/null && break
  sleep 0.5
done

# A token that stays the same across runs of the same data, unless the environment gives one.
if [ -z "${Pipeline__AdminToken:-}" ]; then
  [ -s "$data/admin-token" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$data/admin-token"
  Pipeline__AdminToken=$(cat "$data/admin-token")
fi
export Pipeline__AdminToken
if [ "$blob_port:$queue_port:$table_port" = "10000:10001:10002" ]; then
  storage="UseDevelopmentStorage=true"
else
  storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
fi
export PipelineStorage="$storage" AzureWebJobsStorage="$storage"
export PIPELINE_PORT=$port

say "Starting the local Functions host on http://127.0.0.1:$port ..."
(cd "$root" && exec setsid dotnet tools/Pipeline.LocalHost/bin/Debug/net10.0/Pipeline.LocalHost.dll) &
pids+=($!)

base="http://127.0.0.1:$port/api"
# Health is 200 only once storage answers and its tables, containers and queues exist; on a busy machine that
# can take a while (Azurite and the host share the cores), so wait up to 3 minutes and say so.
healthy=false
for i in $(seq 1 360); do
  if curl -fsS "$base/health" >/dev/null 2>&1; then healthy=true; break; fi
  if [ "$i" = 40 ]; then say "Waiting for the host and storage to be ready..."; fi
  if ! kill -0 "${pids[1]}" 2>/dev/null; then break; fi
  sleep 0.5
done
$healthy || { echo "the host did not become healthy (curl $base/health); see the log above and $data/azurite.log" >&2; exit 1; }

auth=(-H "Authorization: Bearer $Pipeline__AdminToken" -H "Content-Type: application/json")
# Yesterday as the app counts days (its Pipeline__ReportingTimeZone), not in a time zone written here.
today=$(curl -fsS "${auth[@]}" "$base/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["today"])')
yesterday=$(date -d "$today -1 day" +%F)
if [ ! -f "$data/seeded" ]; then
  say "Loading sample reports for yesterday ($yesterday)..."
  # Each report is retried while the app answers 503 (storage busy or starting) or cannot be reached: a
  # resend of the same report is a replay, stored once.
  sed "s/{{date}}/$yesterday/g" samples/sample-reports.json | python3 -c '
import json, sys, time, urllib.error, urllib.request
token, base = sys.argv[1], sys.argv[2]
for report in json.load(sys.stdin):
    request = urllib.request.Request(base + "/reports", json.dumps(report).encode(), method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    for attempt in range(1, 31):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                print("  ", report["unitCode"], report["reportDate"], response.status)
                break
        except urllib.error.HTTPError as e:
            if e.code != 503 or attempt == 30:
                sys.exit("   %s %s: %s %s" % (report["unitCode"], report["reportDate"], e.code, e.read().decode("utf-8", "replace")))
            time.sleep(int(e.headers.get("Retry-After") or 2))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
            if attempt == 30:
                sys.exit("   %s %s: %s" % (report["unitCode"], report["reportDate"], e))
            time.sleep(2)
' "$Pipeline__AdminToken" "$base"
  touch "$data/seeded"
fi

# One sample reporter token per data folder (kept in .azurite/reporter-token), not one more every start; a new
# one only when there is none or it no longer works (revoked, or the data was reset).
reporter=$(cat "$data/reporter-token" 2>/dev/null || true)
link=""
if [ -z "$reporter" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $reporter" "$base/me")" != 200 ]; then
  issued=$(curl -fsS "${auth[@]}" -d '{"role":"reporter","scope":"623024100","label":"run.sh sample reporter"}' "$base/tokens")
  reporter=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <<<"$issued")
  link=$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("link") or "")' <<<"$issued")
  (umask 077; printf '%s' "$reporter" >"$data/reporter-token")
fi
cat <<INFO

  Pipeline running (Ctrl-C stops it).
    API            $base
    Health         $base/health
    Admin token    $Pipeline__AdminToken
    Reporter token $reporter   (unit 623024100 迭部县电尕镇)

  Next:
    1. Report as a township: open $base/form and enter the reporter token above.${link:+
       (or open its one-time enrolment link instead: $link
        it gives the browser the token with a new secret; the token above then stops working)}
    2. Follow the prefecture: open $base/console and enter the admin token.
    3. Build yesterday's rollup ($yesterday, the sample reports' day) and list its files:
         curl -X POST -H "Authorization: Bearer $Pipeline__AdminToken" $base/rollups/$yesterday
    More in README.md ("Trying it with curl"); set B=$base there.

INFO
wait "${pids[1]}"
