#!/usr/bin/env bash
# Where the added cold build of scripts/buildcost.sh's one-call 2.16
# program goes, package by package, for one or more commits (issue 21):
# CPU seconds (user + sys) of each compile, asm and link the go command
# runs (-toolexec), and the text of api/v2.16's compiled package
# (`go tool nm -size`). CPU, not wall: on a shared machine wall time is
# mostly the other processes, CPU much less so. With several commits the
# runs are interleaved (A B A B ...), so that a change in load falls on
# all of them alike.
#
#   RUNS=5 scripts/compilecpu.sh 229f869 HEAD
#
# Prints, per commit, the median over RUNS of: api/v2.16's compile CPU,
# the CPU of everything built (the library's packages, its two
# dependencies, main, link) and the wall time of the build; then the
# per-package medians and the text size. Each build uses a fresh cache in
# which the standard library is compiled, as buildcost.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-5}
[ $# -gt 0 ] || set -- HEAD
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

. scripts/buildcost-programs.sh # median, program

# The tool wrapper: runs the tool, appends "tool package cpu" to $CPULOG.
cat >"$work/timeexec" <<'EOF'
#!/usr/bin/env bash
tool=$(basename "$1") pkg=-
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = -p ] && pkg=${args[$((i + 1))]}; done
t=$(mktemp)
rc=0
/usr/bin/time -f "%U %S" -o "$t" "$@" || rc=$?
case $tool in compile | asm | link)
	[ "$pkg" = - ] && [ "$tool" = link ] && pkg=link
	tail -1 "$t" | awk -v tool="$tool" -v pkg="$pkg" '{print tool, pkg, $1 + $2}' >>"$CPULOG"
	;;
esac
rm -f "$t"
exit $rc
EOF
chmod +x "$work/timeexec"

stdcache="$work/stdcache"
GOCACHE="$stdcache" GOFLAGS=-trimpath go build std

for rev in "$@"; do
	key=$(echo "$rev" | tr -c 'A-Za-z0-9\n' _)
	mkdir -p "$work/src-$key"
	git -C "$root" archive "$rev" | tar -x -C "$work/src-$key"
	root="$work/src-$key" program "prog-$key" 2.16 1 # the one-call 2.16 program
done

for i in $(seq "$runs"); do
	for rev in "$@"; do
		key=$(echo "$rev" | tr -c 'A-Za-z0-9\n' _)
		cache="$work/cache-$i-$key"
		cp -r "$stdcache" "$cache"
		rm -f "$work/bin-$key" # else the go command finds it up to date and links nothing
		a=$(date +%s.%N)
		(cd "$work/prog-$key" && CPULOG="$work/log-$key-$i" GOCACHE="$cache" GOFLAGS=-trimpath go build -toolexec "$work/timeexec" -o "$work/bin-$key" .)
		b=$(date +%s.%N)
		awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f\n", b-a}' >>"$work/wall-$key"
		chmod -R u+w "$cache"
		rm -rf "$cache"
	done
done

echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3-), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $runs runs each, interleaved, medians"
echo
echo "| commit | api/v2.16 compile CPU (s) | all compile+asm+link CPU (s) | wall (s) | api/v2.16 text (bytes) | functions |"
echo "|---|---|---|---|---|---|"
for rev in "$@"; do
	key=$(echo "$rev" | tr -c 'A-Za-z0-9\n' _)
	v216=$(for i in $(seq "$runs"); do awk '$2 ~ /api\/v2\.16$/ && $1 == "compile" {s += $3} END {print s + 0}' "$work/log-$key-$i"; done | median)
	all=$(for i in $(seq "$runs"); do awk '{s += $3} END {print s + 0}' "$work/log-$key-$i"; done | median)
	wall=$(median <"$work/wall-$key")
	text=$(cd "$work/src-$key" && GOCACHE="$work/nmcache" GOFLAGS=-trimpath go tool nm -size "$(GOCACHE="$work/nmcache" GOFLAGS=-trimpath go list -export -f '{{.Export}}' ./api/v2.16)" | awk '$3 == "T" || $3 == "t" {n++; s += $2} END {print s, n}')
	echo "| $rev ($(git -C "$root" rev-parse --short "$rev")) | $v216 | $all | $wall | ${text% *} | ${text#* } |"
done
echo
for rev in "$@"; do
	key=$(echo "$rev" | tr -c 'A-Za-z0-9\n' _)
	echo "$rev, per package (median CPU s):"
	cat "$work"/log-"$key"-* | awk '{print $1 " " $2}' | sort -u | while read -r tool pkg; do
		m=$(for i in $(seq "$runs"); do awk -v t="$tool" -v p="$pkg" '$1 == t && $2 == p {s += $3} END {print s + 0}' "$work/log-$key-$i"; done | median)
		echo "  $m $tool $pkg"
	done | sort -rn
done
