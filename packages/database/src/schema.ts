import pg from "pg";

/** A database's `public` schema in a form two apps' schemas can be compared by. */
export interface SchemaSnapshot {
  tables: Record<string, TableSnapshot>;
}

export interface TableSnapshot {
  columns: Record<string, { type: string; nullable: boolean; default: string | null }>;
  primaryKey: { name: string; columns: string[] } | null;
  /** Keyed by the referencing columns, e.g. `author_id`. */
  foreignKeys: Record<string, { name: string; references: string; onDelete: string; onUpdate: string }>;
  /**
   * Keyed by the constrained columns, e.g. `email`. A plain unique index on the same columns
   * enforces the same rule (Prisma declares `@unique` that way), so it is listed here too, with
   * its form, which is reported but not compared.
   */
  uniqueConstraints: Record<string, { name: string; form: "constraint" | "index" }>;
  /** Keyed by definition without the name, e.g. `btree (author_id, created_at)`. */
  indexes: Record<string, { name: string; unique: boolean }>;
}

const FK_ACTIONS: Record<string, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

/**
 * Reads tables, columns (type, nullability, default), keys, foreign keys with their actions,
 * unique constraints and indexes of the `public` schema. Names of constraints and indexes are
 * kept as values, not keys, so that schemas that differ only in naming compare equal by key.
 * Indexes that back a primary key or unique constraint are listed under those, not as indexes.
 */
export async function describeSchema(
  databaseUrl: string,
  options: { exclude?: string[] } = {},
): Promise<SchemaSnapshot> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const excluded = new Set(options.exclude ?? []);
    const tables: Record<string, TableSnapshot> = {};
    const table = (name: string) => {
      tables[name] ??= { columns: {}, primaryKey: null, foreignKeys: {}, uniqueConstraints: {}, indexes: {} };
      return tables[name];
    };

    const columns = await client.query<{
      table: string;
      column: string;
      type: string;
      nullable: boolean;
      default: string | null;
    }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
              NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
         FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
    );
    for (const row of columns.rows) {
      if (excluded.has(row.table)) continue;
      table(row.table).columns[row.column] = {
        type: row.type,
        nullable: row.nullable,
        default: row.default === null ? null : normaliseDefault(row.default),
      };
    }

    const constraints = await client.query<{
      table: string;
      name: string;
      kind: string;
      columns: string[];
      foreign_table: string | null;
      foreign_columns: string[] | null;
      on_delete: string;
      on_update: string;
    }>(
      `SELECT c.relname AS table, con.conname AS name, con.contype AS kind,
              ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
              fc.relname AS foreign_table,
              ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS foreign_columns,
              con.confdeltype AS on_delete, con.confupdtype AS on_update
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         LEFT JOIN pg_class fc ON fc.oid = con.confrelid
        WHERE con.contype IN ('p', 'f', 'u')
        ORDER BY c.relname, con.conname`,
    );
    for (const row of constraints.rows) {
      if (excluded.has(row.table)) continue;
      const target = table(row.table);
      const key = row.columns.join(", ");
      if (row.kind === "p") target.primaryKey = { name: row.name, columns: row.columns };
      if (row.kind === "u") target.uniqueConstraints[key] = { name: row.name, form: "constraint" };
      if (row.kind === "f") {
        target.foreignKeys[key] = {
          name: row.name,
          references: `${row.foreign_table}(${(row.foreign_columns ?? []).join(", ")})`,
          onDelete: FK_ACTIONS[row.on_delete] ?? row.on_delete,
          onUpdate: FK_ACTIONS[row.on_update] ?? row.on_update,
        };
      }
    }

    const indexes = await client.query<{ table: string; name: string; unique: boolean; definition: string }>(
      `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, pg_get_indexdef(ix.indexrelid) AS definition
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        WHERE NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u'))
        ORDER BY t.relname, i.relname`,
    );
    for (const row of indexes.rows) {
      if (excluded.has(row.table)) continue;
      const plainUnique = /^CREATE UNIQUE INDEX \S+ ON \S+ USING btree \(([^()]+)\)$/.exec(row.definition);
      if (plainUnique?.[1]) {
        const columns = plainUnique[1].split(", ").map((column) => column.replace(/^"|"$/g, ""));
        table(row.table).uniqueConstraints[columns.join(", ")] = { name: row.name, form: "index" };
        continue;
      }
      // "CREATE [UNIQUE] INDEX name ON public.table USING btree (cols) [WHERE ...]" without the name.
      const key = row.definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ USING /, (_m, unique) =>
        unique ? "UNIQUE " : "",
      );
      table(row.table).indexes[key] = { name: row.name, unique: row.unique };
    }
    return { tables };
  } finally {
    await client.end();
  }
}

