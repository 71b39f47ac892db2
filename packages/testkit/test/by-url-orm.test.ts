import { once } from "node:events";
import { NO_DOWN_MIGRATIONS_EXIT_CODE } from "@arena/api/migrate-command";
import { discoverApps, hasDownMigrations } from "@arena/manifest";
import { afterAll, expect, it } from "vitest";
import { collect, runCommand } from "../src/app-process.js";
import { defineUpgradeSuiteByUrl } from "../src/by-url.js";
import { stopStatementServer } from "../src/statement-accounting.js";

const apps = (await discoverApps()).filter((app) => !app.manifest.baseline && app.manifest.language === "typescript");

// The upgrade suite by URL on one ORM app too: the first (by name) whose migration tool has down
// migrations, so `migrate --to v1` and `migrate --rollback --to v1` run through an ORM's own tool
// behind the manifest's command, as they will for apps in other languages.
const withDowns = apps.find((app) => hasDownMigrations(app.manifest));
if (!withDowns) throw new Error("no ORM app with down migrations");
defineUpgradeSuiteByUrl(withDowns);
afterAll(stopStatementServer);

// And the other side of the contract, on the first app whose tool has none: it says so with its
// exit code before touching the database (the URL points nowhere).
const withoutDowns = apps.find((app) => !hasDownMigrations(app.manifest));
if (withoutDowns) {
  it(`${withoutDowns.manifest.name}: migrate --rollback exits ${NO_DOWN_MIGRATIONS_EXIT_CODE}`, async () => {
    const child = runCommand(withoutDowns, `${withoutDowns.manifest.commands.migrateFromSource} --rollback --to v1`, {
      DATABASE_URL: "postgres://127.0.0.1:1/none",
    });
    const output = collect(child);
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code, output.text).toBe(NO_DOWN_MIGRATIONS_EXIT_CODE);
    expect(output.text).toContain("no down migrations");
  });
}
