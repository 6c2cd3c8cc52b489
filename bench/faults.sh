#!/usr/bin/env bash
# Fault soak: fhirmig upgrades a chain of STEPS migrations through a proxy that breaks RATE of all
# requests (bench/fault_proxy.py: resets, lost answers, 503, 429, answers cut off, pauses), while
# about half of the runs are killed with -9 at a random moment. Each round is a fresh namespace:
# runs follow one another (each waits for a dead run's lock to lapse) until one ends at the head.
# The migrations come in three kinds, by step number:
#   transactional  creates one Basic in the step's transaction (applied twice = two Basics)
#   idempotent     a conditional update of one Basic (safe to re-run; must end as one Basic)
#   quiet          sends nothing (its commit may wait a moment and join the next)
# Then, without the proxy, the round checks the server: one state resource, the head is the last
# step, a record for every step, no lock, and each transactional and idempotent step's Basic there
# exactly once. It prints the rounds, runs, kills, faults injected by kind, steps applied twice
# (must be 0) and inconsistencies (must be 0). Not a test: a soak; loopback only.
# Usage: bench/faults.sh [ROUNDS] [STEPS] [RATE]   (FAULTS_LOG=FILE keeps what the runs printed)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
steps="${2:-200}"
rate="${3:-0.03}"
work="$(mktemp -d)"
port=$(( 20000 + RANDOM % 10000 ))
proxy_port=$(( port + 1 ))
direct="http://127.0.0.1:$port/fhir"
faulty="http://127.0.0.1:$proxy_port/fhir"
cleanup() {
  kill "${server_pid:-}" "${proxy_pid:-}" 2>/dev/null || true
  [ -n "${FAULTS_LOG:-}" ] && cp "$work/runs.log" "$FAULTS_LOG" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$home/fhirmig" --version >/dev/null   # builds the jar if needed
(cd "$work" && exec "$home/fhirmig" serve --in-memory --port "$port" >"$work/server.log" 2>&1) &
server_pid=$!
until curl -sf -o /dev/null "$direct/metadata"; do sleep 0.3; done
python3 "$home/bench/fault_proxy.py" "$proxy_port" "$port" "$rate" "$work/faults.log" &
proxy_pid=$!
until curl -s -o /dev/null "$faulty/metadata" 2>/dev/null; do sleep 0.2; done

# The chain of migrations: the namespace is a parameter, so one folder serves every round.
mkdir -p "$work/versions"
parent=null
for i in $(seq 1 "$steps"); do
  rev=$(printf 's%04d' "$i")
  file="$work/versions/$(printf '%04d' "$i")_$rev.groovy"
  case $(( i % 3 )) in
    0) cat >"$file" <<EOF
revision = '$rev'
downRevision = $parent
transactional = true
void upgrade() {
    def b = new Basic()
    b.addIdentifier().setSystem('urn:soak:' + migration.namespace).setValue('$rev')
    b.code = new CodeableConcept().setText('transactional')
    migration.create(b)
}
void downgrade() { migration.delete('Basic?identifier=' + URLEncoder.encode('urn:soak:' + migration.namespace + '|$rev', 'UTF-8')) }
EOF
    ;;
    1) cat >"$file" <<EOF
revision = '$rev'
downRevision = $parent
void upgrade() {
    def b = new Basic()
    b.addIdentifier().setSystem('urn:soak:' + migration.namespace).setValue('$rev')
    b.code = new CodeableConcept().setText('idempotent')
    fhir.update().resource(b).conditionalByUrl('Basic?identifier=' + URLEncoder.encode('urn:soak:' + migration.namespace + '|$rev', 'UTF-8')).execute()
}
void downgrade() { }
EOF
    ;;
    2) cat >"$file" <<EOF
revision = '$rev'
downRevision = $parent
void upgrade() { }
void downgrade() { }
EOF
    ;;
  esac
  parent="'$rev'"
done
last=$(printf 's%04d' "$steps")

