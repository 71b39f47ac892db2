/**
 * Each app's implementation of each port method, cut out of its store file(s): a real parser for
 * TypeScript (@babel/parser), indentation for Python (the site's build needs no python3). A method
 * comes with the helpers of its file it reaches (functions and constants it names, `this.x` or
 * `self._x`), so the reader sees the query even when the method only calls a shared builder.
 */
import { parse } from "@babel/parser";

/** One method or helper of a store file, its text as written (common indentation removed). */
export interface CodePiece {
  name: string;
  /** 1-based line of its first line in `file`. */
  line: number;
  file: string;
  code: string;
}

export interface MethodCode {
  method: CodePiece;
  /** Helpers of the same file the method reaches, in file order. */
  helpers: CodePiece[];
}

/** How deep the chain of helpers is followed from a method (method → helper → helper → …). */
const HELPER_DEPTH = 3;

interface Declaration extends CodePiece {
  /** Names the declaration refers to (identifiers and `this.`/`self.` members). */
  refs: Set<string>;
  /** A method of the port, rather than a helper. */
  isPort: boolean;
}

/** `snake_case` of a camelCase port method, as the Python port names it. */
export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function dedent(text: string, firstColumn: number): string {
  const lines = text.split("\n");
  const rest = lines.slice(1).filter((line) => line.trim().length > 0);
  const indent = Math.min(firstColumn, ...rest.map((line) => line.length - line.trimStart().length));
  return [lines[0]?.trimStart() ?? "", ...lines.slice(1).map((line) => line.slice(indent))].join("\n").trimEnd();
}

// biome-ignore lint/suspicious/noExplicitAny: Babel's AST is walked generically.
type Node = any;

function walk(node: Node, visit: (node: Node, parent: Node) => void, parent: Node = null): void {
  if (!node || typeof node.type !== "string") return;
  visit(node, parent);
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments") continue;
    const value = node[key];
    if (Array.isArray(value)) for (const child of value) walk(child, visit, node);
    else if (value && typeof value.type === "string") walk(value, visit, node);
  }
}

function referencesOf(node: Node): Set<string> {
  const refs = new Set<string>();
  walk(node, (child, parent) => {
    if (child.type === "Identifier") {
      // A property key or a member's property is not a reference, except `this.x`.
      if (parent?.type === "MemberExpression" && parent.property === child && !parent.computed) {
        if (parent.object?.type === "ThisExpression") refs.add(child.name);
        return;
      }
      if ((parent?.type === "ObjectProperty" || parent?.type === "ObjectMethod") && parent.key === child) return;
      refs.add(child.name);
    }
  });
  // Names the declaration binds itself (parameters, locals) shadow the file's helpers.
  for (const name of bindingsOf(node)) refs.delete(name);
  return refs;
}

function bindingsOf(node: Node): Set<string> {
  const names = new Set<string>();
  const pattern = (target: Node) =>
    walk(target, (child, parent) => {
      if (child.type !== "Identifier") return;
      if (parent?.type === "ObjectProperty" && parent.key === child && !parent.shorthand) return;
      if (parent?.type === "TSTypeAnnotation" || parent?.type === "TSTypeReference") return;
      names.add(child.name);
    });
  walk(node, (child) => {
    if (child === node) return;
    if (child.type === "VariableDeclarator") pattern(child.id);
    if (child.type.includes("Function") || child.type === "ObjectMethod")
      for (const param of child.params ?? []) pattern(param);
    if (child.type === "CatchClause" && child.param) pattern(child.param);
  });
  for (const param of node.params ?? node.value?.params ?? []) pattern(param);
  return names;
}

function tsDeclarations(source: string, file: string, portNames: Set<string>): Declaration[] {
  const ast = parse(source, { sourceType: "module", plugins: ["typescript"], errorRecovery: true });
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  const piece = (name: string, node: Node, isPort: boolean, whole: Node = node): Declaration => {
    // The declaration's own line, comments above it left out (the port documents the use case).
    const start = whole.start as number;
    const line = whole.loc.start.line as number;
    const column = start - (lineStarts[line - 1] ?? 0);
    return {
      name,
      line,
      file,
      code: dedent(source.slice(start, whole.end as number), column),
      refs: referencesOf(node),
      isPort,
    };
  };
  const declarations: Declaration[] = [];
  walk(ast.program, (node, parent) => {
    switch (node.type) {
      case "FunctionDeclaration":
        if (node.id) declarations.push(piece(node.id.name, node, false, wholeStatement(parent, node)));
        break;
      case "VariableDeclarator":
        if (node.id?.type === "Identifier" && node.init && parent?.declarations?.length === 1)
          declarations.push(piece(node.id.name, node, false, parent));
        break;
      case "ObjectMethod":
      case "ClassMethod":
      case "ClassPrivateMethod": {
        const name = node.key?.name ?? node.key?.id?.name;
        if (name) declarations.push(piece(name, node, portNames.has(name)));
        break;
      }
      case "ObjectProperty":
      case "ClassProperty": {
        const name = node.key?.name;
        const value = node.value;
        if (name && (value?.type === "ArrowFunctionExpression" || value?.type === "FunctionExpression"))
          declarations.push(piece(name, node, portNames.has(name)));
        break;
      }
    }
  });
  return declarations;
}

