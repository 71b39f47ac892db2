// The last line of `npm test` on a machine without a usable Python: which apps were skipped and
// why, once, after turbo's output (where each skipped package said so in its own log). With a
// usable Python nothing is skipped and this prints nothing.
import { discoverApps } from "@arena/manifest";
import { findPython, MINIMUM } from "./python.mjs";

const python = findPython();
if (!python.command) {
  const skipped = (await discoverApps())
    .filter((app) => app.manifest.language === "python")
    .map((app) => app.manifest.name)
    .sort();
  if (skipped.length > 0) {
    console.log(
      `\nSKIPPED ${skipped.length} Python apps (${skipped.join(", ")}) and the Python layer's comparison ` +
        `with packages/api: ${python.reason}. Install Python ${MINIMUM.join(".")} or newer and run npm test again.`,
    );
  }
}