/** Sequence defaults name the sequence, whose name follows the table, not the ORM: keep the kind. */
function normaliseDefault(expression: string): string {
  if (/^nextval\(/.test(expression)) return "nextval(<sequence>)";
  return expression;
}

/**
 * Differences between an app's schema and the baseline's, as readable lines naming the table and
 * column. Names of constraints and indexes are reported separately and do not count as differences.
 */
export function compareSchemas(
  baseline: SchemaSnapshot,
  candidate: SchemaSnapshot,
): { differences: string[]; renamed: string[] } {
  const differences: string[] = [];
  const renamed: string[] = [];
  const keys = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

  for (const name of keys(baseline.tables, candidate.tables)) {
    const want = baseline.tables[name];
    const got = candidate.tables[name];
    if (!want) {
      differences.push(`table ${name}: not in the baseline`);
      continue;
    }
    if (!got) {
      differences.push(`table ${name}: missing`);
      continue;
    }
    for (const column of keys(want.columns, got.columns)) {
      const a = want.columns[column];
      const b = got.columns[column];
      if (!a) differences.push(`${name}.${column}: extra column (${b?.type})`);
      else if (!b) differences.push(`${name}.${column}: missing column (${a.type})`);
      else {
        if (a.type !== b.type) differences.push(`${name}.${column}: type ${b.type}, baseline ${a.type}`);
        if (a.nullable !== b.nullable)
          differences.push(
            `${name}.${column}: ${b.nullable ? "nullable" : "NOT NULL"}, baseline ${a.nullable ? "nullable" : "NOT NULL"}`,
          );
        if (a.default !== b.default)
          differences.push(`${name}.${column}: default ${b.default ?? "none"}, baseline ${a.default ?? "none"}`);
      }
    }
    const pkA = want.primaryKey?.columns.join(", ") ?? "none";
    const pkB = got.primaryKey?.columns.join(", ") ?? "none";
    if (pkA !== pkB) differences.push(`${name}: primary key (${pkB}), baseline (${pkA})`);
    else if (want.primaryKey && got.primaryKey && want.primaryKey.name !== got.primaryKey.name) {
      renamed.push(`${name}: primary key ${got.primaryKey.name} (baseline ${want.primaryKey.name})`);
    }
    const groups = [
      ["foreign key", want.foreignKeys, got.foreignKeys],
      ["unique constraint", want.uniqueConstraints, got.uniqueConstraints],
      ["index", want.indexes, got.indexes],
    ] as const;
    for (const [kind, a, b] of groups) {
      for (const key of keys(a, b)) {
        const x = (a as Record<string, { name: string }>)[key];
        const y = (b as Record<string, { name: string }>)[key];
        if (!x) differences.push(`${name}: extra ${kind} on ${key}`);
        else if (!y) differences.push(`${name}: missing ${kind} on ${key}`);
        else {
          const { name: nameA, form: formA, ...restA } = x as { name: string; form?: string };
          const { name: nameB, form: formB, ...restB } = y as { name: string; form?: string };
          if (formA !== formB) renamed.push(`${name}: ${kind} on ${key} is a unique ${formB} (baseline: ${formA})`);
          if (JSON.stringify(restA) !== JSON.stringify(restB)) {
            differences.push(
              `${name}: ${kind} on ${key} is ${JSON.stringify(restB)}, baseline ${JSON.stringify(restA)}`,
            );
          }
          if (nameA !== nameB) renamed.push(`${name}: ${kind} on ${key} named ${nameB} (baseline ${nameA})`);
        }
      }
    }
  }
  return { differences, renamed };
}
