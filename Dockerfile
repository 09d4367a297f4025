# Airlock service image: the same sources as `npm start`, run through tsx (no build step).
# Node 24: the active LTS (Node 20 is past its end of life); package.json still accepts >= 20.19.
# No policies are baked in: the policies a gateway serves are the folder mounted at /app/policies
# (your own in docker-compose.yml, the repository's demo policies in docker-compose.demo.yml).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY migrations ./migrations
COPY bin ./bin
RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p /data /app/policies /imports && chown node:node /data
USER node
EXPOSE 4000
CMD ["node", "bin/airlock.mjs", "start"]
