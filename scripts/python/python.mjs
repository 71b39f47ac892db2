// Finding a Python the Python apps can run on (3.11 or newer), shared by the build and test wrappers.
import { spawnSync } from "node:child_process";

export const MINIMUM = [3, 11];

/** `{ command, version }` of the first usable Python (PYTHON, then python3), or `{ reason }` when there is none. */
export function findPython() {
  const candidates = [process.env.PYTHON, "python3"].filter(Boolean);
  for (const command of candidates) {
    const probe = spawnSync(command, ["-c", "import sys, venv; print('%d.%d.%d' % sys.version_info[:3])"], {
      encoding: "utf8",
    });
    if (probe.status !== 0) continue;
    const version = probe.stdout.trim();
    const [major, minor] = version.split(".").map(Number);
    if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return { command, version };
    return { reason: `${command} is ${version}, older than ${MINIMUM.join(".")}` };
  }
  return { reason: `no python3 (${MINIMUM.join(".")}+ with venv) on PATH` };
}
