#!/usr/bin/env bash
# Cold start of the embedded FHIR server: from JVM start (`java -jar ... serve`) to the first
# answered request (GET /fhir/metadata), median of RUNS (default 3), for each set of JVM options.
# Usage: bench/startup.sh [RUNS]      (builds the jar first if needed)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
jar="$home/target/fhirmig.jar"
[ -f "$jar" ] || mvn -B -q -f "$home/pom.xml" package -DskipTests
port=$(( 20000 + RANDOM % 20000 ))
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The launcher prepares the class-data-sharing archive on first use; make sure it exists.
"$home/fhirmig" --version >/dev/null
launcher_opts="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$home/fhirmig")"
configs=(
  "untuned|"
  "jvm-flags|$launcher_opts"
  "launcher|$launcher_opts -XX:SharedArchiveFile=$home/target/fhirmig.jsa -Xlog:cds=off"
)

once() { # $1 = java options; prints milliseconds
  local start end pid
  start=$(date +%s%N)
  (cd "$work" && exec java $1 -jar "$jar" serve --in-memory --port "$port" >/dev/null 2>"$work/err") &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/fhir/metadata"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server died: $(cat "$work/err")" >&2; exit 1; fi
    sleep 0.05
  done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf 'embedded server cold start, JVM start to first answered GET /metadata, median of %s\n' "$runs"
printf '%-10s %8s   %s\n' config median_ms "runs (ms)"
for entry in "${configs[@]}"; do
  name="${entry%%|*}"; opts="${entry#*|}"
  times=()
  for _ in $(seq "$runs"); do times+=("$(once "$opts")"); done
  printf '%-10s %8s   %s\n' "$name" "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
done
printf 'jar with dependencies: %s MB (%s jars)\n' \
  "$(du -cm "$jar" "$home/target/lib" | tail -1 | cut -f1)" "$(ls "$home/target/lib" | wc -l)"
