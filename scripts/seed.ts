/**
 * Loads the load comparison's data set into databases that an app has already migrated, so that
 * an app started by hand, on this machine or another, can be measured with `npm run bench --
 * --target name=url`. The data tables are emptied first: a database that served a run holds
 * exactly the data set again.
 *
 *   npm run seed -- --database-url postgres://user:password@host:5432/arena_pg [--scale 1]
 *
 * --database-url is repeatable or a comma-separated list; --scale must be the bench run's.
 */
import { parseArgs } from "node:util";
import { hashPassword } from "@arena/api";
import { generateDataset, seedDatabase } from "@arena/bench";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string", multiple: true },
    scale: { type: "string", default: "1" },
  },
});

const urls = (values["database-url"] ?? []).flatMap((raw) => raw.split(",").filter(Boolean));
if (urls.length === 0) {
  console.error("usage: npm run seed -- --database-url <url> [--database-url <url>...] [--scale 1]");
  process.exit(1);
}
const scale = Number(values.scale);
if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be a positive number, got "${values.scale}"`);

const data = generateDataset(scale);
const passwordHash = await hashPassword("password123");
for (const url of urls) {
  await seedDatabase(url, data, passwordHash, { reset: true });
  const { host, pathname } = new URL(url);
  console.log(
    `seeded ${host}${pathname}: ${data.users.length} users, ${data.articles.length} articles (scale ${scale})`,
  );
}
