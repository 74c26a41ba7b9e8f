#!/bin/sh
# Installs the Debian/Ubuntu packages named on the command line when any is
# missing, with sudo when not run as root; silent when all are present. On
# other systems it checks for the programs and libraries those packages
# provide and, when one is missing, says what to install and fails.
set -eu

say() { echo "deps: $*" >&2; }

go="${GO:-go}"
if ! command -v "$go" >/dev/null 2>&1; then
	say "Go is not installed: rxintake needs Go 1.26 or later (https://go.dev/dl/;"
	say "Debian's golang package is too old; any Go from 1.21 on fetches the right toolchain itself)."
	exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	# Not Debian or Ubuntu: check what the build and the worker use.
	missing=""
	for t in tesseract pdftoppm pdfinfo pkg-config gcc; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
	done
	if command -v pkg-config >/dev/null 2>&1; then
		for l in tesseract lept libtiff-4; do
			pkg-config --exists "$l" 2>/dev/null || missing="$missing lib:$l"
		done
	fi
	for d in /usr/share/tesseract-ocr/*/tessdata /usr/share/tessdata /usr/local/share/tessdata /opt/homebrew/share/tessdata "${TESSDATA_PREFIX:-/nonexistent}"; do
		[ -f "$d/eng.traineddata" ] && { eng=1; break; }
	done
	[ -n "${eng:-}" ] || missing="$missing eng.traineddata"
	[ -z "$missing" ] && exit 0
	say "missing:$missing"
	say "This is not a Debian or Ubuntu system, so nothing was installed. Install the equivalents of"
	say "these Debian packages:$(printf ' %s' "$@")"
	say "  Fedora: sudo dnf install tesseract tesseract-langpack-eng tesseract-osd tesseract-devel leptonica-devel libtiff-devel poppler-utils gcc-c++ pkgconf"
	say "  Arch:   sudo pacman -S tesseract tesseract-data-eng tesseract-data-osd leptonica libtiff poppler gcc pkgconf"
	say "  macOS:  brew install tesseract leptonica libtiff poppler pkg-config"
	say "or build and run in Docker: docker build -t rxintake ."
	exit 1
fi

missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		say "missing:$missing"
		say "not root and sudo is not installed: as root, run"
		say "  apt-get update && apt-get install --no-install-recommends$missing"
		exit 1
	fi
	sudo="sudo"
	say "installing with sudo (it may ask for your password):$missing"
else
	say "installing:$missing"
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or a day old, and once
# more when the install fails on stale lists.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
	$sudo apt-get update -q >/dev/null
fi
# shellcheck disable=SC2086 # the list is meant to split
if ! $sudo apt-get install -y -q --no-install-recommends $missing >/dev/null; then
	$sudo apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null || {
		say "could not install:$missing (see apt-get's messages above)"
		exit 1
	}
fi
