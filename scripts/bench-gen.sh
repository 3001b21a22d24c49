#!/usr/bin/env bash
# Measures what the foundation promises: generating every version, and the
# cold compile of the facade, of each version package and of all of them.
# Prints a Markdown table; the README keeps the latest run.
set -euo pipefail
cd "$(dirname "$0")/.."

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3-)"
echo "date: $(date -u +%Y-%m-%d)"
echo
echo "| step | seconds |"
echo "|---|---|"
go -C gen build -o /tmp/intercom-gen . # the generator is a module of its own
t0=$(now); /tmp/intercom-gen -check >/dev/null; t1=$(now)
echo "| generate all $(ls -d api/*/ | wc -l) versions (cd gen && go run . -check, binary prebuilt) | $(secs "$t0" "$t1") |"

cold() { # cold build of a package: a fresh GOCACHE, dependencies included
	local cache; cache=$(mktemp -d)
	local a; a=$(now)
	GOCACHE="$cache" go build "$@" >/dev/null
	local b; b=$(now)
	rm -rf "$cache"
	secs "$a" "$b"
}
only() { # the package alone cold: everything it imports already cached
	local cache; cache=$(mktemp -d)
	GOCACHE="$cache" go build $(go list -deps "$1" | grep -vx "${2}") >/dev/null
	local a; a=$(now)
	GOCACHE="$cache" go build "$1" >/dev/null
	local b; b=$(now)
	rm -rf "$cache"
	secs "$a" "$b"
}
echo "| facade alone, cold (dependencies cached) | $(only . github.com/apipin/intercom) |"
echo "| facade with its dependencies, cold | $(cold .) |"
for d in api/*/; do
	d=${d%/}
	echo "| $d alone, cold (facade and runtime cached) | $(only "./$d" "github.com/apipin/intercom/$d") |"
done
echo "| all version packages with dependencies, cold | $(cold ./api/...) |"
