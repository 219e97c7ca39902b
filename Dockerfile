# syntax=docker/dockerfile:1.7
# One image for the portal, the workers, the migration job and the ops CLI. Nothing in it runs TypeScript:
#   web:      node server.js                          (default CMD: Next's standalone server)
#   workers:  node dist/app/workers.mjs               (WORKERS=collector,…)
#   ingest:   node dist/app/ingest.mjs                (webhook gateway, ADR 0011)
#   api:      node dist/app/api.mjs                   (REST API for Bearer clients, ADR 0014)
#   migrate:  node dist/app/cli.mjs migrate           (and every other ops command: backup, restore, …)
# The `demo` target adds the provider and DGA simulators (node dist/demo/simulators.mjs) for the compose demo.
# scripts/smoke/prod.sh assembles exactly these COPY lines on a machine without Docker and runs the CMDs.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/no-schema-engine ./tools/no-schema-engine
# Dev dependencies are the build tools (TypeScript, Prisma CLI, esbuild); postinstall generates the Prisma client.
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 METRICS_PORT=9464 NODE_OPTIONS=--enable-source-maps
# tini reaps and forwards signals; postgresql-client carries pg_dump/pg_restore for `cli.mjs backup|restore`.
RUN apt-get update && apt-get install -y --no-install-recommends tini ca-certificates postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*
# The standalone server (server.js, .next/, static assets, public/, config/) with the production modules
# Next traced for it; the workers and the CLI are self-contained bundles (scripts/build.mjs).
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/dist/app ./dist/app
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
USER node
EXPOSE 3000 9464
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "server.js"]

FROM runtime AS demo
COPY --from=build --chown=node:node /app/dist/demo ./dist/demo
CMD ["node", "dist/demo/simulators.mjs"]
