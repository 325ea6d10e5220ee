#!/usr/bin/env bash
# Whole-process figures for the issue "Big plans without surprises": each
# command run as a user runs it (start-up, reading the file, output included).
#
#   benches/whole-process.sh
#
# Settings (environment):
#   ROUNDS=5        timed rounds of part (a), each command once per round
#   B_ROUNDS=3      rounds of part (b)
#   TIMEOUT=600     seconds any one command may take before it is stopped
#   MEM_CAP_MB=3072 address-space cap of every measured command (ulimit -v),
#                   so a runaway one fails alone instead of the machine's
#                   OOM killer picking among everyone's processes
#   KEEP=1          keep the temporary folder (plans, outputs, stderr)
#
# See benches/README.md for what it measures and how.
set -u -o pipefail

ROUNDS=${ROUNDS:-5}
B_ROUNDS=${B_ROUNDS:-3}
TIMEOUT=${TIMEOUT:-600}
MEM_CAP_MB=${MEM_CAP_MB:-3072}
KEEP=${KEEP:-}

cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD

die() {
    echo "whole-process.sh: $*" >&2
    exit 2
}

# --- What it needs -----------------------------------------------------------

command -v python3 >/dev/null || die "python3 is required"
py_ready() { python3 -c 'import yaml, networkx; yaml.CSafeLoader' 2>/dev/null; }
if ! py_ready; then
    echo "Installing PyYAML and networkx (pip) ..."
    python3 -m pip install --quiet pyyaml networkx || die "pip install pyyaml networkx failed"
    py_ready || die "PyYAML has no libyaml (yaml.CSafeLoader is missing): install libyaml-dev, then pip install --force-reinstall --no-binary pyyaml pyyaml"
fi
if ! /usr/bin/time -f '' true 2>/dev/null; then
    echo "Installing GNU time (apt-get) ..."
    SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y -qq time >/dev/null || die "GNU time (/usr/bin/time) is required: apt-get install time"
fi
command -v timeout >/dev/null || die "timeout (coreutils) is required"

echo "Building retreat and the plan generator (release) ..."
cargo build --quiet --release --bin retreat || die "cargo build --release --bin retreat failed"
cargo build --quiet --release -p retreat-core --example synth || die "cargo build of the synth example failed"
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
RETREAT=$TARGET/release/retreat
SYNTH=$TARGET/release/examples/synth
REFERENCE=$ROOT/benches/reference.py

WORK=$(mktemp -d "${TMPDIR:-/tmp}/retreat-whole-process.XXXXXX") || die "mktemp failed"
if [ -n "$KEEP" ]; then echo "Keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# --- Plans ---------------------------------------------------------------------

echo "Generating plans (retreat_core::synth::plan, seed 1) ..."
"$SYNTH" 1000 >"$WORK/plan1k.yaml" || die "synth 1000 failed"
"$SYNTH" 10000 >"$WORK/plan10k.yaml" || die "synth 10000 failed"
"$SYNTH" 50000 >"$WORK/plan50k.yaml" || die "synth 50000 failed"
awk '/^```yaml/ { f = 1; next } /^```/ { if (f) exit } f' docs/PLAN_FORMAT.md >"$WORK/contract.yaml"
# Three steps edited: two estimates and one instruction.
sed -e '/^  - id: s1000$/,/^  - id: s1001$/ s/^    takes: .*/    takes: 42m/' \
    -e '/^  - id: s25000$/,/^  - id: s25001$/ s/^    do: \(.*\)$/    do: \1, then restart it/' \
    -e '/^  - id: s49000$/,/^  - id: s49001$/ s/^    takes: .*/    takes: [5m, 9m, 30m]/' \
    "$WORK/plan50k.yaml" >"$WORK/plan50k-edited.yaml"
EDITED=$(diff "$WORK/plan50k.yaml" "$WORK/plan50k-edited.yaml" | grep -c '^>')
[ "$EDITED" -eq 3 ] || die "the sed edit of plan50k changed $EDITED lines, not 3"
size() { stat -c %s "$1"; }
# capped CMD...: CMD under the timeout and the memory cap.
capped() { (
    ulimit -v $((MEM_CAP_MB * 1024))
    exec timeout -k 10 "$TIMEOUT" "$@"
); }

# --- Measuring one command ------------------------------------------------------

