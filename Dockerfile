# Airlock service image: the same sources as `npm start`, run through tsx (no build step).
FROM node:20-bookworm-slim
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
