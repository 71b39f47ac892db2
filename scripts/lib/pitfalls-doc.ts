import {
  type DiscoveredApp,
  type Pitfall,
  type PitfallFigures,
  readPitfalls,
  TRAPS,
  type TrapId,
} from "@arena/manifest";
import { markdownTable } from "./markdown.js";

/** The command that writes docs/pitfalls.md; the doc names it and its check tells you to run it. */
export const PITFALLS_COMMAND = "npm run pitfalls -- --write";

/** One finding with the app it belongs to. */
export interface AppPitfall {
  app: DiscoveredApp;
  finding: Pitfall;
}

/**
 * The findings issue #19's table asked a before/after figure for, by finding id: the doc opens with
 * them, and the check fails if one goes missing or loses its figures.
 */
export const ISSUE_19_FINDINGS: ReadonlyArray<{ label: string; id: string }> = [
  { label: "Drizzle, deep page", id: "drizzle-rqb-pages-after-laterals" },
  { label: "Drizzle, first page", id: "drizzle-rqb-first-page" },
  { label: "Kysely, deep page", id: "kysely-deep-page-subqueries-above-offset" },
  { label: "Kysely, first page", id: "kysely-first-page" },
  { label: "Prisma, deep page", id: "prisma-relation-joins-deep-page" },
  { label: "Prisma, first page", id: "prisma-relation-joins-first-page" },
  { label: "TypeORM, deep page", id: "typeorm-skip-take-distinct-deep" },
  { label: "TypeORM, first page (signed in)", id: "typeorm-skip-take-distinct" },
  { label: "Sequelize, deep page", id: "sequelize-favorites-count-in-paged-subquery" },
  { label: "Sequelize, first page", id: "sequelize-first-page" },
  { label: "Drizzle, ?tag=", id: "drizzle-rqb-filter-walks-created-at" },
  { label: "Prisma, ?tag=", id: "prisma-relation-joins-tag" },
  { label: "MikroORM, GET /api/tags", id: "mikro-orm-tags-managed-entities" },
  { label: "Sequelize, GET /api/tags", id: "sequelize-tags-raw" },
  { label: "Drizzle, .prepare() (one article)", id: "drizzle-no-prepare" },
];

/** Every app's findings, apps in manifest order (baselines first), findings in file order. */
export async function collectPitfalls(apps: DiscoveredApp[]): Promise<AppPitfall[]> {
  const all: AppPitfall[] = [];
  for (const app of apps)
    for (const finding of await readPitfalls(app.dir, app.manifest.name)) all.push({ app, finding });
  return all;
}

const number = (value: number) =>
  value >= 1000 ? Math.round(value).toLocaleString("en-US") : String(Number(value.toPrecision(3)));
const figure = (value: number | null | undefined) => (value === null || value === undefined ? "–" : number(value));
const change = (key: keyof PitfallFigures, before: PitfallFigures, after: PitfallFigures) =>
  `${figure(before[key])} → ${figure(after[key])}`;
/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
const code = (text: string) => `\`${text.replaceAll("`", "'")}\``;

function figuresRow(label: string, { app, finding }: AppPitfall): string[] {
  const { before, after, baseline } = finding;
  return [
    label,
    code(finding.endpoint),
    change("buffers", before, after),
    change("dbMs", before, after),
    change("appCpuMs", before, after),
    before.statements !== undefined || after.statements !== undefined ? change("statements", before, after) : "–",
    baseline
      ? `${figure(baseline.buffers)} buf, ${figure(baseline.dbMs)} ms, ${figure(baseline.appCpuMs)} ms CPU`
      : "–",
  ].map((cell, i) => (i === 0 ? `[${cell}](#${anchor(findingHeading(app, finding))})` : cell));
}

const FIGURES_HEADER = [
  "Finding",
  "Endpoint",
  "Buffers before → after",
  "DB ms before → after",
  "App CPU ms before → after",
  "Statements",
  "Baseline (same method)",
];
const FIGURES_ALIGN: ("left" | "right")[] = ["left", "left", "right", "right", "right", "right", "left"];

