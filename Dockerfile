# Ripple API + web on one port. Neo4j runs in its own container (docker-compose.yml) and is reached by NEO4J_URI.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build:web && npm prune --omit=dev && chown -R node:node /app
USER node
ENV HOST=0.0.0.0 PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 \
  CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tsx runs the TypeScript as it is, on purpose: Node's own type stripping needs .ts in every import and no
# parameter properties, which the code uses throughout, and a separate compile step would ship a second copy of
# the server to keep in step. tsx compiles each file once at start-up; requests run plain JavaScript after that.
CMD ["node", "--import", "tsx", "server/main.ts"]
