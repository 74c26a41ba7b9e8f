# rxintake in a container: the worker (`rxintake run`) with its review page.
#
#   docker build -t rxintake --build-arg VERSION="$(git describe --always --dirty)" .
#   docker run -d --name rxintake \
#     -v /srv/rxintake/config.yaml:/etc/rxintake/config.yaml:ro \
#     -v rxintake-data:/data --env-file /srv/rxintake/secrets.env rxintake
#
# The configuration's data_dir must be /data. deploy/docker-compose.yml is a
# complete example. The package lists are the Makefile's: BUILD_PACKAGES
# here, RUNTIME_PACKAGES and the libraries the -dev packages pull in below.

FROM golang:1.26-bookworm AS build
# The toolchain with the standard library's security fixes, from the module
# proxy (the Makefile sets the same).
ENV GOTOOLCHAIN=go1.27.3
# Debian's security updates are what we want, not pinned versions.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      gcc g++ pkg-config libtesseract-dev libleptonica-dev libtiff-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
RUN go build -trimpath -ldflags "-X main.version=${VERSION}" -o /out/rxintake ./cmd/rxintake \
 && /out/rxintake version

FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      tesseract-ocr-eng tesseract-ocr-osd poppler-utils \
      libtesseract5 liblept5 libtiff6 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 rxintake \
 && useradd --system --uid 10001 --gid rxintake --home-dir /data --no-create-home --shell /usr/sbin/nologin rxintake \
 && mkdir -p /data /etc/rxintake \
 && chown rxintake:rxintake /data \
 && chmod 0700 /data
COPY --from=build /out/rxintake /usr/local/bin/rxintake
# Tesseract's OpenMP threads make OCR 5-8 times slower on small machines;
# the OCR workers set this too, but everything else started here gets it.
ENV OMP_THREAD_LIMIT=1
# The ledger, the audit trail, stored originals and page images: PHI.
VOLUME ["/data"]
WORKDIR /data
USER rxintake:rxintake
# The review page, when review.listen is 0.0.0.0:8080 (which needs
# review.tls_cert and review.tls_key) or with the host's network.
EXPOSE 8080
# `status` reports what GET /healthz serves, from the facts the worker keeps
# in /data/health.json and the database: unhealthy when no cycle finished on
# schedule, the mailbox or SMTP failed at its last try, the audit trail
# cannot be written or the disk is past alerts.disk_percent
# (docs/operations.md). It starts the binary, which links Tesseract and
# Leptonica, so an image missing a library fails it too.
HEALTHCHECK --interval=1m --timeout=30s --start-period=2m --retries=3 \
  CMD ["rxintake", "status", "--quiet", "--config", "/etc/rxintake/config.yaml"]
ENTRYPOINT ["rxintake", "run", "--config", "/etc/rxintake/config.yaml"]
