# syntax=docker/dockerfile:1
# Build stage: compiles TypeScript and better-sqlite3 (from source; nothing downloaded at install).
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY bench ./bench
RUN npm ci && npm prune --omit=dev

# Run stage: only the compiled code and production modules, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY demo ./demo
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Mount your lectern.yaml at /app/lectern.yaml with storage.path under /data.
# Healthy while the service heartbeats its stream session (every minute) in the database.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s CMD ["node", "dist/src/cli.js", "healthcheck", "--config", "/app/lectern.yaml"]
ENTRYPOINT ["node", "dist/src/cli.js"]
CMD ["start", "--config", "/app/lectern.yaml"]
