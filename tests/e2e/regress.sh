#!/bin/sh
# regress.sh - `lurescan regress` over the bundled samples, and proof that it
# catches regressions.
#
#   0. `lurescan rules check --strict` passes on the bundled rules, with
#      every rule hit and guarded by some sample (or excused by no_sample);
#   1. regress over $SAMPLES_DIR with $top_srcdir/yara-rules exits 0;
#   2. a copy of the manifest with one impossible expectation (a rule that
#      does not exist must match) makes it exit 1;
#   3. a (sample, rule) pair that does match is taken from the JSON report;
#      with a copy of the rules where that rule's condition is `false`, a
#      manifest saying the rule must match that sample makes it exit 1
#      (and the unbroken rules pass the same manifest);
#   4. the JUnit report is well-formed XML with one testcase per sample.
#
# Environment (set by make check): LURESCAN, SAMPLES_DIR, top_srcdir.
# Ends with "N passed, N failed"; exits 0 only when nothing failed, 77
# (skipped) when there is no manifest.

: "${LURESCAN:?LURESCAN must name the lurescan binary}"
: "${SAMPLES_DIR:?SAMPLES_DIR must name the samples directory}"
: "${top_srcdir:?top_srcdir must name the source tree}"

RULES="$top_srcdir/yara-rules"
MANIFEST="$SAMPLES_DIR/expected.json"
PROBE_RULE=Lure_Regress_Probe_No_Such_Rule

if [ ! -f "$MANIFEST" ]; then
	echo "no $MANIFEST: nothing to check"
	echo "0 passed, 0 failed"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lure-regress.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	echo "ok: $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "FAIL: $1"
	[ -f "$2" ] && sed 's/^/    /' "$2" | tail -n 40
}

# expect STATUS NAME LOG CMD...: runs CMD, output to LOG, and checks its
# exit status ("0" or "nonzero").
expect() {
	want=$1 name=$2 log=$3
	shift 3
	"$@" >"$log" 2>&1
	st=$?
	if [ "$want" = 0 ] && [ "$st" -eq 0 ]; then
		ok "$name"
	elif [ "$want" = nonzero ] && [ "$st" -ne 0 ] && [ "$st" -ne 2 ]; then
		ok "$name (exit $st)"
	else
		not_ok "$name (exit $st, wanted $want)" "$log"
	fi
}

# 0. The bundled rules are clean, every one exercised by the samples.
expect 0 "rules check --strict" "$tmp/check.log" \
	"$LURESCAN" rules check --strict --samples "$SAMPLES_DIR" "$RULES"

# 1. The bundled samples pass.
expect 0 "regress over $SAMPLES_DIR" "$tmp/clean.log" \
	"$LURESCAN" regress "$SAMPLES_DIR" --rules "$RULES"

