#!/bin/sh
# Makes a fresh machine ready for `npm start`, `npm test` and `npm run bench` (they run this first):
# Debian packages the real-VS-Code tests need, then the npm packages when they are missing or
# older than package-lock.json. Quiet and quick when everything is in place.
set -eu
cd "$(dirname "$0")/.."

# chromium drives VS Code (code-server) and the webview tests; ripgrep replaces the binary
# code-server's install would download; libkrb5-dev builds code-server's kerberos module;
# curl is the benchmark's transfer baseline; chattr (e2fsprogs) makes a folder that refuses even
# root's writes, for the read-only folder tests; a CJK font shows the panel in Chinese in the
# browser tests' screenshots.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v chattr >/dev/null 2>&1 || missing="$missing e2fsprogs"
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing="$missing libkrb5-dev"
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing="$missing fonts-wqy-microhei"
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "[setup] installing Debian packages:$missing"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    echo "[setup] installing Debian packages (sudo):$missing"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "[setup] missing Debian packages:$missing. Install them with: apt-get install$missing" >&2
    exit 1
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
