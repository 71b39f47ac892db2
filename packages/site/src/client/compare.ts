/**
 * Compare two: for every use case of the port, the two apps' store code side by side, then the SQL
 * each sends with PostgreSQL's work, then their figures in the scenarios that exercise it; then
 * their schemas and v2 migrations. The pair lives in the URL: #/compare/<a>/<b>[/<use case>].
 */
import type { SqlEndpoint } from "../build/types.js";
import { ratioChart } from "./charts.js";
import {
  appByName,
  appNames,
  cellOf,
  colorOf,
  data,
  detailOf,
  esc,
  fixed,
  interval,
  languageLabel,
  ms,
  prose,
} from "./util.js";

/** The pair shown when the URL names none: the first `sideBySide` pair the repository renders too. */
export function defaultPair(): [string, string] {
  const a = appNames.includes("drizzle") ? "drizzle" : (appNames[0] as string);
  const b = appNames.includes("prisma") ? "prisma" : (appNames.find((name) => name !== a) as string);
  return [a, b];
}

function codePane(app: string, useCase: string): string {
  const detail = detailOf(app);
  const method = detail.code[useCase];
  if (!method)
    return `<div class="pane code" data-app="${esc(app)}"><p class="none">No ${esc(useCase)} in ${esc(app)}'s store.</p></div>`;
  const helpers = method.helpers
    .map((key) => detail.helpers[key])
    .filter((helper) => helper !== undefined)
    .map(
      (helper) => `<div class="file">${esc(helper.file)}:${helper.line} <b>${esc(helper.name)}</b></div>${helper.html}`,
    )
    .join("");
  return `<div class="pane code" data-app="${esc(app)}">
    <div class="file">${esc(method.file)}:${method.line}</div>${method.html}
    ${helpers ? `<details class="helpers"><summary>${method.helpers.length} helper${method.helpers.length === 1 ? "" : "s"} of the same file it reaches</summary>${helpers}</details>` : ""}
  </div>`;
}

function sqlPane(app: string, endpoint: string): string {
  const measured: SqlEndpoint | undefined = detailOf(app).sql[endpoint];
  if (!measured)
    return `<div class="pane sql" data-app="${esc(app)}"><p class="none">Not measured for ${esc(app)}.</p></div>`;
  const queries = measured.queries
    .map(
      (query) =>
        `<div class="stmt"><div class="work">${query.calls} call${query.calls === 1 ? "" : "s"} · ${query.rows} rows · ${query.buffers} buffers · ${fixed(query.execMs, 3)} ms</div>${query.html}</div>`,
    )
    .join("");
  return `<div class="pane sql" data-app="${esc(app)}">
    <div class="total"><b>${measured.statements}</b> statement${measured.statements === 1 ? "" : "s"} · <b>${measured.rows}</b> rows ·
    <b>${measured.buffers}</b> shared buffers · <b>${fixed(measured.execMs, 3)}</b> ms in PostgreSQL · HTTP ${measured.status}</div>${queries}
  </div>`;
}

