#!/usr/bin/env bash
# The first run of a bulk migration, as a user meets it, against the server's limits in the same run.
# Against an embedded server (`fhirmig serve --in-memory`, its own process), for each size N
# (default 10,000 and 100,000):
#  - before each first run, seeds N Patients with a legacy id (transaction Bundles of 100 creates, 2
#    threads), as the limits seed each round's Patients just before it: HAPI updates a resource it
#    created moments ago for less CPU than one created long before, so both update recent ones;
#  - the server's limits (bench/bulk_client.py, on a separate set of 5,000 Patients, after a warm-up
#    round; before and after the first runs, median of LIMIT_ROUNDS=2 each time):
#      write limit: transaction Bundles of 100 versioned updates (If-Match) from 2 threads, the
#                   Patients read beforehand and not timed;
#      read+write limit: one thread pages through the search (_count=1000) while 2 threads write
#                   what it read the same way: the best a client that must read could do;
#  - the first run: a fresh `fhirmig upgrade` process whose migration does a forEach over the N
#    Patients with forEach's default options, with FHIRMIG_JAVA_OPTS=-Xmx256m; its rate is the bulk
#    summary's (changed / duration, from the audit log; JVM start and the rest of the command are in
#    the wall time printed beside it), its peak RSS from /usr/bin/time -v.
# The read+write limit over the write limit is the ceiling, against the write limit, of any client
# that must read what it rewrites; the summary prints it beside forEach's ratio.
# Then one search and one PUT per resource, one at a time (M Patients, default 1,000), as the Python
# tool's examples do. Last, per variant, the issue's scale goals from this run: the first run's rate
# at the largest N against the smallest (goal >= 0.9) and its peak RSS the same way (goal <= 1.2).
# Not a test.
#
# Usage: bench/bulk.sh [N...]
#   ROUNDS=K           first runs per variant and size (default 1); each its own namespace and process
#   VARIANTS='a|OPTS|P;b|OPTS|P'   variants of the first run, taking turns: a name, JVM options added
#                      to FHIRMIG_JAVA_OPTS, and forEach options as space-separated key=value
#                      (pageSize, batchSize, threads, bundleType); default 'default||'
#   M=1000             Patients for the one-at-a-time comparison (0 skips it)
#   SERVER_WARMUP=8    rounds of 5,000 updates that warm the server up before anything is measured
#   FHIRMIG=path       the launcher to measure (default this checkout's)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
rounds="${ROUNDS:-1}"
variants="${VARIANTS:-default||}"
m="${M:-1000}"
fhirmig="${FHIRMIG:-$home/fhirmig}"
client="$home/bench/bulk_client.py"
work="$(mktemp -d)"
port=$(( 20000 + RANDOM % 10000 ))
base="http://127.0.0.1:$port/fhir"
cleanup() { kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$fhirmig" --version >/dev/null   # builds the jar if needed
(cd "$work" && exec "$fhirmig" serve --in-memory --port "$port" >"$work/server.log" 2>&1) &
server_pid=$!
until curl -sf -o /dev/null "$base/metadata"; do sleep 0.3; done
export SERVER_PID="$server_pid"   # the subshell execs the launcher, which execs java
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print ($12 + $13) * 1000 / hz}' "/proc/$SERVER_PID/stat"; }

mkdir -p "$work/versions"
cat > "$work/versions/0001_bulk.groovy" <<'GROOVY'
revision     = 'bench-bulk'
downRevision = null

MRN = 'urn:bench:mrn'

/** forEach's defaults, except the options among the run's -p parameters. */
Map options() {
    Map options = [:]
    migration.parameters.each { key, value ->
        if (key in ['pageSize', 'batchSize', 'threads']) options[key] = value as int
        if (key == 'bundleType') options[key] = value
    }
    options
}

