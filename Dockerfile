# Airlock service image: the same sources as `npm start`, run through tsx (no build step).
# Node 24: the active LTS (Node 20 is past its end of life); package.json still accepts >= 20.19.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY migrations ./migrations
COPY bin ./bin
COPY policies ./policies
RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
CMD ["node", "bin/airlock.mjs", "start"]
