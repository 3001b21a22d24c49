# Everything the project does, one target each. `make test` is what CI runs.
GO ?= go
comma = ,
space = $(empty) $(empty)
UNCHANGED = ./scripts/unchanged.sh
export GOTOOLCHAIN ?= local

.PHONY: buildcost all generate check-generated specs test unit vet lint bench bench-gen bench-decode bench-engines bench-fake bench-cli fuzz prism conformance reliability demo fake diff review help check-install site site-screenshots chromium

all: generate test

## generate: regenerate api/ (and intercomtest's API tables) from the pinned specs, then the version-diff reports in docs/diffs and the intercom command's operation table, and the version matrix in docs/site
generate:
	$(GO) generate ./...
	reports=$$(mktemp) && trap 'rm -f "$$reports"' EXIT && \
		(cd cmd/intercom-diff && $(GO) run . -all -reports "$$reports") && \
		(cd cmd/intercom-site && $(GO) run . -reports "$$reports")
	cd cmd/intercom && $(GO) run ./internal/opsgen

# The generator reads the root package's declarations and their docs (it
# re-exports them; go/build reads every file's header there): its API, as
# api:.:./... (more than it reads: the same words as the other API-keyed
# steps', computed once per run, see scripts/unchanged.sh); the
# specs and, with -check, the committed output. It does not link the
# library (gen imports only spec and gen/specdoc), so an edit of the
# library's function bodies does not rerun it. oapi-codegen formats its
# output with x/tools/imports, which lists the working directory (gen) and
# parses its non-test .go files, which gobuild:gen:. hashes
# (build-constrained ones included): headers:gen.
INPUTS_gen = gobuild:gen:. api:.:./... headers:. headers:gen all:api path:internal/allversions path:tests/decode/defaultmodels
## check-generated: regenerate api/ (and the decode baseline models, docs/diffs and docs/site, in memory) and fail on any difference (each step skipped when it passed before on the same inputs, the files named after its command: scripts/unchanged.sh; FRESH=1 reruns)
CHECK_GENERATED = check-generated/api check-generated/apitables check-generated/diffs check-generated/site check-generated/ops
check-generated: $(CHECK_GENERATED)
check-generated/api:
	$(UNCHANGED) $@ 'cd gen && $(GO) run . -check' $(INPUTS_gen)
check-generated/apitables:
	$(UNCHANGED) $@ 'cd intercomtest/internal/apitables/gen && $(GO) run . -check' gobuild:intercomtest/internal/apitables/gen:. path:intercomtest/internal/apitables
# docs/diffs and the site (docs/site): intercom-diff compares every pair
# once, and the site's changes (data/changes.js) are made from the same
# reports (-reports), as `make generate` makes them. Two steps: the
# comparison reads the version packages' API (type-checking them; it does
# not link the library: api:), and leaves its reports beside its record in
# .cache/passed for the site's step, which links every version package
# (internal/allversions) and so reruns after any edit of the library.
DIFF_REPORTS = .cache/passed/check-generated_diffs.reports.json
check-generated/diffs:
	$(UNCHANGED) $@ '(cd cmd/intercom-diff && $(GO) run . -all -check -reports ../../$(DIFF_REPORTS).new) && mv $(DIFF_REPORTS).new $(DIFF_REPORTS)' gobuild:cmd/intercom-diff:. api:.:./... all:api path:docs/diffs
check-generated/site: check-generated/diffs
	@[ -f $(DIFF_REPORTS) ] || { echo "$(DIFF_REPORTS) is missing (the record of check-generated/diffs without its reports): make check-generated/diffs FRESH=1" >&2; exit 1; }
	$(UNCHANGED) $@ 'cd cmd/intercom-site && $(GO) run . -reports ../../$(DIFF_REPORTS) -check' gobuild:cmd/intercom-site:. path:docs/site all:$(DIFF_REPORTS)
