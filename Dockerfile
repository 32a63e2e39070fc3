# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and build native addons (better-sqlite3, isolated-vm).
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run stage: only what `npm start` needs.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOOKFLOW_HOST=0.0.0.0 \
    HOOKFLOW_PORT=3234 \
    HOOKFLOW_DB=/data/hookflow.db \
    HOOKFLOW_CONFIG=/app/config.example.json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json config.example.json ./
COPY migrations ./migrations
COPY src/console/assets ./src/console/assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3234
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3234/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Same command as `npm start` (without the build step, done above).
CMD ["node", "--no-node-snapshot", "--max-semi-space-size=8", "dist/src/server.js"]
