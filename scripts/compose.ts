/**
 * Writes docker/compose.yaml and docker/postgres-init.sql from the apps' manifests: adding an app
 * folder and running `npm run compose` is all the Docker setup needs.
 *
 *   npm run compose
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { discoverApps, repoRoot } from "./lib/apps.js";
import { composeFiles } from "./lib/compose.js";

const { compose, postgresInit } = composeFiles(await discoverApps());
await writeFile(join(repoRoot, "docker", "compose.yaml"), compose);
await writeFile(join(repoRoot, "docker", "postgres-init.sql"), postgresInit);
console.log("wrote docker/compose.yaml and docker/postgres-init.sql");
