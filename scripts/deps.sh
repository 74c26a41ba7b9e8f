#!/bin/sh
# Installs the Debian/Ubuntu packages named on the command line when any is
# missing; quiet when all are present. On other systems it says what to
# install and fails.
set -eu
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
else
	echo "rxintake needs Tesseract 5 with its English and OSD models, Leptonica, libtiff and poppler-utils." >&2
	echo "This is not a Debian/Ubuntu system: install the equivalents of:$*" >&2
	for t in tesseract pdftoppm pkg-config; do
		command -v "$t" >/dev/null 2>&1 || { echo "missing: $t" >&2; exit 1; }
	done
	exit 0
fi
[ -z "$missing" ] && exit 0
echo "installing:$missing"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "not root and no sudo: install$missing" >&2; exit 1; }
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are missing or a day old.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
	$sudo apt-get update -q >/dev/null
fi
$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
