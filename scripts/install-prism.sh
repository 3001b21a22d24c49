#!/usr/bin/env bash
# Installs the Prism mock server pinned by tests/conformance/package-lock.json
# into .tools/prism (git-ignored), for the conformance suite. `npm ci` installs
# exactly the locked tree and checks every package's integrity hash; a second
# run with an unchanged lock does nothing. Needs Node (>= 18.20) and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

src=tests/conformance
dst=.tools/prism
bin=$dst/node_modules/.bin/prism

# The installed version, from its package.json: `prism --version` starts
# Node and loads Prism, 1.5 s before every `make test`.
version() {
	sed -n 's/^  "version": "\(.*\)",$/\1/p' "$dst/node_modules/@stoplight/prism-cli/package.json"
}

if [ -x "$bin" ] && cmp -s "$src/package-lock.json" "$dst/package-lock.json"; then
	echo "prism $(version) already installed in $dst"
	exit 0
fi
mkdir -p "$dst"
cp "$src/package.json" "$src/package-lock.json" "$dst/"
# --ignore-scripts: nothing in the tree needs an install script (one only
# phones home with usage analytics).
(cd "$dst" && npm ci --ignore-scripts --no-audit --no-fund)
"$bin" --version >/dev/null # fails here if the installed command does not start
echo "prism $(version) installed in $dst"
