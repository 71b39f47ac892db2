import { spawnSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { cpus } from "node:os";

/**
 * Which CPUs each side of the measurement may run on. On a small machine the load generator, the
 * app and PostgreSQL otherwise take turns on the same cores as the scheduler sees fit, so the
 * same app measures differently from one run to the next; pinned, the load generator has its own
 * core and the system under test (app and database) the rest, the same for every app.
 */
export interface CpuPlan {
  /** taskset CPU list of the bench process (autocannon). */
  loadGenerator: string;
  /** taskset CPU list of the apps and the embedded PostgreSQL. */
  server: string;
}

/** CPU 0 for the load generator, the others for the system under test; null where that cannot be done. */
export function planCpus(): CpuPlan | null {
  const count = cpus().length;
  if (process.platform !== "linux" || count < 2) return null;
  if (spawnSync("taskset", ["-V"]).status !== 0) return null;
  return { loadGenerator: "0", server: count === 2 ? "1" : `1-${count - 1}` };
}

/**
 * The command line that runs `argv` on `cpuList` (or anywhere, without one). taskset execs the
 * program in place, so the pid is the program's and no thread of it ever runs unpinned.
 */
export function onCpus(argv: string[], cpuList: string | undefined): [string, string[]] {
  const [command, ...args] = cpuList ? ["taskset", "-c", cpuList, ...argv] : argv;
  return [command as string, args];
}

/** Pins a process and all its threads (libuv's pool, V8's helpers, PostgreSQL has none). */
export function pinProcess(pid: number, cpuList: string): void {
  const result = spawnSync("taskset", ["-a", "-c", "-p", cpuList, String(pid)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`taskset could not pin ${pid} to CPU ${cpuList}: ${result.stderr}`);
}

/** Pins a process and every process below it; children it forks later inherit the pinning. */
export async function pinProcessTree(pid: number, cpuList: string): Promise<void> {
  for (const each of [pid, ...(await descendantPids(pid))]) pinProcess(each, cpuList);
}

/** The children of a process, from /proc (the `children` file where the kernel has it, else every parent id). */
export async function childPids(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => null);
  if (children !== null) return children.split(" ").filter(Boolean).map(Number);
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    if ((await parentPid(Number(entry))) === pid) found.push(Number(entry));
  }
  return found;
}

export async function parentPid(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  const parent = Number(stat?.split(") ")[1]?.split(" ")[1]);
  return Number.isInteger(parent) ? parent : null;
}

async function descendantPids(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const child of await childPids(pid)) found.push(child, ...(await descendantPids(child)));
  return found;
}
