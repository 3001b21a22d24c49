#!/usr/bin/env bash
# Installs Debian's chromium (and a font) for the version matrix's browser
# test (cmd/intercom-site, TestBrowser). Does nothing when a chromium is
# already on the PATH. Needs root (CI runs as root) and apt-get.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
	echo "chromium already installed: $(chromium --version 2>/dev/null || echo unknown version)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-chromium: not root; run: sudo apt-get install chromium fonts-dejavu-core (or set CHROME_PATH)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium installed: $(chromium --version 2>/dev/null || echo unknown version)"
