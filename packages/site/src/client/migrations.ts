/** Migrations: the report, with each tool's generated output and the hand fix as a diff. */
import { data, esc, prose } from "./util.js";

const yesNo = (value: boolean | null, no: string) => (value === null ? "n/a (hand-written)" : value ? "yes" : no);

export function renderMigrations(root: HTMLElement): void {
  const entries = data.apps.flatMap((app) => (app.migration ? [{ app, migration: app.migration }] : []));
  root.innerHTML = `
    <h1>Migrations compared</h1>
    <p class="lead">Schema v1 → v2, the same change for every app: <code>articles.body</code> renamed to <code>content</code>,
    a <code>reading_minutes</code> column backfilled and made NOT NULL, and email uniqueness moved to a unique index on <code>lower(email)</code>.
    Each tool generated its migration (or it was written by hand where the tool has no generator); every hand fix is shown as a diff from
    the tool's commit to the committed file. Report of ${esc(data.migrationsGeneratedAt ?? "never")} (<code>npm run migrations-report</code>).</p>
    <table class="figures"><thead><tr><th>App</th><th>Tool</th><th>Origin</th><th>Rename detected</th><th><code>lower(email)</code> index in the schema</th><th>Down migrations</th><th>Lines: tool / by hand</th><th>Empty → v2</th></tr></thead><tbody>
    ${entries
      .map(
        ({
          app,
          migration,
        }) => `<tr><td><a href="#/migrations/${esc(app.name)}">${esc(app.name)}</a></td><td>${esc(migration.tool)} ${esc(migration.toolVersion)}</td><td>${esc(migration.origin)}</td>
        <td>${yesNo(migration.renameDetected, "no: drop + add")}</td><td>${migration.expressionIndexInSchema ? "yes" : "no: raw SQL"}</td><td>${esc(migration.downMigrations)}</td>
        <td>${migration.linesGenerated} / ${migration.linesByHand}</td><td>${migration.migrateEmptyToV2Ms} ms</td></tr>`,
      )
      .join("")}</tbody></table>
    ${entries
      .map(
        ({ app, migration }) => `<section class="migration" id="mig-${esc(app.name)}" data-app="${esc(app.name)}">
        <h2>${esc(app.title)} <span class="unit">${esc(migration.tool)} ${esc(migration.toolVersion)}</span></h2>
        ${migration.command ? `<p>Generated with <code>${esc(migration.command)}</code>${migration.generatedCommit ? ` (commit <code>${esc(migration.generatedCommit)}</code>)` : ""}${migration.fixCommit ? `, fixed by hand up to <code>${esc(migration.fixCommit)}</code>` : ""}.</p>` : ""}
        <p>${prose(migration.notes)}</p>
        <p class="watch"><b>Watch for:</b> ${prose(migration.watchFor)}</p>
        ${migration.files
          .map(
            (file) => `<div class="file">${esc(file.path)}</div>
            ${
              file.diff
                ? `<h4>The hand fix</h4>${file.diff}<details><summary>What the tool wrote</summary>${file.generated}</details><details><summary>As committed</summary>${file.current}</details>`
                : `${file.generated === null ? `<p class="sub">${migration.origin === "hand-written" ? "Written by hand." : "Added by hand (not in the tool's commit)."}</p>` : `<p class="sub">Committed as the tool wrote it.</p>`}${file.current}`
            }`,
          )
          .join("")}
      </section>`,
      )
      .join("")}`;
}
