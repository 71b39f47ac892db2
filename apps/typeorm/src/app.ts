import type { AppModule } from "@arena/api";
import { databaseErrors } from "./database-errors.js";
import { migrate, rollback } from "./migrate.js";
import { createStore } from "./store.js";

/** This app as the shared server, tests and scripts load it. */
export const app: AppModule = { name: "typeorm", createStore, databaseErrors, migrate, rollback };