/** Both apps' figures in the scenarios that exercise the use case. */
function figuresTable(apps: [string, string], scenarios: string[], node: boolean): string {
  if (!data.bench || scenarios.length === 0)
    return `<p class="none">No bench scenario sends this use case's requests.</p>`;
  const row = (scenario: string) => {
    const description = data.scenarios.find((each) => each.name === scenario)?.description ?? "";
    return apps
      .map((app, index) => {
        const cell = cellOf(app, scenario);
        const ratio = node ? cell?.nodeRatio : cell?.ratio;
        const range = node ? cell?.nodeInterval : cell?.interval;
        const why = cell?.cause
          ? `<details class="why-cell"><summary>why?</summary><p>${esc(cell.cause.measured)}</p>${cell.cause.declared
              .map((gap) => `<p><b>${esc(gap.cause)}</b>: ${prose(gap.why)}</p>`)
              .join("")}</details>`
          : "";
        return `<tr data-app="${esc(app)}" data-scenario="${esc(scenario)}">${
          index === 0
            ? `<th rowspan="2" scope="rowgroup">${esc(scenario)}<div class="desc">${esc(description)}</div></th>`
            : ""
        }<td class="app"><span class="swatch" style="background:${colorOf(app)}"></span>${esc(app)}</td>
        <td>${fixed(ratio)}${interval(range)}${why}</td>
        <td>${cell ? Math.round(cell.medianRps) : "–"}</td>
        <td>${cell?.latency ? `${ms(cell.latency.p50)} / ${ms(cell.latency.p90)} / ${ms(cell.latency.p99)}${cell.latency.targetRate ? ` <span class="unit">at ${cell.latency.targetRate}/s</span>` : ""}` : "–"}</td>
        <td>${fixed(cell?.statementsPerRequest, 1)}</td>
        <td>${cell?.buffersPerRequest === null || cell?.buffersPerRequest === undefined ? "–" : Math.round(cell.buffersPerRequest)}</td>
        <td>${fixed(cell?.cpuMsPerRequest)}</td></tr>`;
      })
      .join("");
  };
  return `<table class="figures"><thead><tr><th>Scenario</th><th>App</th><th>Throughput ÷ ${node ? "pg" : "baseline"}</th><th>req/s</th>
    <th>Latency p50 / p90 / p99 (ms)</th><th>Statements / req</th><th>Buffers / req</th><th>App CPU ms / req</th></tr></thead>
    <tbody>${scenarios.map(row).join("")}</tbody></table>`;
}

function pair(a: string, b: string, pane: (app: string) => string): string {
  return `<div class="pair">${pane(a)}${pane(b)}</div>`;
}

function schemaPane(app: string): string {
  const files = detailOf(app).schema;
  return `<div class="pane code" data-app="${esc(app)}">${
    files.length === 0
      ? `<p class="none">No schema in the ORM: the SQL migrations are the schema.</p>`
      : files.map((file) => `<div class="file">${esc(file.path)}</div>${file.html}`).join("")
  }</div>`;
}

function migrationPane(app: string): string {
  const migration = appByName.get(app)?.migration;
  if (!migration) return `<div class="pane code" data-app="${esc(app)}"><p class="none">No migration report.</p></div>`;
  return `<div class="pane code" data-app="${esc(app)}">
    <p class="facts">${esc(migration.tool)} ${esc(migration.toolVersion)} · ${esc(migration.origin)} · ${migration.linesGenerated} lines by the tool, ${migration.linesByHand} by hand</p>
    ${migration.files
      .map(
        (file) =>
          `<div class="file">${esc(file.path)}</div>${
            file.diff
              ? `<p class="sub">The hand fix (what the tool wrote → what is committed):</p>${file.diff}<details><summary>What the tool wrote</summary>${file.generated}</details><details><summary>As committed</summary>${file.current}</details>`
              : `<p class="sub">${file.generated === null ? "Written by hand." : "Committed as the tool wrote it."}</p>${file.current}`
          }`,
      )
      .join("")}</div>`;
}

/** The pair a URL names, an unknown name replaced by the default pair's. */
export function resolvePair(params: string[]): [string, string] {
  const [fallbackA, fallbackB] = defaultPair();
  const a = appNames.includes(params[0] ?? "") ? (params[0] as string) : fallbackA;
  const b = appNames.includes(params[1] ?? "") ? (params[1] as string) : fallbackB;
  return [a, b];
}

