import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Diagnostic, languageOfProbes } from "./type-probe-checkers.js";

/**
 * The type-safety probes (issue #10): plausible mistakes, the same six for every app, each written
 * in that app's ORM API. The language's type checker (tsc, or pyright in strict mode for a Python
 * app) either rejects the mistake or lets it through; the comparison report counts how many each
 * ORM catches.
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
 * What `probes/expected.json` states per probe: `caught` (the checker rejects the mistake), `not
 * caught` (it type-checks), or `not expressible` (the ORM has no API the mistake could be made in):
 * then the probe's file is `<probe>.not-expressible.<ext>`, a comment (a docstring in Python) that
 * says why, instead of `<probe>.probe.<ext>`.
 */
export type ProbeExpectation = "caught" | "not caught" | "not expressible";

export interface ProbeResult {
  id: ProbeId;
  outcome: "caught" | "not caught" | "not expressible";
  /** The checker's messages on the mistake line, when caught. */
  messages: string[];
}

/**
 * Checks an app's probes twice with its language's checker: as written (each mistake must be the
 * only thing the checker may reject, on its `probe-mistake` line) and with each mistake line
 * replaced by the line after the `probe-fix:` comment (which must check cleanly, so a probe fails
 * for its stated reason and nothing else). Throws when a probe is broken. The same rules for every
 * language: only the file extension, the comment marker and the checker differ.
 */
export async function checkTypeProbes(probesDir: URL): Promise<ProbeResult[]> {
  const dir = fileURLToPath(probesDir);
  const language = await languageOfProbes(dir);
  const probeSuffix = `.probe${language.extension}`;
  const fixedSuffix = `.fixed${language.extension}`;
  const notExpressibleSuffix = `.not-expressible${language.extension}`;
  const mistake = `${language.comment} probe-mistake`;
  const fix = `${language.comment} probe-fix:`;
  const files = (await readdir(dir)).filter((f) => f.endsWith(probeSuffix));
  const probes = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), "utf8");
      const id = probeId(basename(file, probeSuffix), file);
      const lines = text.split("\n");
      const mistakeLine = lines.findIndex((line) => line.trimEnd().endsWith(mistake));
      const fixLine = lines[mistakeLine - 1];
      if (mistakeLine < 1 || !fixLine?.trim().startsWith(fix)) {
        throw new Error(`${file}: needs one line ending in "${mistake}", right after a "${fix} <fixed line>" comment`);
      }
      const indent = /^\s*/.exec(lines[mistakeLine] ?? "")?.[0] ?? "";
      const fixed = [...lines];
      fixed[mistakeLine] = `${indent}${fixLine.trim().slice(fix.length).trim()}`;
      return {
        id,
        file,
        fixedFile: file.replace(probeSuffix, fixedSuffix),
        mistakeLine: mistakeLine + 1,
        fixedText: fixed.join("\n"),
      };
    }),
  );

  await Promise.all(probes.map((probe) => writeFile(join(dir, probe.fixedFile), probe.fixedText)));
  try {
    // One run of the checker over both sets: the probes and their fixed copies are separate modules.
    const diagnostics = await language.check(dir, [...probes.map((p) => p.file), ...probes.map((p) => p.fixedFile)]);
    const results: ProbeResult[] = [];
    for (const probe of probes) {
      const fixedErrors = diagnostics.filter((d) => basename(d.file) === probe.fixedFile);
      if (fixedErrors.length > 0) {
        throw new Error(`${probe.file}: the fixed line does not type-check:\n${texts(fixedErrors)}`);
      }
      const errors = diagnostics.filter((d) => basename(d.file) === probe.file);
      const elsewhere = errors.filter((d) => d.line !== probe.mistakeLine);
      if (elsewhere.length > 0) {
        throw new Error(
          `${probe.file}: ${language.checker} rejects lines other than the mistake:\n${texts(elsewhere)}`,
        );
      }
      results.push({
        id: probe.id,
        outcome: errors.length > 0 ? "caught" : "not caught",
        messages: errors.map((d) => d.message),
      });
    }
    for (const file of (await readdir(dir)).filter((f) => f.endsWith(notExpressibleSuffix))) {
      const id = probeId(basename(file, notExpressibleSuffix), file);
      if (probes.some((probe) => probe.id === id)) throw new Error(`${file}: ${id}${probeSuffix} exists too`);
      const reason = language.commentText(await readFile(join(dir, file), "utf8"));
      if (!reason) throw new Error(`${file}: say why the mistake cannot be made in this ORM`);
      results.push({ id, outcome: "not expressible", messages: [reason] });
    }
    return results.sort((a, b) => Object.keys(TYPE_PROBES).indexOf(a.id) - Object.keys(TYPE_PROBES).indexOf(b.id));
  } finally {
    await Promise.all(probes.map((probe) => rm(join(dir, probe.fixedFile), { force: true })));
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

function probeId(name: string, file: string): ProbeId {
  if (!(name in TYPE_PROBES)) throw new Error(`${file}: not one of the probes ${Object.keys(TYPE_PROBES).join(", ")}`);
  return name as ProbeId;
}

function texts(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => d.text).join("\n");
}
