import { databaseFailure } from "@arena/api";
import { describe, expect, it } from "vitest";
import { databaseErrors } from "../src/database-errors.js";

describe("Sequelize's database failures", () => {
  it("are unavailable: its ConnectionRefusedError, with the driver's error as parent", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const sequelize = Object.assign(new Error("refused"), { name: "SequelizeConnectionRefusedError", parent: refused });
    expect(databaseFailure(sequelize, databaseErrors)).toBe("unavailable");
    expect(
      databaseFailure(
        Object.assign(new Error("x"), { name: "SequelizeConnectionAcquireTimeoutError" }),
        databaseErrors,
      ),
    ).toBe("unavailable");
  });

  it("leave every other error alone", () => {
    expect(
      databaseFailure(Object.assign(new Error("x"), { name: "SequelizeValidationError" }), databaseErrors),
    ).toBeNull();
  });
});
