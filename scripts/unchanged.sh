#!/usr/bin/env bash
# unchanged.sh NAME 'COMMAND' [INPUT…]: runs COMMAND (with bash) unless it
# already passed with exactly the same inputs; records a pass in
# .cache/passed/NAME.
#
# Only for checks whose outcome is a function of the inputs hashed here
# (check-generated, vet, lint, and the test suites Go's test cache cannot
# track because they start processes: go, git, zip, Prism, Chromium, their
# own binary). A suite that passed once on these inputs is not rerun, as Go's
# test cache does for a test whose binary, files and variables are unchanged.
#
# The key is a SHA-256 of what every step shares:
#   - NAME, COMMAND and the INPUT words;
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
#     .tools/prism, and the Debian versions of chromium and its font;
#   - scripts/unchanged.sh itself;
# and of the files of the working tree the step can read, as its INPUT words
# say (none: `tree`):
#   tree           every file git sees in the working tree: tracked files as
#                  they are on disk (modified or not; a deleted one hashes as
#                  missing) and untracked files that are not ignored;
#   path:P         the same, for the files under P (a file or a directory,
#                  relative to the repository's root);
#   all:P          every file under P, git-ignored ones too (for a directory
#                  a step walks, like api/ for the generator's -check);
#   glob:G         the same, for the files matching G (a git glob pathspec:
#                  glob:**/staticcheck.conf), present or not;
#   go:DIR:PATS    the Go packages `cd DIR && go list -e -deps -test PATS`
#                  gives (PATS comma-separated): that listing (every
#                  package's import path, directory, module, errors and
#                  file names) and the content of each of their Go, cgo,
#                  assembly and embedded files inside the repository, and of
#                  the .go files build constraints exclude (vet's buildtag
#                  check reads them) (a test
#                  variant's files include its _test.go files; a package the
#                  patterns only reach as a dependency is listed without
#                  them), each module's go.mod and go.sum, and `go env
#                  GOWORK GOFLAGS` there. This is what `go vet`, staticcheck,
#                  `go build`, `go run` and `go test` of PATS compile;
#   gobuild:DIR:PATS  the same without -test (what `go run`/`go build` compile);
#   api:DIR:PATS   the same listing as gobuild:, but of the library's .go
#                  files only their API (scripts/apikey: declarations, doc
#                  comments and exported types without function bodies and
#                  variables' values; generated files whole), for a step
#                  whose outcome depends on what a program compiled against
#                  the packages sees, not on what their code does: it runs
#                  none of it (type-checking, building a program without
#                  running it, reading the packages' docs). A reviewed
#                  declaration, as for headers:: strace sees the files read
#                  in full. go vet and staticcheck of the modules built on
#                  the library are keyed so (the Makefile's
#                  analysis_inputs), but for their facts about its
#                  functions (printf wrappers, functions that never
#                  return, pure ones), which come from bodies: the warm
#                  loop may miss those until the API or the module's own
#                  files change, a FRESH=1 run (CI) does not; vet/root and
#                  lint/root analyze the library's own code in full;
#   headers:DIR    go list's listing of the package in DIR, which says what
#                  go/build reads from the header of each of its .go files
#                  (package clause, build constraints, imports, embed
#                  patterns), for a step that lists DIR and reads those
#                  headers (the generator's build.ImportDir of the root
#                  package; x/tools/imports, which oapi-codegen runs in gen)
#                  and the content of no more than the files a go: or
#                  gobuild: word hashes. A reviewed declaration: strace
#                  cannot tell a header from a file.
# A step that also reads other files of the tree at run time (testdata,
# templates, docs it compares against, the api/ tree) names them with path:
# and all: words. scripts/check-inputs.py runs steps under strace and fails
# if one touches a path of the repository that its key does not cover.
#
# The module cache is not hashed: the go command verifies each module
# against go.sum (hashed) when it downloads it and treats the cache as
# read-only afterwards; files outside the repository that go list names
# (GOROOT, the module cache) are covered by `go version`, go env and go.sum.
#
# UNCHANGED_MEMO=DIR (make test sets it to a directory of its own for the
# run): the parts of keys that many steps share are computed once per run and
# kept there: the hash of the toolchain, environment, tools and specs part
# above, and each api: word's listing. A step's record is then checked
# against the run's toolchain, tools, specs and library API as they were when
# the first step of the run computed them; its own files are hashed when it
# starts, as always, and again when it has run, together with its api: words
# computed afresh (the check below that its inputs did not change while it
# ran).
#
# FRESH=1 runs COMMAND whatever the record says (and records a pass again).
# UNCHANGED_LIST=1 prints what the key covers (`file P`, `dir P`, `all P`,
# `glob G`, `headers P`, `apifile P`, `pkgdir P`, `walk MODULEDIR`,
# repository-relative)
# instead of running anything; UNCHANGED_STRACE=PREFIX runs COMMAND under
# strace -ff (scripts/check-inputs.py sets both).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 command=$2
shift 2
[ $# -gt 0 ] || set -- tree
dir=.cache/passed
mkdir -p "$dir"

# golist DIR PATS [-test]: `go env GOWORK GOFLAGS` in DIR, then one line per
# package: import path, directory, go.mod files, errors and what go list
# learned from every file's header (test files and imports, embed patterns,
# ignored and invalid files), then the files it compiles, tab-separated.
golist() {
	local moddir=$1 pats=$2 test=${3:-}
	# shellcheck disable=SC2086
	(cd "$moddir" && go env GOWORK GOFLAGS && go list -e -deps $test -f \
		'{{.ImportPath}}{{"\t"}}{{.Dir}}{{"\t"}}{{with .Module}}{{.GoMod}}{{with .Replace}} {{.GoMod}}{{end}}{{end}}{{"\t"}}{{with .Error}}{{.Err}}{{end}}{{range .DepsErrors}} {{.Err}}{{end}} tests {{.TestGoFiles}} {{.XTestGoFiles}} {{.TestImports}} {{.XTestImports}} {{.TestEmbedPatterns}} {{.XTestEmbedPatterns}} ignored {{.IgnoredGoFiles}} {{.IgnoredOtherFiles}} invalid {{.InvalidGoFiles}}{{range .GoFiles}}{{"\t"}}{{.}}{{end}}{{range .CgoFiles}}{{"\t"}}{{.}}{{end}}{{range .CFiles}}{{"\t"}}{{.}}{{end}}{{range .HFiles}}{{"\t"}}{{.}}{{end}}{{range .SFiles}}{{"\t"}}{{.}}{{end}}{{range .SysoFiles}}{{"\t"}}{{.}}{{end}}{{range .EmbedFiles}}{{"\t"}}{{.}}{{end}}{{range .IgnoredGoFiles}}{{"\t"}}{{.}}{{end}}{{if .ForTest}}{{range .TestEmbedFiles}}{{"\t"}}{{.}}{{end}}{{range .XTestEmbedFiles}}{{"\t"}}{{.}}{{end}}{{end}}' \
		${pats//,/ })
}

# memo NAME COMMAND…: COMMAND's output, kept in $UNCHANGED_MEMO/NAME for the
# rest of the run once a step has computed it (written under a temporary
# name, then renamed: two steps may compute it at once); without
# UNCHANGED_MEMO, computed every time.
memo() {
	local name=$1
	shift
	if [ -z "${UNCHANGED_MEMO:-}" ]; then
		"$@"
		return
	fi
	local f=$UNCHANGED_MEMO/$name
	if [ ! -f "$f" ]; then
		"$@" >"$f.$$" || { rm -f "$f.$$"; return 1; }
		mv "$f.$$" "$f"
	fi
	cat "$f"
}

# covered: what the INPUT words cover, as `file P` (hashed by content),
# `dir P` (every file git sees under P), `all P` (every file under P),
# `glob G`, and for check-inputs.py `pkgdir P` (a Go package's directory),
# `walk DIR` (a go: module) and `headers P`; with the go list listings
# (prefixed `list `) that go into the key too.
root=$PWD
api_afresh=
covered() {
	local in kind rest moddir pats test
	for in in "$@"; do
		kind=${in%%:*} rest=${in#*:}
		case $kind in
		tree) echo "dir ." ;;
		path) echo "dir $rest" ;;
		all) echo "all $rest" ;;
		glob) echo "glob $rest" ;;
		headers)
			# What go/build learns from the header of every .go file in
			# the directory: go list's listing of the package (file names
			# by role, test imports, embed patterns, ignored and invalid
			# files, errors), without the files' content.
			echo "headers $rest"
			golist "$rest" . | sed 's/^/list /'
			;;
		go | gobuild | api)
			moddir=${rest%%:*} pats=${rest#*:} test=
			[ "$kind" = go ] && test=-test
			echo "walk $moddir"
			if [ "$kind" = api ]; then
				local apikey
				if [ -n "$api_afresh" ]; then
					apikey=$(apikey "$moddir" "$pats")
				else
					apikey=$(memo "api-$(printf '%s' "$moddir:$pats" | sha256sum | cut -c1-16)" apikey "$moddir" "$pats")
				fi ||
					{ echo "unchanged.sh: scripts/apikey failed for $in" >&2; exit 2; }
				echo "list api $apikey"
				echo "file scripts/apikey/go.mod"
				echo "file scripts/apikey/main.go"
			fi
			golist "$moddir" "$pats" $test | awk -F'\t' -v root="$root" -v api="$([ "$kind" = api ] && echo 1)" '
				{ print "list " $0 }
				NF < 3 || !(substr($2, 1, length(root) + 1) == root "/" || $2 == root) { next }
				{
					dir = $2 == root ? "." : substr($2, length(root) + 2)
					print "pkgdir " dir
					n = split($3, mods, " ")
					for (i = 1; i <= n; i++) {
						if (substr(mods[i], 1, length(root) + 1) != root "/") continue
						m = substr(mods[i], length(root) + 2)
						print "file " m
						sub(/go\.mod$/, "go.sum", m)
						print "file " m
					}
					for (i = 5; i <= NF; i++) {
						if (substr($i, 1, 1) == "/") continue
						f = (dir == "." ? "" : dir "/") $i
						print (api && f ~ /\.go$/ ? "apifile " : "file ") f
					}
				}'
			;;
		*) echo "unchanged.sh: unknown input $in" >&2; exit 2 ;;
		esac
	done
}

