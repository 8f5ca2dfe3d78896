#!/bin/sh
# tests/fuzz/replay.sh - replays every fuzz harness over its seed corpus
# (crashers found by fuzzing are kept there as permanent seeds). Run by
# `make check` with REPLAY_DIR (where the replay_<name> programs are) and
# top_srcdir; under the sanitizer build the replay runs with ASan+UBSan.
set -u

top=${top_srcdir:?}
bin=${REPLAY_DIR:?}
pass=0
fail=0
for name in scan ole2 zip opc rtf ole1 olestreams ooxml; do
	set --
	[ -d "$top/tests/fuzz/corpus/$name" ] && set -- "$top/tests/fuzz/corpus/$name"
	[ "$name" = scan ] && set -- "$@" "$top/samples"
	if out=$("$bin/replay_$name" "$@" 2>&1); then
		pass=$((pass + 1))
		echo "ok replay_$name: $out"
	else
		fail=$((fail + 1))
		echo "FAIL replay_$name:"
		echo "$out" | tail -n 40
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
