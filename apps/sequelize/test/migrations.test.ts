import { createFreshDatabase, describeSchema } from "@arena/database";
import { expect, it } from "vitest";
import { createSequelize } from "../src/db.js";
import { createMigrator, migrate } from "../src/migrate.js";

// The migrations are written by hand (Sequelize generates none), so their `down` is tested once.
it("migrations go down to an empty schema and up again to the same schema", async () => {
  const database = await createFreshDatabase({ prefix: "sequelize_migrations" });
  const sequelize = createSequelize({ databaseUrl: database.url, poolMax: 1 });
  const schema = () => describeSchema(database.url, { exclude: ["SequelizeMeta"] });
  try {
    await migrate(database.url);
    const applied = await schema();
    expect(Object.keys(applied.tables).sort()).toEqual([
      "article_tags",
      "articles",
      "comments",
      "favorites",
      "follows",
      "tags",
      "users",
    ]);

    const migrator = createMigrator(sequelize);
    await migrator.down({ to: 0 });
    expect(await migrator.executed()).toEqual([]);
    expect((await schema()).tables).toEqual({});

    await migrate(database.url);
    expect(await schema()).toEqual(applied);
  } finally {
    await sequelize.close();
    await database.drop();
  }
});
