#!/bin/sh
# cli.sh - end-to-end tests of the `lurescan` command line: exit statuses,
# standard input, directories, NDJSON output, -j ordering, extraction and
# option parsing.
#
# Environment (set by `make check`):
#   LURESCAN   the built binary
#
# Needs nothing but a POSIX shell and utilities: JSON lines are checked by
# shape with grep and sed, not parsed. Prints "N passed, N failed"; exits 1
# on any failure, 77 (skipped) when the binary is missing.
set -eu

: "${LURESCAN:?set LURESCAN to the built lurescan binary}"
if [ ! -x "$LURESCAN" ]; then
	echo "cli.sh: no executable at $LURESCAN; skipped" >&2
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lure-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

passed=0
failed=0
out="$tmp/out"
err="$tmp/err"

pass() {
	passed=$((passed + 1))
}

fail() {
	echo "FAIL $1"
	if [ -s "$err" ]; then
		sed 's/^/  stderr: /' "$err" | head -n 5
	fi
	failed=$((failed + 1))
}

# run: runs lurescan with the arguments, stdout to $out, stderr to $err;
# sets $rc.
run() {
	set +e
	"$LURESCAN" "$@" >"$out" 2>"$err"
	rc=$?
	set -e
}

# expect NAME STATUS ARGS...: runs lurescan and checks the exit status.
expect() {
	name=$1
	want=$2
	shift 2
	run "$@"
	if [ "$rc" -eq "$want" ]; then
		pass
	else
		fail "$name: exit status $rc, want $want"
	fi
}

# check NAME COMMAND...: passes when the shell command succeeds.
check() {
	name=$1
	shift
	if "$@"; then
		pass
	else
		fail "$name"
	fi
}

# A JSON report line: one object, schema 1, all the members.
json_line_ok() {
	case $1 in
	'{"schema_version":1,"file":'*'}') ;;
	*) return 1 ;;
	esac
	for member in sha256 size verdict artifacts findings relationships yara iocs \
		limits_hit errors elapsed_ms; do
		case $1 in
		*"\"$member\":"*) ;;
		*) return 1 ;;
		esac
	done
}

all_json_lines_ok() {
	while IFS= read -r line; do
		json_line_ok "$line" || return 1
	done <"$1"
}

line_count() {
	wc -l <"$1" | tr -d ' '
}

# The "file" member of each JSON line, one per line.
json_files() {
	sed 's/^{"schema_version":1,"file":"\([^"]*\)".*/\1/' "$1"
}

printf 'hello, world\n' >"$tmp/clean.txt"
mkdir "$tmp/dir" "$tmp/dir/sub"
for n in c a b; do
	printf 'file %s\n' "$n" >"$tmp/dir/$n.txt"
done
printf 'deeper\n' >"$tmp/dir/sub/d.txt"
ln -s "$tmp/dir/sub" "$tmp/dir/link-to-dir"
# A minimal PE (MZ, e_lfanew = 0x40, "PE\0\0"): the pe handler claims it,
# so --max-depth 0 stops its walk with a limit.exceeded finding (medium).
{
	printf 'MZ'
	i=0
	while [ "$i" -lt 58 ]; do
		printf '\000'
		i=$((i + 1))
	done
	printf '\100\000\000\000PE\000\000'
} >"$tmp/tiny.exe"

# ---- basics ----
expect "--version" 0 --version
check "--version prints the version" grep -q '^lurescan [0-9]' "$out"
expect "help" 0 help
check "help lists scan" grep -q '^  scan ' "$out"
expect "help scan" 0 help scan
check "help scan lists --max-depth" grep -q -- '--max-depth' "$out"
expect "scan --help" 0 scan --help
expect "no command" 2
expect "unknown command" 2 frobnicate
check "unknown command says so" grep -q "unknown command" "$err"
expect "scan without input" 2 scan
check "scan without input says so" grep -q "no input" "$err"

