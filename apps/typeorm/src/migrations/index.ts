import { CanonicalSchema1795467640426 } from "./1795467640426-CanonicalSchema.js";
import { V2ContentReadingMinutesEmailLower1795475804975 } from "./1795475804975-V2ContentReadingMinutesEmailLower.js";

/**
 * Every migration, in order, listed rather than globbed: a glob would have to name `.ts` files
 * under tsx and vitest but `.js` files in the build. `npm run generate` writes a new one; add it here.
 */
export const migrations = [CanonicalSchema1795467640426, V2ContentReadingMinutesEmailLower1795475804975];
