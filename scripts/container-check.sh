#!/bin/sh
# Builds the Dockerfile with buildah (no daemon; --isolation chroot) and
# runs the demo and the health check in the image (docs/operations.md).
#
# Where the registry cannot be reached, BASE_ROOTFS names a Debian 12
# root file system as a tar (mmdebstrap --variant=minbase bookworm FILE):
# it is imported as debian:bookworm-slim, and, with this machine's Go
# toolchain copied in, as golang:1.26-bookworm, the Dockerfile's two bases.
#
# BASE_CA_FILE, with BASE_ROOTFS, replaces the imported bases' CA bundle
# (for a network whose proxy re-signs TLS, as the build stage's go mod
# download goes through it): this machine's /etc/ssl/certs/ca-certificates.crt.
#
#   scripts/container-check.sh                 # pulls the bases
#   BASE_ROOTFS=/tmp/bookworm.tar scripts/container-check.sh
#   NO_BUILD=1 scripts/container-check.sh      # the checks on the image built last
set -eu
cd "$(dirname "$0")/.."
command -v buildah >/dev/null || { echo "container-check: buildah is not installed (apt-get install buildah)"; exit 1; }
B="buildah --storage-driver ${STORAGE_DRIVER:-vfs}"
TAG=${TAG:-localhost/rxintake:check}
PULL=--pull
if [ -n "${NO_BUILD:-}" ]; then
	:
elif [ -n "${BASE_ROOTFS:-}" ]; then
	echo "container-check: importing $BASE_ROOTFS as debian:bookworm-slim and golang:1.26-bookworm"
	c=$($B from scratch)
	m=$($B mount "$c")
	tar -xf "$BASE_ROOTFS" -C "$m"
	if [ -n "${BASE_CA_FILE:-}" ]; then
		cp "$BASE_CA_FILE" "$m/etc/ssl/certs/ca-certificates.crt"
		# kept when a package's installation runs update-ca-certificates
		mkdir -p "$m/usr/local/share/ca-certificates"
		cp "$BASE_CA_FILE" "$m/usr/local/share/ca-certificates/base-bundle.crt"
	fi
	$B umount "$c" >/dev/null
	$B commit -q "$c" docker.io/library/debian:bookworm-slim >/dev/null
	$B rm "$c" >/dev/null
	c=$($B from --pull-never docker.io/library/debian:bookworm-slim)
	$B copy "$c" "$(go env GOROOT)" /usr/local/go >/dev/null
	$B config --env GOLANG_VERSION="$(go env GOVERSION)" --env GOTOOLCHAIN=local --env GOPATH=/go \
		--env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$c"
	$B commit -q "$c" docker.io/library/golang:1.26-bookworm >/dev/null
	$B rm "$c" >/dev/null
	PULL=--pull-never
fi
if [ -z "${NO_BUILD:-}" ]; then
	echo "container-check: building $TAG"
	version=$(git describe --always --dirty 2>/dev/null || echo devel)
	$B bud --isolation chroot $PULL --layers=false -t "$TAG" --build-arg VERSION="$version" .
fi
c=$($B from --pull-never "$TAG")
trap '$B rm "$c" >/dev/null 2>&1 || true' EXIT
echo "container-check: rxintake version"
$B run --isolation chroot "$c" -- rxintake version
echo "container-check: rxintake demo --once, then the HEALTHCHECK's command on its data (as the image's user)"
$B run --isolation chroot --user rxintake:rxintake --workingdir /tmp "$c" -- sh -c \
	'rxintake demo --once --keep --out /tmp/demo-out && rxintake status --config /tmp/rxintake-demo-*/config.yaml; echo "status exit $?"'
echo "container-check: the HEALTHCHECK's command before any cycle (exit 1 expected)"
$B run --isolation chroot --user rxintake:rxintake "$c" -- sh -c \
	'mkdir -p /tmp/h && echo "data_dir: /tmp/h" > /tmp/h.yaml && rxintake status --quiet --config /tmp/h.yaml; echo "status exit $?"'