# apikey MODDIR PATS: the hash of scripts/apikey's listing of the packages.
apikey() {
	local sum
	# shellcheck disable=SC2086
	sum=$(cd scripts/apikey && go run . -C "$root/$1" ${2//,/ } | sha256sum) || return 1
	echo "${sum%% *}"
}

# shared: what every step's key holds besides its own inputs.
shared() {
	sha256sum scripts/unchanged.sh
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
	local d
	for d in "${INTERCOM_OPENAPI_DIR:-}" ../shared/intercom-openapi .cache/intercom-openapi; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		echo "dir $d"
		(cd "$d" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum --)
	done
}

shared_sum() {
	local sum
	sum=$(shared | sha256sum) || return 1
	echo "${sum%% *}"
}

key() {
	printf 'name %s\ncommand %s\ninputs %s\n' "$name" "$command" "$*"
	local sum
	sum=$(memo shared shared_sum) || { echo "unchanged.sh: the shared part of the key failed" >&2; exit 2; }
	echo "shared $sum"
	local cov dirs=() files=()
	cov=$(covered "$@")
	printf '%s\n' "$cov" | grep '^list ' || true
	mapfile -t dirs < <(printf '%s\n' "$cov" | sed -n 's/^dir //p' | sort -u)
	mapfile -t files < <(printf '%s\n' "$cov" | sed -n 's/^file //p' | sort -u)
	while IFS= read -r f; do dirs+=(":(glob)$f"); done < <(printf '%s\n' "$cov" | sed -n 's/^glob //p' | sort -u)
	# Directories, as git sees them (tracked + untracked, not ignored): the
	# index's entries (mode, blob hash, path), then the content of every
	# path that differs from them (modified, deleted, untracked). git status
	# compares contents where a file's stat data cannot tell.
	if [ "${#dirs[@]}" -gt 0 ]; then
		echo "dirs ${dirs[*]}"
		git ls-files -z --stage -- "${dirs[@]}"
		git status -z --porcelain=v1 --untracked-files=all --no-renames -- "${dirs[@]}" |
			tr '\0' '\n' | cut -c4- | while IFS= read -r f; do
			if [ -f "$f" ]; then sha256sum -- "$f"; else echo "missing $f"; fi
		done
	fi
	# all: directories, every file in them (git-ignored ones too).
	while IFS= read -r d; do
		echo "all $d"
		[ -e "$d" ] || { echo "missing $d"; continue; }
		find "$d" -type f -print0 | sort -z | xargs -0 -r sha256sum --
	done < <(printf '%s\n' "$cov" | sed -n 's/^all //p' | sort -u)
	# Go files, by content (ignored or not: go list named them).
	local f present=()
	for f in "${files[@]}"; do
		if [ -f "$f" ]; then present+=("$f"); else echo "missing $f"; fi
	done
	[ "${#present[@]}" -eq 0 ] || printf '%s\0' "${present[@]}" | xargs -0 sha256sum --
}

if [ "${UNCHANGED_LIST:-}" = 1 ]; then
	covered "$@" | grep -v '^list ' | sort -u
	exit 0
fi

sum=$(key "$@" | sha256sum | cut -d' ' -f1)
record=$dir/${name//\//_}
if [ "${FRESH:-}" != 1 ] && [ "$(cat "$record" 2>/dev/null)" = "$sum" ]; then
	echo "$name: passed before with the same inputs ($record; FRESH=1 reruns it): $command"
	exit 0
fi
rm -f "$record"
if [ -n "${UNCHANGED_STRACE:-}" ]; then
	# scripts/check-inputs.py: every file the step opens or stats, one
	# trace file per thread.
	strace -ff --seccomp-bpf -qq -y -e trace=open,openat,stat,lstat,newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,execve,chdir,fchdir,clone,clone3,fork,vfork \
		-o "$UNCHANGED_STRACE" bash -c "$command"
else
	bash -c "$command"
fi
# Recorded only if the inputs did not change while the check ran: it
# checked what the key describes.
api_afresh=1
[ "$(key "$@" | sha256sum | cut -d' ' -f1)" = "$sum" ] && echo "$sum" >"$record" ||
	echo "$name: the inputs changed while it ran; its pass is not recorded"