# run PART LABEL ROUND OUT CMD...: runs CMD once under the timeout and the
# memory cap, its stdout to /dev/null (OUT=null) or counted (OUT=count), and
# appends a line to $RESULTS: part, label, round, wall s, user s, sys s,
# peak RSS KB, output bytes, status.
run() {
    local part=$1 label=$2 round=$3 out=$4
    shift 4
    local tf=$WORK/time.txt ef=$WORK/stderr-$part-$round.txt bytes=0 status
    rm -f "$tf"
    if [ "$out" = count ]; then
        bytes=$( (
            ulimit -v $((MEM_CAP_MB * 1024))
            exec /usr/bin/time -o "$tf" -f 'TIME %e %U %S %M %x' timeout -k 10 "$TIMEOUT" "$@" 2>"$ef"
        ) | wc -c)
    else
        (
            ulimit -v $((MEM_CAP_MB * 1024))
            exec /usr/bin/time -o "$tf" -f 'TIME %e %U %S %M %x' timeout -k 10 "$TIMEOUT" "$@" 2>"$ef" >/dev/null
        )
    fi
    local line signal
    line=$(grep '^TIME ' "$tf" 2>/dev/null)
    signal=$(sed -n 's/^Command terminated by signal \([0-9]*\).*/\1/p' "$tf" 2>/dev/null)
    read -r _ wall user sys rss rc <<<"${line:-TIME nan nan nan nan nan}"
    if [ -n "$signal" ] && grep -q 'memory allocation of' "$ef"; then
        status="OUT-OF-MEMORY-CAP(signal-$signal)"
    elif [ -n "$signal" ]; then
        status="KILLED(signal-$signal)"
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        status="TIMED-OUT(${TIMEOUT}s)"
    elif [ "$rc" = 0 ] || [ "$rc" = 1 ]; then
        status="ok(exit-$rc)" # 1: the plan has errors, as retreat's exit status says
    else
        status="FAILED(exit-$rc)"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$part" "$label" "$round" "$wall" "$user" "$sys" "$rss" "$bytes" "$status" >>"$RESULTS"
    printf '    %-40s round %-2s %8ss wall %8ss cpu %8s MB peak RSS  %s\n' "$label" "$round" "$wall" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" \
        "$(awk -v r="$rss" 'BEGIN { printf "%.1f", r / 1024 }')" "$status"
}

echo
echo "Machine: $(nproc) cores, $(free -m | awk '/^Mem:/ { print $2 }') MB memory; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "retreat: $("$RETREAT" --version 2>&1), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "Python: $(python3 -c 'import sys, yaml, networkx; print(sys.version.split()[0], "PyYAML", yaml.__version__, "libyaml", yaml.__with_libyaml__, "networkx", networkx.__version__)')"
echo "Plans: 1,000 steps $(size "$WORK/plan1k.yaml") B, 10,000 steps $(size "$WORK/plan10k.yaml") B, 50,000 steps $(size "$WORK/plan50k.yaml") B"
echo "Every command runs under timeout ${TIMEOUT}s and an address-space cap of ${MEM_CAP_MB} MB (ulimit -v)."

# --- Does the reference compute what retreat does? --------------------------------

echo
echo "Agreement: reference.py --points against retreat simulate --format json --runs 1"
echo "(the deterministic figures do not depend on Monte Carlo; one run keeps this quick)"
AGREE=ok
for p in contract plan1k plan10k; do
    echo "  $p:"
    capped python3 "$REFERENCE" "$WORK/$p.yaml" --points >"$WORK/$p.ref.json" || AGREE=failed
    capped "$RETREAT" simulate "$WORK/$p.yaml" --format json --runs 1 >"$WORK/$p.retreat.json" 2>"$WORK/$p.stderr"
    case $? in 0 | 1) ;; *) AGREE=failed; echo "    retreat failed: $(grep -v '^retreat: .* has [0-9]* error' "$WORK/$p.stderr" | head -1)" ;; esac
    python3 "$ROOT/benches/agree.py" "$WORK/$p.ref.json" "$WORK/$p.retreat.json" | sed 's/^/  /' || AGREE=failed
done
echo "  agreement: $AGREE"

# --- (a) retreat simulate against the Python reference, 10,000 steps ---------------

echo
echo "(a) 10,000 steps: 'retreat simulate plan10k.yaml' (default settings, human output to /dev/null)"
echo "    against 'python3 benches/reference.py plan10k.yaml' (deterministic analysis only)."
echo "    Method: one warm-up round (shown as round 0, not counted), then $ROUNDS rounds; each round runs"
echo "    both once, retreat first in odd rounds and the reference first in even ones, so a slow phase of"
echo "    the shared machine falls on both. Wall time from GNU time (%e); medians over the rounds."
A_RETREAT=(simulate "$WORK/plan10k.yaml")
for round in $(seq 0 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ] || [ "$round" -eq 0 ]; then
        run a retreat "$round" null "$RETREAT" "${A_RETREAT[@]}"
        run a reference "$round" null python3 "$REFERENCE" "$WORK/plan10k.yaml"
    else
        run a reference "$round" null python3 "$REFERENCE" "$WORK/plan10k.yaml"
        run a retreat "$round" null "$RETREAT" "${A_RETREAT[@]}"
    fi
done

# --- (b) 50,000 steps: every command's time, memory and output ------------------------