const findingHeading = (app: DiscoveredApp, finding: Pitfall) => `${app.manifest.title}: ${finding.title}`;

function findingSection({ app, finding }: AppPitfall): string {
  const lines = [
    `### ${findingHeading(app, finding)}`,
    "",
    `\`${finding.endpoint}\` · [apps/${app.manifest.name}](../apps/${app.manifest.name}/README.md#pitfalls-measured) · \`${finding.id}\``,
    "",
    `- **Naive:** ${finding.naive}`,
    `- **Tuned:** ${finding.tuned}`,
  ];
  if (finding.sqlShape) {
    lines.push(`- **SQL, naive:** ${finding.sqlShape.naive}`, `- **SQL, tuned:** ${finding.sqlShape.tuned}`);
  }
  const { before, after, baseline } = finding;
  lines.push(
    `- **Per request:** buffers ${change("buffers", before, after)}, DB ${change("dbMs", before, after)} ms, app CPU ${change("appCpuMs", before, after)} ms${
      baseline
        ? `; the baseline ${figure(baseline.buffers)} buffers, ${figure(baseline.dbMs)} ms, ${figure(baseline.appCpuMs)} ms CPU`
        : ""
    }`,
    `- **Measured on** ${finding.server}: ${finding.measuredWith}`,
  );
  return lines.join("\n");
}

/** docs/pitfalls.md, before Biome aligns its tables. */
export function renderPitfallsDoc(all: AppPitfall[]): string {
  const byId = new Map(all.map((entry) => [entry.finding.id, entry]));
  const traps = (Object.keys(TRAPS) as TrapId[]).filter((trap) => all.some((entry) => entry.finding.trap === trap));
  const issueRows = ISSUE_19_FINDINGS.map(({ label, id }) => {
    const entry = byId.get(id);
    return entry ? figuresRow(label, entry) : [label, "missing", "–", "–", "–", "–", "–"];
  });
  const sections = traps.map((trap) => {
    const entries = all.filter((entry) => entry.finding.trap === trap);
    const orms = [...new Set(entries.map((entry) => entry.app.manifest.title))];
    return [
      `## ${TRAPS[trap].title}`,
      "",
      `${orms.join(", ")}. ${TRAPS[trap].summary}`,
      "",
      markdownTable(
        FIGURES_HEADER,
        entries.map((entry) => figuresRow(entry.app.manifest.title, entry)),
        FIGURES_ALIGN,
      ),
      "",
      entries.map(findingSection).join("\n\n"),
    ].join("\n");
  });
  const contents = traps.map((trap) => {
    const entries = all.filter((entry) => entry.finding.trap === trap);
    const orms = [...new Set(entries.map((entry) => entry.app.manifest.title))];
    return `- [${TRAPS[trap].title}](#${anchor(TRAPS[trap].title)}): ${orms.join(", ")}`;
  });
  return `# Pitfalls, measured

<!-- generated by \`${PITFALLS_COMMAND}\` from every apps/*/pitfalls.json; do not edit by hand -->

Generated by \`${PITFALLS_COMMAND}\` from every app's \`pitfalls.json\` (its type: \`Pitfall\` in
packages/manifest); \`npm test\` fails when this file and the JSON disagree. Each finding is a trap an
experienced user of the ORM could fall into with its idiomatic API, the query its experts write
instead, and what each costs **per request**: shared buffers hit and read (exact, whatever the
machine's load), execution time under \`EXPLAIN (ANALYZE, BUFFERS)\` and the app's CPU (indicative on
a shared machine), measured on the bench's data set (\`npm run seed\`, scale 1, deep page at offset
15,890). "Before" is the naive query, "after" the tuned one the app ships, the baseline is the
language's raw-driver app measured the same way. A dash is a figure not taken (the finding says why).
The statements themselves, for every endpoint, are in [sql.md](sql.md).

## Contents

${contents.join("\n")}

## Issue #19's findings, before and after

${markdownTable(FIGURES_HEADER, issueRows, FIGURES_ALIGN)}

${sections.join("\n\n")}
`;
}
