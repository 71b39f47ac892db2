import type { AppManifest } from "@arena/manifest";
import type { DiscoveredApp } from "./apps.js";

/** The Dockerfile (relative to the repository root) that builds an app of each runtime, with `--build-arg APP=<name>`. */
export const DOCKERFILES: Record<AppManifest["runtime"], string> = {
  node: "docker/Dockerfile",
  python: "docker/python.Dockerfile",
};

/** Each app's database on the compose PostgreSQL: `arena_<name>`, dashes as underscores. */
export const composeDatabaseOf = (name: string) => `arena_${name.replaceAll("-", "_")}`;
const databaseUrlOf = (name: string) => `postgres://arena:arena@postgres:5432/${composeDatabaseOf(name)}`;

/**
 * docker/compose.yaml and docker/postgres-init.sql as the manifests describe them (`npm run
 * compose` writes them; scripts/test/docker.test.ts fails when they are out of date): one service,
 * host port (`docker.port`) and database per app, each built by its runtime's Dockerfile, and the
 * load runner pointed at all of them.
 */
export function composeFiles(apps: DiscoveredApp[]): { compose: string; postgresInit: string } {
  const names = apps.map((app) => app.manifest.name);
  const services = apps.map(
    ({ manifest }) => `  ${manifest.name}:
    <<: *app
    build:
      context: ..
      dockerfile: ${DOCKERFILES[manifest.runtime]}
      args:
        APP: ${manifest.name}
    image: orm-arena/${manifest.name}
    ports:
      - "${manifest.docker.port}:3000"
    environment:
      <<: *app-environment
      DATABASE_URL: ${databaseUrlOf(manifest.name)}
`,
  );
  const compose = `# Generated from the apps' manifests (apps/*/arena.json) by \`npm run compose\`; do not edit by hand.
#
# The arena in containers: PostgreSQL, every app as its own service on its own port, and the
# load runner. From the repository root:
#
#   docker compose -f docker/compose.yaml up --build -d          # PostgreSQL and every app (ports below)
#   docker compose -f docker/compose.yaml run --rm load-runner   # the load comparison against them
#
# Each app migrates its own database (arena_<app>) with its own tool when it starts; the load runner
# resets each database to the bench's data set, then measures the running apps (\`--target\`).
# WORKERS and PG_POOL_MAX from the environment apply to every app: each app then holds up to
# WORKERS × PG_POOL_MAX connections.
name: orm-arena

x-app: &app
  restart: unless-stopped
  depends_on:
    postgres:
      condition: service_healthy

x-app-environment: &app-environment # The bench signs its tokens up front with this secret; set JWT_SECRET for anything but the arena.
  JWT_SECRET: \${JWT_SECRET:-orm-arena-benchmark-secret}
  WORKERS: \${WORKERS:-1}
  PG_POOL_MAX: \${PG_POOL_MAX:-10}
  # The statement counter behind GET /__arena/sql, as in \`npm run bench\`: one increment per statement.
  ARENA_SQL_COUNTER: "1"

services:
  postgres:
    image: postgres:18
    environment:
      POSTGRES_USER: arena
      POSTGRES_PASSWORD: arena
    # ${apps.length} apps × WORKERS × PG_POOL_MAX connections, plus the load runner's.
    command: ["postgres", "-c", "max_connections=${Math.max(400, apps.length * 50 + 50)}"]
    volumes:
      - ./postgres-init.sql:/docker-entrypoint-initdb.d/01-databases.sql:ro
    ports:
      - "\${ARENA_POSTGRES_PORT:-5432}:5432"
    healthcheck:
      # Over TCP: during initialisation (postgres-init.sql) the image's server listens on its socket only.
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "arena", "-d", "postgres"]
      interval: 2s
      timeout: 3s
      retries: 30

${services.join("\n")}
  load-runner:
    # Only on demand: \`docker compose run --rm load-runner [bench options]\`.
    profiles: ["bench"]
    build:
      context: ..
      dockerfile: docker/Dockerfile
      target: runner
    image: orm-arena/runner
    depends_on:
${names.map((name) => `      ${name}:\n        condition: service_healthy\n`).join("")}    environment:
      ARENA_TARGETS: >-
${names.map((name) => `        ${name}=http://${name}:3000`).join(",\n")}
      ARENA_TARGET_DATABASES: >-
${names.map((name) => `        ${name}=${databaseUrlOf(name)}`).join(",\n")}
    volumes:
      - ../results:/arena/results
`;
  const postgresInit = `-- Generated from the apps' manifests by \`npm run compose\`; do not edit by hand.
-- One database per app, each migrated by the app's own tool when its container starts.
-- Run once by the postgres image on an empty data directory; docker/compose.yaml names them.
${names.map((name) => `CREATE DATABASE ${composeDatabaseOf(name)};`).join("\n")}
`;
  return { compose, postgresInit };
}
