#!/usr/bin/env bash
# Peak resident memory of `intercom … contacts list --all` as the number of
# contacts grows (issue 19: --all streams in constant memory). Two setups:
#   in-process: --fake, the fake workspace inside the measured process
#               (so its store of contacts is counted too);
#   separate:   the same fake served by another process (`intercom
#               fake-serve`), so that only the command itself is measured.
# Prints a Markdown table; docs/performance.md has the last run. Needs GNU
# time (/usr/bin/time, Debian package "time").
set -euo pipefail
cd "$(dirname "$0")/.."

counts=${BENCH_CLI_COUNTS:-"1000 10000 30000"}
work=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
bin=$work/intercom
(cd cmd/intercom && go build -o "$bin" .)

# measure OUT -- CMD…: runs CMD with stdout to OUT; prints "peak-KiB seconds".
measure() {
	local out=$1; shift; shift
	/usr/bin/time -f '%M %e' -o "$work/time" "$@" >"$out"
	cat "$work/time"
}

echo "| contacts | setup | NDJSON lines | peak RSS | wall time |"
echo "|---:|---|---:|---:|---:|"
for n in $counts; do
	read -r kib secs < <(measure "$work/out" -- "$bin" --fake --fake-contacts "$n" contacts list --all)
	printf '| %s | in-process (--fake) | %s | %.1f MiB | %s s |\n' "$n" "$(wc -l <"$work/out")" "$(echo "$kib/1024" | bc -l)" "$secs"

	"$bin" fake-serve --fake-contacts "$n" >"$work/serve" &
	server=$!
	for _ in $(seq 3000); do [ -s "$work/serve" ] && break; sleep 0.1; done
	[ -s "$work/serve" ] || { echo "bench-cli.sh: the fake did not start" >&2; exit 1; }
	base=$(sed -n 's/^--base-url //p' "$work/serve")
	token=$(sed -n 's/^INTERCOM_TOKEN=//p' "$work/serve")
	read -r kib secs < <(INTERCOM_TOKEN=$token measure "$work/out" -- "$bin" --base-url "$base" contacts list --all)
	printf '| %s | separate fake process | %s | %.1f MiB | %s s |\n' "$n" "$(wc -l <"$work/out")" "$(echo "$kib/1024" | bc -l)" "$secs"
	kill -INT "$server"; wait "$server" || true; server=""
done