/** `export function f` is cut with its `export`. */
const wholeStatement = (parent: Node, node: Node) =>
  parent?.type === "ExportNamedDeclaration" || parent?.type === "ExportDefaultDeclaration" ? parent : node;

/** Python: each `def` (any depth) and each module-level assignment, by indentation. */
function pyDeclarations(source: string, file: string, portNames: Set<string>): Declaration[] {
  const lines = source.split("\n");
  // Lines that begin inside a triple-quoted string are no block boundary, whatever their indent.
  const inString: boolean[] = [];
  let open: string | null = null;
  for (const line of lines) {
    inString.push(open !== null);
    for (const match of line.matchAll(/"""|'''/g)) {
      if (open === null) open = match[0];
      else if (open === match[0]) open = null;
    }
  }
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const blockEnd = (from: number, indent: number) => {
    let end = from + 1;
    let last = from;
    for (; end < lines.length; end++) {
      const line = lines[end] as string;
      if (inString[end]) {
        last = end;
        continue;
      }
      if (line.trim() === "") continue;
      if (indentOf(line) <= indent && !/^\s*[)\]}]/.test(line)) break;
      last = end;
    }
    return last;
  };
  const declarations: Declaration[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (inString[i]) continue;
    const line = lines[i] as string;
    const def = /^(\s*)(?:async\s+)?def\s+(\w+)/.exec(line);
    const assignment = /^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/.exec(line);
    if (!def && !assignment) continue;
    const indent = def ? (def[1] as string).length : 0;
    const name = (def ? def[2] : assignment?.[1]) as string;
    let start = i;
    while (start > 0 && /^\s*@/.test(lines[start - 1] as string) && indentOf(lines[start - 1] as string) === indent)
      start--;
    const end = blockEnd(i, indent);
    const text = lines.slice(start, end + 1).join("\n");
    const refs = new Set<string>();
    for (const match of text.matchAll(/(?:self\.|cls\.|\b)([A-Za-z_]\w*)/g)) refs.add(match[1] as string);
    refs.delete(name);
    // Parameters and locals shadow the file's helpers.
    const signature = def ? (/\(([^)]*)\)/.exec(text)?.[1] ?? "") : "";
    for (const match of signature.matchAll(/([A-Za-z_]\w*)\s*[:=,]/g)) refs.delete(match[1] as string);
    for (const match of text.matchAll(/^\s+([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)/gm)) refs.delete(match[1] as string);
    declarations.push({
      name,
      line: start + 1,
      file,
      code: dedent(text, indent),
      refs,
      isPort: def !== null && portNames.has(name),
    });
  }
  return declarations;
}

/**
 * The port's methods as implemented in these files: for each method name of `portNames` (in the
 * file's language: camelCase for TypeScript, snake_case for Python), its code and its helpers.
 */
export function extractMethods(
  files: { file: string; source: string }[],
  language: "typescript" | "python",
  portNames: string[],
): Map<string, MethodCode> {
  const names = new Set(portNames);
  const declarations = files.flatMap(({ file, source }) =>
    language === "python" ? pyDeclarations(source, file, names) : tsDeclarations(source, file, names),
  );
  const ports = declarations.filter((declaration) => declaration.isPort);
  const helpers = new Map<string, Declaration>();
  for (const declaration of declarations) {
    // What holds a port method (the store object, its factory) is the file, not a helper.
    if (declaration.isPort || ports.some((port) => contains(declaration, port))) continue;
    if (!helpers.has(declaration.name)) helpers.set(declaration.name, declaration);
  }
  const result = new Map<string, MethodCode>();
  for (const method of declarations) {
    if (!method.isPort || result.has(method.name)) continue;
    const reached = new Set<Declaration>();
    let frontier = [method];
    for (let depth = 0; depth < HELPER_DEPTH && frontier.length > 0; depth++) {
      const next: Declaration[] = [];
      for (const declaration of frontier) {
        for (const ref of declaration.refs) {
          const helper = helpers.get(ref);
          if (!helper || reached.has(helper) || helper === method || contains(method, helper)) continue;
          reached.add(helper);
          next.push(helper);
        }
      }
      frontier = next;
    }
    // A helper inside another reached helper is shown once, in its container.
    const shown = [...reached].filter(
      (helper) => ![...reached].some((other) => other !== helper && contains(other, helper)),
    );
    shown.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file.localeCompare(b.file)));
    result.set(method.name, { method: strip(method), helpers: shown.map(strip) });
  }
  return result;
}

const lineCount = (piece: CodePiece) => piece.code.split("\n").length;
/** Whether `outer`'s text holds `inner` (same file, lines within). */
const contains = (outer: CodePiece, inner: CodePiece) =>
  outer.file === inner.file &&
  outer !== inner &&
  inner.line >= outer.line &&
  inner.line + lineCount(inner) <= outer.line + lineCount(outer);

const strip = ({ name, line, file, code }: Declaration): CodePiece => ({ name, line, file, code });
