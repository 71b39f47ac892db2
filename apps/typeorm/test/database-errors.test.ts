import { databaseFailure } from "@arena/api";
import { describe, expect, it } from "vitest";
import { databaseErrors } from "../src/database-errors.js";

describe("TypeORM's database failures", () => {
  it("are unavailable: QueryFailedError keeps the driver's error as driverError", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(databaseFailure(Object.assign(new Error("query failed"), { driverError: refused }), databaseErrors)).toBe(
      "unavailable",
    );
  });

  it("leave every other error alone", () => {
    const unique = Object.assign(new Error("duplicate key"), { code: "23505" });
    expect(
      databaseFailure(Object.assign(new Error("query failed"), { driverError: unique }), databaseErrors),
    ).toBeNull();
  });
});
