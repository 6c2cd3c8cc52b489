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
archive_opts="$(sed -n 's/^  opts="\$opts \(-XX:SharedArchiveFile=.*\)"$/\1/p' "$home/fhirmig" | head -1)"
archive_opts="${archive_opts//\$archive/$home/target/fhirmig.jsa} -Xlog:cds=off -Xlog:cds+dynamic=off"
# "archive": the flags and the archive, as the launcher starts the embedded server inside every
# command but serve (e.g. `./fhirmig upgrade` against the embedded default). "serve": ./fhirmig serve
# itself, which keeps the optimising compiler for a long-running server.
configs=(
  "untuned|"
  "jvm-flags|$launcher_opts"
  "archive|$launcher_opts $archive_opts"
  "serve|launcher"
)

once() { # $1 = java options, or "launcher"; prints milliseconds
  local start end pid
  start=$(date +%s%N)
  if [ "$1" = launcher ]; then
    (cd "$work" && exec "$home/fhirmig" serve --in-memory --port "$port" >/dev/null 2>"$work/err") &
  else
    (cd "$work" && exec java $1 -jar "$jar" serve --in-memory --port "$port" >/dev/null 2>"$work/err") &
  fi
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
