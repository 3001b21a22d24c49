#!/usr/bin/env bash
# Checks that `go install github.com/apipin/intercom/cmd/intercom@<version>`
# works from outside the repository, as it will once both modules are tagged.
#
# A module's go.mod may not carry a replace directive for `go install
# pkg@version`, so cmd/intercom/go.mod's `replace … => ../..` (which keeps
# development in one tree) must give way, at release, to a require of the
# tagged root module. This script does that release step on copies: it packs
# the root module (committed files, nested modules left out) and the command
# module (replace dropped, root required at the same version) into a
# file-based module proxy, then runs go install @latest in an empty
# directory, with GOFLAGS cleared and no go.work, and runs the installed
# command with --fake. Modules other than these two come through the usual
# proxy (or the module cache).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${CHECK_INSTALL_VERSION:-v0.0.1}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
proxy=$work/proxy

# pack MODULE DIR FILELIST: writes MODULE@version into the proxy.
pack() {
	local mod=$1 dir=$2 list=$3 at=$work/stage/$1@$version
	mkdir -p "$at" "$proxy/$mod/@v"
	(cd "$dir" && xargs -d '\n' cp --parents -t "$at" <"$list")
	(cd "$work/stage" && zip -qr "$proxy/$mod/@v/$version.zip" "$mod@$version")
	cp "$at/go.mod" "$proxy/$mod/@v/$version.mod"
	printf '{"Version":"%s","Time":"2026-12-01T00:00:00Z"}\n' "$version" >"$proxy/$mod/@v/$version.info"
	echo "$version" >"$proxy/$mod/@v/list"
}

# The root module: committed files outside the nested modules.
nested=$(git ls-files '*/go.mod' | xargs -n1 dirname | sed 's|$|/|')
git ls-files | grep -v -F "$nested" >"$work/root.files"
pack github.com/apipin/intercom . "$work/root.files"

# The command's module, as it would be tagged.
mkdir -p "$work/cmd"
(cd cmd/intercom && git ls-files . | xargs -d '\n' cp --parents -t "$work/cmd")
(cd "$work/cmd" && go mod edit -dropreplace=github.com/apipin/intercom -require=github.com/apipin/intercom@"$version" &&
	GOPROXY="file://$proxy,$(go env GOPROXY)" GONOSUMDB=github.com/apipin GOFLAGS= GOWORK=off go mod tidy)
(cd "$work/cmd" && find . -type f | sed 's|^\./||' >"$work/cmd.files")
pack github.com/apipin/intercom/cmd/intercom "$work/cmd" "$work/cmd.files"

mkdir -p "$work/outside" "$work/bin"
cd "$work/outside"
GOPROXY="file://$proxy,$(go env GOPROXY)" GONOSUMDB=github.com/apipin GOFLAGS= GOWORK=off GOBIN="$work/bin" \
	go install github.com/apipin/intercom/cmd/intercom@latest
lines=$("$work/bin/intercom" --fake --fake-contacts 5 contacts list --all | wc -l)
[ "$lines" = 5 ] || { echo "check-install.sh: the installed command listed $lines contacts, want 5" >&2; exit 1; }
echo "check-install.sh: go install github.com/apipin/intercom/cmd/intercom@latest ($version) from outside the repository works; the installed command ran"
