#!/usr/bin/env bash
# What a program pays at build time for this library (issue "what a user
# pays to build it"): for a plain net/http program and for programs making
# one and ten calls through api/v2.16 and api/v2.7, each in a module of its
# own outside the repository (as a user's), it measures
#
#   - the added cold build: `go build` with a fresh build cache in which the
#     standard library is already compiled (median of RUNS);
#   - for the plain program, the fully cold build (empty cache), the
#     reference the targets are ratios of;
#   - the binary size, and its growth over the plain program;
#   - `go list -m all` of the program's module after `go mod tidy`, and the
#     indirect requirements tidy writes into its go.mod.
#
# Prints a Markdown table (docs/performance.md keeps the latest run).
#   RUNS=5 scripts/buildcost.sh
# MODULES_ONLY=1 skips the builds and prints the module columns only (with
# the go.sum lines tidy writes), in seconds instead of minutes.
#   MODULES_ONLY=1 scripts/buildcost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

now() { date +%s.%N; }
# median and program (the programs measured) are shared with
# scripts/compilecpu.sh.
. scripts/buildcost-programs.sh

# build DIR [std]: seconds of one cold `go build` of the module in DIR,
# from a copy of the standard library's cache ("std") or an empty one.
build() {
	local cache="$work/cache-$RANDOM$RANDOM"
	if [ "${2:-}" = std ]; then cp -r "$stdcache" "$cache"; else mkdir -p "$cache"; fi
	local a b
	a=$(now)
	(cd "$1" && GOCACHE="$cache" GOFLAGS=-trimpath go build -o "$1/bin" .)
	b=$(now)
	chmod -R u+w "$cache"
	rm -rf "$cache"
	awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f\n", b-a}'
}

if [ -n "${MODULES_ONLY:-}" ]; then
	echo "date: $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(go version | cut -d' ' -f3-)"
	echo
	echo "| program | go list -m all | requirements in go.mod (indirect) | go.sum lines |"
	echo "|---|---|---|---|"
	for spec in "one-call 2.16 1" "ten-call 2.16 10" "one-call 2.7 1" "ten-call 2.7 10"; do
		set -- $spec
		name="$1-${2//./}"
		program "$name" "$2" "$3"
		mods=$(cd "$work/$name" && go list -m all | tail -n +2 | wc -l)
		reqs=$(grep -cE '^(require )?[[:space:]]*[a-z0-9.-]+\.[a-z]+/[^ ]+ v[0-9]' "$work/$name/go.mod" || true)
		indirect=$(grep -c '// indirect' "$work/$name/go.mod" || true)
		sums=$(wc -l <"$work/$name/go.sum")
		echo "| $1 (api/v$2) | $mods | $reqs ($indirect) | $sums |"
	done
	exit 0
fi

# A base cache holding the compiled standard library, copied for each run.
stdcache="$work/stdcache"
GOCACHE="$stdcache" GOFLAGS=-trimpath go build std

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3-), load average $(cut -d' ' -f1 /proc/loadavg) at the start"
echo "date: $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $runs runs each, median"
echo

program plain "" 0
fullcold=$(for _ in $(seq "$runs"); do build "$work/plain"; done | median)
plainbuild=$(for _ in $(seq "$runs"); do build "$work/plain" std; done | median)
plainsize=$(stat -c %s "$work/plain/bin")

echo "| program | added cold build (s) | ÷ plain fully cold | binary (MB) | growth over plain (MB) | go list -m all | indirect requirements in go.mod |"
echo "|---|---|---|---|---|---|---|"
awk -v f="$fullcold" -v p="$plainbuild" -v s="$plainsize" 'BEGIN{printf "| net/http + encoding/json | %.1f (%.1f fully cold) | %.2f | %.1f | 0 | 0 | 0 |\n", p, f, p/f, s/1e6}'
for spec in "one-call 2.16 1" "ten-call 2.16 10" "one-call 2.7 1" "ten-call 2.7 10"; do
	set -- $spec
	name="$1-${2//./}"
	program "$name" "$2" "$3"
	t=$(for _ in $(seq "$runs"); do build "$work/$name" std; done | median)
	size=$(stat -c %s "$work/$name/bin")
	mods=$(cd "$work/$name" && go list -m all | tail -n +2 | wc -l)
	indirect=$(grep -c '// indirect' "$work/$name/go.mod" || true)
	awk -v n="$1 (api/v$2)" -v t="$t" -v f="$fullcold" -v s="$size" -v ps="$plainsize" -v m="$mods" -v i="$indirect" \
		'BEGIN{printf "| %s | %.1f | %.2f | %.1f | %.1f | %d | %d |\n", n, t, t/f, s/1e6, (s-ps)/1e6, m, i}'
done