# ---- exit statuses ----
expect "clean file" 0 scan "$tmp/clean.txt"
check "clean file verdict line" grep -q '^verdict: clean$' "$out"
check "clean file tree line" grep -q 'clean.txt \[data\] 13 B$' "$out"
expect "missing file" 2 scan "$tmp/missing.doc"
check "missing file message" grep -q "missing.doc: No such file or directory" "$err"
expect "directory without -r" 2 scan "$tmp/dir"
check "directory message" grep -q "is a directory (use -r" "$err"
expect "clean and missing: worst wins" 2 scan "$tmp/clean.txt" "$tmp/missing.doc"
expect "detection (limit hit) fails on suspicious" 1 scan --max-depth 0 "$tmp/tiny.exe"
check "detection verdict" grep -q '^verdict: suspicious (1 medium)$' "$out"
expect "--fail-on malicious ignores suspicious" 0 scan --fail-on malicious --max-depth 0 \
	"$tmp/tiny.exe"
expect "detection and missing: 2 beats 1" 2 scan --max-depth 0 "$tmp/tiny.exe" \
	"$tmp/missing.doc"

# ---- standard input ----
set +e
printf 'from stdin' | "$LURESCAN" scan - >"$out" 2>"$err"
rc=$?
set -e
check "stdin exit 0" [ "$rc" -eq 0 ]
check "stdin tree line" grep -q '^- \[data\] 10 B$' "$out"
set +e
printf 'from stdin' | "$LURESCAN" scan --json - >"$out" 2>"$err"
set -e
check "stdin JSON size" grep -q '"file":"-","sha256":"[0-9a-f]\{64\}","size":10,' "$out"
set +e
dd if=/dev/zero bs=1024 count=2 2>/dev/null | "$LURESCAN" scan --json --max-input-size 1K - >"$out" 2>"$err"
rc=$?
set -e
check "stdin over --max-input-size exits 2" [ "$rc" -eq 2 ]
check "stdin over --max-input-size: limits_hit" grep -q '"limits_hit":\["input_size"\]' "$out"
expect "file over --max-input-size" 2 scan --json --max-input-size 4 "$tmp/clean.txt"
check "file over --max-input-size: verdict error" grep -q '"verdict":"error"' "$out"

# ---- JSON ----
expect "JSON for three inputs" 2 scan --json "$tmp/clean.txt" "$tmp/missing.doc" "$tmp/dir"
check "one line per input" [ "$(line_count "$out")" -eq 3 ]
check "every line is a report" all_json_lines_ok "$out"
check "missing input has verdict error" grep -q '"verdict":"error","artifacts":\[\]' "$out"
expect "JSON clean" 0 scan --json "$tmp/clean.txt"
check "JSON clean verdict" grep -q '"verdict":"clean"' "$out"

# ---- directories ----
expect "-r walks in sorted order" 0 scan -r --json "$tmp/dir"
json_files "$out" >"$tmp/files"
printf '%s\n' "$tmp/dir/a.txt" "$tmp/dir/b.txt" "$tmp/dir/c.txt" "$tmp/dir/sub/d.txt" \
	>"$tmp/want"
check "-r found every regular file, in order" cmp -s "$tmp/files" "$tmp/want"
check "-r notes the symlink to a directory" grep -q "link-to-dir: skipped: symbolic link" "$err"
expect "-r -q" 0 scan -r -q "$tmp/dir"
check "-q prints only verdict lines" [ "$(line_count "$out")" -eq 4 ]
check "-q line format" grep -q "/dir/a.txt: clean$" "$out"
check "-q prints no notes" [ ! -s "$err" ]

# ---- -j keeps the input order ----
: >"$tmp/want"
set --
for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
	printf 'input %s\n' "$n" >"$tmp/in$n"
	printf '%s\n' "$tmp/in$n" >>"$tmp/want"
	set -- "$@" "$tmp/in$n"
done
expect "-j 4" 0 scan -j 4 --json "$@"
json_files "$out" >"$tmp/files"
check "-j 4 output in input order" cmp -s "$tmp/files" "$tmp/want"
sed 's/"elapsed_ms":[0-9]*/"elapsed_ms":0/' "$out" >"$tmp/parallel"
expect "-j 1" 0 scan --json "$@"
sed 's/"elapsed_ms":[0-9]*/"elapsed_ms":0/' "$out" >"$tmp/serial"
check "-j 4 output equals -j 1 output" cmp -s "$tmp/parallel" "$tmp/serial"
expect "-j 2 text" 0 scan -j 2 "$@"
grep '\[data\]' "$out" | sed 's/ \[data\].*//' >"$tmp/files"
check "-j 2 text in input order" cmp -s "$tmp/files" "$tmp/want"

