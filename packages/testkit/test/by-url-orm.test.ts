import { once } from "node:events";
import { NO_DOWN_MIGRATIONS_EXIT_CODE } from "@arena/api/migrate-command";
import { discoverApps, hasDownMigrations } from "@arena/manifest";
import { expect, it } from "vitest";
import { collect, runCommand } from "../src/app-process.js";

const apps = (await discoverApps()).filter((app) => !app.manifest.baseline && app.manifest.language === "typescript");

// The migrate command's answer when the tool has no down migrations, on the first TypeScript app
// whose tool has none: it says so with its exit code before touching the database (the URL points
// nowhere). Rollbacks that do exist run by URL in the Python apps' upgrade suites.
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