void upgrade() {
    String system = migration.parameters.system
    String mark = migration.parameters.mark
    migration.forEach("Patient?identifier=${system}|", options()) { Patient p ->
        String value = mark + '-' + p.identifier.find { it.system == system }.value
        Identifier mrn = p.identifier.find { it.system == MRN }
        if (mrn?.value == value) {
            return null                       // already done
        }
        (mrn ?: p.addIdentifier().setSystem(MRN)).setValue(value)
        p
    }
}

void downgrade() {}
GROOVY

python3 "$client" seed "$base" urn:bench:limit 5000 >/dev/null
# The server runs with full tiered compilation: its update path keeps getting faster for tens of
# thousands of updates (its write limit went from 430 to 2,090/s over the first 10,000-Patient phase
# without this), which would make the smallest N look slow for a reason that has nothing to do with N.
read -r warm_first warm_last < <(python3 "$client" warm "$base" urn:bench:limit "${SERVER_WARMUP:-8}")
echo "server warm-up: ${SERVER_WARMUP:-8} rounds of 5,000 updates, $warm_first/s in the first, $warm_last/s in the last"
limits() { python3 "$client" limits "$base" urn:bench:limit "${LIMIT_ROUNDS:-2}"; }
last_bulk() {   # changed failed durationMs of the last bulk event in the audit log
  python3 -c '
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if "\"bulk\"" in l]
e = events[-1]
print(e["changed"], e["failed"], e["durationMs"])' "$work/.fhirmig/audit.log"
}

IFS=';' read -r -a variant_list <<< "$variants"
export MEDIANS="$work/medians"   # variant, N, first run's rate, peak RSS: for the ratios between sizes
summary=()
for n in "${sizes[@]}"; do
  echo "N=$n:"
  read -r w1 rw1 wc1 rwc1 < <(limits)
  echo "  limits before: write $w1/s, read+write $rw1/s; server CPU a resource: write $wc1 ms, read+write $rwc1 ms"
  declare -A rates=() rss=() cpus=() servers=()
  for round in $(seq 1 "$rounds"); do
    for variant in "${variant_list[@]}"; do
      IFS='|' read -r name jvm params <<< "$variant"
      ns="bench-$n-$round-$name"
      # Patients created just before, as each round of the limits updates: HAPI updates a resource
      # it created moments ago for less than one created long before, so the two are compared alike.
      system="urn:bench:legacy:$ns"
      seeded=$(python3 "$client" seed "$base" "$system" "$n")
      args=(-p "system=$system" -p "mark=$ns")
      for p in $params; do args+=(-p "$p"); done
      started=$(date +%s.%N); server_before=$(server_cpu)
      (cd "$work" && FHIRMIG_JAVA_OPTS="-Xmx256m $jvm" /usr/bin/time -v -o "$work/time.txt" \
          "$fhirmig" -q upgrade --url "$base" --versions "$work/versions" --namespace "$ns" "${args[@]}" >/dev/null)
      wall=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
      server_ms=$(python3 -c "print(f'{($(server_cpu) - $server_before) / $n:.3f}')")
      read -r changed failed ms < <(last_bulk)
      [ "$changed" = "$n" ] && [ "$failed" = 0 ] || { echo "forEach changed $changed of $n, failed $failed" >&2; exit 1; }
      rate=$(python3 -c "print(f'{$changed * 1000 / $ms:.0f}')")
      peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
      cpu=$(awk -F': ' '/User time|System time/ {t += $2} END {printf "%.1f", t}' "$work/time.txt")
      echo "  first run $round ($name, $n Patients seeded just before at $seeded/s): forEach $rate/s over $(python3 -c "print($ms / 1000)") s, process $wall s wall, $cpu s CPU, peak RSS $peak MB; server CPU a resource $server_ms ms"
      rates[$name]+="$rate "; rss[$name]+="$peak "; cpus[$name]+="$cpu "; servers[$name]+="$server_ms "
    done
  done
  read -r w2 rw2 wc2 rwc2 < <(limits)
  echo "  limits after:  write $w2/s, read+write $rw2/s; server CPU a resource: write $wc2 ms, read+write $rwc2 ms"
  w=$(python3 -c "print(f'{($w1 + $w2) / 2:.0f}')"); rw=$(python3 -c "print(f'{($rw1 + $rw2) / 2:.0f}')")
  wc=$(python3 -c "print(f'{($wc1 + $wc2) / 2:.3f}')"); rwc=$(python3 -c "print(f'{($rwc1 + $rwc2) / 2:.3f}')")
  for variant in "${variant_list[@]}"; do
    name="${variant%%|*}"
    summary+=("$(python3 - "$n" "$name" "$w" "$rw" "$wc" "$rwc" ${rates[$name]} -- ${rss[$name]} -- ${cpus[$name]} -- ${servers[$name]} <<'PY'
import os, statistics, sys
n, name, w, rw, wc, rwc = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:7])
groups, current = [[]], None
for x in sys.argv[7:]:
    if x == "--":
        groups.append([])
    else:
        groups[-1].append(float(x))
