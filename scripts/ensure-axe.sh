#!/usr/bin/env bash
# The accessibility test injects axe-core into the page: install it from npm into .cache/axe when missing.
# Pinned to major 4; --no-save keeps package files out of the repo. Without npm the test skips and says why.
set -u
cd "$(dirname "$0")/.."
AXE=.cache/axe/node_modules/axe-core/axe.min.js
if [ -s "$AXE" ]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  echo "warning: npm not found; the accessibility test will be skipped (install Node.js + npm)"
  exit 0
fi
echo "Installing axe-core@4 from npm into .cache/axe for the accessibility test..."
mkdir -p .cache/axe
npm install --no-save --no-audit --no-fund --silent --prefix .cache/axe axe-core@4 \
  || echo "warning: could not install axe-core; the accessibility test will be skipped"
exit 0
