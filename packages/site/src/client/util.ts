import raw from "virtual:arena-data";

export { ms } from "../build/format.js";

import type { AppDetail, BenchCell, Interval, SiteApp, SiteData } from "../build/types.js";

/** Everything the build step read from the repository, bundled into this script: nothing is fetched. */
export const data: SiteData = raw;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Text made safe for HTML. */
export const esc = (text: unknown) => String(text ?? "").replace(/[&<>"']/g, (char) => ESCAPES[char] as string);

/** Inline `code` spans of a plain-text note. */
export const prose = (text: string) => esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");

export const appByName = new Map<string, SiteApp>(data.apps.map((app) => [app.name, app]));

declare global {
  interface Window {
    /** Called by each dist/data/<app>.<hash>.js with that app's detail. */
    arenaDetail(name: string, detail: AppDetail): void;
  }
}

const details = new Map<string, AppDetail>();
const loading = new Map<string, Promise<void>>();
window.arenaDetail = (name, detail) => {
  details.set(name, detail);
};

/**
 * Loads the apps' details (code, SQL, schema, README) by adding their scripts to the page: a
 * script from the same folder, which works from file:// as from any host (a fetch would not).
 */
export function loadDetails(names: string[]): Promise<void> {
  return Promise.all(
    names.map((name) => {
      const app = appByName.get(name);
      if (!app || details.has(name)) return Promise.resolve();
      let pending = loading.get(name);
      if (!pending) {
        pending = new Promise<void>((resolve, reject) => {
          const script = document.createElement("script");
          script.src = `./${app.detailFile}`;
          script.onload = () => resolve();
          script.onerror = () => reject(new Error(`could not load ${app.detailFile}`));
          document.head.append(script);
        });
        loading.set(name, pending);
      }
      return pending;
    }),
  ).then(() => undefined);
}

/** An app's detail, once `loadDetails` has it. */
export function detailOf(name: string): AppDetail {
  const detail = details.get(name);
  if (!detail) throw new Error(`the detail of ${name} is not loaded`);
  return detail;
}
export const appNames = data.apps.map((app) => app.name);

export const cellOf = (app: string, scenario: string): BenchCell | undefined =>
  data.bench?.cells.find((cell) => cell.app === app && cell.scenario === scenario);

export const fixed = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? "–" : value.toFixed(digits);
export const interval = (value: Interval | null | undefined, digits = 2) =>
  value
    ? ` <span class="ci" title="95% interval">[${value[0].toFixed(digits)}–${value[1].toFixed(digits)}]</span>`
    : "";

/** The app's colour, the same on every page and chart. */
const PALETTE = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
  "#1f2937",
  "#d62728",
];
export const colorOf = (app: string) => PALETTE[appNames.indexOf(app) % PALETTE.length] as string;

export const languageLabel = (language: string) => (language === "python" ? "Python" : "TypeScript");
