#!/bin/sh
# reproducible.sh - regenerates the samples and compares them, byte for
# byte, with the committed ones.
#
# Environment (set by `make check`):
#   GENSAMPLES   the built generator (tests/gen/gensamples)
#   SAMPLES_DIR  the source tree's samples/ directory
#
# Every file the generator writes must equal the one in SAMPLES_DIR, and
# every file in SAMPLES_DIR but README.md and expected.json must be written
# by the generator. Prints "N passed, N failed"; exits 1 on any mismatch,
# 77 (skipped) when the generator or the samples are missing.
set -eu

: "${GENSAMPLES:?set GENSAMPLES to the built tests/gen/gensamples}"
: "${SAMPLES_DIR:?set SAMPLES_DIR to the samples directory}"

if [ ! -x "$GENSAMPLES" ] || [ ! -d "$SAMPLES_DIR" ]; then
	echo "reproducible.sh: no generator at $GENSAMPLES or no $SAMPLES_DIR; skipped" >&2
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lure-samples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

"$GENSAMPLES" "$tmp" >/dev/null

passed=0
failed=0

# Generated files: each must exist in SAMPLES_DIR with the same bytes.
for f in "$tmp"/* "$tmp"/.[!.]*; do
	[ -e "$f" ] || continue
	name=${f##*/}
	if [ ! -f "$SAMPLES_DIR/$name" ]; then
		echo "FAIL $name: generated but not in $SAMPLES_DIR"
		failed=$((failed + 1))
	elif cmp -s "$f" "$SAMPLES_DIR/$name"; then
		passed=$((passed + 1))
	else
		echo "FAIL $name: differs from $SAMPLES_DIR/$name ($(cmp "$f" "$SAMPLES_DIR/$name" 2>&1 | head -n 1))"
		failed=$((failed + 1))
	fi
done

# Committed files: each must come from the generator.
for f in "$SAMPLES_DIR"/* "$SAMPLES_DIR"/.[!.]*; do
	[ -e "$f" ] || continue
	name=${f##*/}
	case $name in
	README.md|expected.json) continue ;;
	esac
	if [ ! -e "$tmp/$name" ]; then
		echo "FAIL $name: in $SAMPLES_DIR but not generated"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
