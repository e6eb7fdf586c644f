# Build stage: every dependency and the TypeScript compiler; then only the production dependencies are kept.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Run stage: the compiled service (dist/, with its migrations and the catalog) and its production
# dependencies, run by the unprivileged `node` user, which owns only the data directory.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data/tls /app/data/pglite && chown -R node:node /app/data
USER node
EXPOSE 8080
CMD ["node", "dist/src/server.js"]
