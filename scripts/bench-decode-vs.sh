#!/bin/bash
# The decoding benchmarks of this checkout against another revision (issue
# 14's reference is ae01085, the commit its decode figures were taken at),
# interleaved: the two test binaries of tests/decode alternate, one count
# each, the first of each round alternating too, ROUNDS rounds, so that both see the same load on a shared machine;
# the load average before each round is kept beside the results. Then
# benchstat, base against this checkout.
#   scripts/bench-decode-vs.sh [REV] [NAME] [ROUNDS]
# writes docs/bench/NAME-base.txt, NAME-head.txt, NAME-load.txt and
# NAME.benchstat.txt and NAME.paired.txt (defaults: ae01085, decode-vs, 12). BENCH (a
# -test.bench pattern; default: every payload's fast, tolerant and
# encoding/json + default models rows) and BENCHTIME (-test.benchtime,
# default 1s) pick fewer rows and longer runs of each.
set -euo pipefail
rev=${1:-ae01085} name=${2:-decode-vs} rounds=${3:-12}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/docs/bench/$name
tmp=$(mktemp -d)
. "$root/scripts/decode-vs-common.sh"
decode_vs_build "$rev" "$tmp"
bench=${BENCH:-'Decode/payload=.*/decoder=(fast|tolerant|encoding-json-default-models)$'}
benchtime=${BENCHTIME:-1s}
: >"$out-base.txt.new"
: >"$out-head.txt.new"
: >"$out-load.txt"
for r in $(seq "$rounds"); do
	echo "round $r $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out-load.txt"
	# Which binary goes first alternates (A B, B A, ...): on this host the
	# first of a pair has come out faster by up to 20 % on the short rows,
	# which a fixed order charges to one side every round.
	for side in $( ((r % 2)) && echo base head || echo head base); do
		if [ "$side" = base ]; then
			(cd "$tmp/base/tests/decode" && "$tmp/base.test" -test.run '^$' -test.bench "$bench" -test.benchtime "$benchtime" -test.benchmem -test.count 1 >>"$out-base.txt.new")
		else
			(cd "$root/tests/decode" && "$tmp/head.test" -test.run '^$' -test.bench "$bench" -test.benchtime "$benchtime" -test.benchmem -test.count 1 >>"$out-head.txt.new")
		fi
	done
done
echo "end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out-load.txt"
mv "$out-base.txt.new" "$out-base.txt"
mv "$out-head.txt.new" "$out-head.txt"
cd "$root/docs/bench"
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da "$name-base.txt" "$name-head.txt" | tee "$name.benchstat.txt"
# The same rounds as pairs: each round's head/base ratio (scripts/bench-paired.py).
"$root/scripts/bench-paired.py" "$name-base.txt" "$name-head.txt" | tee "$name.paired.txt"
