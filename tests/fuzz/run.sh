#!/bin/sh
# tests/fuzz/run.sh - run every libFuzzer harness from its seeds.
#
#   CC=clang ./configure --enable-fuzzing && make        (in BUILD_DIR)
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [HARNESS...]   (default 300 s, all harnesses)
#
# Each harness starts from tests/fuzz/corpus/<name>/ (fuzz_scan also from samples/),
# grows a scratch corpus outside the tree, and stops after SECONDS. A crash, leak or
# timeout input is copied into tests/fuzz/corpus/<name>/ as a permanent seed, and the
# script exits non-zero. JOBS harnesses run at once (default 2).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: run.sh BUILD_DIR [SECONDS] [HARNESS...]}
secs=${2:-300}
shift $(( $# >= 2 ? 2 : 1 ))
names=${*:-"scan ole2 zip opc rtf ole1 olestreams ooxml"}
jobs=${JOBS:-2}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM

run_one() {
	name=$1
	bin=$build/tests/fuzz/fuzz_$name
	seeds=$top/tests/fuzz/corpus/$name
	dict=$top/tests/fuzz/$name.dict
	work=$scratch/$name
	mkdir -p "$work/corpus" "$work/artifacts"
	[ -d "$seeds" ] && cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
	extra=""
	[ "$name" = scan ] && extra=$top/samples
	set -- -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=262144 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts/"
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	rc=0
	"$bin" "$@" "$work/corpus" $extra >"$work/log" 2>&1 || rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/log")
	found=$(ls "$work/artifacts" 2>/dev/null | wc -l)
	if [ "$found" -gt 0 ]; then
		mkdir -p "$seeds"
		cp "$work/artifacts"/* "$seeds/"
	fi
	echo "fuzz_$name: ${runs:-0} runs in ${secs} s, exit $rc, $found crash/leak/timeout inputs"
	[ "$rc" -eq 0 ] && [ "$found" -eq 0 ]
}

status=0
set -f
pending=""
for n in $names; do
	pending="$pending $n"
done
set +f
# Run in waves of $jobs.
while [ -n "$(echo $pending)" ]; do
	wave=""
	i=0
	for n in $pending; do
		[ "$i" -lt "$jobs" ] || break
		wave="$wave $n"
		i=$((i + 1))
	done
	rest=""
	i=0
	for n in $pending; do
		i=$((i + 1))
		[ "$i" -le "$jobs" ] || rest="$rest $n"
	done
	pending=$rest
	pids=""
	for n in $wave; do
		( run_one "$n" > "$scratch/$n.result" 2>&1 ) &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p" || status=1
	done
	for n in $wave; do
		cat "$scratch/$n.result"
	done
done
exit $status
