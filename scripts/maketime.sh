#!/usr/bin/env bash
# A SHELL for make that times each recipe line: `make test SHELL=scripts/maketime.sh`
# (scripts/time-make-test.sh does this). Make runs `$SHELL -c 'line'`; this runs
# the line with bash and appends wall seconds, CPU seconds (user+sys of the line
# and its children), the exit status, the line itself, and its start and end
# times (seconds since the epoch), tab-separated, to $MAKETIME_LOG (default
# /dev/stderr). The line's exit status is kept.
set -u
[ "${1:-}" = -c ] && shift
line=$1
start=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o "${TMPDIR:-/tmp}/maketime.$$" bash -c "$line"
rc=$?
end=$(date +%s.%N)
read -r user sys < <(tail -n1 "${TMPDIR:-/tmp}/maketime.$$" 2>/dev/null) || { user=0; sys=0; }
rm -f "${TMPDIR:-/tmp}/maketime.$$"
printf '%.1f\t%.1f\t%s\t%s\t%s\t%s\n' "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$rc" "$(echo "$line" | tr '\n\t' '  ')" "$start" "$end" >>"${MAKETIME_LOG:-/dev/stderr}"
exit $rc
