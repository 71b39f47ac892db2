// vitest loads globalSetup files without the resolve conditions of the test config, so the
// workspace package is reached by its source path here rather than by its name.
import { vitestDatabaseSetup } from "../database/src/vitest-setup.js";

export default async function setup(): Promise<() => Promise<void>> {
  // One line per test run, so every test log says which Node it ran on (the pinned one: see the README).
  console.log(`vitest on Node ${process.version} (${process.platform} ${process.arch})`);
  return vitestDatabaseSetup();
}
