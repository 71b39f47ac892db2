import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DiscoveredApp } from "@arena/manifest";
import type { DependencyFootprint } from "./measure.js";

/**
 * Walks the installed distributions of the app's .venv from the given requirements (with their
 * extras), following each one's requirements whose markers hold, and prints every distribution
 * reached once with its installed size (the sizes its RECORD lists). pip's vendored `packaging`
 * evaluates the markers, so nothing outside the lock is needed.
 */
const WALK = `
import json, sys
from importlib import metadata
from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name

seen = {}
def visit(spec):
    req = Requirement(spec)
    try:
        dist = metadata.distribution(req.name)
    except metadata.PackageNotFoundError:
        return
    name = canonicalize_name(dist.metadata["Name"])
    extras = set(req.extras)
    known = seen.get(name)
    if known is not None and extras <= known["extras"]:
        return
    if known is None:
        known = seen[name] = {"extras": set(), "bytes": sum(f.size or 0 for f in dist.files or [])}
    known["extras"] |= extras
    for child in dist.requires or []:
        child_req = Requirement(child)
        if child_req.marker is None or any(child_req.marker.evaluate({"extra": e}) for e in known["extras"] | {""}):
            visit(child)

for spec in sys.argv[1:]:
    visit(spec)
print(json.dumps({name: known["bytes"] for name, known in seen.items()}))
`;

/** The requirement lines of a requirements.in (its own, not those it includes with -r). */
function requirementsOf(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line.length > 0 && !line.startsWith("-"));
}

/**
 * A Python app's production dependency footprint, in the same terms as a TypeScript app's: what
 * its own requirements.in names (the ORM, its migration tool), the tree below those alone, and the
 * whole tree with the shared layer's pins (Litestar, granian, asyncpg), as installed in its .venv.
 */
export function pythonDependencyFootprint(app: DiscoveredApp): DependencyFootprint {
  const own = requirementsOf(join(app.dir, "requirements.in"));
  const shared = readFileSync(join(app.dir, "requirements.in"), "utf8")
    .split("\n")
    .map((line) => /^-r\s+(\S+)/.exec(line.trim())?.[1])
    .filter((path): path is string => path !== undefined)
    .flatMap((path) => requirementsOf(join(app.dir, path)));
  const walk = (specs: string[]) =>
    specs.length === 0
      ? {}
      : (JSON.parse(
          execFileSync(join(app.dir, ".venv", "bin", "python"), ["-c", WALK, ...specs], { encoding: "utf8" }),
        ) as Record<string, number>);
  const sum = (sizes: Record<string, number>) => Object.values(sizes).reduce((total, bytes) => total + bytes, 0);
  const ownTree = walk(own);
  const all = walk([...own, ...shared]);
  return {
    direct: own.map((spec) => spec.replace(/[[=<>!~;\s].*$/, "")),
    total: Object.keys(all).length,
    bytes: sum(all),
    own: Object.keys(ownTree).length,
    ownBytes: sum(ownTree),
  };
}
