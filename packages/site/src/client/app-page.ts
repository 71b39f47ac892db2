/** One page per app: its facts, declared gaps, type probes, reliability figures, pitfalls and README. */
import { latencyChart, ratioChart } from "./charts.js";
import { appByName, data, detailOf, esc, fixed, languageLabel, prose } from "./util.js";

export function renderAppList(root: HTMLElement): void {
  root.innerHTML = `<h1>The apps</h1><table class="figures"><thead><tr><th>App</th><th>ORM</th><th>Pattern</th><th>Language</th><th>Store</th></tr></thead><tbody>${data.apps
    .map(
      (app) =>
        `<tr><td><a href="#/app/${esc(app.name)}">${esc(app.title)}</a>${app.baseline ? ' <span class="unit">(baseline)</span>' : ""}</td><td>${esc(app.orm)} ${esc(app.version)}</td><td>${esc(app.pattern)}</td><td>${languageLabel(app.language)}</td><td>${app.storeFiles.map((file) => `<code>${esc(file)}</code>`).join(" ")}</td></tr>`,
    )
    .join("")}</tbody></table>`;
}

export function renderApp(root: HTMLElement, name: string): void {
  const app = appByName.get(name);
  if (!app) {
    root.innerHTML = `<h1>No app named ${esc(name)}</h1><p><a href="#/apps">The apps</a></p>`;
    return;
  }
  const probes = Object.entries(data.probeTitles)
    .map(
      ([id, what]) =>
        `<tr><td><code>${esc(id)}</code></td><td>${esc(what)}</td><td class="probe ${esc((app.probes[id] ?? "").replace(/ /g, "-"))}">${esc(app.probes[id] ?? "–")}</td></tr>`,
    )
    .join("");
  const reliability = app.reliability
    ? `<table class="figures"><tbody>${Object.entries(app.reliability)
        .map(([title, value]) => `<tr><th scope="row">${esc(title)}</th><td>${esc(value)}</td></tr>`)
        .join("")}</tbody></table>`
    : `<p class="none">Not in the last collected run of the reliability suites (docs/reliability.md).</p>`;
  const figures = (
    label: string,
    f: { dbMs: number | null; buffers: number | null; appCpuMs: number | null } | null,
  ) =>
    f
      ? `<tr><th scope="row">${label}</th><td>${fixed(f.dbMs, 1)}</td><td>${f.buffers ?? "–"}</td><td>${fixed(f.appCpuMs)}</td></tr>`
      : "";
  const pitfalls = app.pitfalls
    .map(
      (pitfall) => `<article class="pitfall"><h3>${esc(pitfall.title)}</h3><p><code>${esc(pitfall.endpoint)}</code></p>
      <p><b>Idiomatic first version:</b> ${prose(pitfall.naive)}</p><p><b>Tuned:</b> ${prose(pitfall.tuned)}</p>
      ${pitfall.sqlShape ? `<p><b>SQL before:</b> ${prose(pitfall.sqlShape.naive)}</p><p><b>SQL after:</b> ${prose(pitfall.sqlShape.tuned)}</p>` : ""}
      <table class="figures"><thead><tr><th></th><th>PostgreSQL ms</th><th>Buffers</th><th>App CPU ms</th></tr></thead><tbody>
      ${figures("Before", pitfall.before)}${figures("After", pitfall.after)}${figures("Baseline", pitfall.baseline)}</tbody></table></article>`,
    )
    .join("");
  const gaps = app.declaredGaps
    .map(
      (gap) =>
        `<li><code>${esc(gap.endpoint)}</code> (${esc(gap.scenarios.join(", "))}), <b>${esc(gap.cause)}</b>: ${prose(gap.why)}</li>`,
    )
    .join("");
  const baseline = data.apps.find((other) => other.baseline && other.language === app.language)?.name ?? app.name;
  const charted = baseline === app.name ? [app.name] : [baseline, app.name];
  root.innerHTML = `
    <h1>${esc(app.title)}</h1>
    <table class="facts-table"><tbody>
      <tr><th>ORM</th><td>${esc(app.orm)} ${esc(app.version)}</td></tr>
      <tr><th>Pattern</th><td>${esc(app.pattern)}</td></tr>
      <tr><th>Language</th><td>${languageLabel(app.language)}${app.baseline ? " (the baseline: raw driver, hand-written SQL)" : ""}</td></tr>
      <tr><th>Store</th><td>${app.storeFiles.map((file) => `<code>${esc(file)}</code>`).join(" ")}</td></tr>
      <tr><th>Admin interface</th><td>${prose(app.adminInterface)}</td></tr>
      <tr><th>SQL measured</th><td>${esc(app.sqlMeasured ?? "not measured")}</td></tr>
    </tbody></table>
    <p><a href="#/compare/${esc(app.name)}/${esc(data.apps.find((other) => other.baseline && other.language === app.language && other.name !== app.name)?.name ?? data.apps.find((other) => other.name !== app.name)?.name ?? app.name)}">Compare with ${app.baseline ? "another app" : "its baseline"}</a></p>
    ${data.bench ? `<h2>Measured beside ${esc(baseline)}</h2><p class="note">Throughput over the baseline per scenario (bars: 95% intervals), and latency at the fixed rate.</p><div id="app-ratio"></div><div id="app-latency"></div>` : ""}
    <h2>Declared gaps</h2>${gaps ? `<ul>${gaps}</ul>` : `<p class="none">None declared.</p>`}
    <h2>Type-safety probes</h2><p class="note">Plausible mistakes written in the ORM's API: does the type checker (tsc; pyright strict) reject them?</p>
    <table class="figures" id="probes"><tbody>${probes}</tbody></table>
    <h2>Reliability</h2>${reliability}
    <h2>Pitfalls, measured</h2>${pitfalls || `<p class="none">None recorded.</p>`}
    <h2>README</h2><div class="readme">${detailOf(app.name).readme}</div>`;
  root.querySelector("#app-ratio")?.append(ratioChart(charted, { height: 260 }));
  root.querySelector("#app-latency")?.append(latencyChart(charted));
}
