#!/usr/bin/env bash
# Applies N no-op migrations (default 1,000) from base against an embedded server kept running with
# `fhirmig serve`, through a byte-counting proxy. Prints the wall time, the fhirmig process's CPU
# time, and the bytes sent per step for the first and the last tenth of the steps: a step must send
# the same whatever the number already applied.
# Usage: bench/scale.sh [N]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-1000}"
work="$(mktemp -d)"
server_port=$(( 20000 + RANDOM % 10000 )); proxy_port=$(( server_port + 1 ))
cleanup() { kill "${server_pid:-}" "${proxy_pid:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$home/fhirmig" --version >/dev/null   # builds the jar and the start-up archive if needed
mkdir -p "$work/versions"
parent=None
for i in $(seq 1 "$n"); do
  rev=$(printf 'r%011d' "$i")
  printf "revision = '%s'\ndownRevision = %s\n\nvoid upgrade() {}\nvoid downgrade() {}\n" "$rev" \
    "$([ "$parent" = None ] && echo null || echo "'$parent'")" > "$work/versions/$(printf '%05d' "$i")_noop.groovy"
  parent="$rev"
done

(cd "$work" && exec "$home/fhirmig" serve --in-memory --port "$server_port" >/dev/null 2>&1) &
server_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$server_port/fhir/metadata"; do sleep 0.2; done
python3 "$home/bench/byte_counter.py" "$proxy_port" "$server_port" "$work/requests.log" &
proxy_pid=$!
sleep 0.5

start=$(date +%s%N)
(cd "$work" && /usr/bin/time -f '%U %S' -o "$work/cpu" "$home/fhirmig" -q upgrade \
   --url "http://127.0.0.1:$proxy_port/fhir" --versions "$work/versions" --namespace bench >/dev/null)
end=$(date +%s%N)
read -r user sys < "$work/cpu"
sleep 0.5

python3 - "$work/requests.log" "$n" "$(( (end - start) / 1000000 ))" "$user" "$sys" <<'PY'
import sys
log, n, wall_ms, user, sys_cpu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
rows = [line.split() for line in open(log)]
commits = [int(r[2]) for r in rows if r[0] == "POST" and r[1].rstrip("/").endswith("/fhir")]
total = sum(int(r[2]) for r in rows)
tenth = max(1, len(commits) // 10)
first, last = commits[:tenth], commits[-tenth:]
cpu = user + sys_cpu
print(f"migrations applied:            {n}")
print(f"wall time:                     {wall_ms / 1000:.1f} s ({wall_ms / n:.1f} ms per migration)")
print(f"fhirmig process CPU:           {cpu:.1f} s (user {user:.1f} + sys {sys_cpu:.1f}; {cpu * 1000 / n:.2f} ms per migration, JVM start included)")
print(f"requests sent:                 {len(rows)} ({len(commits)} transactions)")
print(f"bytes sent in all:             {total} ({total / n:.0f} per migration)")
print(f"bytes per step transaction:    first tenth mean {sum(first) / len(first):.0f}, last tenth mean {sum(last) / len(last):.0f}")
PY
