# syntax=docker/dockerfile:1
# Lectern's image: Node 26, the compiled service and its production modules, run as `node`.
# Guide: docs/docker.md (compose.yaml, mounts, the dashboard token, exports).

# Build stage: compiles TypeScript and better-sqlite3 (from source; nothing downloaded at install).
FROM node:26-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY tsconfig.json ./
COPY scripts/copy-assets.mjs ./scripts/
COPY src ./src
COPY bench ./bench
RUN npm ci && npm prune --omit=dev

# Run stage: only the compiled service and production modules, as the non-root `node` user (uid 1000).
FROM node:26-bookworm-slim
ENV NODE_ENV=production
# In a container the dashboard listens on all of the container's interfaces, so a published port
# reaches it; publish it to the host's loopback only (compose.yaml: 127.0.0.1:8787:8787).
# Outside a container dashboard.host stays 127.0.0.1. This variable overrides dashboard.host.
ENV LECTERN_DASHBOARD_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
COPY config ./config
COPY demo ./demo
# `lectern` on the PATH is the built CLI (package.json "bin"; it starts with #!/usr/bin/env node).
# /data: the database, tokens.json, dashboard-token and the feeds cache (storage.path: /data/lectern.db).
# /notes: your notes, mounted read-only. /exports: where `lectern export --out /exports/...` writes.
RUN chmod 755 /app/dist/src/cli.js \
 && ln -s /app/dist/src/cli.js /usr/local/bin/lectern \
 && mkdir -p /data /notes /exports \
 && chown node:node /data /exports
USER node
VOLUME ["/data"]
EXPOSE 8787
# Mount your lectern.yaml at /app/lectern.yaml (read-only) with storage.path under /data.
# Healthy while the service heartbeats its stream session (every minute) in the database.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 CMD ["lectern", "healthcheck", "--config", "/app/lectern.yaml"]
ENTRYPOINT ["lectern"]
CMD ["start", "--config", "/app/lectern.yaml"]
