#!/bin/sh
# bench/rules-cost.sh - what the bundled rules cost: scan time of samples/ with the
# full rule set against no rules, in one run, alternating the commands N times
# (default 80) and taking the minimum and the median of each (noise only adds time).
#
#   bench/rules-cost.sh [BUILD_DIR] [N]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${2:-80}
lurescan=$build/lurescan
"$lurescan" scan -q "$top/samples/plain.docx" >/dev/null || true # warm the rules cache
python3 - "$lurescan" "$top/samples" "$n" <<'PY'
import statistics, subprocess, sys, time
exe, samples, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cmds = {
    "no rules": [exe, "scan", "-r", "-q", "--no-rules", samples],
    "rules (cached)": [exe, "scan", "-r", "-q", samples],
    "rules (compiled each run)": ["env", "LURESCAN_NO_RULES_CACHE=1", exe, "scan", "-r", "-q", samples],
}
times = {k: [] for k in cmds}
for _ in range(n):
    for k, c in cmds.items():
        t = time.perf_counter()
        subprocess.run(c, stdout=subprocess.DEVNULL)
        times[k].append(time.perf_counter() - t)
base_min, base_med = min(times["no rules"]), statistics.median(times["no rules"])
for k, v in times.items():
    print("%-26s min %6.1f ms  median %6.1f ms  ratio min %.2f median %.2f" % (
        k, min(v) * 1e3, statistics.median(v) * 1e3, min(v) / base_min,
        statistics.median(v) / base_med))
PY
