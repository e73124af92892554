#!/usr/bin/env bash
# Installs FerretDB 1.24.1 (MongoDB wire protocol on SQLite/PostgreSQL) into
# $(go env GOPATH)/bin. Idempotent: does nothing when a working binary is there.
#
# Why not just `go install`: a binary built by `go install …/cmd/ferretdb@v1.24.1`
# panics at start ("Invalid build/version/version.txt file content") because the
# module ships an empty version.txt that its release tooling normally fills in.
# We run that go install (it fetches the module through the Go proxy), then
# rebuild the same command from the module cache with version.txt filled in.
set -euo pipefail
VERSION=v1.24.1
BIN="$(go env GOPATH)/bin"
if "$BIN/ferretdb" --version >/dev/null 2>&1; then
  exit 0
fi
echo "installing FerretDB $VERSION (go build, takes a minute or two)" >&2
go install "github.com/FerretDB/FerretDB/cmd/ferretdb@$VERSION" 2>/dev/null || true
src="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$VERSION"
[ -d "$src" ] || go mod download -x "github.com/FerretDB/FerretDB@$VERSION" >/dev/null
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$src/." "$work/"
chmod -R u+w "$work"
echo "$VERSION" > "$work/build/version/version.txt"
(cd "$work" && go build -trimpath -o "$BIN/ferretdb" ./cmd/ferretdb)
"$BIN/ferretdb" --version >/dev/null
echo "FerretDB installed at $BIN/ferretdb" >&2
