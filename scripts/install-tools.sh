#!/usr/bin/env bash
# Installs the tools the Kubernetes delivery tests need (test/src/k8s):
#   helm 3.16.4 (go install, through the Go proxy) -> $(go env GOPATH)/bin/helm
#   promtool    (from Debian's `prometheus` package; only the promtool binary
#                is extracted, so no Prometheus server is installed or started)
#                -> $(go env GOPATH)/bin/promtool
# Idempotent: each tool is skipped when a working binary is already on PATH
# or in $(go env GOPATH)/bin. Run as root (apt-get) on Debian.
set -euo pipefail
say() { printf '[install-tools] %s\n' "$*" >&2; }

HELM_VERSION=v3.16.4
BIN="$(go env GOPATH)/bin"
mkdir -p "$BIN"
export PATH="$BIN:$PATH"

# helm: `go install` builds without the release ldflags, so `helm version`
# would say v3.x-unreleased and the default Kubernetes version (what
# kubeVersion constraints and .Capabilities see without a cluster) would be
# 1.20; we set both as helm's Makefile does (client-go v0.31 -> Kubernetes
# 1.31). Takes a few minutes on 2 cores.
if helm version --short >/dev/null 2>&1; then
  say "helm present: $(helm version --short)"
else
  say "installing helm $HELM_VERSION (go install; a few minutes)"
  GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install \
    -ldflags "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.metadata= \
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=31 \
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=31" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  helm version --short >/dev/null
  say "helm installed at $BIN/helm"
fi

# promtool: `apt-get download` fetches the .deb without installing it (no
# daemon, no systemd unit, no prometheus user); we keep only usr/bin/promtool.
if promtool --version >/dev/null 2>&1; then
  say "promtool present: $(promtool --version 2>&1 | head -n1)"
else
  say "installing promtool (extracted from Debian's prometheus package)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  if ! (cd "$work" && apt-get download -q prometheus >/dev/null 2>&1); then
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    (cd "$work" && apt-get download -q prometheus >/dev/null)
  fi
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  install -m 0755 "$work/root/usr/bin/promtool" "$BIN/promtool"
  promtool --version >/dev/null
  say "promtool installed at $BIN/promtool"
fi
