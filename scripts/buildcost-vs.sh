#!/usr/bin/env bash
# What a change costs or saves a user at build time: the one-call program of
# scripts/buildcost.sh (one typed call through api/v2.16, a module of its
# own), built against this checkout and against another revision of the
# repository, in turn (B A B A …), each build with a fresh cache in which
# only the standard library is compiled. Prints each build's wall and CPU
# seconds, the medians, and the binary sizes.
#
#   RUNS=5 scripts/buildcost-vs.sh 158b899
#
# The revision is exported with git archive, so it needs no worktree.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rev=${1:?usage: scripts/buildcost-vs.sh REVISION}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

mkdir -p "$work/lib-rev"
git archive "$rev" | tar -x -C "$work/lib-rev"

stdcache="$work/stdcache"
GOCACHE="$stdcache" GOFLAGS=-trimpath go build std

. scripts/buildcost-programs.sh # median, program

# build NAME: "wall user+sys" seconds of one cold build.
build() {
	local cache="$work/cache"
	rm -rf "$cache"
	cp -r "$stdcache" "$cache"
	(cd "$work/$1" && GOCACHE="$cache" GOFLAGS=-trimpath /usr/bin/time -f '%e %U %S' -o "$work/time" go build -o bin .)
	chmod -R u+w "$cache"
	awk '{printf "%.2f %.2f\n", $1, $2+$3}' "$work/time"
}

root="$work/lib-rev" program rev 2.16 1 # the one-call 2.16 program, against each
program head 2.16 1
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3-), load average $(cut -d' ' -f1 /proc/loadavg) at the start"
echo "A = this checkout ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', modified')), B = $rev; $runs cold builds each, in turn"
for i in $(seq "$runs"); do
	echo "B $(build rev)" >>"$work/runs"
	echo "A $(build head)" >>"$work/runs"
done
cat "$work/runs"
for side in A B; do
	wall=$(awk -v s=$side '$1==s{print $2}' "$work/runs" | median)
	cpu=$(awk -v s=$side '$1==s{print $3}' "$work/runs" | median)
	dir=head
	[ $side = B ] && dir=rev
	size=$(stat -c %s "$work/$dir/bin")
	mods=$(cd "$work/$dir" && go list -m all | tail -n +2 | wc -l)
	echo "$side: median wall $wall s, median CPU $cpu s, binary $(awk -v s="$size" 'BEGIN{printf "%.2f", s/1e6}') MB ($size bytes), go list -m all: $mods"
done