export function renderCompare(root: HTMLElement, params: string[]): void {
  const [a, b] = resolvePair(params);
  const focus = params[2];
  const [appA, appB] = [appByName.get(a), appByName.get(b)];
  // Two languages: each app over the Node baseline, so both figures share one scale.
  const node = appA?.language !== appB?.language;
  const options = (selected: string) =>
    appNames
      .map(
        (name) =>
          `<option value="${esc(name)}"${name === selected ? " selected" : ""}>${esc(appByName.get(name)?.title ?? name)}</option>`,
      )
      .join("");
  const sections = [...new Set(data.useCases.map((useCase) => useCase.section))];
  root.innerHTML = `
    <h1>Compare two</h1>
    <form class="choose" id="choose">
      <label>Left <select id="app-a" name="a">${options(a)}</select></label>
      <button type="button" id="swap" title="swap">⇄</button>
      <label>Right <select id="app-b" name="b">${options(b)}</select></label>
      <span class="note">The URL names the pair: link it to share this view.</span>
    </form>
    <div class="pair heads">
      ${[appA, appB]
        .map(
          (
            app,
          ) => `<div class="head" data-app="${esc(app?.name)}"><span class="swatch" style="background:${colorOf(app?.name ?? "")}"></span>
          <a href="#/app/${esc(app?.name)}"><b>${esc(app?.title)}</b></a> <span class="unit">${esc(app?.orm)} ${esc(app?.version)} · ${esc(app?.pattern)} · ${languageLabel(app?.language ?? "")}</span></div>`,
        )
        .join("")}
    </div>
    <nav class="toc">${sections
      .map(
        (name) =>
          `<span class="sec">${esc(name)}:</span> ${data.useCases
            .filter((useCase) => useCase.section === name)
            .map((useCase) => `<a href="#/compare/${esc(a)}/${esc(b)}/${esc(useCase.id)}">${esc(useCase.title)}</a>`)
            .join(" · ")}`,
      )
      .join(
        "<br>",
      )} · <a href="#/compare/${esc(a)}/${esc(b)}/schema">Schema</a> · <a href="#/compare/${esc(a)}/${esc(b)}/migration">v2 migration</a></nav>
    ${
      data.bench
        ? `<h2>Throughput per scenario</h2><p class="note">${
            node
              ? "Apps of two languages: each over pg, the Node baseline (the whole stack compared, not the ORM alone)."
              : "Each over its language's baseline in the same run; bars are 95% intervals."
          }</p><div id="chart-pair"></div>`
        : ""
    }
    ${data.useCases
      .map(
        (useCase) => `<section class="usecase" id="uc-${esc(useCase.id)}" data-usecase="${esc(useCase.id)}">
        <h2>${esc(useCase.title)} <span class="unit"><code>${esc(useCase.id)}</code> · ${esc(useCase.section)}</span></h2>
        <p class="doc">${prose(useCase.doc)}</p>
        <h3>Store code</h3>
        ${pair(a, b, (app) => codePane(app, useCase.id))}
        <h3>SQL sent, and PostgreSQL's work</h3>
        ${useCase.endpoints.length === 0 ? `<p class="none">No endpoint of docs/sql.json is mapped to this use case.</p>` : ""}
        ${useCase.endpoints
          .map(
            (
              endpoint,
              index,
            ) => `<details class="endpoint" data-endpoint="${esc(endpoint)}"${index === 0 ? " open" : ""}>
            <summary><code>${esc(endpoint)}</code> ${[a, b]
              .map((app) => {
                const measured = detailOf(app).sql[endpoint];
                return measured
                  ? `<span class="unit">${esc(app)}: ${measured.statements} stmt, ${measured.buffers} buffers</span>`
                  : "";
              })
              .join(" ")}</summary>
            ${pair(a, b, (app) => sqlPane(app, endpoint))}</details>`,
          )
          .join("")}
        <h3>Figures</h3>
        ${figuresTable([a, b], useCase.scenarios, node)}
      </section>`,
      )
      .join("")}
    <section class="usecase" id="uc-schema" data-usecase="schema"><h2>Schema declarations</h2>${pair(a, b, schemaPane)}</section>
    <section class="usecase" id="uc-migration" data-usecase="migration"><h2>The v2 migration</h2>
      <p class="note">Schema v1 → v2 (a rename, a backfilled column, a case-insensitive unique index): what each tool wrote and what was fixed by hand. All of them: <a href="#/migrations">Migrations</a>.</p>
      ${pair(a, b, migrationPane)}</section>`;

  root.querySelector("#chart-pair")?.append(ratioChart([a, b], { node, height: 260 }));
  const go = (left: string, right: string) => {
    location.hash = `#/compare/${left}/${right}`;
  };
  const selectA = root.querySelector("#app-a") as HTMLSelectElement;
  const selectB = root.querySelector("#app-b") as HTMLSelectElement;
  selectA.addEventListener("change", () => go(selectA.value, selectB.value));
  selectB.addEventListener("change", () => go(selectA.value, selectB.value));
  root.querySelector("#swap")?.addEventListener("click", () => go(b, a));
  if (focus) document.getElementById(`uc-${focus}`)?.scrollIntoView();
}
