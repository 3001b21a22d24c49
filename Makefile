# Everything the project does, one target each. `make test` is what CI runs.
GO ?= go
export GOTOOLCHAIN ?= local

.PHONY: all generate check-generated specs test unit vet lint bench bench-gen bench-decode bench-engines fuzz prism conformance reliability demo diff review help

all: generate test

## generate: regenerate api/ from the pinned specs, then the version-diff reports in docs/diffs
generate:
	$(GO) generate ./...
	cd cmd/intercom-diff && $(GO) run . -all

## check-generated: regenerate api/ (and the decode baseline models, and docs/diffs, in memory) and fail on any difference
check-generated:
	$(GO) run ./gen -check
	cd cmd/intercom-diff && $(GO) run . -all -check

## diff: what changed between two versions, breaking first: make diff FROM=2.11 TO=2.13 [DIFFFLAGS="--format json --fail-on breaking"]
diff:
	cd cmd/intercom-diff && $(GO) run . $(DIFFFLAGS) $(FROM) $(TO)

## review: what changes for your own program (a Go module): make review MODULE=../myapp FROM=2.14 TO=2.16 [REVIEWFLAGS="-fail-on compile"]
review:
	cd cmd/intercom-diff && $(GO) run . -module $(abspath $(MODULE)) $(REVIEWFLAGS) $(FROM) $(TO)

## specs: fetch the pinned descriptions into .cache/ (needs a network)
specs:
	$(GO) run ./spec/fetch

## vet: go vet over the whole module
vet:
	$(GO) vet ./...
	cd cmd/intercom-diff && $(GO) vet ./...

## lint: staticcheck (pinned) on the hand-written packages
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	$(GO) run $(STATICCHECK) . ./gen/... ./spec/... ./intercomtest/... ./webhook/... ./tests/... ./internal/... ./cmd/intercom-demo/...
	cd cmd/intercom-diff && $(GO) run $(STATICCHECK) ./...

## unit: all tests, with the race detector on the hand-written packages
unit:
	$(GO) test -count=1 ./...
	$(GO) test -race -count=1 . ./gen/... ./spec/... ./intercomtest/... ./webhook/... ./internal/...
	cd cmd/intercom-diff && $(GO) test -count=1 ./...

## test: what CI runs
test: prism check-generated vet lint unit

## bench: typed client vs raw net/http, concurrency, compile times, binary sizes -> docs/performance.md; then bench-decode -> docs/bench
bench:
	./scripts/bench.sh
	$(MAKE) bench-decode

## reliability: run the fault-injection and hostile-input suites and rewrite docs/reliability.md from them
reliability:
	$(GO) test -count=1 ./tests/faults -run 'TestFaults|TestHostile' -report ../../docs/reliability.md

## bench-gen: time generation and cold compiles (numbers go in the README)
bench-gen:
	./scripts/bench-gen.sh

## bench-decode: decoding benchmarks on 2.16, benchstat against encoding/json
BENCHSTAT = golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
bench-decode:
	$(GO) test -run '^$$' -bench . -count 10 ./tests/decode | tee docs/bench/decode.txt
	$(GO) run $(BENCHSTAT) -col /decoder docs/bench/decode.txt | tee docs/bench/decode.benchstat.txt
	$(GO) run $(BENCHSTAT) -filter '.name:Decode /decoder:(fast OR tolerant)' -col /decoder docs/bench/decode.txt > docs/bench/decode-happy-path.benchstat.txt

## bench-engines: the decoder comparison (a separate module, so the candidates stay out of go.mod)
bench-engines:
	cd tests/decode/engines && $(GO) test -run '^$$' -bench 'Decode/payload=(contacts_page|conversation)' -count 6 . | tee ../../../docs/bench/engines.txt

## fuzz: each decoding fuzzer for FUZZTIME (their seed corpora run in every go test)
FUZZTIME ?= 5m
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzFastMatchesEncodingJSON -fuzztime $(FUZZTIME) ./tests/decode
	$(GO) test -run '^$$' -fuzz FuzzTolerantDecode -fuzztime $(FUZZTIME) ./tests/decode
	$(GO) test -run '^$$' -fuzz FuzzDecodeModels -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./tests/conformance/fuzz
	$(GO) test -run '^$$' -fuzz FuzzPathParam -fuzztime $(FUZZTIME) ./internal/pathparam
	$(GO) test -run '^$$' -fuzz FuzzServerWait -fuzztime $(FUZZTIME) .
	$(GO) test -run '^$$' -fuzz FuzzErrorText -fuzztime $(FUZZTIME) .

## prism: install the pinned Prism mock server into .tools/prism (npm ci)
prism:
	./scripts/install-prism.sh

## conformance: every operation of every version against Prism; writes tests/conformance.md
conformance: prism
	$(GO) test -count=1 -run TestConformance ./tests/conformance -summary ../conformance.md

## demo: the seed flows against a built-in server (or the real API with INTERCOM_TOKEN)
demo:
	$(GO) run ./cmd/intercom-demo $(ARGS)

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
