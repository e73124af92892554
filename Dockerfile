# syntax=docker/dockerfile:1.7
# One image recipe for every deployable in the workspace:
#   docker build --build-arg SERVICE=gateway  -t posflow-gateway .
#   SERVICE = gateway | fetcher | combiner | importer | upstream-sim (dev only)
# The image mirrors the repo layout under /app (services/<svc>/dist/main.js,
# test/dist/upstream-sim/main.js), so the paths in the docs work unchanged,
# and /app/main.js links to the chosen service's entry (the default command).
#
# PID 1 is tini: it forwards SIGTERM to node and reaps zombies; node itself
# runs the services' own graceful shutdown (stop consuming, finish in-flight
# work, force-exit after SHUTDOWN_TIMEOUT_MS). No HEALTHCHECK: Kubernetes
# probes /healthz and /readyz on the ops port.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# pnpm from the npm registry (pinned major, same as the workspace).
RUN npm install -g pnpm@12.21.0 >/dev/null
WORKDIR /src
# Dependencies first: `pnpm fetch` needs only the lockfile, so this layer is
# reused until a dependency changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store \
    pnpm fetch --frozen-lockfile
COPY . .
ARG SERVICE
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store <<'SH'
set -eu
case "${SERVICE:-}" in
  gateway|fetcher|combiner|importer) pkg="@posflow/${SERVICE}"; dir="services/${SERVICE}"; entry="dist/main.js" ;;
  upstream-sim) pkg="@posflow/test"; dir="test"; entry="dist/upstream-sim/main.js" ;;
  *) echo "build-arg SERVICE must be gateway|fetcher|combiner|importer|upstream-sim (got '${SERVICE:-}')" >&2; exit 1 ;;
esac
pnpm install --offline --frozen-lockfile
# Compile the service and the workspace libraries it references, then its assets (the gateway's dashboard).
pnpm exec tsc -b "$dir"
pnpm --filter "$pkg" --if-present run build:assets
# A pruned copy: production dependencies only, workspace libraries injected with their dist/.
pnpm --filter "$pkg" deploy --prod "/out/$dir"
# Build output that a package's .gitignore hides from `deploy` (the dashboard's public/).
if [ -d "$dir/public" ]; then cp -r "$dir/public" "/out/$dir/public"; fi
# Our sources, maps and declarations are not needed at run time (only in our
# own packages: third-party packages may keep code under src/).
for p in "/out/$dir" "/out/$dir"/node_modules/.pnpm/@posflow+*/node_modules/@posflow/*; do
  rm -rf "$p/src" "$p/web" "$p"/tsconfig*.json
  if [ -d "$p/dist" ]; then find "$p/dist" \( -name '*.map' -o -name '*.d.ts' -o -name '*.tsbuildinfo' \) -type f -delete; fi
done
ln -s "$dir/$entry" /out/main.js
test -f "/out/$dir/$entry"
SH

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 posflow \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin posflow
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the service user: the root filesystem can
# be mounted read-only; the only writable paths are volumes (/tmp).
COPY --from=build /out /app
ARG SERVICE
LABEL org.opencontainers.image.title="posflow-${SERVICE}" \
      org.opencontainers.image.source="posflow"
# Numeric user so the kubelet can verify runAsNonRoot.
USER 10001:10001
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
CMD ["main.js"]
