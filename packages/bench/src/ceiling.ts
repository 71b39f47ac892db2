import { spawn } from "node:child_process";
import { onCpus } from "./cpu-pinning.js";
import { type LoadResult, runLoad } from "./load.js";

// A bare node:http server answering a small JSON body: what the load generator and Node's HTTP
// stack can do on this machine with no app and no database behind them.
const TRIVIAL_SERVER = `
const http = require("node:http");
const body = JSON.stringify({ tags: ["a", "b", "c"] });
http.createServer((req, res) => { res.writeHead(200, { "Content-Type": "application/json" }); res.end(body); })
  .listen(Number(process.argv[1]), "127.0.0.1", () => process.stdout.write("ready\\n"));
`;

/** Measures the load generator's own ceiling against a trivial route, with the run's settings. */
export async function measureCeiling(
  port: number,
  connections: number,
  durationSeconds: number,
  /** taskset CPU list of the apps, so the trivial server runs where they do. */
  cpus?: string,
): Promise<LoadResult> {
  const [command, args] = onCpus([process.execPath, "-e", TRIVIAL_SERVER, String(port)], cpus);
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`the trivial server exited with ${code}`)));
    });
    return await runLoad({
      url: `http://127.0.0.1:${port}`,
      requests: [{ method: "GET", path: "/" }],
      connections,
      durationSeconds,
    });
  } finally {
    child.kill("SIGTERM");
  }
}