echo
echo "(b) 50,000 steps: wall time, peak RSS and output bytes of each command, $B_ROUNDS rounds,"
echo "    the commands in turn within each round. Peak RSS: GNU time's maximum resident set size"
echo "    of the process (%M; through 'timeout', which waits for it). Output: bytes on stdout."
# The fixed cost: retreat linting a 3 KB plan.
run b0 "lint (contract example, 3 KB)" 1 count "$RETREAT" lint "$WORK/contract.yaml" --format json
for round in $(seq 1 "$B_ROUNDS"); do
    run b "simulate --format json" "$round" count "$RETREAT" simulate "$WORK/plan50k.yaml" --format json
    run b "lint --format json" "$round" count "$RETREAT" lint "$WORK/plan50k.yaml" --format json
    run b "lint --format sarif" "$round" count "$RETREAT" lint "$WORK/plan50k.yaml" --format sarif
    run b "report" "$round" count "$RETREAT" report "$WORK/plan50k.yaml"
    run b "diff plan50k plan50k-edited" "$round" count "$RETREAT" diff "$WORK/plan50k.yaml" "$WORK/plan50k-edited.yaml"
done

echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- Summary --------------------------------------------------------------------------

python3 - "$RESULTS" "$(size "$WORK/plan50k.yaml")" 50000 "$AGREE" <<'EOF'
import statistics, sys

path, input_bytes, steps, agree = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = [line.rstrip("\n").split("\t") for line in open(path)]
num = lambda s: float(s) if s not in ("", "nan") else float("nan")

print()
print("Summary")
print("=======")
a = {}
for part, label, rnd, wall, user, sys_, rss, out, status in rows:
    if part == "a" and int(rnd) > 0:
        a.setdefault(label, []).append((num(wall), num(user) + num(sys_), status))
if a:
    med, cpu = {}, {}
    for label in ("retreat", "reference"):
        runs = a.get(label, [])
        walls = [w for w, _, _ in runs]
        cpus = [c for _, c, _ in runs]
        bad = [s for _, _, s in runs if not s.startswith("ok")]
        med[label] = statistics.median(walls) if walls and not bad else float("nan")
        cpu[label] = statistics.median(cpus) if cpus and not bad else float("nan")
        print(f"(a) {label:<10} wall s, rounds 1-{len(walls)}: {', '.join(f'{w:.2f}' for w in walls)}; median {med[label]:.2f}"
              + (f"  ({len(bad)} round(s) not ok: {', '.join(bad)})" if bad else ""))
        print(f"    {label:<10} cpu s (user+sys):   {', '.join(f'{c:.2f}' for c in cpus)}; median {cpu[label]:.2f}")
    ratio = med["retreat"] / med["reference"]
    print(f"(a) ratio of wall-time medians retreat/reference: {ratio:.2f} (target: at most 0.50): {'PASS' if ratio <= 0.5 else 'FAIL'}")
    print(f"    (ratio of cpu-time medians, less sensitive to the other load: {cpu['retreat'] / cpu['reference']:.2f})")
    print(f"    (the reference's figures agree with retreat's: {agree})")

base = [r for r in rows if r[0] == "b0"]
base_rss = num(base[0][6]) * 1024 if base else 0.0
print()
print(f"(b) 50,000 steps, input {input_bytes} B ({input_bytes / 1e6:.1f} MB); fixed cost: retreat on a 3 KB plan peaks at {base_rss / 2**20:.1f} MB RSS")
print(f"    {'command':<30} {'round':>5} {'wall s':>8} {'peak RSS MB':>12} {'RSS/input':>10} {'(RSS-fixed)/input':>18} {'output B':>12} {'B/step':>9}  status")
by = {}
for part, label, rnd, wall, user, sys_, rss, out, status in rows:
    if part != "b":
        continue
    rss_b = num(rss) * 1024
    by.setdefault(label, []).append((num(wall), rss_b, int(out), status))
    print(f"    {label:<30} {rnd:>5} {num(wall):>8.2f} {rss_b / 2**20:>12.1f} {rss_b / input_bytes:>9.1f}x {(rss_b - base_rss) / input_bytes:>17.1f}x {int(out):>12} {int(out) / steps:>9.1f}  {status}")
print()
print("    Targets, per command (worst round; medians of wall time):")
for label, runs in by.items():
    worst_rss = max(r[1] for r in runs)
    finished = all(r[3].startswith("ok") for r in runs)
    mem_ok = worst_rss - base_rss <= 20 * input_bytes
    line = f"    {label:<30} median wall {statistics.median(r[0] for r in runs):8.2f} s; finishes: {'yes' if finished else 'NO (' + ', '.join(sorted({r[3] for r in runs})) + ')'}; "
    line += f"peak RSS {(worst_rss - base_rss) / input_bytes:.1f}x input above the fixed cost (target 20x): {'PASS' if mem_ok and finished else 'FAIL' if mem_ok is False else 'n/a'}"
    if label.startswith("simulate"):
        per = max(r[2] for r in runs) / steps
        out_ok = finished and per <= 1024
        line += f"; output {per:.1f} B/step (target 1024): {'PASS' if out_ok else 'FAIL'}"
    print(line)
print()
print("The machine is shared (see the load averages above): figures are noisy; every round is listed.")
EOF
