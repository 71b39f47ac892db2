import { createDataSource } from "./db.js";

/**
 * The DataSource the TypeORM CLI loads (`npm run generate`): the app's own, on DATABASE_URL. The
 * app never imports this file; it builds its DataSource with `createDataSource` from `db.ts`.
 */
export default createDataSource({ databaseUrl: process.env.DATABASE_URL ?? "", poolMax: 1 });