check-generated/ops:
	$(UNCHANGED) $@ 'cd cmd/intercom && $(GO) run ./internal/opsgen -check' gobuild:cmd/intercom:./internal/opsgen path:cmd/intercom/internal

## diff: what changed between two versions, breaking first: make diff FROM=2.11 TO=2.13 [DIFFFLAGS="--format json --fail-on breaking"]
diff:
	cd cmd/intercom-diff && $(GO) run . $(DIFFFLAGS) $(FROM) $(TO)

## review: what changes for your own program (a Go module): make review MODULE=../myapp FROM=2.14 TO=2.16 [REVIEWFLAGS="-fail-on compile"]
review:
	cd cmd/intercom-diff && $(GO) run . -module $(abspath $(MODULE)) $(REVIEWFLAGS) $(FROM) $(TO)

## site: rebuild the version matrix (docs/site/index.html) from the packages and docs/site/data/changes.js, which `make generate` collects from intercom-diff
site:
	cd cmd/intercom-site && $(GO) run .

## site-screenshots: run the site's browser test (headless Chromium) and rewrite docs/site/screenshots
site-screenshots:
	cd cmd/intercom-site && $(GO) test -count=1 -run TestBrowser . -args -screenshots

## chromium: install Debian's chromium for the site's browser test (apt-get, as root; nothing when it is there)
chromium:
	./scripts/install-chromium.sh

## specs: fetch the pinned descriptions into .cache/ (needs a network)
specs:
	$(GO) run ./spec/fetch

## vet: go vet over every module (the library; the generators, the cross-version suites and the commands are modules of their own)
# The library's module is "root"; each other module is named by its directory.
MODULES = root gen intercomtest/internal/apitables/gen tests cmd/intercom-diff cmd/intercom cmd/intercom-site scripts/apikey
moddir = $(if $(filter root,$(1)),.,$(1))
VET = $(addprefix vet/,$(MODULES))
vet: $(VET)
# go vet's analysis processes and staticcheck run with GOGC=400: they hold
# the type-checked packages of the whole module in memory and collect it
# over and over at the default 100; at 400, after an edit of the library,
# go vet ./... of the root module took 20 % less CPU (20.1 → 16.4 and 17.6 →
# 13.3 s) and staticcheck 9 % less (16.4 → 15.0 s), for 350 MB of memory
# instead of 270 (go vet) and 550 instead of 270 (staticcheck).
ANALYSIS_GOGC = GOGC=400
# What go vet and staticcheck of a module read: the library's module, all
# of its code (go:); every other module but scripts/apikey is built on it and
# on gen's: its own files and gen's by content, and the library's API
# (api:.:./..., the declarations a program compiled against it sees). An
# edit inside the library's functions so reruns the analysis of the
# library, not that of the suites and commands built on it, whose findings
# depend on those bodies only through the facts the analyzers derive from
# them (a printf wrapper, a function that never returns, a pure one): those
# the warm loop may miss until the module's own files or the library's API
# change, and every FRESH=1 run (CI) analyzes everything. After an edit of
# the library's code: 20 s of CPU for the tests module's vet and
# staticcheck, 10 s for the commands'.
analysis_inputs = $(if $(filter root,$(1)),go:.:./...,$(if $(filter scripts/apikey,$(1)),go:$(1):./...,$(sort path:$(1) path:gen) api:.:./...))
$(VET): vet/%:
	$(UNCHANGED) $@ 'cd $(call moddir,$*) && $(ANALYSIS_GOGC) $(GO) vet ./...' $(call analysis_inputs,$*)

## lint: staticcheck (pinned) on the hand-written packages
# staticcheck also reads a staticcheck.conf in each package's directory and
# its parents, if there is one: glob:**/staticcheck.conf.
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
LINT = $(addprefix lint/,$(MODULES))
lint: $(LINT)
LINT_ROOT = . ./spec/... ./intercomtest/... ./webhook/... ./internal/... ./cmd/intercom-demo/... ./cmd/intercom-fake/...
lint/root:
	$(UNCHANGED) $@ '$(ANALYSIS_GOGC) $(GO) run $(STATICCHECK) $(LINT_ROOT)' go:.:$(subst $(space),$(comma),$(LINT_ROOT)) glob:**/staticcheck.conf
