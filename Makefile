# rxintake: `make demo` runs the product on its embedded sample mailbox,
# `make test` runs the tests. Both install what is missing first.

GO        ?= go
BIN       := bin/rxintake
VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo devel)
LDFLAGS   := -X main.version=$(VERSION)
FUZZTIME  ?= 30s
DEMO_ARGS ?=

# Debian packages: the same lists the Dockerfile installs (its run stage adds
# RUNTIME_LIBS, which the -dev packages pull in here). `make check` compares.
RUNTIME_PACKAGES := tesseract-ocr-eng tesseract-ocr-osd poppler-utils
RUNTIME_LIBS     := libtesseract5 liblept5 libtiff6 ca-certificates
BUILD_PACKAGES   := gcc g++ pkg-config libtesseract-dev libleptonica-dev libtiff-dev
TEST_PACKAGES    := dovecot-imapd fonts-liberation fonts-dejavu-core fonts-courier-prime \
                    fonts-crosextra-carlito fonts-urw-base35 fonts-dkg-handwriting \
                    fonts-femkeklaver fonts-humor-sans

# Tesseract's OpenMP threads make OCR 5-8x slower on small machines; the
# OCR workers set this themselves, and so does everything make starts.
export OMP_THREAD_LIMIT := 1

.PHONY: all build test check check-docker check-tidy fuzz demo eval bench bench-go deps deps-test docker clean

all: build

# Quiet when everything is present: only what is installed, built or run
# speaks.
deps:
	@GO=$(GO) ./scripts/deps.sh $(RUNTIME_PACKAGES) $(BUILD_PACKAGES)

# mailpit is the SMTP capture server of the integration tests.
MAILPIT := github.com/axllent/mailpit@v1.33.1

# toxiproxy puts network faults between rxintake and the test servers; its
# command is named server, and is installed as toxiproxy-server.
TOXIPROXY := github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0

deps-test:
	@GO=$(GO) ./scripts/deps.sh $(RUNTIME_PACKAGES) $(BUILD_PACKAGES) $(TEST_PACKAGES)
	@command -v mailpit >/dev/null || test -x "$$($(GO) env GOPATH)/bin/mailpit" || \
		{ echo "installing mailpit (SMTP capture server for the tests)"; GOBIN="$$($(GO) env GOPATH)/bin" $(GO) install $(MAILPIT); }
	@command -v toxiproxy-server >/dev/null || test -x "$$($(GO) env GOPATH)/bin/toxiproxy-server" || \
		{ echo "installing toxiproxy-server (network faults for the tests)"; bin="$$($(GO) env GOPATH)/bin"; \
		  tmp="$$(mktemp -d)" && GOBIN="$$tmp" $(GO) install $(TOXIPROXY) && mkdir -p "$$bin" && \
		  mv "$$tmp/server" "$$bin/toxiproxy-server" && rmdir "$$tmp"; }

build: deps
	@mkdir -p bin
	@$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/rxintake

# DEMO_ARGS=--once exits after the table instead of serving the review page.
demo: build
	@./$(BIN) demo $(DEMO_ARGS)

test: deps-test
	@$(GO) test -timeout 20m ./...

docker:
	docker build -t rxintake:$(VERSION) -t rxintake:latest --build-arg VERSION=$(VERSION) .

# go.mod and go.sum are what `go mod tidy` makes of the imports.
check-tidy:
	@$(GO) mod tidy -diff >/dev/null || { $(GO) mod tidy -diff; echo "go.mod/go.sum: run go mod tidy"; exit 1; }

# The Dockerfile installs the Makefile's package lists.
check-docker:
	@for p in $(BUILD_PACKAGES) $(RUNTIME_PACKAGES) $(RUNTIME_LIBS); do \
		tr -s ' \\\t' '\n\n\n' < Dockerfile | grep -Fxq -- "$$p" || { echo "Dockerfile does not install $$p"; exit 1; }; \
	done

check: test check-docker check-tidy
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting"; exit 1; }
	@if command -v staticcheck >/dev/null; then staticcheck ./...; else echo "staticcheck not installed: go install honnef.co/go/tools/cmd/staticcheck@latest"; fi
	@if command -v govulncheck >/dev/null; then govulncheck ./...; else echo "govulncheck not installed: go install golang.org/x/vuln/cmd/govulncheck@latest"; fi

# Every parser of untrusted input has a fuzz target; each runs FUZZTIME.
FUZZ_TARGETS := extract:FuzzSniff extract:FuzzParseMail extract:FuzzReadTIFFPages extract:FuzzFaxHeader \
                extract:FuzzParseFrequency extract:FuzzParseSession extract:FuzzAreas extract:FuzzProcedures \
                icd10cm:FuzzNormalize icd10cm:FuzzMisread intake:FuzzParseMessage

# The review page in headless Chromium: screenshots go to $(ARTIFACTS).
ARTIFACTS ?= artifacts
e2e: deps
	@./scripts/deps.sh chromium
	RXINTAKE_ARTIFACTS=$(abspath $(ARTIFACTS)) $(GO) test -tags e2e -run '^TestBrowser$$' -count=1 -v ./review

fuzz: deps
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t#*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test ./$$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

# The evaluation corpus is generated once (EVAL_N documents, seed EVAL_SEED)
# and kept under testdata/eval (git-ignored).
EVAL_N    ?= 320
EVAL_SEED ?= 1
EVAL_DIR  ?= testdata/eval

eval: deps-test
	@test -f $(EVAL_DIR)/manifest.jsonl || $(GO) run ./internal/cmd/rxcorpus -eval $(EVAL_DIR) -n $(EVAL_N) -seed $(EVAL_SEED) -j 2
	$(GO) run ./internal/cmd/rxeval $(EVAL_DIR)

# The bench corpus (BENCH_SEED) is generated once and kept under BENCH_DIR
# (git-ignored); BENCH_RUNS rounds, the median printed (docs/performance.md).
# The baseline runs the tesseract command, which BENCH_PACKAGES installs.
BENCH_DIR      ?= testdata/bench
BENCH_SEED     ?= 1
BENCH_RUNS     ?= 3
BENCH_ARGS     ?=
BENCH_PACKAGES := tesseract-ocr

bench: build deps-test
	@./scripts/deps.sh $(BENCH_PACKAGES)
	@$(GO) run ./internal/cmd/rxbench -dir $(BENCH_DIR) -seed $(BENCH_SEED) -runs $(BENCH_RUNS) -bin $(BIN) $(BENCH_ARGS)

# The Go benchmarks of the OCR stage: seconds per fixture page, render time,
# peak memory of a ten-page fax.
bench-go: deps-test
	$(GO) test ./extract -run '^$$' -bench . -benchtime 5x

clean:
	rm -rf bin demo-out artifacts
