# One image for both processes: `node dist/apps/api/src/main.js` (ROLE=api) and `node dist/apps/worker/src/main.js`.
# Node 24 is the active LTS (Node 20 left support in April 2026); the code also runs on Node 20 (package.json engines).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Worker processes run with NODE_OPTIONS=--max-semi-space-size=64 (docker-compose.yml sets it): ingest allocates
# many short-lived RDF terms, and a larger young generation means fewer scavenges (~10 % more activities/s per
# worker). The api keeps V8's default young generation (a 64 MB semi-space costs it up to 128 MB of resident memory
# under reads) and lets its old space grow to 1.5x what the last full collection kept instead of up to 4x (P5:
# RSS max 462 -> 249 MB at 40 reads/s for 90 s, ~10 % more CPU per read). V8 takes that flag on the command line only.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/shapes ./shapes
COPY --from=build /app/demo ./demo
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "--heap-growing-percent=50", "dist/apps/api/src/main.js"]
