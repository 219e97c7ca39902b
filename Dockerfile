# syntax=docker/dockerfile:1.7
# One image for the portal, the workers, the migration job and the ops CLI:
#   web:      node node_modules/next/dist/bin/next start -p 3000   (default CMD)
#   workers:  node --import tsx workers/main.ts                    (WORKERS=collector,…)
#   migrate:  node bin/smarthydro.mjs migrate
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY tools/no-schema-engine ./tools/no-schema-engine
RUN npm ci --no-audit --no-fund --ignore-scripts && npm run db:generate

FROM deps AS build
COPY . .
RUN npx next build && npm prune --omit=dev --ignore-scripts \
 && npm install --no-save --no-audit --no-fund --ignore-scripts tsx@4.23.15

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 METRICS_PORT=9464
RUN apt-get update && apt-get install -y --no-install-recommends tini ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/generated ./generated
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/package.json /app/tsconfig.json /app/next.config.ts /app/prisma.config.ts ./
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/app ./app
COPY --from=build --chown=node:node /app/components ./components
COPY --from=build --chown=node:node /app/domain ./domain
COPY --from=build --chown=node:node /app/server ./server
COPY --from=build --chown=node:node /app/workers ./workers
COPY --from=build --chown=node:node /app/simulators ./simulators
COPY --from=build --chown=node:node /app/scripts ./scripts
COPY --from=build --chown=node:node /app/cli ./cli
COPY --from=build --chown=node:node /app/bin ./bin
RUN mkdir -p /app/var/reports && chown -R node:node /app/var
USER node
EXPOSE 3000 9464
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "node_modules/next/dist/bin/next", "start", "-p", "3000"]
