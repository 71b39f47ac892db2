import { execFile } from "node:child_process";
import { access, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface Diagnostic {
  file: string;
  line: number;
  message: string;
  text: string;
}

/** What differs between languages in checking probes; the rules themselves live in type-probes.ts. */
export interface ProbeLanguage {
  checker: string;
  extension: ".ts" | ".py";
  comment: "//" | "#";
  /** The checker's errors on the given files of the probes folder, with the folder's settings. */
  check(dir: string, files: string[]): Promise<Diagnostic[]>;
  /** The prose of a `.not-expressible` file: its comment or docstring. */
  commentText(text: string): string;
}

/** A probes folder is TypeScript when it has a tsconfig.json, Python when it has a pyrightconfig.json. */
export async function languageOfProbes(dir: string): Promise<ProbeLanguage> {
  if (await exists(join(dir, "tsconfig.json"))) return typescript;
  if (await exists(join(dir, "pyrightconfig.json"))) return python;
  throw new Error(`${dir}: no tsconfig.json or pyrightconfig.json to check the probes with`);
}

const typescript: ProbeLanguage = {
  checker: "tsc",
  extension: ".ts",
  comment: "//",
  async check(dir, files) {
    const tsconfig = join(dir, `.tsconfig.${process.pid}.json`);
    await writeFile(tsconfig, JSON.stringify({ extends: "./tsconfig.json", include: [], files }));
    try {
      const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
      const { stdout } = await execFileAsync(process.execPath, [tsc, "-p", tsconfig, "--noEmit", "--pretty", "false"], {
        cwd: dir,
      }).catch((error: { stdout?: string; stderr?: string }) => {
        // tsc exits non-zero when it reports errors: those are the probes' results.
        if (typeof error.stdout === "string" && /error TS/.test(error.stdout)) return { stdout: error.stdout };
        throw new Error(`tsc failed to run: ${error.stderr ?? ""}${error.stdout ?? ""}`);
      });
      return stdout
        .split("\n")
        .map((line) => /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line.trim()))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => ({
          file: match[1] as string,
          line: Number(match[2]),
          message: `${match[4]}: ${match[5]}`,
          text: match[0],
        }));
    } finally {
      await rm(tsconfig, { force: true });
    }
  },
  commentText: (text) =>
    text
      .replace(/^\s*\/\*\*?|\*\/\s*$/g, "")
      .split("\n")
      .map((line) => line.replace(/^\s*\*\s?/, "").trim())
      .filter(Boolean)
      .join(" "),
};

interface PyrightReport {
  generalDiagnostics: {
    file: string;
    severity: "error" | "warning" | "information";
    message: string;
    rule?: string;
    range: { start: { line: number } };
  }[];
}

const python: ProbeLanguage = {
  checker: "pyright",
  extension: ".py",
  comment: "#",
  async check(dir, files) {
    // The app's own pyright (its devDependency), with the probes' pyrightconfig.json: strict, the
    // app's .venv and sources.
    const pyright = join(binaryPackage(dir, "pyright"), "index.js");
    const { stdout } = await execFileAsync(
      process.execPath,
      [pyright, "--outputjson", "-p", join(dir, "pyrightconfig.json"), ...files],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { code?: unknown; stdout?: string; stderr?: string }) => {
      // pyright exits 1 when it reports errors: those are the probes' results.
      if (error.code === 1 && typeof error.stdout === "string") return { stdout: error.stdout };
      throw new Error(`pyright failed to run: ${error.stderr ?? ""}${error.stdout ?? ""}`);
    });
    const report = JSON.parse(stdout) as PyrightReport;
    return report.generalDiagnostics
      .filter((d) => d.severity === "error")
      .map((d) => {
        const line = d.range.start.line + 1;
        const message = `${d.rule ?? "error"}: ${d.message.split("\n")[0] ?? ""}`;
        return { file: d.file, line, message, text: `${d.file}:${line}: ${message}` };
      });
  },
  commentText: (text) =>
    text
      .replace(/^\s*(""")|(""")\s*$/g, "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .join(" "),
};

/** The folder of a checker's npm package, as the app that owns the probes resolves it. */
function binaryPackage(probesDir: string, name: string): string {
  return dirname(createRequire(join(probesDir, "..", "package.json")).resolve(`${name}/package.json`));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
