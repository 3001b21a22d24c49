#!/usr/bin/env bash
# Checks that `go install github.com/apipin/intercom/cmd/intercom@<version>`
# works from outside the repository, as it will once the modules are tagged.
#
# A module's go.mod may not carry a replace directive for `go install
# pkg@version`, so cmd/intercom/go.mod's `replace … => ../..` (which keeps
# development in one tree) must give way, at release, to a require of the
# tagged root module. This script does that release step on copies: it packs
# the root module (committed files, nested modules left out) and the command
# module (replace dropped, root required at the same version) into a
# file-based module proxy, with the generator's module the command requires
# (for gen/specdoc) released the same way, then runs go install @latest in an empty
# directory, with GOFLAGS cleared and no go.work, and runs the installed
# command with --fake. Modules other than these three come from the module
# cache's downloads or the usual proxy, into a module cache of the script's own.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${CHECK_INSTALL_VERSION:-v0.0.1}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
proxy=$work/proxy

# A module cache of its own: the shared one may hold an earlier run's copy of
# these modules at the same version, which the go command would trust over
# the proxy. Other modules come from the shared cache's downloads (read as a
# file-based proxy, no network) or else the usual proxy. It is kept between
# runs in .cache/check-install for those other modules (each was checked
# against go.sum when it came in), with this repository's modules removed
# before every run, so that each run takes them from the proxy. Kept at the
# same path, their packages keep their build-cache keys (a package's
# directory is part of them): after an edit, go install compiles what the
# edit changed, not every package of the repository's modules again, and
# nothing is unpacked again. The go command's index of the module cache
# (GODEBUG=goindex=0) is off: it takes a module's files for ever the same at
# a version, and ours change at v0.0.1 from run to run.
shared=$(go env GOMODCACHE)/cache/download
upstream=$(go env GOPROXY)
modcache=$PWD/.cache/check-install/modcache
for d in "$modcache/github.com/apipin" "$modcache/cache/download/github.com/apipin"; do
	if [ -e "$d" ]; then
		chmod -R u+w "$d"
		rm -rf "$d"
	fi
done
export GOMODCACHE=$modcache GOPROXY="file://$proxy,file://$shared,$upstream" GONOSUMDB=github.com/apipin GOFLAGS=-modcacherw GOWORK=off GODEBUG=goindex=0

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

# release MODULE DIR: packs the nested module in DIR as it would be tagged:
# its replace directives for this repository's modules dropped, and those
# modules required at the same version (they must be packed already).
release() {
	local mod=$1 dir=$2 copy=$work/copy/$1 dep
	mkdir -p "$copy"
	(cd "$dir" && git ls-files . | xargs -d '\n' cp --parents -t "$copy")
	for dep in $(cd "$copy" && go mod edit -json | sed -n 's/.*"Path": "\(github.com\/apipin\/intercom[^"]*\)".*/\1/p' | sort -u); do
		(cd "$copy" && go mod edit -dropreplace="$dep" -require="$dep@$version")
	done
	(cd "$copy" && go mod tidy)
	(cd "$copy" && find . -type f | sed 's|^\./||' >"$work/$(basename "$mod").files")
	pack "$mod" "$copy" "$work/$(basename "$mod").files"
}

# The generator's module (the command's operation table reads specs through
# gen/specdoc), then the command's module.
release github.com/apipin/intercom/gen gen
release github.com/apipin/intercom/cmd/intercom cmd/intercom

mkdir -p "$work/outside" "$work/bin"
cd "$work/outside"
GOBIN="$work/bin" go install github.com/apipin/intercom/cmd/intercom@latest
lines=$("$work/bin/intercom" --fake --fake-contacts 5 contacts list --all | wc -l)
[ "$lines" = 5 ] || { echo "check-install.sh: the installed command listed $lines contacts, want 5" >&2; exit 1; }
echo "check-install.sh: go install github.com/apipin/intercom/cmd/intercom@latest ($version) from outside the repository works; the installed command ran"
