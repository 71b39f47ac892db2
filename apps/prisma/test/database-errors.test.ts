import { databaseFailure } from "@arena/api";
import { describe, expect, it } from "vitest";
import { databaseErrors } from "../src/database-errors.js";

const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("Prisma's database failures", () => {
  it("are unavailable: its codes, and its driver adapter's error with the SQLSTATE as originalCode", () => {
    expect(databaseFailure(pgError("P1001"), databaseErrors)).toBe("unavailable");
    expect(
      databaseFailure(Object.assign(new Error("x"), { cause: { originalCode: "08006", message: "" } }), databaseErrors),
    ).toBe("unavailable");
    // Prisma through adapter-pg: the SQLSTATE sits in meta.driverAdapterError.cause.originalCode.
    const prismaTooMany = Object.assign(new Error("Too many database connections opened"), {
      code: "P2010",
      meta: { driverAdapterError: { cause: { kind: "TooManyConnections", originalCode: "53300" } } },
    });
    expect(databaseFailure(prismaTooMany, databaseErrors)).toBe("unavailable");
    expect(
      databaseFailure(
        new Error("Transaction API error: Unable to start a transaction in the given time."),
        databaseErrors,
      ),
    ).toBe("unavailable");
  });

  it("tell a statement timeout apart", () => {
    const prismaTimeout = Object.assign(new Error("Database error"), {
      code: "P2039",
      meta: { driverAdapterError: { cause: { originalCode: "57014" } } },
    });
    expect(databaseFailure(prismaTimeout, databaseErrors)).toBe("timeout");
  });

  it("leave every other error alone", () => {
    expect(databaseFailure(pgError("P2002", "Unique constraint failed"), databaseErrors)).toBeNull();
  });
});
