# Everything the project does, one target each. `make test` is what CI runs.
GO ?= go
export GOTOOLCHAIN ?= local

.PHONY: all generate check-generated specs test unit vet lint bench bench-gen demo diff help

all: generate test

## generate: regenerate api/ from the pinned specs (go generate ./...)
generate:
	$(GO) generate ./...

## check-generated: regenerate into a temporary directory and fail on any difference
check-generated:
	$(GO) run ./gen -check

## specs: fetch the pinned descriptions into .cache/ (needs a network)
specs:
	$(GO) run ./spec/fetch

## vet: go vet over the whole module
vet:
	$(GO) vet ./...

## lint: staticcheck (pinned) on the hand-written packages
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	$(GO) run $(STATICCHECK) . ./gen/... ./spec/... ./intercomtest/... ./webhook/... ./tests/...

## unit: all tests, with the race detector on the hand-written packages
unit:
	$(GO) test -count=1 ./...
	$(GO) test -race -count=1 . ./gen/... ./spec/... ./intercomtest/... ./webhook/...

## test: what CI runs
test: check-generated vet lint unit

## bench-gen: time generation and cold compiles (numbers go in the README)
bench-gen:
	./scripts/bench-gen.sh

## demo: the seed flows against a built-in server (or the real API with INTERCOM_TOKEN)
demo:
	$(GO) run ./cmd/intercom-demo $(ARGS)

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
