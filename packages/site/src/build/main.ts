/**
 * `npm run site`: reads the repository into src/generated/data.json, then Vite bundles the page
 * with that data into packages/site/dist/: one HTML file, one script, one stylesheet, no request
 * to anywhere at run time. The script is a classic one (not a module), so opening
 * dist/index.html from the disk (file://) works as well as any static host.
 *
 *   npm run site                # build
 *   npm run site -- --serve     # build, then preview on http://127.0.0.1:4173 (--port N)
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { collectSiteData } from "./data.js";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
export const distDir = join(packageDir, "dist");
const DATA_MODULE = "virtual:arena-data";

export async function buildSite(): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const { data, details } = await collectSiteData();
  // Each app's detail is a classic script in dist/data/ named by its content (a host may cache it
  // for ever); it hands its data to the page, which has no fetch to make.
  const detailScripts = new Map<string, string>();
  for (const app of data.apps) {
    const script = `window.arenaDetail(${JSON.stringify(app.name)}, JSON.parse(${JSON.stringify(JSON.stringify(details.get(app.name)))}));\n`;
    app.detailFile = `data/${app.name}.${createHash("sha256").update(script).digest("hex").slice(0, 10)}.js`;
    detailScripts.set(app.detailFile, script);
  }
  await build({
    configFile: false,
    root: join(packageDir, "src", "client"),
    base: "./",
    logLevel: "warn",
    // The page's data is a module of the bundle (virtual:arena-data), never a file it fetches.
    plugins: [
      {
        name: "arena-data",
        resolveId: (id: string) => (id === DATA_MODULE ? `\0${DATA_MODULE}` : undefined),
        load: (id: string) =>
          id === `\0${DATA_MODULE}` ? `export default JSON.parse(${JSON.stringify(JSON.stringify(data))});` : undefined,
      },
    ],
    build: {
      outDir: distDir,
      emptyOutDir: true,
      modulePreload: false,
      // One classic script: browsers refuse module scripts from file:// (their origin is null).
      rolldownOptions: { output: { format: "iife" } },
      chunkSizeWarningLimit: 10_000,
    },
  });
  mkdirSync(join(distDir, "data"), { recursive: true });
  for (const [file, script] of detailScripts) writeFileSync(join(distDir, file), script);
  const index = join(distDir, "index.html");
  writeFileSync(
    index,
    readFileSync(index, "utf8")
      .replace(/<script type="module" crossorigin src=/g, "<script defer src=")
      .replace(/ crossorigin(?=[ >])/g, ""),
  );
  return { ms: performance.now() - started, bytes: folderBytes(distDir) };
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((total, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return total + (stat.isDirectory() ? folderBytes(path) : stat.size);
  }, 0);
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** The file of dist/ a request names, or null for one outside it (however its path is spelt). */
function fileOf(url: string | undefined): string | null {
  try {
    const path = decodeURIComponent(new URL(url ?? "/", "http://x").pathname);
    const file = resolve(distDir, `.${path.endsWith("/") ? `${path}index.html` : path}`);
    return file.startsWith(`${distDir}${sep}`) ? file : null;
  } catch {
    return null;
  }
}

/** A static server of dist/ on 127.0.0.1, for `--serve`. */
export function serve(port: number): Server {
  return createServer((request, response) => {
    const file = fileOf(request.url);
    if (file && existsSync(file) && statSync(file).isFile()) {
      response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      response.end(readFileSync(file));
    } else {
      response.writeHead(404).end("not found");
    }
  }).listen(port, "127.0.0.1", function (this: Server) {
    console.log(`site: http://127.0.0.1:${(this.address() as AddressInfo).port}/ (Ctrl-C stops)`);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ms, bytes } = await buildSite();
  console.log(
    `site: built ${distDir} in ${(ms / 1000).toFixed(1)} s, ${(bytes / 1024 / 1024).toFixed(2)} MiB; open dist/index.html`,
  );
  if (process.argv.includes("--serve")) {
    const at = process.argv.indexOf("--port");
    serve(at >= 0 ? Number(process.argv[at + 1]) : 4173);
  }
}
