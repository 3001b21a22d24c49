# Sourced by scripts/buildcost.sh, buildcost-vs.sh and compilecpu.sh: the programs
# whose build they measure. program writes into $work, with `replace` to
# $root.

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
