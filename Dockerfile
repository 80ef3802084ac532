# One image for every Ratchet process; docker-compose.yml picks the command per service.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium python3 python3-venv git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV RATCHET_CHROMIUM_PATH=/usr/bin/chromium
RUN node scripts/setup.mjs
ENTRYPOINT ["node", "bin/ratchet.mjs"]
CMD ["worker"]