$(filter-out lint/root,$(LINT)): lint/%:
	$(UNCHANGED) $@ 'cd $* && $(ANALYSIS_GOGC) $(GO) run $(STATICCHECK) ./...' $(call analysis_inputs,$*) glob:**/staticcheck.conf

## unit: all tests, with the race detector on the hand-written packages
# Tests that start no process and reach nothing but loopback servers of
# their own use Go's test cache (a warm run with unchanged sources reruns
# none of them): the files they open and the environment variables they
# read, which the cache tracks, are all their inputs. They are the library
# module's tests and the packages of the tests module in TESTS_CACHED
# (tests/cacheable_test.go keeps both so). The other tests start go, git,
# zip, Prism, Chromium or their own binary, which the cache cannot see into:
# they run with -count=1, through scripts/unchanged.sh, skipped when they
# passed on the same inputs: the specs, go env, the tool versions and the
# files of the tree each step names after its command (go:/gobuild: the Go
# packages it compiles, from go list -deps; path:/all: the directories it
# reads at run time; none: the whole tree). scripts/check-inputs.py STEP…
# runs steps under strace and fails if one reads a file of the repository
# outside its key: run it after changing what a step reads.
# FRESH=1 runs everything.
# internal/allversions is left out of the race pass: its one test reads the
# version table in one goroutine, and building it with -race builds all
# eleven version packages with -race for it alone (the other packages here
# link four of them), about a minute of CPU after an edit of the library.
# internal/seedflow (the seed pages' flows, on 2.7, 2.11 and 2.16) is too,
# unless FRESH=1 (CI): with -race it builds three version packages with
# -race that nothing else of the pass needs, 12 s of CPU after an edit of
# the library, for flows whose concurrency (LinkContacts) is the root
# package's, which its own race tests drive. So the warm loop runs the
# flows without the race detector, and every CI run with it.
# (Both lists are computed on first use, once per make: $(eval … :=).)
RACE_SKIPPED = github.com/apipin/intercom/internal/allversions $(if $(filter 1,$(FRESH)),,github.com/apipin/intercom/internal/seedflow)
ROOT_RACE = $(eval ROOT_RACE := $$(filter-out $$(RACE_SKIPPED),$$(shell $$(GO) list . ./spec/... ./intercomtest/... ./webhook/... ./internal/...)))$(ROOT_RACE)
# The plain pass runs what the race pass does not: the packages outside
# ROOT_RACE (api/..., the commands, RACE_SKIPPED) and those of ROOT_RACE whose files
# depend on the race tag (internal/jsondec's allocation counts): the
# packages whose build-constrained files differ with -race. The others'
# tests are the same files built the same way but for the race detector's
# instrumentation (none reads -short or the race tag otherwise), as for the
# generator's tests below.
ROOT_PLAIN = $(eval ROOT_PLAIN := $$(filter-out $$(ROOT_RACE),$$(shell $$(GO) list ./...)) \
	$$(shell { $$(GO) list -f '{{.ImportPath}} {{.IgnoredGoFiles}}' $$(ROOT_RACE) && $$(GO) list -race -f '{{.ImportPath}} {{.IgnoredGoFiles}}' $$(ROOT_RACE); } | sort | uniq -u | cut -d' ' -f1 | sort -u))$(ROOT_PLAIN)
