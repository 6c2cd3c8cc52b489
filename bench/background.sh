#!/usr/bin/env bash
# Times the default embedded path as a new user meets it: in a fresh folder with the example
# migrations and no URL, the first `upgrade` (which starts the project's background server) and then
# `current`, `history`, `downgrade -1` and `upgrade`, each a process of its own started by the
# launcher (`./fhirmig`, as users run it). Prints each command's wall time (the median of R
# repetitions, each in a fresh folder) and its ratio to the first upgrade's, measured in the same
# run, against the goal: at most 0.15 times the first command, and under 3 s. Stops the server.
#
# Usage: bench/background.sh            (R=3 bench/background.sh for three fresh folders)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${R:-1}"
work="$(mktemp -d)"
unset FHIRMIG_URL FHIR_URL FHIRMIG_EMBEDDED_IDLE FHIRMIG_VERSIONS MIGRATION_SCRIPTS_DIR
cleanup() {
  for dir in "$work"/project-*; do
    [ -d "$dir" ] && (cd "$dir" && "$home/fhirmig" serve --stop >/dev/null 2>&1 || true)
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$home/fhirmig" --version >/dev/null   # builds the jar and the start-up archive if needed

commands=("upgrade (first)" "current" "history" "downgrade -1" "upgrade")
results="$work/results.tsv"
: > "$results"
for ((run = 0; run < reps; run++)); do
  project="$work/project-$run"
  mkdir -p "$project/versions"
  cp "$home"/versions/*.groovy "$project/versions/"
  cd "$project"
  for command in "${commands[@]}"; do
    read -r -a argv <<< "${command% (first)}"
    if ! /usr/bin/time -f '%e' -o "$work/time" "$home/fhirmig" "${argv[@]}" > "$work/last.out" 2>&1; then
      echo "FAILED: fhirmig ${argv[*]}:" >&2; cat "$work/last.out" >&2; exit 1
    fi
    printf '%s\t%s\n' "$command" "$(< "$work/time")" >> "$results"
    if [ "$command" = "upgrade (first)" ]; then
      head -1 "$work/last.out" | sed 's/^/  /' >&2
    fi
  done
  "$home/fhirmig" serve --stop >/dev/null
  cd "$work"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
first="$(awk -F'\t' '$1 == "upgrade (first)" { print $2 }' "$results" | median)"
printf '\n%-18s %10s %10s  %s\n' "command" "wall s" "ratio" "goal (<= 0.15 and < 3 s)"
failed=0
for command in "${commands[@]}"; do
  wall="$(awk -F'\t' -v c="$command" '$1 == c { print $2 }' "$results" | median)"
  ratio="$(echo "scale=3; $wall / $first" | bc)"
  verdict=""
  if [ "$command" != "upgrade (first)" ]; then
    if (( $(echo "$ratio <= 0.15 && $wall < 3" | bc) )); then verdict="met"; else verdict="NOT met"; failed=1; fi
  fi
  printf '%-18s %10.2f %10.3f  %s\n' "$command" "$wall" "$ratio" "$verdict"
done
printf '(median of %d fresh folder(s); ratio against the first upgrade of the same run)\n' "$reps"
exit "$failed"