runs=0; kills=0; doubles=0; inconsistent=0
for round in $(seq 1 "$rounds"); do
  ns="soak-$round-$RANDOM"
  for attempt in $(seq 1 200); do
    runs=$((runs + 1))
    (cd "$work" && exec "$home/fhirmig" upgrade --url "$faulty" --namespace "$ns" --versions "$work/versions" \
        --lock-ttl 5 --lock-wait 30 -q >>"$work/runs.log" 2>&1) &
    run_pid=$!
    if (( RANDOM % 2 == 0 )); then
      sleep "$(python3 -c "import random; print(round(random.uniform(0.5, 8), 2))")"
      if kill -0 "$run_pid" 2>/dev/null; then
        kill -9 "$run_pid" 2>/dev/null && kills=$((kills + 1))
      fi
    fi
    code=0; wait "$run_pid" 2>/dev/null || code=$?
    echo "round $round run $attempt exit $code" >>"$work/runs.log"
    if (( code == 0 )); then
      head=$("$home/fhirmig" current --url "$direct" --namespace "$ns" --versions "$work/versions" 2>/dev/null | awk '{print $1}' | head -1)
      [[ "$head" == "$last" ]] && break
    fi
  done
  # The server, read directly.
  read -r d i <<<"$(python3 - "$direct" "$ns" "$steps" "$last" <<'PY'
import json, sys, urllib.parse, urllib.request
base, ns, steps, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def search(query):
    found, url = [], f"{base}/{query}&_count=500"
    while url:
        req = urllib.request.Request(url, headers={"Cache-Control": "no-cache", "Accept": "application/fhir+json"})
        page = json.load(urllib.request.urlopen(req))
        found += [e["resource"] for e in page.get("entry", [])]
        url = next((l["url"] for l in page.get("link", []) if l["relation"] == "next"), None)
    return found
problems, doubles = [], 0
states = search("Basic?identifier=" + urllib.parse.quote(f"urn:fhirmig:state|{ns}"))
if len(states) != 1:
    problems.append(f"{len(states)} state resources")
else:
    ext = states[0].get("extension", [])
    heads = [e["valueString"] for e in ext if e["url"] == "urn:fhirmig:head"]
    if heads != [last]:
        problems.append(f"heads {heads}")
    if any(e["url"] == "urn:fhirmig:lock" for e in ext):
        problems.append("a lock is left")
records = search("Basic?identifier=" + urllib.parse.quote(f"urn:fhirmig:applied:{ns}|"))
revisions = sorted(r["identifier"][0]["value"] for r in records)
if revisions != [f"s{i:04d}" for i in range(1, steps + 1)]:
    problems.append(f"{len(revisions)} records for {steps} steps ({len(set(revisions))} distinct)")
data = search("Basic?identifier=" + urllib.parse.quote(f"urn:soak:{ns}|"))
counts = {}
for b in data:
    counts[b["identifier"][0]["value"]] = counts.get(b["identifier"][0]["value"], 0) + 1
for i in range(1, steps + 1):
    rev, n = f"s{i:04d}", counts.get(f"s{i:04d}", 0)
    if i % 3 == 0 and n > 1:
        doubles += 1
    elif i % 3 != 2 and n != 1:
        problems.append(f"{rev}: {n} resources")
for p in problems[:5]:
    print(p, file=sys.stderr)
print(doubles, len(problems))
PY
)"
  doubles=$((doubles + d)); inconsistent=$((inconsistent + i))
  echo "round $round: $attempt run(s), applied twice $d, inconsistencies $i"
done

faults=$(wc -l <"$work/faults.log")
echo "rounds: $rounds  steps: $steps  fault rate: $rate"
echo "runs: $runs  killed with -9: $kills"
echo "faults injected: $faults ($(awk '{print $1}' "$work/faults.log" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//'))"
echo "steps applied twice: $doubles"
echo "inconsistencies: $inconsistent"
echo "exit codes of the runs: $(grep -o 'exit [0-9]*$' "$work/runs.log" | sort | uniq -c | awk '{printf "%s:%s ", $3, $1}')"
echo "errors the runs reported (most frequent first, cut to 160 characters):"
grep '^error: ' "$work/runs.log" | cut -c1-160 | sed -E 's/[0-9a-f]{8}-[0-9a-f-]+|soak-[0-9]+-[0-9]+|[0-9]{4}_s[0-9]{4}/…/g' | sort | uniq -c | sort -rn | head -8 || true
