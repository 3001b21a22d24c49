#!/bin/bash
# Instructions per decode (valgrind's callgrind, Ir) of tests/decode's
# benchmarks, this checkout against another revision (issue 14's reference
# is ae01085). Wall-clock times on a shared host vary by 10-40 %; instruction
# counts vary by about 1 % (the GC's timing), so a 5 % difference shows.
#   scripts/decode-instructions.sh [REV] [NAME]
# writes docs/bench/NAME.txt (defaults: ae01085, instructions).
# Each case runs twice per binary, N1 and N2 iterations; (Ir(N2)-Ir(N1)) /
# (N2-N1) is the cost of one decode without the program's setup, GC
# included (the GC runs as the allocations make it). The column nogc repeats
# it with GOGC=off: the decode's own work, without collections. B/op and
# allocs/op are -test.benchmem's of the N2 run (GOMAXPROCS=1).
# KEEP=DIR keeps the N2 runs' callgrind profiles there
# (callgrind_annotate DIR/head-gc-contact-fast.out).
# valgrind 3.19 does not know RDTSCP, which Go's runtime uses when the CPU
# has it: GODEBUG=cpu.rdtscp=off.
set -euo pipefail
rev=${1:-ae01085} name=${2:-instructions}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
. "$root/scripts/decode-vs-common.sh"
decode_vs_build "$rev" "$tmp"
keep=${KEEP:-$tmp}
mkdir -p "$keep"

# ir BIN DIR BENCH N OUT GOGC: total instructions of the run, its benchmem line in OUT.txt
ir() {
	(cd "$2" && GOGC=$6 GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off GOMAXPROCS=1 \
		valgrind --tool=callgrind --callgrind-out-file="$5.out" "$1" \
		-test.run '^$' -test.bench "$3" -test.benchtime "$4x" -test.benchmem >"$5.txt" 2>"$5.log")
	grep -q '^PASS' "$5.txt" || { cat "$5.txt" "$5.log" >&2; return 1; }
	sed -n 's/^==[0-9]*== Collected : //p' "$5.log"
}

cases='contact-fast BenchmarkDecode$/^payload=contact$/^decoder=fast$ 200 2200
contact-tolerant BenchmarkDecode$/^payload=contact$/^decoder=tolerant$ 200 2200
conversation50-fast BenchmarkDecode$/^payload=conversation50$/^decoder=fast$ 20 220
conversation50-tolerant BenchmarkDecode$/^payload=conversation50$/^decoder=tolerant$ 20 220
contacts150-fast BenchmarkDecode$/^payload=contacts150$/^decoder=fast$ 5 35'

out=$root/docs/bench/$name.txt
{
	echo "# scripts/decode-instructions.sh $rev $name at $(git -C "$root" rev-parse --short HEAD), $(date -u +%F)"
	echo "# Ir/op: instructions per decode; nogc: with GOGC=off"
	printf '%-24s %-5s %10s %10s %9s %7s\n' case side Ir/op nogc-Ir/op B/op allocs
	while read -r case bench n1 n2; do
		for side in base head; do
			if [ $side = base ]; then dir=$tmp/base/tests/decode; else dir=$root/tests/decode; fi
			row=()
			for gc in 100 off; do
				mode=gc; [ $gc = off ] && mode=nogc
				a=$(ir "$tmp/$side.test" "$dir" "$bench" "$n1" "$tmp/small" "$gc")
				b=$(ir "$tmp/$side.test" "$dir" "$bench" "$n2" "$keep/$side-$mode-$case" "$gc")
				row+=($(((b - a) / (n2 - n1))))
			done
			mem=$(awk '/^Benchmark/ {for (i = 1; i < NF; i++) if ($(i+1) == "B/op") b = $i; else if ($(i+1) == "allocs/op") a = $i; print b, a}' "$keep/$side-gc-$case.txt")
			printf '%-24s %-5s %10s %10s %9s %7s\n' "$case" "$side" "${row[0]}" "${row[1]}" $mem
		done
	done <<<"$cases"
} | tee "$out.new"
mv "$out.new" "$out"
