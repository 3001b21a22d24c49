#!/usr/bin/env bash
# Times `make test` (or the targets given) and each of its recipe lines:
# wall seconds, CPU seconds (user+sys, children included) and the command,
# as a Markdown table for docs/performance.md, with the load average before
# and after. Make runs every recipe line through scripts/maketime.sh.
#
#   scripts/time-make-test.sh [MAKEFLAGS/targets…]   (default: test)
#
# The make output goes to $OUT (default .cache/make-test.out), and a timeline
# to $OUT.timeline: each line's start and end (seconds after make started),
# CPU seconds and the line's first 100 characters, by start.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
log=$(mktemp)
out=${OUT:-.cache/make-test.out}
trap 'rm -f "$log"' EXIT
[ $# -gt 0 ] || set -- test
before=$(uptime)
start=$(date +%s.%N)
rc=0
MAKETIME_LOG=$log /usr/bin/time -f '%U %S' -o "$log.total" \
	make "$@" SHELL="$PWD/scripts/maketime.sh" >"$out" 2>&1 || rc=$?
end=$(date +%s.%N)
read -r user sys < <(tail -n1 "$log.total"); rm -f "$log.total"
echo "load before: ${before##*load average: }; after: $(uptime | sed 's/.*load average: //')"
echo
echo "| wall s | CPU s | command |"
echo "|---:|---:|---|"
awk -F'\t' '{ printf "| %s | %s | `%s`%s |\n", $1, $2, $4, ($3 == 0 ? "" : " (exit " $3 ")") }' "$log"
awk -F'\t' -v t0="$start" '{ printf "%6.1f %6.1f %6.1f  %s\n", $5 - t0, $6 - t0, $2, substr($4, 1, 100) }' "$log" | sort -n >"$out.timeline"
printf '| **%.1f** | **%.1f** | `make %s` (rc %d) |\n' "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$*" "$rc"
exit $rc
