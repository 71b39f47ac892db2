/** The router: the hash names the page, so the site works from file:// and every view can be linked. */
import "./style.css";
import { renderApp, renderAppList } from "./app-page.js";
import { defaultPair, renderCompare, resolvePair } from "./compare.js";
import { renderMigrations } from "./migrations.js";
import { renderOverview } from "./overview.js";
import { data, loadDetails } from "./util.js";

const root = document.getElementById("page") as HTMLElement;
const style = document.createElement("style");
style.textContent = data.css;
document.head.append(style);

let routed = 0;

async function route(): Promise<void> {
  const turn = ++routed;
  const [page = "", ...params] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  delete root.dataset.ready;
  // The apps a page shows bring their code and SQL first (a script each, from dist/data/).
  if (page === "compare") await loadDetails(resolvePair(params));
  if (page === "app") await loadDetails(params.slice(0, 1));
  // A newer URL arrived while loading: that one renders.
  if (turn !== routed) return;
  for (const link of document.querySelectorAll<HTMLAnchorElement>("[data-nav]"))
    link.classList.toggle(
      "active",
      link.dataset.nav === (page || "overview") || (page === "app" && link.dataset.nav === "apps"),
    );
  if (page === "compare") {
    if (params.length < 2) {
      // The URL always names the pair it shows.
      location.replace(`#/compare/${defaultPair().join("/")}`);
      return;
    }
    renderCompare(root, params);
    document.title = `${params[0]} vs ${params[1]} · ORM arena`;
  } else if (page === "app") {
    renderApp(root, params[0] ?? "");
    document.title = `${params[0]} · ORM arena`;
  } else if (page === "apps") {
    renderAppList(root);
    document.title = "Apps · ORM arena";
  } else if (page === "migrations") {
    renderMigrations(root);
    document.title = "Migrations · ORM arena";
    if (params[0]) document.getElementById(`mig-${params[0]}`)?.scrollIntoView();
  } else {
    renderOverview(root);
    document.title = "ORM arena";
  }
  if (!params[2] && !(page === "migrations" && params[0])) window.scrollTo(0, 0);
  root.dataset.page = page || "overview";
  // What the page shows now, for whoever waits for it (the browser test).
  root.dataset.route = location.hash || "#/";
  root.dataset.ready = "true";
}

function show(error: unknown): void {
  root.innerHTML = `<h1>This page could not be shown</h1><pre>${String(error)}</pre>`;
  console.error(error);
}

window.addEventListener("hashchange", () => route().catch(show));
route().catch(show);
