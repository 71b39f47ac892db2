import { databaseFailure } from "@arena/api";
import { describe, expect, it } from "vitest";
import { databaseErrors } from "../src/database-errors.js";

describe("MikroORM's database failures", () => {
  it("are unavailable: its ConnectionException, with the driver's error as previous", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const wrapped = Object.assign(new Error("connection failed"), { name: "DriverException", previous: refused });
    expect(databaseFailure(wrapped, databaseErrors)).toBe("unavailable");
    expect(databaseFailure(Object.assign(new Error("x"), { name: "ConnectionException" }), databaseErrors)).toBe(
      "unavailable",
    );
  });

  it("leave every other error alone", () => {
    const unique = Object.assign(new Error("duplicate key"), { code: "23505" });
    const wrapped = Object.assign(new Error("x"), { name: "UniqueConstraintViolationException", previous: unique });
    expect(databaseFailure(wrapped, databaseErrors)).toBeNull();
  });
});
