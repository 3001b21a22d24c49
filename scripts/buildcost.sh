#!/usr/bin/env bash
# What a program pays at build time for this library (issue "what a user
# pays to build it"): for a plain net/http program and for programs making
# one and ten calls through api/v2.16 and api/v2.7, each in a module of its
# own outside the repository (as a user's), it measures
#
#   - the added cold build: `go build` with a fresh build cache in which the
#     standard library is already compiled (median of RUNS);
#   - for the plain program, the fully cold build (empty cache), the
#     reference the targets are ratios of;
#   - the binary size, and its growth over the plain program;
#   - `go list -m all` of the program's module after `go mod tidy`, and the
#     indirect requirements tidy writes into its go.mod.
#
# Prints a Markdown table (docs/performance.md keeps the latest run).
#   RUNS=5 scripts/buildcost.sh
# MODULES_ONLY=1 skips the builds and prints the module columns only (with
# the go.sum lines tidy writes), in seconds instead of minutes.
#   MODULES_ONLY=1 scripts/buildcost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# program NAME VERSION CALLS writes a user module calling the API CALLS
# times through api/VERSION ("" for plain net/http).
program() {
	local dir="$work/$1" version=$2 calls=$3
	mkdir -p "$dir"
	if [ -z "$version" ]; then
		cat >"$dir/main.go" <<'EOF'
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

type contact struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

func main() {
	req, _ := http.NewRequest("GET", "https://api.intercom.io/contacts/"+os.Args[1], nil)
	req.Header.Set("Authorization", "Bearer "+os.Getenv("INTERCOM_TOKEN"))
	req.Header.Set("Intercom-Version", "2.16")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var c contact
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		panic(err)
	}
	fmt.Println(c.Email)
}
EOF
		printf 'module example.com/%s\n\ngo 1.25\n' "$1" >"$dir/go.mod"
		return
	fi
	local dirname=v$version
	[ "$version" = Preview ] && dirname=preview
	{
		cat <<EOF
package main

import (
	"context"
	"fmt"
	"os"

	intercom "github.com/apipin/intercom/api/$dirname"
)

func main() {
	ctx := context.Background()
	c, err := intercom.New(intercom.WithToken(os.Getenv("INTERCOM_TOKEN")))
	if err != nil {
		panic(err)
	}
	id := os.Args[1]
	contact, err := c.ShowContact(ctx, id, nil)
	fmt.Println(contact, err)
EOF
		if [ "$calls" -gt 1 ]; then
			cat <<'EOF'
	company, err := c.AttachContactToACompany(ctx, id, intercom.AttachContactToACompanyRequest{ID: os.Args[2]}, nil)
	fmt.Println(company, err)
	detached, err := c.DetachContactFromACompany(ctx, id, os.Args[2], nil)
	fmt.Println(detached, err)
	for contact, err := range c.ListContactsAll(ctx, nil) {
		fmt.Println(contact.Email, err)
	}
	for company, err := range c.ListAllCompaniesAll(ctx, nil) {
		fmt.Println(company.Name, err)
	}
	upserted, err := c.CreateOrUpdateCompany(ctx, intercom.CreateOrUpdateCompanyRequest{CompanyID: intercom.Ptr("acme")}, nil)
	fmt.Println(upserted, err)
	deleted, err := c.DeleteContact(ctx, id, nil)
	fmt.Println(deleted, err)
	admins, err := c.ListAdmins(ctx, nil)
	fmt.Println(admins, err)
	tags, err := c.ListTags(ctx, nil)
	fmt.Println(tags, err)
	me, err := c.IdentifyAdmin(ctx, nil)
	fmt.Println(me, err)
EOF
		fi
		echo "}"
	} >"$dir/main.go"
	printf 'module example.com/%s\n\ngo 1.25\n\nrequire github.com/apipin/intercom v0.0.0\n\nreplace github.com/apipin/intercom => %s\n' "$1" "$root" >"$dir/go.mod"
	(cd "$dir" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1)
}

# build DIR [std]: seconds of one cold `go build` of the module in DIR,
# from a copy of the standard library's cache ("std") or an empty one.
build() {
	local cache="$work/cache-$RANDOM$RANDOM"
	if [ "${2:-}" = std ]; then cp -r "$stdcache" "$cache"; else mkdir -p "$cache"; fi
	local a b
	a=$(now)
	(cd "$1" && GOCACHE="$cache" GOFLAGS=-trimpath go build -o "$1/bin" .)
	b=$(now)
	chmod -R u+w "$cache"
	rm -rf "$cache"
	awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f\n", b-a}'
}

if [ -n "${MODULES_ONLY:-}" ]; then
	echo "date: $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $(go version | cut -d' ' -f3-)"
	echo
	echo "| program | go list -m all | requirements in go.mod (indirect) | go.sum lines |"
	echo "|---|---|---|---|"
	for spec in "one-call 2.16 1" "ten-call 2.16 10" "one-call 2.7 1" "ten-call 2.7 10"; do
		set -- $spec
		name="$1-${2//./}"
		program "$name" "$2" "$3"
		mods=$(cd "$work/$name" && go list -m all | tail -n +2 | wc -l)
		reqs=$(grep -cE '^(require )?[[:space:]]*[a-z0-9.-]+\.[a-z]+/[^ ]+ v[0-9]' "$work/$name/go.mod" || true)
		indirect=$(grep -c '// indirect' "$work/$name/go.mod" || true)
		sums=$(wc -l <"$work/$name/go.sum")
		echo "| $1 (api/v$2) | $mods | $reqs ($indirect) | $sums |"
	done
	exit 0
fi

# A base cache holding the compiled standard library, copied for each run.
stdcache="$work/stdcache"
GOCACHE="$stdcache" GOFLAGS=-trimpath go build std

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3-), load average $(cut -d' ' -f1 /proc/loadavg) at the start"
echo "date: $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD), $runs runs each, median"
echo

program plain "" 0
fullcold=$(for _ in $(seq "$runs"); do build "$work/plain"; done | median)
plainbuild=$(for _ in $(seq "$runs"); do build "$work/plain" std; done | median)
plainsize=$(stat -c %s "$work/plain/bin")

echo "| program | added cold build (s) | ÷ plain fully cold | binary (MB) | growth over plain (MB) | go list -m all | indirect requirements in go.mod |"
echo "|---|---|---|---|---|---|---|"
awk -v f="$fullcold" -v p="$plainbuild" -v s="$plainsize" 'BEGIN{printf "| net/http + encoding/json | %.1f (%.1f fully cold) | %.2f | %.1f | 0 | 0 | 0 |\n", p, f, p/f, s/1e6}'
for spec in "one-call 2.16 1" "ten-call 2.16 10" "one-call 2.7 1" "ten-call 2.7 10"; do
	set -- $spec
	name="$1-${2//./}"
	program "$name" "$2" "$3"
	t=$(for _ in $(seq "$runs"); do build "$work/$name" std; done | median)
	size=$(stat -c %s "$work/$name/bin")
	mods=$(cd "$work/$name" && go list -m all | tail -n +2 | wc -l)
	indirect=$(grep -c '// indirect' "$work/$name/go.mod" || true)
	awk -v n="$1 (api/v$2)" -v t="$t" -v f="$fullcold" -v s="$size" -v ps="$plainsize" -v m="$mods" -v i="$indirect" \
		'BEGIN{printf "| %s | %.1f | %.2f | %.1f | %.1f | %d | %d |\n", n, t, t/f, s/1e6, (s-ps)/1e6, m, i}'
done
