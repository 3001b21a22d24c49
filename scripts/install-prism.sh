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

if [ -x "$bin" ] && cmp -s "$src/package-lock.json" "$dst/package-lock.json"; then
	echo "prism $("$bin" --version) already installed in $dst"
	exit 0
fi
mkdir -p "$dst"
cp "$src/package.json" "$src/package-lock.json" "$dst/"
# --ignore-scripts: nothing in the tree needs an install script (one only
# phones home with usage analytics).
(cd "$dst" && npm ci --ignore-scripts --no-audit --no-fund)
echo "prism $("$bin" --version) installed in $dst"
