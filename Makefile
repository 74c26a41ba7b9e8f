# rxintake: `make demo` runs the product on its embedded sample mailbox,
# `make test` runs the tests. Both install what is missing first.

GO        ?= go
BIN       := bin/rxintake
VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo devel)
LDFLAGS   := -X main.version=$(VERSION)
FUZZTIME  ?= 60s
FUZZMIN   ?= 5s
FUZZFLAGS ?=
DEMO_ARGS ?=

# Debian packages: the same lists the Dockerfile installs (its run stage adds
# RUNTIME_LIBS, which the -dev packages pull in here). `make check` compares.
RUNTIME_PACKAGES := tesseract-ocr-eng tesseract-ocr-osd poppler-utils
RUNTIME_LIBS     := libtesseract5 liblept5 libtiff6 ca-certificates
BUILD_PACKAGES   := gcc g++ pkg-config libtesseract-dev libleptonica-dev libtiff-dev
TEST_PACKAGES    := dovecot-imapd postgresql fonts-liberation fonts-dejavu-core fonts-courier-prime \
                    fonts-crosextra-carlito fonts-urw-base35 fonts-dkg-handwriting \
                    fonts-femkeklaver fonts-humor-sans

# Tesseract's OpenMP threads make OCR 5-8x slower on small machines; the
# OCR workers set this themselves, and so does everything make starts.
export OMP_THREAD_LIMIT := 1

# The Go toolchain the product is built and tested with: go1.27.3 carries
# the standard library's security fixes (crypto/x509, crypto/tls, net/http)
# that govulncheck finds reachable from rxintake in 1.26. The go command
# fetches it from the module proxy the first time (docs/security-tests.md).
export GOTOOLCHAIN := go1.27.3

.PHONY: all build test check check-docker check-container check-tidy vulncheck vulndb fuzz demo eval bench bench-go bench-latency deps deps-test docker clean

all: build

# Quiet when everything is present: only what is installed, built or run
# speaks.
deps:
	@GO=$(GO) ./scripts/deps.sh $(RUNTIME_PACKAGES) $(BUILD_PACKAGES)

# mailpit is the SMTP capture server of the integration tests (the same
# version as internal/testserver.MailpitModule); govulncheck
# is what `make check` reads the dependencies' and Go's known
# vulnerabilities with.
MAILPIT     := github.com/axllent/mailpit@v1.33.1
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0
GOBIN_DIR    = $$($(GO) env GOPATH)/bin

# toxiproxy puts network faults between rxintake and the test servers; its
# command is named server, and is installed as toxiproxy-server.
TOXIPROXY := github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0

deps-test:
	@GO=$(GO) ./scripts/deps.sh $(RUNTIME_PACKAGES) $(BUILD_PACKAGES) $(TEST_PACKAGES)
	@command -v mailpit >/dev/null || test -x "$$($(GO) env GOPATH)/bin/mailpit" || \
		{ echo "installing mailpit (SMTP capture server for the tests)"; GOBIN="$$($(GO) env GOPATH)/bin" $(GO) install $(MAILPIT); }
	@command -v govulncheck >/dev/null || test -x "$(GOBIN_DIR)/govulncheck" || \
		{ echo "installing govulncheck (for make check)"; GOBIN="$(GOBIN_DIR)" $(GO) install $(GOVULNCHECK); }
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

# The image built without a daemon (buildah, --isolation chroot) and the demo
# and the health check run in it; BASE_ROOTFS and BASE_CA_FILE where no
# registry can be reached (docs/operations.md).
check-container:
	@./scripts/deps.sh buildah
	@./scripts/container-check.sh

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
	@$(MAKE) -s vulncheck

# govulncheck reads the vulnerability database at vuln.go.dev, or, once
# `make vulndb` has built it, a copy in VULNDB_DIR, which needs no network
# (docs/security-tests.md). `make vulndb` builds the copy from the
# golang.org/x/vulndb module (VULNDB_VERSION) with its own indexdb command:
# only the Go module proxy is needed.
VULNDB_VERSION ?= v0.0.0-20261105234957-e22db6528018
VULNDB_DIR     ?= .cache/vulndb

vulncheck: deps-test
	@vc=$$(command -v govulncheck || echo "$(GOBIN_DIR)/govulncheck"); \
	if test -f $(VULNDB_DIR)/index/db.json; then db="file://$(abspath $(VULNDB_DIR))"; else db=https://vuln.go.dev; fi; \
	echo "govulncheck -db $$db"; $$vc -db $$db ./...

vulndb:
	@dir=$$($(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	test -d "$$dir/data/osv" || { echo "vulndb: no data/osv in golang.org/x/vulndb@$(VULNDB_VERSION)"; exit 1; }; \
	rm -rf $(VULNDB_DIR).new && mkdir -p $(dir $(VULNDB_DIR)) && \
	(cd "$$dir" && GOFLAGS=-mod=mod $(GO) run ./cmd/indexdb -vulns data/osv -out $(abspath $(VULNDB_DIR)).new) && \
	rm -rf $(VULNDB_DIR) && mv $(VULNDB_DIR).new $(VULNDB_DIR) && \
	echo "vulndb: $$(ls $(VULNDB_DIR)/ID | grep -c 'json$$') entries in $(VULNDB_DIR)"

# Every parser of untrusted input has a fuzz target; each runs FUZZTIME.
# docs/security-tests.md lists what each one reads. FUZZMIN bounds the
# minimising of each new input (go test's default, 60 s, can take a whole
# run); FUZZFLAGS adds flags (-parallel 1 on a shared machine).
FUZZ_TARGETS := extract:FuzzSniff extract:FuzzParseMail extract:FuzzReadTIFFPages extract:FuzzFaxHeader \
                extract:FuzzParseFrequency extract:FuzzParseSession extract:FuzzAreas extract:FuzzProcedures \
                extract:FuzzReadPrescription extract:FuzzFindDates extract:FuzzHTMLText \
                icd10cm:FuzzNormalize icd10cm:FuzzMisread \
                intake:FuzzParseMessage intake:FuzzParseAuthResults intake:FuzzSenderFax \
                assist:FuzzAnswer audit:FuzzParseCheckpoints review:FuzzLocalPath

# The review page in headless Chromium: screenshots go to $(ARTIFACTS).
ARTIFACTS ?= artifacts
e2e: deps
	@./scripts/deps.sh chromium
	RXINTAKE_ARTIFACTS=$(abspath $(ARTIFACTS)) $(GO) test -tags e2e -run '^TestBrowser$$' -count=1 -v ./review

fuzz: deps
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t#*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test ./$$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMIN) $(FUZZFLAGS) || exit 1; \
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

# Arrival to correction request: `rxintake run` with IDLE against the test
# Dovecot and mailpit, a two-page fax APPENDed LATENCY_RUNS times; prints
# the mean seconds per request (docs/performance.md, "Latency").
LATENCY_RUNS ?= 3

bench-latency: deps-test
	$(GO) test ./cmd/rxintake -run '^$$' -bench '^BenchmarkArrivalToRequest$$' -benchtime $(LATENCY_RUNS)x -count 1

clean:
	rm -rf bin demo-out artifacts