# go test's own vet pass is off in these steps: it runs a subset of go
# vet's checks on the packages it tests, which the vet/ steps run in full,
# test files included, on every module. Repeated in each step, it came to
# about 12 s of CPU after an edit of the library's code (each step
# recomputing the facts of the version packages its tests import). And the
# test binaries are linked without DWARF (-ldflags=-w): nothing here runs
# a debugger on them, and a link takes about 30 % less CPU without it
# (tests/conformance's: 2.9 → 2.0 s); stack traces come from the symbol
# table, which stays.
GOTEST = $(GO) test -vet=off -ldflags=-w
TESTS_CACHED = ./bench/... ./conformance/fuzz/... ./conformance/internal/... ./decode/... ./faults/... ./internal/...
CACHED = $(if $(filter 1,$(FRESH)),-count=1)
UNIT = unit/root unit/root-race unit/gen-race unit/tests unit/tests-cached unit/cmd/intercom-diff unit/cmd/intercom unit/check-install unit/cmd/intercom-site unit/scripts/apikey unit/conformance
unit: $(UNIT)
unit/root:
	$(GOTEST) $(CACHED) $(ROOT_PLAIN)
unit/root-race:
	$(GOTEST) $(CACHED) -race $(ROOT_RACE)
unit/tests-cached:
	cd tests && $(GOTEST) $(CACHED) $(TESTS_CACHED)
# The generator's tests run once, with -race: the race build compiles the
# same files of this repository (go list -race -deps -test lists the same
# non-standard files) and runs the same tests (none depends on the race
# tag or -short), so a plain run found nothing the race run does not.
# They do not link the library either (gen/generated_deps.go is built only
# for go mod tidy); they build and vet golden packages against it: api:.:./...
# (in INPUTS_gen).
unit/gen-race:
	$(UNCHANGED) $@ 'cd gen && $(GOTEST) -race -count=1 ./...' go:gen:./... $(INPUTS_gen) path:gen
# The tests package reads the whole tree (the README, docs, every go.mod,
# every file of the library's module through git ls-files): keyed on it.
unit/tests:
	$(UNCHANGED) $@ 'cd tests && $(GOTEST) -count=1 .'
# The Prism suite (every operation of every version against Prism, and
# against intercomtest). Prism's tree is keyed by its lock; Node also looks
# for a module it does not find there in node_modules directories above it
# (none exist): all:.tools/node_modules all:node_modules.
# Without FRESH=1 it answers each request that is byte for byte one of the
# last passing run's from that run's record of Prism's answers, kept in
# .cache/prism-replay under the served spec document, Prism's lock and Node
# (tests/conformance/replay_test.go), and starts Prism only for the others;
# FRESH=1 (CI) sends every request to Prism.
PRISM_REPLAY = $(if $(filter 1,$(FRESH)),,-args -prism-replay ../../.cache/prism-replay)
unit/conformance:
	$(UNCHANGED) $@ 'cd tests && $(GOTEST) -count=1 ./conformance $(PRISM_REPLAY)' go:tests:./conformance path:tests/conformance all:.tools/node_modules all:node_modules
# What else each command's tests read: intercom-diff's build (without
# running them) sample modules against the library, type-check the api/
# packages and compare them and docs/diffs: the library's API (intercom-diff
# itself does not link the library); the site's open docs/site in Chromium
# and check its data files.
INPUTS_cmd/intercom-diff = api:.:./... all:api path:docs/diffs
INPUTS_cmd/intercom-site = path:docs/site
unit/cmd/intercom-diff unit/cmd/intercom unit/cmd/intercom-site unit/scripts/apikey: unit/%:
	$(UNCHANGED) $@ 'cd $* && $(GOTEST) -count=1 ./...' go:$*:./... path:$* $(INPUTS_$*)
# check-install packs the committed files of three modules, test files
# included: keyed on the whole tree.
unit/check-install:
	$(UNCHANGED) $@ ./scripts/check-install.sh

