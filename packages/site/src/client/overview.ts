/** Overview: the decision matrix (sortable, intervals, causes on click) and the three charts. */
import type { MatrixCell, MatrixRow } from "../build/types.js";
import { databaseWorkChart, latencyChart, ratioChart } from "./charts.js";
import { appByName, appNames, data, esc, languageLabel, prose } from "./util.js";

/** Cells longer than this are cut, the rest one click away. */
const LONG = 90;

function causeHtml(cell: MatrixCell): string {
  if (!cell.cause) return "";
  const declared = cell.cause.declared
    .map((gap) => `<li><strong>${esc(gap.cause)}</strong>: ${prose(gap.why)}</li>`)
    .join("");
  return `<p><strong>Measured beside the baseline's cell:</strong> ${esc(cell.cause.measured)}</p>${
    declared ? `<p><strong>Declared in the app's arena.json:</strong></p><ul>${declared}</ul>` : ""
  }`;
}

function cellHtml(row: MatrixRow, rowIndex: number, app: string): string {
  const cell = row.cells[app];
  if (!cell) return `<td class="empty">–</td>`;
  const long = cell.text.length > LONG;
  const text = long ? `${esc(cell.text.slice(0, LONG))}…` : prose(cell.text);
  const classes = [cell.cause ? "has-cause" : "", long ? "long" : ""].filter(Boolean).join(" ");
  const title = cell.cause ? `Why: ${cell.cause.measured}` : long ? cell.text : "";
  return `<td class="${classes}" data-row="${rowIndex}" data-app="${esc(app)}"${title ? ` title="${esc(title)}"` : ""}>${text}${
    cell.cause ? ' <span class="why">why?</span>' : ""
  }</td>`;
}

export function renderOverview(root: HTMLElement): void {
  /** The apps shown: all, or one language's (ratios are comparable within a language). */
  let shown = [...appNames];
  let order = [...shown];
  let sortedBy: { row: number; descending: boolean } | null = null;
  const bench = data.bench;
  root.innerHTML = `
    <h1>The ORMs, measured</h1>
    <p class="lead">${data.apps.length} implementations of one API (${data.useCases.length} use cases of one port), one per ORM,
    with one test suite and one load comparison. Each app is compared with the raw driver of its language
    (${data.apps
      .filter((app) => app.baseline)
      .map((app) => `${esc(app.name)} for ${languageLabel(app.language)}`)
      .join(", ")}).
    <a href="#/compare">Compare two side by side</a>, or open one app:
    ${data.apps.map((app) => `<a href="#/app/${esc(app.name)}">${esc(app.name)}</a>`).join(" · ")}.</p>
    <p class="filter" id="language">Show: ${["all", ...new Set(data.apps.map((app) => app.language))]
      .map(
        (language) =>
          `<button type="button" data-language="${esc(language)}"${language === "all" ? ' class="on"' : ""}>${
            language === "all" ? "every app" : `${esc(languageLabel(language))} apps`
          }</button>`,
      )
      .join(" ")}</p>
    <h2>The decision matrix</h2>
    <p class="note">Click a row's name to sort the apps by it (again to reverse). A figure in brackets is its 95% interval.
    A cell marked <span class="why">why?</span> is below 0.8 of its baseline: click it for the cause. Rows from
    docs/comparison.md (<code>npm run compare</code>) and ${bench ? `the load comparison of ${esc(bench.startedAt)} (<code>${esc(bench.command)}</code>)` : "no load comparison"}.</p>
    <div class="matrix-wrap"><table class="matrix" id="matrix"></table></div>
    <div id="cause" class="cause" hidden></div>
    <h2>Throughput ratio per scenario</h2>
    <p class="note">Each app over its language's baseline in the same run; the bar is the 95% interval of the paired per-round ratios.</p>
    <div id="chart-ratio"></div>
    <h2>Latency at a fixed rate</h2>
    <p class="note">The mixed scenario at an arrival rate every app sustains: p50, p90 and p99 with their 95% intervals where the run recorded them.</p>
    <div id="chart-latency"></div>
    <h2>Database work per request</h2>
    <p class="note">Shared buffers PostgreSQL touched per request (pg_stat_statements over the rounds), per scenario.</p>
    <div id="chart-work"></div>`;

  const table = root.querySelector("#matrix") as HTMLTableElement;
  const cause = root.querySelector("#cause") as HTMLElement;
  const draw = () => {
    const header = `<thead><tr><th></th>${order
      .map(
        (app) =>
          `<th><a href="#/app/${esc(app)}">${esc(app)}</a><div class="lang">${esc(languageLabel(appByName.get(app)?.language ?? ""))}</div></th>`,
      )
      .join("")}</tr></thead>`;
    const body = data.matrix
      .map((row, index) => {
        const sortable = Object.values(row.cells).some((cell) => cell.value !== null);
        const arrow = sortedBy?.row === index ? (sortedBy.descending ? " ▼" : " ▲") : "";
        return `<tr><th scope="row" class="${sortable ? "sortable" : ""}" data-sort="${index}" title="${esc(row.source)}">${prose(row.label)}${
          row.unit ? ` <span class="unit">(${esc(row.unit)})</span>` : ""
        }${arrow}</th>${order.map((app) => cellHtml(row, index, app)).join("")}</tr>`;
      })
      .join("");
    table.innerHTML = header + body;
  };
  table.addEventListener("click", (event) => {
    const target = event.target as HTMLElement;
    const th = target.closest("th[data-sort]") as HTMLElement | null;
    if (th?.classList.contains("sortable")) {
      const row = Number(th.dataset.sort);
      const descending = sortedBy?.row === row ? !sortedBy.descending : true;
      sortedBy = { row, descending };
      const value = (app: string) => data.matrix[row]?.cells[app]?.value ?? Number.NEGATIVE_INFINITY;
      order = [...shown].sort((a, b) => (descending ? value(b) - value(a) : value(a) - value(b)));
      draw();
      return;
    }
    const td = target.closest("td[data-row]") as HTMLElement | null;
    if (!td) return;
    const row = data.matrix[Number(td.dataset.row)];
    const cell = row?.cells[td.dataset.app ?? ""];
    if (!row || !cell || (!cell.cause && !td.classList.contains("long"))) return;
    cause.hidden = false;
    cause.innerHTML = `<button class="close" aria-label="close">×</button><h3>${esc(td.dataset.app)}: ${prose(row.label)}</h3><p>${prose(cell.text)}</p>${causeHtml(cell)}`;
    cause.querySelector(".close")?.addEventListener("click", () => {
      cause.hidden = true;
    });
  });
  draw();

  const charts = () => {
    if (!bench) return;
    root.querySelector("#chart-ratio")?.replaceChildren(ratioChart(shown));
    root.querySelector("#chart-latency")?.replaceChildren(latencyChart(shown));
    root.querySelector("#chart-work")?.replaceChildren(databaseWorkChart(shown));
  };
  charts();
  root.querySelector("#language")?.addEventListener("click", (event) => {
    const button = (event.target as HTMLElement).closest("button[data-language]") as HTMLButtonElement | null;
    if (!button) return;
    const language = button.dataset.language;
    shown = appNames.filter((name) => language === "all" || appByName.get(name)?.language === language);
    order = [...shown];
    sortedBy = null;
    for (const each of root.querySelectorAll("#language button")) each.classList.toggle("on", each === button);
    draw();
    charts();
  });
}
