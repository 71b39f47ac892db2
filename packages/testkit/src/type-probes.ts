import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/**
 * The type-safety probes (issue #10): plausible mistakes, the same six for every app, each written
 * in that app's ORM API. `tsc` either rejects the mistake or lets it through; the comparison
 * report counts how many each ORM catches.
 */
export const TYPE_PROBES = {
  "misspelt-column": "a misspelt column in a filter",
  "wrong-value-type": "a value of the wrong type in a where clause (a number for a text column)",
  "missing-required-field": "a required field left out of an insert (an article without a title)",
  "wrong-relation-name": "a relation that does not exist, named when loading related rows",
  "nullable-as-non-null": "a nullable column (users.bio) used as a non-null string",
  "select-one-use-other": "selecting one column and then reading another",
} as const;

export type ProbeId = keyof typeof TYPE_PROBES;

/**
 * What `probes/expected.json` states per probe: `caught` (tsc rejects the mistake), `not caught`
 * (it compiles), or `not expressible` (the ORM has no API the mistake could be made in): then the
 * probe's file is `<probe>.not-expressible.ts`, a comment that says why, instead of `<probe>.probe.ts`.
 */
export type ProbeExpectation = "caught" | "not caught" | "not expressible";

const NOT_EXPRESSIBLE = ".not-expressible.ts";

export interface ProbeResult {
  id: ProbeId;
  outcome: "caught" | "not caught" | "not expressible";
  /** tsc's messages on the mistake line, when caught. */
  messages: string[];
}

const execFileAsync = promisify(execFile);
const MISTAKE = "// probe-mistake";
const FIX = "// probe-fix:";
const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/**
 * Compiles an app's probes twice with the repository's `tsc`: as written (each mistake must be
 * the only thing tsc may reject, on its `// probe-mistake` line) and with each mistake line
 * replaced by the line after `// probe-fix:` (which must compile cleanly, so a probe fails for its
 * stated reason and nothing else). Throws when a probe is broken.
 */
export async function checkTypeProbes(probesDir: URL): Promise<ProbeResult[]> {
  const dir = fileURLToPath(probesDir);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".probe.ts"));
  const probes = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), "utf8");
      const id = basename(file, ".probe.ts") as ProbeId;
      if (!(id in TYPE_PROBES))
        throw new Error(`${file}: not one of the probes ${Object.keys(TYPE_PROBES).join(", ")}`);
      const lines = text.split("\n");
      const mistakeLine = lines.findIndex((line) => line.trimEnd().endsWith(MISTAKE));
      const fixLine = lines[mistakeLine - 1];
      if (mistakeLine < 1 || !fixLine?.trim().startsWith(FIX)) {
        throw new Error(`${file}: needs one line ending in "${MISTAKE}", right after a "${FIX} <fixed line>" comment`);
      }
      const indent = /^\s*/.exec(lines[mistakeLine] ?? "")?.[0] ?? "";
      const fixed = [...lines];
      fixed[mistakeLine] = `${indent}${fixLine.trim().slice(FIX.length).trim()}`;
      return { id, file, mistakeLine: mistakeLine + 1, fixedText: fixed.join("\n") };
    }),
  );

  const fixedFiles = probes.map((probe) => join(dir, probe.file.replace(".probe.ts", ".fixed.ts")));
  await Promise.all(probes.map((probe, i) => writeFile(fixedFiles[i] as string, probe.fixedText)));
  try {
    const asWritten = await compile(
      dir,
      probes.map((p) => p.file),
    );
    const asFixed = await compile(
      dir,
      fixedFiles.map((f) => basename(f)),
    );
    const results: ProbeResult[] = [];
    for (const probe of probes) {
      const fixedErrors = asFixed.filter(
        (d) => basename(d.file) === basename(probe.file.replace(".probe.ts", ".fixed.ts")),
      );
      if (fixedErrors.length > 0) {
        throw new Error(
          `${probe.file}: the fixed line does not compile:\n${fixedErrors.map((d) => d.text).join("\n")}`,
        );
      }
      const errors = asWritten.filter((d) => basename(d.file) === probe.file);
      const elsewhere = errors.filter((d) => d.line !== probe.mistakeLine);
      if (elsewhere.length > 0) {
        throw new Error(
          `${probe.file}: tsc rejects lines other than the mistake:\n${elsewhere.map((d) => d.text).join("\n")}`,
        );
      }
      results.push({
        id: probe.id,
        outcome: errors.length > 0 ? "caught" : "not caught",
        messages: errors.map((d) => d.message),
      });
    }
    for (const file of (await readdir(dir)).filter((f) => f.endsWith(NOT_EXPRESSIBLE))) {
      const id = basename(file, NOT_EXPRESSIBLE) as ProbeId;
      if (!(id in TYPE_PROBES))
        throw new Error(`${file}: not one of the probes ${Object.keys(TYPE_PROBES).join(", ")}`);
      if (probes.some((probe) => probe.id === id)) throw new Error(`${file}: ${id}.probe.ts exists too`);
      results.push({ id, outcome: "not expressible", messages: [await notExpressibleReason(join(dir, file))] });
    }
    return results.sort((a, b) => Object.keys(TYPE_PROBES).indexOf(a.id) - Object.keys(TYPE_PROBES).indexOf(b.id));
  } finally {
    await Promise.all(fixedFiles.map((file) => rm(file, { force: true })));
  }
}

/** The outcomes `probes/expected.json` promises, in the same form as {@link checkTypeProbes}' results. */
export async function expectedProbeOutcomes(probesDir: URL): Promise<Record<ProbeId, ProbeResult["outcome"]>> {
  const expected = JSON.parse(await readFile(new URL("expected.json", probesDir), "utf8")) as Record<
    ProbeId,
    ProbeExpectation
  >;
  return expected;
}

/** Why a probe cannot be written in this ORM: the comment its `.not-expressible.ts` file consists of. */
async function notExpressibleReason(file: string): Promise<string> {
  const text = await readFile(file, "utf8");
  const reason = text
    .replace(/^\s*\/\*\*?|\*\/\s*$/g, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, "").trim())
    .filter(Boolean)
    .join(" ");
  if (!reason) throw new Error(`${file}: say why the mistake cannot be made in this ORM`);
  return reason;
}

interface Diagnostic {
  file: string;
  line: number;
  message: string;
  text: string;
}

/** Runs the repository's tsc on the given files with the probes' tsconfig (its compiler options, these files). */
async function compile(dir: string, files: string[]): Promise<Diagnostic[]> {
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
      .map((line) => DIAGNOSTIC.exec(line.trim()))
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
}
