// vitest loads globalSetup files without the resolve conditions of the test config, so the
// workspace package is reached by its source path here rather than by its name.
import { vitestDatabaseSetup } from "../database/src/vitest-setup.js";

export default vitestDatabaseSetup;