# ---- hostile file names ----
esc=$(printf '\033')
hostile="$tmp/evil${esc}[31mred${esc}]0;title.txt"
printf 'x' >"$hostile"
expect "hostile name" 0 scan "$hostile"
check "no ESC in text output" sh -c '! grep -q "$1" "$2"' sh "$esc" "$out"
check "name shown escaped" grep -q 'evil\\x1B\[31mred' "$out"
expect "hostile name JSON" 0 scan --json "$hostile"
check "no ESC in JSON output" sh -c '! grep -q "$1" "$2"' sh "$esc" "$out"
check "hostile JSON line is a report" all_json_lines_ok "$out"
expect "hostile name missing" 2 scan "$tmp/gone${esc}[2J"
check "no ESC on stderr" sh -c '! grep -q "$1" "$2"' sh "$esc" "$err"

# ---- extraction ----
expect "--extract" 0 scan --extract "$tmp/x/out" "$tmp/clean.txt"
sha=$(sed -n 's/^extracted: .*\/\([0-9a-f]\{64\}\)$/\1/p' "$out")
check "--extract reports the directory" [ -n "$sha" ]
check "--extract wrote the root" [ -f "$tmp/x/out/$sha/0-clean.txt" ]
check "--extract wrote a manifest" grep -q '"file" : "0-clean.txt"' "$tmp/x/out/$sha/manifest.json"
check "--extract files are 0600" [ -z "$(find "$tmp/x/out/$sha" -type f ! -perm 0600)" ]
check "--extract copy equals input" cmp -s "$tmp/x/out/$sha/0-clean.txt" "$tmp/clean.txt"
expect "--extract again" 0 scan --json --extract "$tmp/x/out" "$tmp/clean.txt"
check "--extract again uses a suffix" grep -q "\"extracted_to\":\"$tmp/x/out/$sha.1\"" "$out"
printf 'x' >"$tmp/notadir"
expect "--extract into a file" 2 scan --extract "$tmp/notadir" "$tmp/clean.txt"
check "--extract failure says so" grep -q "extraction to .* failed" "$err"

# ---- option values ----
for bad in "--max-depth -1" "--max-depth 1x" "--max-artifacts 0" \
	"--max-artifact-size 10Q" "--max-total-size 99999999999999999999" \
	"--max-total-size 20000000000000G" "--max-ratio 0" "--timeout abc" "--timeout -1" \
	"--timeout 1.5.2" "--max-input-size ''" "--yara-timeout -1" "--yara-timeout 1.5" \
	"-j 0" "-j 257" "--jobs=x" "--fail-on clean" \
	"--no-such-option"; do
	eval "set -- $bad"
	expect "bad option $bad" 2 scan "$@" "$tmp/clean.txt"
	if [ -s "$err" ] && ! [ -s "$out" ]; then
		pass
	else
		fail "bad option $bad: no message on stderr, or output on stdout"
	fi
done
for good in "--max-depth 0" "--max-artifacts 5" "--max-artifact-size 64K" \
	"--max-total-size 1g" "--max-ratio 50" "--timeout 0.5" "--timeout 0" \
	"--max-input-size 1M" "--yara-timeout 5" "-j 2" "-j2" "--jobs=3" "--fail-on malicious" \
	"--defang" "--no-color"; do
	eval "set -- $good"
	expect "good option $good" 0 scan "$@" "$tmp/clean.txt"
done
# --rules is accepted (repeatable); the bundled rules must not flag a text file.
if [ -n "${top_srcdir:-}" ] && [ -d "$top_srcdir/yara-rules" ]; then
	expect "--rules" 0 scan --rules "$top_srcdir/yara-rules" --rules "$top_srcdir/yara-rules" \
		"$tmp/clean.txt"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
