# Everything the project does, one target each. `make test` is what CI runs.
GO ?= go
export GOTOOLCHAIN ?= local

.PHONY: buildcost all generate check-generated specs test unit vet lint bench bench-gen bench-decode bench-engines bench-fake bench-cli fuzz prism conformance reliability demo fake diff review help check-install site site-screenshots chromium

all: generate test

## generate: regenerate api/ (and intercomtest's API tables) from the pinned specs, then the version-diff reports in docs/diffs and the intercom command's operation table, and the version matrix in docs/site
generate:
	$(GO) generate ./...
	cd cmd/intercom-diff && $(GO) run . -all
	cd cmd/intercom && $(GO) run ./internal/opsgen
	cd cmd/intercom-site && $(GO) run . -collect

## check-generated: regenerate api/ (and the decode baseline models, and docs/diffs, in memory) and fail on any difference
check-generated:
	cd gen && $(GO) run . -check
	cd intercomtest/internal/apitables/gen && $(GO) run . -check
	cd cmd/intercom-diff && $(GO) run . -all -check
	cd cmd/intercom && $(GO) run ./internal/opsgen -check
	cd cmd/intercom-site && $(GO) run . -collect -check

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
vet:
	$(GO) vet ./...
	cd gen && $(GO) vet ./...
	cd intercomtest/internal/apitables/gen && $(GO) vet ./...
	cd tests && $(GO) vet ./...
	cd cmd/intercom-diff && $(GO) vet ./...
	cd cmd/intercom && $(GO) vet ./...
	cd cmd/intercom-site && $(GO) vet ./...

## lint: staticcheck (pinned) on the hand-written packages
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	$(GO) run $(STATICCHECK) . ./spec/... ./intercomtest/... ./webhook/... ./internal/... ./cmd/intercom-demo/... ./cmd/intercom-fake/...
	cd gen && $(GO) run $(STATICCHECK) ./...
	cd intercomtest/internal/apitables/gen && $(GO) run $(STATICCHECK) ./...
	cd tests && $(GO) run $(STATICCHECK) ./...
	cd cmd/intercom-diff && $(GO) run $(STATICCHECK) ./...
	cd cmd/intercom && $(GO) run $(STATICCHECK) ./...
	cd cmd/intercom-site && $(GO) run $(STATICCHECK) ./...

## unit: all tests, with the race detector on the hand-written packages
unit:
	$(GO) test -count=1 ./...
	$(GO) test -race -count=1 . ./spec/... ./intercomtest/... ./webhook/... ./internal/...
	cd gen && $(GO) test -count=1 ./... && $(GO) test -race -count=1 ./...
	cd tests && $(GO) test -count=1 ./...
	cd cmd/intercom-diff && $(GO) test -count=1 ./...
	cd cmd/intercom && $(GO) test -count=1 ./...
	./scripts/check-install.sh
	cd cmd/intercom-site && $(GO) test -count=1 ./...

## test: what CI runs
test: prism check-generated vet lint unit

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
