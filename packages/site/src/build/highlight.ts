/**
 * Syntax highlighting at build time (Shiki): the browser gets ready HTML, no grammar and no wasm.
 * Shiki writes each token's colour inline; those are turned into a few classes (one per colour,
 * their rules in `css()`), which keeps the page's data several times smaller.
 */
import { createHighlighter } from "shiki";

const THEME = "github-light";
export const LANGUAGES = ["typescript", "javascript", "python", "sql", "prisma", "diff", "json"] as const;
export type CodeLanguage = (typeof LANGUAGES)[number];

const highlighter = await createHighlighter({ themes: [THEME], langs: [...LANGUAGES] });
const classes = new Map<string, string>();

/** The language of a file, by its name. */
export function languageOf(file: string): CodeLanguage {
  if (file.endsWith(".py")) return "python";
  if (file.endsWith(".sql")) return "sql";
  if (file.endsWith(".prisma")) return "prisma";
  if (file.endsWith(".js") || file.endsWith(".mjs")) return "javascript";
  if (file.endsWith(".json")) return "json";
  return "typescript";
}

/** `code` as highlighted HTML (a `<pre class="shiki">`), colours as classes. */
export function highlight(code: string, lang: CodeLanguage): string {
  const html = highlighter.codeToHtml(code, { lang, theme: THEME });
  return html
    .replace(/ style="color:(#[0-9A-Fa-f]{3,8})"/g, (_match, color: string) => {
      const key = color.toUpperCase();
      let name = classes.get(key);
      if (!name) {
        name = `k${classes.size}`;
        classes.set(key, name);
      }
      return ` class="${name}"`;
    })
    .replace(/<pre class="shiki [^"]*" style="[^"]*"/, '<pre class="shiki"');
}

/** The rules of the colour classes used so far: call after every `highlight`. */
export function css(): string {
  return [...classes].map(([color, name]) => `.shiki .${name}{color:${color}}`).join("\n");
}
