import type { DatabaseErrorShape } from "@arena/api";

/** The error classes TypeORM throws when its data source has no connection to give. */
const UNAVAILABLE_NAMES = /^(CannotConnectAlreadyConnectedError|ConnectionIsNotSetError)$/;

/** How TypeORM reports a database that cannot answer: the driver's error as `driverError` (QueryFailedError). */
export const databaseErrors: DatabaseErrorShape = {
  nestedKeys: ["driverError"],
  recognise(link) {
    return typeof link.name === "string" && UNAVAILABLE_NAMES.test(link.name) ? "unavailable" : null;
  },
};
