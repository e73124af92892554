#!/usr/bin/env bash
# Installs everything posflow needs on a fresh machine of this kind (Debian,
# Node 20, Go; registries: npm, Debian, Go proxy) and builds the workspace.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[setup] %s\n' "$*" >&2; }

export PATH="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:$PATH"

# pnpm 12 (the workspace's package manager)
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version | cut -d. -f1)" != "12" ]; then
  say "installing pnpm 12"
  npm install -g pnpm@12 >/dev/null
fi

# Debian packages: chromium (browser tests), prometheus (promtool for alert rules)
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  # keep apt from starting packaged daemons (prometheus): we only want the binaries
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${need_apt[@]}" >/dev/null || { rm -f /usr/sbin/policy-rc.d; exit 1; }
  rm -f /usr/sbin/policy-rc.d
fi

# Go-built tools: FerretDB (MongoDB-compatible server) and helm
bash scripts/install-ferretdb.sh
if [ -f scripts/install-tools.sh ]; then bash scripts/install-tools.sh; fi

say "installing node dependencies"
pnpm install --frozen-lockfile --reporter=silent

say "building"
pnpm build >/dev/null
say "ready"
