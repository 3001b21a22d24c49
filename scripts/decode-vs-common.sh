# Sourced by scripts/bench-decode-vs.sh and scripts/decode-instructions.sh:
# the test binaries of tests/decode at another revision and at this checkout.
#   decode_vs_build REV TMP
# builds TMP/base.test in a detached worktree TMP/base of REV (its
# tests/decode directory, which the benchmarks read testdata from, is
# TMP/base/tests/decode) and TMP/head.test from $root, and sets an EXIT trap
# that removes the worktree and TMP. The caller sets root.
decode_vs_build() {
	local rev=$1 tmp=$2
	trap 'git -C "$root" worktree remove --force "'"$tmp"'/base" >/dev/null 2>&1 || true; rm -rf "'"$tmp"'"' EXIT
	git -C "$root" worktree add --detach "$tmp/base" "$rev" >/dev/null
	(cd "$tmp/base/tests" && go test -c -o "$tmp/base.test" ./decode)
	(cd "$root/tests" && go test -c -o "$tmp/head.test" ./decode)
}
