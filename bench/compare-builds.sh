#!/usr/bin/env bash
# Compares two builds of fhirmig on the everyday commands: each build's launcher (a clone with its
# jar built) runs `current`, `history`, `heads` and a no-op `upgrade` at N generated no-op migrations,
# the two builds alternated run by run against one embedded server (`fhirmig serve` of build A).
# Prints the median wall and CPU time (user + sys) of each command for each build, and B/A. Each build
# keeps its own script cache (warm), as a user's one build does.
#
# WORKLOAD=readwrite: each migration reads a Patient and updates it (and its downgrade undoes that);
# the `upgrade` row is then an upgrade of all N from base (a `downgrade base`, untimed, before each).
# WORKLOAD=steps: the no-op migrations, with the `upgrade` row an upgrade of all N from base.
# QUIET=0 runs the commands without -q, as users do (-q turns off the early reading of the state).
# PROXY_DELAY_MS=D puts bench/fault_proxy.py (no faults) between the commands and the server, each
# request waiting D ms: a server that far away.
#
# Usage: bench/compare-builds.sh DIR_A DIR_B [N]     (N default 5000; R=10 repetitions by default)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; a="$(cd "$1" && pwd)"; b="$(cd "$2" && pwd)"; n="${3:-5000}"; reps="${R:-10}"
work="$(mktemp -d)"; port=$(( 20000 + RANDOM % 10000 ))
cleanup() { kill "${server_pid:-}" "${proxy_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$a/fhirmig" --version >/dev/null; "$b/fhirmig" --version >/dev/null   # jars and start-up archives
(cd "$work" && exec "$a/fhirmig" serve --in-memory --port "$port" >/dev/null 2>&1) &
server_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/fhir/metadata"; do sleep 0.3; done
export FHIRMIG_URL="http://127.0.0.1:$port/fhir"
if [ -n "${PROXY_DELAY_MS:-}" ]; then
  proxy_port=$((port + 1))
  DELAY_MS="$PROXY_DELAY_MS" python3 "$here/fault_proxy.py" "$proxy_port" "$port" 0 /dev/null &
  proxy_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$proxy_port/fhir/metadata"; do sleep 0.3; done
  export FHIRMIG_URL="http://127.0.0.1:$proxy_port/fhir"
fi

workload="${WORKLOAD:-noop}"; quiet=(-q); [ "${QUIET:-1}" = 0 ] && quiet=()
mkdir -p "$work/p/versions"; parent=""
for ((i = 1; i <= n; i++)); do
  rev=$(printf 'r%011d' "$i")
  if [ "$workload" = readwrite ]; then
    # One read and one update a step, on ten Patients in turn; the downgrade reads and updates back.
    body="Patient p = fhir.read().resource(Patient).withId('bench-$((i % 10))').execute()"
    up="$body; p.birthDate = new Date($i * 86400000L); fhir.update().resource(p).execute()"
    down="$body; p.birthDate = null; fhir.update().resource(p).execute()"
  else
    up=""; down=""
  fi
  printf "revision = '%s'\ndownRevision = %s\n\nvoid upgrade() { %s }\nvoid downgrade() { %s }\n" "$rev" \
    "$([ -z "$parent" ] && echo null || echo "'$parent'")" "$up" "$down" \
    > "$work/p/versions/$(printf '%05d' "$i")_$workload.groovy"
  parent="$rev"
done
if [ "$workload" = readwrite ]; then
  for ((k = 0; k < 10; k++)); do
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/fhir+json' "$FHIRMIG_URL/Patient/bench-$k" \
      -d "{\"resourceType\":\"Patient\",\"id\":\"bench-$k\"}"
  done
fi
cd "$work/p"
# One cache per build: a build ignores (and rewrites) a cache another build wrote.
"$a/fhirmig" -q upgrade >/dev/null                      # applied once; the runs below are no-ops
FHIRMIG_CACHE="$work/cache-a" "$a/fhirmig" -q current >/dev/null
FHIRMIG_CACHE="$work/cache-b" "$b/fhirmig" -q current >/dev/null   # both caches warm

: > "$work/results"
for ((r = 0; r < reps; r++)); do
  for build in a b; do
    dir=$a; [ "$build" = b ] && dir=$b
    if [ "$workload" != noop ]; then
      FHIRMIG_CACHE="$work/cache-$build" "$dir/fhirmig" -q downgrade base >/dev/null 2>&1 \
        || { echo "FAILED: $build downgrade base" >&2; exit 1; }
    fi
    for command in upgrade current history heads; do
      FHIRMIG_CACHE="$work/cache-$build" /usr/bin/time -f '%e %U %S' -o "$work/time" "$dir/fhirmig" \
        "${quiet[@]}" "$command" >/dev/null 2>&1 \
        || { echo "FAILED: $build $command" >&2; exit 1; }
      read -r wall user sys < "$work/time"
      printf '%s\t%s\t%s\t%s\n' "$build" "$command" "$wall" "$(echo "$user + $sys" | bc)" >> "$work/results"
    done
  done
done

echo "N=$n ($workload migrations${quiet[*]:+, -q}${PROXY_DELAY_MS:+, ${PROXY_DELAY_MS} ms a request}), $reps runs each, alternated; A=$a B=$b"
printf '%-8s %10s %10s %10s %10s %8s %8s\n' command "A wall" "B wall" "A cpu" "B cpu" "B/A wall" "B/A cpu"
for command in current history heads upgrade; do
  med() { awk -F'\t' -v b="$1" -v c="$command" -v f="$2" '$1==b && $2==c {print $f}' "$work/results" | sort -g \
    | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
  aw=$(med a 3); bw=$(med b 3); ac=$(med a 4); bc_=$(med b 4)
  printf '%-8s %10.3f %10.3f %10.3f %10.3f %8.2f %8.2f\n' "$command" "$aw" "$bw" "$ac" "$bc_" \
    "$(echo "$bw / $aw" | bc -l)" "$(echo "$bc_ / $ac" | bc -l)"
done
