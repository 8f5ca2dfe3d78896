#!/bin/sh
# bootstrap.sh - set up, build and check lurescan on Debian 12.
#
#   ./bootstrap.sh demo    install what is missing, build, scan samples/ with yara-rules/
#   ./bootstrap.sh check   install what is missing, build, run the whole test suite:
#                          a -Werror build, then an ASan+UBSan build, then make distcheck
#
# Packages are installed with apt-get only when missing (as root, or through sudo).
set -eu

cd "$(dirname "$0")"
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# Debian packages needed to build and test. Keep in sync with README.md.
PACKAGES="build-essential autoconf automake pkg-config
libglib2.0-dev libgsf-1-dev libxml2-dev libzip-dev zlib1g-dev libssl-dev libyara-dev
libjson-glib-dev libcmocka-dev libxml2-utils"

say() { printf '==> %s\n' "$*" >&2; }

install_missing() {
	missing=""
	for p in $PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	say "installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "bootstrap.sh: missing packages:$missing (run as root or install them)" >&2
		exit 2
	fi
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

# build DIR [configure args...]: configure (once) and build in DIR.
build() {
	dir=$1
	shift
	if [ ! -x "$top/configure" ] || [ "$top/configure.ac" -nt "$top/configure" ] ||
	   [ "$top/Makefile.am" -nt "$top/Makefile.in" ]; then
		say "autoreconf"
		(cd "$top" && autoreconf -fi)
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$dir/config.status" -ot "$top/configure" ]; then
		say "configure $* (in $dir)"
		(cd "$dir" && "$top/configure" -q "$@")
	fi
	say "make (in $dir)"
	make -C "$dir" -j"$jobs" >/dev/null
}

check_in() {
	dir=$1
	shift
	build "$dir" "$@"
	say "make check (in $dir)"
	if ! make -C "$dir" -j"$jobs" check; then
		for log in "$dir"/tests/*/*.log; do
			[ -f "$log" ] && case "$log" in *test-suite.log) ;; *) grep -q '^# FAIL\|FAIL\|ERROR' "$log" 2>/dev/null && { echo "---- $log"; tail -n 60 "$log"; } ;; esac
		done
		exit 1
	fi
}

# summary DIR...: one closing line over the suites of every build.
summary() {
	pass=0
	fail=0
	for d in "$@"; do
		p=$(sed -n 's/^# PASS: *//p' "$d/test-suite.log" | head -n 1)
		f=$(sed -n 's/^# FAIL: *//p' "$d/test-suite.log" | head -n 1)
		e=$(sed -n 's/^# ERROR: *//p' "$d/test-suite.log" | head -n 1)
		pass=$((pass + ${p:-0}))
		fail=$((fail + ${f:-0} + ${e:-0}))
	done
	echo "check: $pass passed, $fail failed"
}

case "${1:-}" in
demo)
	install_missing
	build "$top/build" --enable-werror
	say "scanning samples/ with yara-rules/"
	"$top/build/lurescan" scan -r --rules "$top/yara-rules" "$top/samples" || rc=$?
	say "done (exit status ${rc:-0}: 0 clean, 1 detection, 2 error; see README.md)"
	;;
check)
	install_missing
	check_in "$top/build" --enable-werror
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export ASAN_OPTIONS UBSAN_OPTIONS
	check_in "$top/build-sanitize" --enable-asan --enable-ubsan --enable-werror
	say "make distcheck"
	make -C "$top/build" distcheck >/dev/null
	summary "$top/build" "$top/build-sanitize"
	;;
*)
	echo "usage: $0 demo|check" >&2
	exit 2
	;;
esac