# 2. An impossible expectation fails: the first "yara" list of the
#    manifest gets a rule that does not exist.
awk -v rule="$PROBE_RULE" '
	!done && /"yara"[ \t]*:[ \t]*\[[ \t]*\]/ {
		sub(/"yara"[ \t]*:[ \t]*\[[ \t]*\]/, "\"yara\": [\"" rule "\"]"); done = 1
	}
	!done && /"yara"[ \t]*:[ \t]*\[/ {
		sub(/"yara"[ \t]*:[ \t]*\[/, "\"yara\": [\"" rule "\", "); done = 1
	}
	{ print }
	END { if (!done) exit 1 }' "$MANIFEST" >"$tmp/broken.json"
if [ $? -ne 0 ]; then
	not_ok "the manifest has no \"yara\" list to break" ""
else
	expect nonzero "a manifest expecting a missing rule fails" "$tmp/broken.log" \
		"$LURESCAN" regress "$SAMPLES_DIR" --rules "$RULES" --manifest "$tmp/broken.json" \
		--no-timing
	if grep -q "$PROBE_RULE did not match" "$tmp/broken.log"; then
		ok "the report names the missing rule"
	else
		not_ok "the report names the missing rule" "$tmp/broken.log"
	fi
fi

# 3. A broken rule fails. Take the first rule that matched a sample from
#    the JSON report ("file" then its "matched" list).
"$LURESCAN" regress "$SAMPLES_DIR" --rules "$RULES" --format json --no-timing \
	>"$tmp/report.json" 2>"$tmp/report.err"
pair=$(awk '
	/"file"[ \t]*:/ { f = $0; sub(/^[^:]*:[ \t]*"/, "", f); sub(/",?[ \t]*$/, "", f) }
	/"matched"[ \t]*:[ \t]*\[[ \t]*$/ { inm = 1; next }
	inm && /\]/ { inm = 0 }
	inm && /"/ { r = $0; sub(/^[ \t]*"/, "", r); sub(/",?[ \t]*$/, "", r)
		print f "\t" r; exit }' "$tmp/report.json")
if [ -z "$pair" ]; then
	not_ok "no rule matched any sample, so a broken rule cannot be shown" "$tmp/report.json"
else
	file=$(printf '%s' "$pair" | cut -f1)
	nsrule=$(printf '%s' "$pair" | cut -f2)
	ns=${nsrule%:*}
	rule=${nsrule##*:}
	printf '{"version": 1, "samples": [{"file": "%s", "max_unexpected_severity": "critical", "yara": ["%s"]}]}\n' \
		"$file" "$rule" >"$tmp/one.json"
	expect 0 "$rule must match $file" "$tmp/one.log" \
		"$LURESCAN" regress "$SAMPLES_DIR" --rules "$RULES" --manifest "$tmp/one.json" \
		--no-timing
	cp -R "$RULES" "$tmp/rules" || exit 2
	# The rule's condition becomes `false` (and its strings stay referenced).
	awk -v rule="$rule" '
		$0 ~ "^(private |global )*rule " rule "([ \t{:]|$)" { inrule = 1 }
		inrule && /^[ \t]*strings:/ { strings = 1 }
		inrule && /^[ \t]*condition:/ {
			print "    condition:"
			print (strings ? "        false and any of them" : "        false")
			skip = 1; next
		}
		skip && /^}/ { skip = 0; inrule = 0; strings = 0 }
		!skip { print }' "$RULES/$ns" >"$tmp/rules/$ns"
	if cmp -s "$RULES/$ns" "$tmp/rules/$ns"; then
		not_ok "could not break rule $rule in $ns" ""
	else
		expect nonzero "with $rule broken, regress fails" "$tmp/broken-rule.log" \
			"$LURESCAN" regress "$SAMPLES_DIR" --rules "$tmp/rules" \
			--manifest "$tmp/one.json" --no-timing
		if grep -q "rule $rule did not match" "$tmp/broken-rule.log"; then
			ok "the report names the broken rule"
		else
			not_ok "the report names the broken rule" "$tmp/broken-rule.log"
		fi
	fi
fi

# 4. JUnit: one testcase per sample.
"$LURESCAN" regress "$SAMPLES_DIR" --rules "$RULES" --format junit --no-timing \
	-o "$tmp/junit.xml" >"$tmp/junit.log" 2>&1
nsamples=$(grep -c '"file"[ \t]*:' "$MANIFEST")
ncases=$(grep -c '<testcase ' "$tmp/junit.xml" 2>/dev/null)
if [ "$nsamples" = "$ncases" ] && grep -q '</testsuites>' "$tmp/junit.xml"; then
	if command -v xmllint >/dev/null 2>&1 && ! xmllint --noout "$tmp/junit.xml"; then
		not_ok "JUnit report is well-formed" "$tmp/junit.xml"
	else
		ok "JUnit report: $ncases testcases"
	fi
else
	not_ok "JUnit report has $ncases testcases for $nsamples samples" "$tmp/junit.log"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
