#!/usr/bin/env bash
# What durable commits cost the embedded server: transaction Bundles of 100 Patient creates, sent one
# at a time (as fhirmig commits a step) to `fhirmig serve` on persistent H2 in a fresh folder; prints
# the median rate over R rounds of B Bundles each, after one unmeasured round. Give the jars to compare,
# e.g. a build without WRITE_DELAY=0 in EmbeddedServerOptions and one with it; by default, this build's.
# Not a test. Usage: bench/durable-writes.sh [B] [R] [JAR...]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundles="${1:-20}"
rounds="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=("$home/target/fhirmig.jar")
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for jar in "${jars[@]}"; do
  work="$(mktemp -d)"
  port=$(( 20000 + RANDOM % 10000 ))
  base="http://127.0.0.1:$port/fhir"
  (cd "$work" && exec "$java" -jar "$jar" serve --port "$port" >"$work/server.log" 2>&1) &
  server_pid=$!
  until curl -sf -o /dev/null "$base/metadata"; do sleep 0.3; done
  python3 - "$base" "$bundles" "$rounds" "$jar" <<'PY'
import http.client, json, statistics, sys, time, urllib.parse
base, bundles, rounds, jar = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
serial = 0
def bundle():
    global serial
    entries = []
    for _ in range(100):
        serial += 1
        entries.append({"resource": {"resourceType": "Patient",
                                     "identifier": [{"system": "urn:bench:durable", "value": str(serial)}],
                                     "name": [{"family": f"Durable{serial}", "given": ["Bench"]}]},
                        "request": {"method": "POST", "url": "Patient"}})
    return json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}).encode()
def round_rate():
    started = time.time()
    for _ in range(bundles):
        conn.request("POST", url.path, bundle(), {"Content-Type": "application/fhir+json",
                                                  "Accept": "application/fhir+json", "Prefer": "return=minimal"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status}: {data[:300]}")
    return bundles * 100 / (time.time() - started)
round_rate()  # warms the server's create path up
rates = [round_rate() for _ in range(rounds)]
print(f"{jar}: median {statistics.median(rates):.0f} creates/s "
      f"({statistics.median(rates) / 100:.1f} Bundles/s; rounds: {', '.join(f'{r:.0f}' for r in rates)})")
PY
  # H2 compacts its file in a background thread that WRITE_DELAY=0 stops: the size shows what that costs.
  echo "  database while running: $(du -sh "$work/.fhirmig/server" | cut -f1)"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
done
