#!/bin/sh
# bench/run.sh - lurescan's speed, as ratios against peers measured in the same run.
#
#   bench/run.sh [BUILD_DIR]      (default: ./build; run ./bootstrap.sh demo first)
#
# Measures, on a corpus made of samples/ copied COPIES times (default 40):
#   1. batch: lurescan scan -r versus clamscan -d <one-rule .yar> on the same files
#      (target: lurescan at least 6x clamscan's throughput);
#   2. pipeline: lurescan with the bundled rules versus the "floor": unzip every
#      OOXML part plus yara -r over the expanded bytes with the same rules
#      (target: within 3x of the floor);
#   3. peak RSS of lurescan over the corpus (target: <= 64 MB plus the largest input);
#   4. cost against size: an RTF object of 1, 4 and 16 MiB (target: linear).
# Peers come from Debian (clamav, yara, unzip, time); the script installs the
# missing ones when run as root. Nothing here touches the network but apt.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
lurescan=$build/lurescan
copies=${COPIES:-40}
[ -x "$lurescan" ] || { echo "bench: $lurescan not built (./bootstrap.sh demo)" >&2; exit 2; }

need=""
command -v clamscan >/dev/null 2>&1 || need="$need clamav"
command -v yara >/dev/null 2>&1 || need="$need yara"
command -v unzip >/dev/null 2>&1 || need="$need unzip"
[ -x /usr/bin/time ] || need="$need time"
if [ -n "$need" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
	else
		echo "bench: missing:$need" >&2
		exit 2
	fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
corpus=$work/corpus
mkdir -p "$corpus"
i=0
while [ "$i" -lt "$copies" ]; do
	mkdir -p "$corpus/$i"
	# the limit-exercising bomb dominates nothing here: it is refused up front
	cp "$top"/samples/*.doc* "$top"/samples/*.xls* "$top"/samples/*.ppt* "$top"/samples/*.rtf \
		"$corpus/$i/" 2>/dev/null || true
	i=$((i + 1))
done
nfiles=$(find "$corpus" -type f | wc -l)
bytes=$(du -sb "$corpus" | cut -f1)

# now: seconds since the epoch with nanoseconds, as a decimal string
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
command -v bc >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bc >/dev/null; }

# best of 3: the machine's noise only ever adds time
best() {
	b=""
	for _ in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || true
		t1=$(now)
		t=$(elapsed "$t0" "$t1")
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" -eq 1 ]; then b=$t; fi
	done
	echo "$b"
}

echo "corpus: $nfiles files, $bytes bytes (samples/ x $copies)"

# 1. batch throughput against clamscan with a one-rule YARA database
onerule=$work/one.yar
printf 'rule lurescan_bench_one { strings: $a = "MSHTML_C7" condition: $a }\n' > "$onerule"
t_lure=$(best "$lurescan" scan -r -q --rules "$onerule" "$corpus")
t_clam=$(best clamscan --no-summary -r -d "$onerule" "$corpus")
echo "batch: lurescan ${t_lure}s, clamscan ${t_clam}s, ratio $(ratio "$t_clam" "$t_lure")x (target >= 6x)"

# 2. pipeline against the floor (inflate every part + yara over the expanded bytes)
rules=$top/yara-rules
t_full=$(best "$lurescan" scan -r -q --rules "$rules" "$corpus")
expanded=$work/expanded
floor_inflate() {
	rm -rf "$expanded"
	mkdir -p "$expanded"
	n=0
	for f in $(find "$corpus" -type f \( -name '*.docx' -o -name '*.xlsx' -o -name '*.pptx' \) | sort); do
		n=$((n + 1))
		unzip -qq -o "$f" -d "$expanded/$n" 2>/dev/null || true
	done
	cp -r "$corpus" "$expanded/raw"
}
# yara needs our external variables declared; neutral values, as for a
# rule-less artifact (rules keyed on a kind simply do not fire here).
floor_yara() {
	yara -r -w -d artifact_kind= -d artifact_name= -d artifact_path= -d artifact_depth=0 \
		-d parent_kind= -d root_name= -d artifact_sha256= "$rules"/*/*.yar "$expanded"
}
t_inflate=$(best floor_inflate)
floor_inflate
t_yara=$(best floor_yara)
t_floor=$(echo "$t_inflate + $t_yara" | bc -l)
echo "pipeline: lurescan ${t_full}s, floor ${t_floor}s (unzip ${t_inflate}s + yara ${t_yara}s), ratio $(ratio "$t_full" "$t_floor")x (target <= 3x)"

# 3. peak RSS
rss=$(/usr/bin/time -v "$lurescan" scan -r -q --rules "$rules" "$corpus" 2>&1 >/dev/null |
	sed -n 's/.*Maximum resident set size (kbytes): //p')
largest=$(find "$corpus" -type f -printf '%s\n' | sort -n | tail -n 1)
echo "peak RSS: $((rss / 1024)) MiB (largest input $((largest / 1024)) KiB; target <= 64 MiB + largest)"

# 4. cost against size: one RTF object of growing size
for mb in 1 4 16; do
	f=$work/big-$mb.rtf
	{
		printf '{\\rtf1{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata 01050000020000000800000050616b6167650000000000000000'
		head -c $((mb * 1024 * 1024)) /dev/zero | od -An -v -tx1 | tr -d ' \n'
		printf '}}}'
	} > "$f"
	t=$(best "$lurescan" scan -q "$f")
	echo "size: ${mb} MiB object -> ${t}s ($(ratio "$t" "$mb") s/MiB)"
done
