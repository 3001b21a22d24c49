#!/usr/bin/env bash
# Times `make test` (or the targets given) and each of its recipe lines:
# wall seconds, CPU seconds (user+sys, children included) and the command,
# as a Markdown table for docs/performance.md, with the load average before
# and after. Make runs every recipe line through scripts/maketime.sh.
#
#   scripts/time-make-test.sh [MAKEFLAGS/targets…]   (default: test)
#
# The make output goes to $OUT (default .cache/make-test.out).
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
printf '| **%.1f** | **%.1f** | `make %s` (rc %d) |\n' "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$*" "$rc"
exit $rc
