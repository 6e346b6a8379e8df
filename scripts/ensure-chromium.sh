#!/usr/bin/env bash
# The browser test drives Debian's Chromium through Playwright (never `playwright install`).
# Installs the Debian package when missing and we are root; otherwise the browser test skips and says why.
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian chromium for the browser test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; the browser test will be skipped"
else
  echo "warning: chromium not found and not root; the browser test will be skipped"
fi
exit 0
