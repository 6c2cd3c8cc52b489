#!/usr/bin/env bash
# Bulk migrations against the embedded server (`fhirmig serve --in-memory`), all in the same run:
#  (a) the server's write limit: transaction Bundles of pre-built Patients sent from a small Python
#      client, over a few batch sizes and thread counts; the best one is (a);
#  (b) a forEach migration (`fhirmig upgrade`, forEach's default options) rewriting N Patients
#      (default 10,000): the rate is the bulk summary's (changed / duration, from the audit log), JVM
#      start excluded, median of 3 rounds after one unmeasured upgrade and downgrade that warm the
#      server's update path up; the downgrade, the upgrade with 4 writers (taking turns with the
#      default) and with batch Bundles are printed too;
#  (c) the Python tool's way: for each Patient one search and one PUT, one at a time (over M
#      Patients, default 1,000, a rate does not need more).
# Prints resources per second for each, and the ratios b/a and b/c. Not a test.
# Usage: bench/bulk.sh [N] [M]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10000}"
m="${2:-1000}"
work="$(mktemp -d)"
port=$(( 20000 + RANDOM % 10000 ))
base="http://127.0.0.1:$port/fhir"
cleanup() { kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$home/fhirmig" --version >/dev/null   # builds the jar if needed
(cd "$work" && exec "$home/fhirmig" serve --in-memory --port "$port" >"$work/server.log" 2>&1) &
server_pid=$!
until curl -sf -o /dev/null "$base/metadata"; do sleep 0.3; done

# (a), and the N Patients that (b) rewrites, each with a legacy id.
python3 - "$base" "$n" "$work/a.txt" <<'PY'
import http.client, json, sys, threading, time, urllib.parse
base, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
url = urllib.parse.urlparse(base)

def bundles(system, count, size, prefix):
    result = []
    for start in range(0, count, size):
        entries = [{"resource": {"resourceType": "Patient",
                                 "identifier": [{"system": system, "value": f"{prefix}{i}"}],
                                 "name": [{"family": f"Bench{i}", "given": ["Bulk"]}]},
                    "request": {"method": "POST", "url": "Patient"}}
                   for i in range(start, min(start + size, count))]
        result.append(json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}).encode())
    return result

def send(bodies, threads):
    queue = list(bodies)
    lock = threading.Lock()
    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            conn.request("POST", url.path, body, {"Content-Type": "application/fhir+json",
                                                  "Accept": "application/fhir+json", "Prefer": "return=minimal"})
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}: {data[:300]}")
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.time()
    for t in pool: t.start()
    for t in pool: t.join()
    return time.time() - started

# The N Patients that (b) rewrites; sending them also warms the server up.
seconds = send(bundles("urn:example:legacy-id", n, 100, "L"), 2)
print(f"  seeded {n} Patients with a legacy id at {n / seconds:.0f}/s (transactions of 100, 2 threads)")
best = (0, None)
for size, threads in [(100, 1), (100, 2), (200, 2), (100, 4), (500, 2)]:
    count = 5000
    seconds = send(bundles(f"urn:bench:a:{size}:{threads}", count, size, "a"), threads)
    rate = count / seconds
    print(f"  (a) transactions of {size:>3}, {threads} thread(s): {rate:7.0f} resources/s")
    if rate > best[0]:
        best = (rate, (size, threads))
size, threads = best[1]
with open(out, "w") as f:
    f.write(f"{best[0]:.1f} {size} {threads}\n")
PY
read -r a_rate a_size a_threads < "$work/a.txt"

# (b) a forEach migration over the N legacy Patients.
mkdir -p "$work/versions"
cat > "$work/versions/0001_bulk.groovy" <<'GROOVY'
revision     = 'bench-bulk'
downRevision = null

LEGACY = 'urn:example:legacy-id'
MRN    = 'urn:bench:mrn'

/** forEach's defaults, except what the run's -p parameters set. */
Map options() {
    Map options = [:]
    migration.parameters.each { key, value -> options[key] = key == 'bundleType' ? value : value as int }
    options
}

