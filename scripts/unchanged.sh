#!/usr/bin/env bash
# unchanged.sh NAME 'COMMAND': runs COMMAND (with bash) unless it already
# passed with exactly the same inputs; records a pass in .cache/passed/NAME.
#
# Only for checks whose outcome is a function of the inputs hashed here
# (check-generated, vet, lint, and the test suites Go's test cache cannot
# track because they start processes: go, git, zip, Prism, Chromium, their
# own binary). They read the repository's files, the Go toolchain and module
# cache, the pinned OpenAPI descriptions and those tools. A suite that
# passed once on these inputs is not rerun, as Go's test cache does for a
# test whose binary, files and variables are unchanged. The key is a
# SHA-256 of:
#   - NAME and COMMAND;
#   - the path and content of every file git sees in the working tree:
#     tracked files as they are on disk (modified or not; a deleted one hashes
#     as missing) and untracked files that are not ignored. Every source
#     file, go.mod/go.sum, generated output and committed report is one
#     (ignored files are not: .cache/, .tools/, bin/, test binaries);
#   - every file in the directories the spec package reads descriptions
#     from ($INTERCOM_OPENAPI_DIR, ../shared/intercom-openapi and the
#     ignored .cache/intercom-openapi), although Resolve checks each against
#     the committed spec lock anyway;
#   - `go version` and `go env` (toolchain, GOROOT, GOFLAGS, GOOS/GOARCH,
#     CGO, GOEXPERIMENT, proxy and module cache settings), and the
#     environment variables the suites read (INTERCOM_*, CI, CHROME_PATH)
#     (the tools below are resolved through PATH);
#   - the other tools: git, zip, node and chromium (resolved path, size,
#     modification time), node's version, the lock of the Prism tree in
#     .tools/prism, and the Debian versions of chromium and its font.
# The module cache is not hashed: the go command verifies each module
# against go.sum (hashed) when it downloads it and treats the cache as
# read-only afterwards.
#
# FRESH=1 runs COMMAND whatever the record says (and records a pass again).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 command=$2
dir=.cache/passed
mkdir -p "$dir"

key() {
	printf 'name %s\ncommand %s\n' "$name" "$command"
	go version
	go env | grep -v "^GOGCCFLAGS=" # its temporary directory differs in every run
	env | grep -E '^(INTERCOM_[A-Z_]*|CI|CHROME_PATH)=' | sort || true
	# The other tools the suites start: git, zip, Node and the Prism tree
	# npm ci installed (its lock; npm checked every package against it),
	# Chromium and its font (Debian's package versions).
	local t p
	for t in git zip node chromium; do
		if p=$(command -v "$t"); then
			echo "tool $t $(readlink -f "$p") $(stat -L -c '%s %Y' "$p")"
		else
			echo "tool $t missing"
		fi
	done
	node --version 2>/dev/null || true
	sha256sum .tools/prism/package-lock.json 2>/dev/null || echo "prism not installed"
	dpkg-query -W chromium fonts-dejavu-core 2>/dev/null || true
	# Working tree, as git sees it (tracked + untracked, not ignored): the
	# index's entries (mode, blob hash, path), then the content of every
	# path that differs from them (modified, deleted, untracked). git status
	# compares contents where a file's stat data cannot tell.
	git ls-files -z --stage
	git status -z --porcelain=v1 --untracked-files=all --no-renames |
		tr '\0' '\n' | cut -c4- | while IFS= read -r f; do
		if [ -f "$f" ]; then sha256sum -- "$f"; else echo "missing $f"; fi
	done
	local d
	for d in "${INTERCOM_OPENAPI_DIR:-}" ../shared/intercom-openapi .cache/intercom-openapi; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		echo "dir $d"
		(cd "$d" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum --)
	done
}
sum=$(key | sha256sum | cut -d' ' -f1)

record=$dir/${name//\//_}
if [ "${FRESH:-}" != 1 ] && [ "$(cat "$record" 2>/dev/null)" = "$sum" ]; then
	echo "$name: passed before with the same inputs ($record; FRESH=1 reruns it): $command"
	exit 0
fi
rm -f "$record"
bash -c "$command"
# Recorded only if the inputs did not change while the check ran: it
# checked what the key describes.
[ "$(key | sha256sum | cut -d' ' -f1)" = "$sum" ] && echo "$sum" >"$record" ||
	echo "$name: the inputs changed while it ran; its pass is not recorded"
