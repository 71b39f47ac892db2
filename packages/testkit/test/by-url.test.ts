import { findBaseline } from "@arena/manifest";
import { afterAll } from "vitest";
import { defineContractSuiteByUrl } from "../src/by-url.js";
import { stopStatementServer } from "../src/statement-accounting.js";

// The by-URL path for a TypeScript app: the baseline (the quickest to start) started from its
// manifest's commands as its own process, reached over HTTP and SQL only, with the N+1 guard read
// from pg_stat_statements. The reliability and upgrade suites by URL (down migrations included) run
// in every Python app's own tests (apps/asyncpg, sqlalchemy, tortoise, piccolo), which use no other
// path; repeating them here against a TypeScript app cost npm test four minutes and proved nothing more.
defineContractSuiteByUrl(await findBaseline());
afterAll(stopStatementServer);
