#!/usr/bin/env bash
# Times fhirmig's commands at N = 10, 100, 1,000 and 5,000 generated no-op migrations, each command
# a separate process started by the launcher (`./fhirmig`, as users run it), against an embedded
# server kept running with `fhirmig serve`. Prints a table: median wall time and median process CPU
# (user + sys) of R runs per command, the upgrade's CPU per migration, and (with two sizes or more)
# what each further migration costs between one size and the next. When Alembic is installed
# (Debian: apt-get install python3-alembic) the same commands of Alembic 1.8 on SQLite are timed in
# the same run, beside fhirmig's.
#
# Each repetition is one cycle: upgrade from base, current, history, heads, check, downgrade -1,
# upgrade (untimed), downgrade base, then the first upgrade of a fresh clone (as every CI job has
# it: fhirmig with no .fhirmig folder, Alembic with no __pycache__) and downgrade base (untimed);
# fhirmig's and Alembic's cycles take turns.
# Runs 1 and later find the cache warm (run 0 fills it and is not counted).
#
# Usage: bench/commands.sh [N...]        (default: 10 100 1000 5000)
#        R=5 bench/commands.sh 1000      (repetitions, default 3)
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=("${@:-10 100 1000 5000}")
read -r -a sizes <<< "${sizes[*]}"
reps="${R:-3}"
work="$(mktemp -d)"
port=$(( 20000 + RANDOM % 10000 ))
cleanup() { kill "${server_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

alembic_python=""
for py in /usr/bin/python3 python3; do
  if "$py" -c 'import alembic' 2>/dev/null; then alembic_python="$py"; break; fi
done

"$home/fhirmig" --version >/dev/null   # builds the jar and the start-up archive if needed
(cd "$work" && exec "$home/fhirmig" serve --in-memory --port "$port" >/dev/null 2>&1) &
server_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/fhir/metadata"; do sleep 0.3; done
export FHIRMIG_URL="http://127.0.0.1:$port/fhir"

results="$work/results.tsv"
: > "$results"

# time_it TOOL N COMMAND RUN -- argv...: runs argv in the current directory, appends
# "tool n command run wall cpu" to the results; output goes to $work/last.out.
time_it() {
  local tool="$1" n="$2" command="$3" run="$4"; shift 5
  if ! /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > "$work/last.out" 2>&1; then
    echo "FAILED: $tool $command at N=$n:" >&2; cat "$work/last.out" >&2; exit 1
  fi
  read -r wall user sys < "$work/time"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$command" "$run" "$wall" \
    "$(echo "$user + $sys" | bc)" >> "$results"
}

fhirmig_project() {
  local n="$1" dir="$2" parent="" i rev
  mkdir -p "$dir/versions"
  for ((i = 1; i <= n; i++)); do
    rev=$(printf 'r%011d' "$i")
    printf "revision = '%s'\ndownRevision = %s\n\nvoid upgrade() {}\nvoid downgrade() {}\n" "$rev" \
      "$([ -z "$parent" ] && echo null || echo "'$parent'")" > "$dir/versions/$(printf '%05d' "$i")_noop.groovy"
    parent="$rev"
  done
}

alembic_project() {
  local n="$1" dir="$2"
  mkdir -p "$dir"
  (cd "$dir" && "$alembic_python" -m alembic init -t generic alembic >/dev/null)
  sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///$dir/bench.db|" "$dir/alembic.ini"
  "$alembic_python" - "$n" "$dir/alembic/versions" <<'PY'
import sys
n, folder = int(sys.argv[1]), sys.argv[2]
parent = None
for i in range(1, n + 1):
    rev = "r%011d" % i
    with open("%s/%05d_noop.py" % (folder, i), "w") as f:
        f.write("revision = %r\ndown_revision = %r\nbranch_labels = None\ndepends_on = None\n\n"
                "def upgrade():\n    pass\n\ndef downgrade():\n    pass\n" % (rev, parent))
    parent = rev
PY
}

# One repetition of fhirmig's cycle, then one of Alembic's, and so on: the machine's speed drifts over
# minutes, and taking turns keeps that drift out of the ratios.
fhirmig_cycle() {   # N RUN, in the fhirmig project's folder
  local n="$1" run="$2" fm=("$home/fhirmig" -q --namespace "$ns")
  time_it fhirmig "$n" --version "$run" -- "$home/fhirmig" --version
  time_it fhirmig "$n" "upgrade (from base)" "$run" -- "${fm[@]}" upgrade
  time_it fhirmig "$n" current "$run" -- "${fm[@]}" current
  time_it fhirmig "$n" history "$run" -- "${fm[@]}" history
  time_it fhirmig "$n" heads "$run" -- "${fm[@]}" heads
  time_it fhirmig "$n" check "$run" -- "${fm[@]}" check
  time_it fhirmig "$n" "downgrade -1" "$run" -- "${fm[@]}" downgrade -1
  "${fm[@]}" upgrade >/dev/null
  time_it fhirmig "$n" "downgrade base" "$run" -- "${fm[@]}" downgrade base
  rm -rf .fhirmig
  time_it fhirmig "$n" "upgrade, fresh clone" "$run" -- "${fm[@]}" upgrade
  "${fm[@]}" downgrade base >/dev/null
}
alembic_cycle() {   # N RUN, in the Alembic project's folder
  local n="$1" run="$2" al=("$alembic_python" -m alembic)
  time_it alembic "$n" --version "$run" -- "${al[@]}" --version
  time_it alembic "$n" "upgrade (from base)" "$run" -- "${al[@]}" upgrade head
  time_it alembic "$n" current "$run" -- "${al[@]}" current
  time_it alembic "$n" history "$run" -- "${al[@]}" history
  time_it alembic "$n" heads "$run" -- "${al[@]}" heads
  time_it alembic "$n" "downgrade -1" "$run" -- "${al[@]}" downgrade -1
  "${al[@]}" upgrade head >/dev/null 2>&1
  time_it alembic "$n" "downgrade base" "$run" -- "${al[@]}" downgrade base
  find . -name __pycache__ -type d -prune -exec rm -rf {} +
  time_it alembic "$n" "upgrade, fresh clone" "$run" -- "${al[@]}" upgrade head
  "${al[@]}" downgrade base >/dev/null 2>&1
}
for n in "${sizes[@]}"; do
  echo "N = $n ..." >&2
  fhirmig_dir="$work/fhirmig-$n"
  fhirmig_project "$n" "$fhirmig_dir"
  ns="bench-$n-$RANDOM"
  alembic_dir="$work/alembic-$n"
  [ -z "$alembic_python" ] || alembic_project "$n" "$alembic_dir"
  for ((run = 0; run <= reps; run++)); do
    cd "$fhirmig_dir"
    fhirmig_cycle "$n" "$run"
    if [ -n "$alembic_python" ]; then
      cd "$alembic_dir"
      alembic_cycle "$n" "$run"
    fi
  done
  cd "$work"
done

python3 - "$results" "$reps" <<'PY'
import statistics, sys
from collections import defaultdict
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
reps = int(sys.argv[2])
# Run 0 fills the cache; the figures are runs 1..R (warm cache), as a team's CI would see them
# from the second commit on.
data = defaultdict(list)
for tool, n, command, run, wall, cpu in rows:
    if int(run) >= 1:
        data[(tool, int(n), command)].append((float(wall), float(cpu)))
cold = {(t, int(n), c): (float(w), float(u)) for t, n, c, r, w, u in rows if r == "0"}
commands = ["--version", "current", "history", "heads", "check", "upgrade (from base)", "downgrade -1", "downgrade base",
            "upgrade, fresh clone"]
sizes = sorted({k[1] for k in data})
tools = sorted({k[0] for k in data}, key=lambda t: t != "fhirmig")
print(f"median of {reps} runs (warm cache); wall s / CPU s; 'cold' = first run, empty cache; 'fresh clone' = no .fhirmig, no __pycache__")
header = f"{'command':22}" + "".join(f"{'N=' + str(n):>28}" for n in sizes)
for tool in tools:
    print(f"\n{tool}\n{header}")
    for command in commands:
        cells = []
        for n in sizes:
            runs = data.get((tool, n, command))
            if not runs:
                cells.append(f"{'-':>28}"); continue
            wall = statistics.median(r[0] for r in runs); cpu = statistics.median(r[1] for r in runs)
            cells.append(f"{wall:>13.2f} / {cpu:>6.2f} CPU ")
        print(f"{command:22}" + "".join(cells))
    cells = []
    for n in sizes:
        runs = data.get((tool, n, "upgrade (from base)"))
        cells.append(f"{statistics.median(r[1] for r in runs) * 1000 / n:>20.2f} ms/migr" if runs else f"{'-':>28}")
    print(f"{'upgrade CPU/migration':22}" + "".join(cells))
    # The slope between two sizes: what each further step costs once the start and the JIT's warm-up
    # are paid (the run's fixed cost is what a one-step `downgrade -1` shows).
    cells, previous = [], None
    for n in sizes:
        runs = data.get((tool, n, "upgrade (from base)"))
        cpu = statistics.median(r[1] for r in runs) if runs else None
        if cpu is not None and previous is not None:
            cells.append(f"{(cpu - previous[1]) * 1000 / (n - previous[0]):>20.2f} ms/migr")
        else:
            cells.append(f"{'-':>28}")
        previous = (n, cpu) if cpu is not None else None
    print(f"{'  each further migr.':22}" + "".join(cells))
    cells = []
    for n in sizes:
        runs = data.get((tool, n, "upgrade, fresh clone"))
        cells.append(f"{statistics.median(r[1] for r in runs) * 1000 / n:>20.2f} ms/migr" if runs else f"{'-':>28}")
    print(f"{'fresh clone CPU/migr':22}" + "".join(cells))
    cells = []
    for n in sizes:
        c = cold.get((tool, n, "history"))
        cells.append(f"{c[0]:>13.2f} / {c[1]:>6.2f} CPU " if c else f"{'-':>28}")
    print(f"{'history, cold cache':22}" + "".join(cells))
if "alembic" in tools:
    print("\nratio fhirmig / alembic, median CPU")
    print(header)
    for command in ["upgrade (from base)", "upgrade, fresh clone"]:
        cells = []
        for n in sizes:
            f, a = data.get(("fhirmig", n, command)), data.get(("alembic", n, command))
            if f and a:
                cells.append(f"{statistics.median(r[1] for r in f) / statistics.median(r[1] for r in a):>27.2f} ")
            else:
                cells.append(f"{'-':>28}")
        print(f"{command:22}" + "".join(cells))
    print("\nratio fhirmig / alembic, median wall")
    print(header)
    for command in commands:
        cells = []
        for n in sizes:
            f, a = data.get(("fhirmig", n, command)), data.get(("alembic", n, command))
            if f and a:
                cells.append(f"{statistics.median(r[0] for r in f) / statistics.median(r[0] for r in a):>27.2f} ")
            else:
                cells.append(f"{'-':>28}")
        print(f"{command:22}" + "".join(cells))
PY