void upgrade() {
    migration.forEach("Patient?identifier=${LEGACY}|", options()) { Patient p ->
        if (p.identifier.any { it.system == MRN }) {
            return null
        }
        p.addIdentifier().setSystem(MRN).setValue('MRN-' + p.identifier.find { it.system == LEGACY }.value)
        p
    }
}

void downgrade() {
    migration.forEach("Patient?identifier=${LEGACY}|", options()) { Patient p ->
        p.identifier.removeIf { it.system == MRN } ? p : null
    }
}
GROOVY
fhirmig_run() {
  (cd "$work" && "$home/fhirmig" -q "$@" --url "$base" --versions "$work/versions" --namespace bench >/dev/null)
}
last_bulk() {   # matched changed durationMs of the last bulk event in the audit log
  python3 -c '
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if "\"bulk\"" in l]
e = events[-1]
print(e["matched"], e["changed"], e["conflicts"], e["failed"], e["durationMs"])' "$work/.fhirmig/audit.log"
}
# Warm-up, not measured: the server's update path, as the seeding warmed its create path for (a).
fhirmig_run upgrade; fhirmig_run downgrade base
rate_of_last() {
  read -r matched changed conflicts failed ms < <(last_bulk)
  [ "$changed" = "$n" ] && [ "$failed" = 0 ] || { echo "forEach changed $changed of $n, failed $failed" >&2; exit 1; }
  python3 -c "print(f'{$changed * 1000 / $ms:.1f}')"
}
# Three rounds, the default options and 4 writers taking turns, so that the server warming up or
# another process favours neither; (b) is the median of the default's rounds.
default_rates=(); four_rates=(); down_rates=()
for round in 1 2 3; do
  fhirmig_run upgrade; default_rates+=("$(rate_of_last)")
  fhirmig_run downgrade base; down_rates+=("$(rate_of_last)")
  fhirmig_run upgrade -p threads=4; four_rates+=("$(rate_of_last)")
  fhirmig_run downgrade base
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
b_rate=$(median "${default_rates[@]}")
echo "  (b) forEach upgrade, default options (transaction Bundles of 100, 2 writers): ${default_rates[*]} resources/s; median $b_rate"
echo "      forEach downgrade, default options: ${down_rates[*]} resources/s; median $(median "${down_rates[@]}")"
echo "      forEach upgrade, 4 writers: ${four_rates[*]} resources/s; median $(median "${four_rates[@]}")"
fhirmig_run upgrade -p bundleType=batch
echo "      forEach upgrade, batch Bundles (once): $(rate_of_last) resources/s"
fhirmig_run downgrade base

# (c) one search and one PUT per resource, as the Python tool's examples do.
c_rate=$(python3 - "$base" "$m" <<'PY'
import http.client, json, sys, time, urllib.parse
base, m = sys.argv[1], int(sys.argv[2])
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
headers = {"Accept": "application/fhir+json", "Content-Type": "application/fhir+json", "Cache-Control": "no-cache"}
def call(method, path, body=None):
    conn.request(method, url.path + "/" + path, body, headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: HTTP {response.status}: {data[:300]}")
    return json.loads(data) if data else None
started = time.time()
for i in range(m):
    found = call("GET", "Patient?identifier=" + urllib.parse.quote(f"urn:example:legacy-id|L{i}"))
    patient = found["entry"][0]["resource"]
    patient["identifier"].append({"system": "urn:bench:python", "value": f"P{i}"})
    call("PUT", f"Patient/{patient['id']}", json.dumps(patient))
print(f"{m / (time.time() - started):.1f}")
PY
)
echo "  (c) one search and one PUT per resource, one at a time, $m Patients: $c_rate resources/s"

echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) core(s) (the client, the server and anything else share them)"
python3 - "$a_rate" "$b_rate" "$c_rate" "$a_size" "$a_threads" <<'PY'
import sys
a, b, c = map(float, sys.argv[1:4])
print()
print(f"(a) server write limit (transactions of {sys.argv[4]}, {sys.argv[5]} threads): {a:8.0f} resources/s")
print(f"(b) forEach migration:                              {b:8.0f} resources/s")
print(f"(c) one search + one PUT per resource:              {c:8.0f} resources/s")
print(f"b/a = {b / a:.2f}   (goal >= 0.8)")
print(f"b/c = {b / c:.1f}    (goal >= 5)")
PY
