#!/bin/bash
# Decode benchmarks of this checkout and of another revision (default: the
# commit before the lossless models, 01cc363), interleaved: the two test
# binaries alternate, one count each, ten rounds, so that both see the same
# load on a shared machine. Then benchstat, old against new.
#   scripts/bench-lossless-pair.sh [REV]
set -euo pipefail
rev=${1:-01cc363}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$root" worktree add --detach "$tmp/base" "$rev" >/dev/null
(cd "$tmp/base/tests" && go test -c -o "$tmp/old.test" ./decode)
(cd "$root/tests" && go test -c -o "$tmp/new.test" ./decode)
bench='Decode/payload=.*/decoder=(fast|tolerant|encoding-json-default-models)$'
cd "$root/tests/decode"
for _ in $(seq 10); do
	nice -n 10 "$tmp/old.test" -test.run '^$' -test.bench "$bench" -test.benchmem -test.count 1 >>"$root/docs/bench/lossless-main.txt.new"
	nice -n 10 "$tmp/new.test" -test.run '^$' -test.bench "$bench" -test.benchmem -test.count 1 >>"$root/docs/bench/lossless-branch.txt.new"
done
cd "$root"
mv docs/bench/lossless-main.txt.new docs/bench/lossless-main.txt
mv docs/bench/lossless-branch.txt.new docs/bench/lossless-branch.txt
go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da docs/bench/lossless-main.txt docs/bench/lossless-branch.txt | tee docs/bench/lossless.benchstat.txt