rates, rss, cpu, server = groups
rate = statistics.median(rates)
with open(os.environ["MEDIANS"], "a") as out:
    out.write(f"{name} {n} {rate} {statistics.median(rss)}\n")
print(f"N={int(n):>7,} {name:>10}: first run {rate:6.0f}/s (median of {len(rates)}), "
      f"write limit {w:5.0f}/s -> {rate / w:.2f} (a reader's ceiling: {rw / w:.2f}), "
      f"read+write limit {rw:5.0f}/s -> {rate / rw:.2f}, "
      f"peak RSS {statistics.median(rss):.0f} MB, client CPU {statistics.median(cpu):.1f} s; "
      f"server CPU a resource {statistics.median(server):.2f} ms (write limit {wc:.2f}, read+write {rwc:.2f})")
PY
)")
  done
  unset rates rss cpus servers
done

if [ "$m" -gt 0 ]; then
  c_rate=$(python3 - "$base" "$m" "$client" <<'PY'
import json, os, sys, time, urllib.parse
base, m = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, os.path.dirname(sys.argv[3]))
import bulk_client
# The full resource back from each PUT, as a plain client gets it; answers compressed, as HTTP
# libraries ask (bulk_client.py says why it matters).
server = bulk_client.Server(base, {"Accept": "application/fhir+json", "Content-Type": "application/fhir+json",
                                   "Cache-Control": "no-cache", "Accept-Encoding": "gzip"})
def call(method, path, body=None):
    data = server.call(method, server.url.path + "/" + path, body)
    return json.loads(data) if data else None
started = time.time()
for i in range(m):
    found = call("GET", "Patient?identifier=" + urllib.parse.quote(f"urn:bench:limit|L{i}"))
    patient = found["entry"][0]["resource"]
    patient["identifier"].append({"system": "urn:bench:python", "value": f"P{i}"})
    call("PUT", f"Patient/{patient['id']}", json.dumps(patient))
print(f"{m / (time.time() - started):.0f}")
PY
)
  summary+=("one search and one PUT per resource, one at a time ($m Patients): $c_rate/s")
fi

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) core(s) (client, server and anything else share them)"
printf '%s\n' "${summary[@]}"
# The issue's scale goals, from this run: the rate at the largest N against the smallest (goal >= 0.9),
# and peak RSS the same way (goal <= 1.2).
python3 - "$MEDIANS" <<'PY'
import collections, sys
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    name, n, rate, rss = line.split()
    runs[name][int(n)] = (float(rate), float(rss))
for name, by_n in runs.items():
    if len(by_n) < 2:
        continue
    small, large = min(by_n), max(by_n)
    (r1, m1), (r2, m2) = by_n[small], by_n[large]
    print(f"{name:>10}: N={large:,} against N={small:,}: rate {r2:.0f}/{r1:.0f}/s -> {r2 / r1:.2f} (goal >= 0.90), "
          f"peak RSS {m2:.0f}/{m1:.0f} MB -> {m2 / m1:.2f} (goal <= 1.20)")
PY
