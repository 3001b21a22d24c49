#!/usr/bin/env bash
# The three warm cases of docs/performance.md ("`make test`, warm"), each
# timed by scripts/time-make-test.sh, on a tree where `make test` has just
# passed (records in .cache/passed, Go's caches warm):
#
#   1. nothing changed;
#   2. a comment appended to a test file of the root package (call_test.go);
#   3. then a change to the root package's code: one error message in
#      errors.go gets a different text, new in every run (the time), so
#      that no cache anywhere has seen it: the library's object code and
#      every test binary linking it change, so Go's test cache reruns every
#      test that links it (a comment compiles to the same objects; the
#      export data, which the packages built on the library compile
#      against, stays the same either way).
#
# Each case starts from the records the case before left; CASES (default
# "nothing test-edit code-edit") picks some. Both edits are reverted at the
# end (the next `make test` then reruns what they touched).
# Tables go to $OUTDIR/{nothing,test-edit,code-edit}.md (default
# .cache/warm), make's output beside them.
#
#   scripts/time-warm.sh [MAKEFLAGS/targets…]   (default: test)
set -euo pipefail
cd "$(dirname "$0")/.."
outdir=${OUTDIR:-.cache/warm}
mkdir -p "$outdir"
[ -z "$(git status --porcelain -- call_test.go errors.go)" ] ||
	{ echo "time-warm.sh: call_test.go or errors.go is modified; commit or revert it first" >&2; exit 2; }
old='errors.New("intercom: response body too large")'
new="errors.New(\"intercom: the response body is too large (time-warm.sh $(date +%s))\")"
grep -qF "$old" errors.go || { echo "time-warm.sh: errors.go has no $old" >&2; exit 2; }
trap 'git checkout -- call_test.go errors.go' EXIT

run() {
	local name=$1
	shift
	echo "== $name"
	OUT=$outdir/$name.out scripts/time-make-test.sh "$@" >"$outdir/$name.md" || { cat "$outdir/$name.md"; return 1; }
	head -n1 "$outdir/$name.md"
	tail -n1 "$outdir/$name.md"
}

cases=" ${CASES:-nothing test-edit code-edit} "
[[ $cases != *" nothing "* ]] || run nothing "$@"
if [[ $cases == *" test-edit "* ]]; then
	printf '\n// time-warm.sh: a comment, to time the edit–test loop.\n' >>call_test.go
	run test-edit "$@"
fi
if [[ $cases == *" code-edit "* ]]; then
	sed -i "s/$old/$new/" errors.go
	grep -qF "$new" errors.go
	run code-edit "$@"
fi
