#!/usr/bin/env bash
# Times `fhirmig verify` of the four example migrations (versions/) with the repository's fixtures
# against its reference, measured in the same run: `fhirmig upgrade` followed by
# `fhirmig downgrade base` on a fresh in-memory embedded server loaded with the same fixtures. Each
# command is a process started by the launcher, as users run it. Prints the medians and the ratio
# verify / reference (goal: at most 2).
#
# Two comparisons, each round on fresh servers:
#   like for like   verify --url URL --scratch-ok on a fresh `fhirmig serve --in-memory`, against
#                   upgrade + downgrade base on another fresh one (server starts not timed);
#   as typed        `fhirmig verify` alone, which starts its own in-memory server in-process, against
#                   starting `fhirmig serve --in-memory` until it answers + upgrade + downgrade base.
# Round 0 fills the script cache and is not counted.
#
# Usage: bench/verify.sh            R=5 bench/verify.sh   (counted rounds, default 3)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${R:-3}"
work="$(mktemp -d)"
server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT

"$home/fhirmig" --version >/dev/null   # builds the jar and the start-up archive if needed
mkdir -p "$work/project"
cp -r "$home/versions" "$home/fixtures" "$work/project/"
cd "$work/project"
results="$work/results.tsv"
: > "$results"

now() { date +%s.%N; }

# start_server: a fresh in-memory embedded server on a free port; sets url and server_pid.
start_server() {
  local port=$(( 20000 + RANDOM % 10000 ))
  (exec "$home/fhirmig" serve --in-memory --port "$port" >"$work/serve.log" 2>&1) &
  server_pid=$!
  url="http://127.0.0.1:$port/fhir"
  until curl -sf -o /dev/null "$url/metadata"; do
    kill -0 "$server_pid" 2>/dev/null || { echo "FAILED: serve --in-memory" >&2; cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
  done
}

load_fixtures() {
  for f in fixtures/*.json; do
    id="$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["resourceType"] + "/" + r["id"])' "$f")"
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/fhir+json' --data-binary "@$f" "$url/$id"
  done
}

# run_timed LABEL ROUND -- argv...: runs argv, appends "label round seconds" to the results.
run_timed() {
  local label="$1" round="$2" start end; shift 3
  start=$(now)
  if ! "$@" > "$work/last.out" 2>&1; then
    echo "FAILED: $label:" >&2; cat "$work/last.out" >&2; exit 1
  fi
  end=$(now)
  printf '%s\t%s\t%s\n' "$label" "$round" "$(echo "$end - $start" | bc)" >> "$results"
}

reference() {
  FHIRMIG_URL="$url" "$home/fhirmig" upgrade && FHIRMIG_URL="$url" "$home/fhirmig" downgrade base
}

for ((round = 0; round <= reps; round++)); do
  # like for like: server starts not timed
  start_server; load_fixtures
  run_timed reference "$round" -- reference
  stop_server
  start_server
  run_timed verify "$round" -- "$home/fhirmig" verify --url "$url" --scratch-ok
  grep -qE 'all [0-9]+ checks ok' "$work/last.out" || { echo "FAILED: verify did not pass" >&2; cat "$work/last.out" >&2; exit 1; }
  stop_server
  # as typed: the reference's server start timed with it
  t0=$(now); start_server; t1=$(now)
  printf 'serve-start\t%s\t%s\n' "$round" "$(echo "$t1 - $t0" | bc)" >> "$results"
  load_fixtures
  run_timed reference-run "$round" -- reference
  stop_server
  run_timed verify-own-server "$round" -- "$home/fhirmig" verify
  echo "round $round done" >&2
done

python3 - "$results" "$reps" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
reps = int(sys.argv[2])
def med(label):
    values = [float(s) for l, r, s in rows if l == label and int(r) > 0]
    return statistics.median(values)
ref, ver = med("reference"), med("verify")
start, ref_run, own = med("serve-start"), med("reference-run"), med("verify-own-server")
print(f"median of {reps} rounds, wall seconds (round 0, which fills the cache, not counted)")
print(f"like for like (fresh `serve --in-memory`, start not timed):")
print(f"  upgrade + downgrade base   {ref:8.2f}")
print(f"  verify --scratch-ok        {ver:8.2f}   ratio {ver / ref:.2f}")
print(f"as typed (server start included):")
print(f"  serve start + upgrade + downgrade base   {start + ref_run:8.2f}   (start {start:.2f})")
print(f"  verify (own in-process server)           {own:8.2f}   ratio {own / (start + ref_run):.2f}")
PY