## test: what CI runs: prism, then check-generated, vet, lint and unit, TESTJOBS (default: the number of cores) steps at a time (with FRESH=1, as in CI, the Prism suite after them, alone)
TESTJOBS ?= $(shell nproc 2>/dev/null || echo 2)
# `go build` of the module's packages first compiles the library and the
# version packages that almost every step then links or type-checks, with
# both cores: two steps started together would each compile them (the
# build cache does not share work in progress). Its commands are left out:
# go build links every command it is given (and throws the binaries away),
# 5 s of CPU that no step reuses (their tests link binaries of their own).
LIBRARY_PACKAGES = $(shell $(GO) list -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' ./...)
# The steps share one UNCHANGED_MEMO directory (scripts/unchanged.sh): the
# parts of their keys that do not depend on the step (toolchain, tools,
# specs; the library's API) are computed once per run, not in each of
# thirty-odd steps (about 20 s of CPU after an edit of the library's code).
test: prism
	$(GO) build $(LIBRARY_PACKAGES)
	memo=$$(mktemp -d) && trap 'rm -rf "$$memo"' EXIT && export UNCHANGED_MEMO=$$memo && \
		$(MAKE) --no-print-directory -j$(TESTJOBS) --output-sync=target TESTING=1 test-steps \
		$(if $(PRISM_ALONE),&& $(MAKE) --no-print-directory unit/conformance)
# Long steps first, so that the short ones fill the gaps at the end: the
# race pass (the longest after an edit of the library's code: a chain of
# compiles, root package, version packages, seedflow, then the tests), then
# the tests module's chain (below) and check-install, keyed on the whole
# tree (what an edit to a test of the library reruns, with the race pass);
# the steps of 5 s and more after an edit of the library's code before the
# short ones.
# With FRESH=1 (CI) the
# Prism suite runs after them, alone: with two steps at a time beside it,
# a call to Prism once got "connection reset by peer" (see
# docs/performance.md), before each call had a connection of its own; it
# is not shown reliable under that load. Otherwise it runs among them: it
# replays the last passing run's answers and starts Prism only for a
# request it has no record of (a reset call is sent once more, and logged).
PRISM_ALONE = $(filter 1,$(FRESH))
CHAINED = vet/gen lint/gen unit/gen-race vet/tests lint/tests unit/tests
test-steps: unit/root-race chain/tests unit/check-install check-generated/diffs unit/cmd/intercom-diff chain/gen $(if $(PRISM_ALONE),,unit/conformance) unit/root unit/tests-cached unit/cmd/intercom unit/cmd/intercom-site vet/root lint/root \
	$(filter-out $(CHAINED) unit/conformance,$(CHECK_GENERATED) $(VET) $(LINT) $(UNIT))

# Tests that create packages inside their module (gen/goldenbuild*,
# tests/readme-build*) must not run while vet or staticcheck lists that
# module's packages: with TESTING=1 they come after them. test-steps runs
# each such chain as one goal, chain/MODULE (a make of its own, sharing the
# job slots), which starts as soon as a slot is free: make, which goes
# through its goals in order, starting each one whose prerequisites are
# done, looks again at one still waiting for them only once it has been
# through all the others: unit/tests, the last to start, ran alone for its
# last 8 s.
ifdef TESTING
unit/gen-race: vet/gen lint/gen
unit/tests: vet/tests lint/tests
endif
chain/gen:
	$(MAKE) --no-print-directory unit/gen-race
chain/tests:
	$(MAKE) --no-print-directory unit/tests
.PHONY: $(CHECK_GENERATED) $(VET) $(LINT) $(UNIT) test-steps chain/gen chain/tests

## bench: typed client vs raw net/http, concurrency, compile times, binary sizes -> docs/performance.md; then bench-decode -> docs/bench
bench:
	./scripts/bench.sh
	$(MAKE) bench-decode

## reliability: run the fault-injection and hostile-input suites and rewrite docs/reliability.md from them
reliability:
	cd tests && $(GO) test -count=1 ./faults -run 'TestFaults|TestHostile' -report ../../docs/reliability.md

## bench-gen: time generation and cold compiles (numbers go in the README)
bench-gen:
	./scripts/bench-gen.sh

## bench-decode: decoding benchmarks on 2.16, benchstat against encoding/json
BENCHSTAT = golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
bench-decode:
	cd tests && $(GO) test -run '^$$' -bench . -count 10 ./decode | tee ../docs/bench/decode.txt
	$(GO) run $(BENCHSTAT) -col /decoder docs/bench/decode.txt | tee docs/bench/decode.benchstat.txt
	$(GO) run $(BENCHSTAT) -filter '.name:Decode /decoder:(fast OR tolerant)' -col /decoder docs/bench/decode.txt > docs/bench/decode-happy-path.benchstat.txt

## check-install: `go install …/cmd/intercom@latest` from outside the repository, through a file-based module proxy (scripts/check-install.sh)
check-install:
	./scripts/check-install.sh

## bench-cli: peak RSS of `intercom … contacts list --all` over 1,000 – 30,000 contacts (docs/performance.md)
bench-cli:
	./scripts/bench-cli.sh

## bench-engines: the decoder comparison (a separate module, so the candidates stay out of go.mod)
bench-engines:
	cd tests/decode/engines && $(GO) test -run '^$$' -bench 'Decode/payload=(contacts_page|conversation)' -count 6 . | tee ../../../docs/bench/engines.txt

## fuzz: each decoding fuzzer for FUZZTIME (their seed corpora run in every go test)
FUZZTIME ?= 5m
fuzz:
	cd tests && $(GO) test -run '^$$' -fuzz FuzzFastMatchesEncodingJSON -fuzztime $(FUZZTIME) ./decode
	cd tests && $(GO) test -run '^$$' -fuzz FuzzJSONDecMatchesEncodingJSON -fuzztime $(FUZZTIME) ./decode
	$(GO) test -run '^$$' -fuzz FuzzMatchesEncodingJSON -fuzztime $(FUZZTIME) ./internal/jsondec
	$(GO) test -run '^$$' -fuzz FuzzDecodeMatchesReference -fuzztime $(FUZZTIME) ./internal/union
	cd tests && $(GO) test -run '^$$' -fuzz FuzzTolerantDecode -fuzztime $(FUZZTIME) ./decode
	cd tests && $(GO) test -run '^$$' -fuzz FuzzTolerantKeepsEveryMember -fuzztime $(FUZZTIME) ./decode
	cd tests && $(GO) test -run '^$$' -fuzz FuzzDecodeModels -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./conformance/fuzz
	$(GO) test -run '^$$' -fuzz FuzzPathParam -fuzztime $(FUZZTIME) ./internal/pathparam
	$(GO) test -run '^$$' -fuzz FuzzServerWait -fuzztime $(FUZZTIME) .
	$(GO) test -run '^$$' -fuzz FuzzErrorText -fuzztime $(FUZZTIME) .

## prism: install the pinned Prism mock server into .tools/prism (npm ci)
prism:
	./scripts/install-prism.sh

## conformance: every operation of every version against Prism; writes tests/conformance.md
conformance: prism
	cd tests && $(GO) test -count=1 -run TestConformance ./conformance -summary ../conformance.md

## fake: serve intercomtest standalone on ADDR (default 127.0.0.1:8080): make fake [ADDR=:8080] [FAKEFLAGS="-state fake.json"]
ADDR ?= 127.0.0.1:8080
fake:
	$(GO) run ./cmd/intercom-fake -addr $(ADDR) $(FAKEFLAGS)

## buildcost: what a program pays to build this library (cold build, binary, modules) against plain net/http -> docs/performance.md
buildcost:
	./scripts/buildcost.sh

## bench-fake: intercomtest throughput (GET contact, 16 goroutines) and memory per stored contact (docs/performance.md)
bench-fake:
	$(GO) test -run '^$$' -bench 'GetContact' -benchtime 5s -count 3 ./intercomtest
	$(GO) test -run '^$$' -bench 'StoredContacts' -benchtime 1x ./intercomtest

## demo: the seed flows against a built-in server (or the real API with INTERCOM_TOKEN)
demo:
	$(GO) run ./cmd/intercom-demo $(ARGS)

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
