// A provider-neutral description of a database's structure (tables, columns, indexes, foreign
// keys, enums), to compare two databases: the drift test builds one from the committed migrations
// and one from the Prisma schema, and they must be equal.
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config.js";
import { MIGRATIONS_TABLE } from "../../src/db/migrate.js";

export interface Structure {
  tables: Record<string, { columns: string[]; indexes: string[]; foreignKeys: string[] }>;
  enums: Record<string, string[]>;
}

export async function introspect(config: DatabaseConfig): Promise<Structure> {
  return config.provider === "sqlite" ? introspectSqlite(config.file) : introspectPostgres(config.url);
}

function introspectSqlite(file: string): Structure {
  const db = new Sqlite(file, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name`).all(MIGRATIONS_TABLE) as { name: string }[];
    const structure: Structure = { tables: {}, enums: {} };
    for (const { name } of tables) {
      const columns = (db.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`).all(name) as Record<string, unknown>[]).map(
        (c) => `${c.name} ${c.type} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`,
      );
      const indexes = (db.prepare(`SELECT name, "unique" FROM pragma_index_list(?) WHERE origin != 'pk'`).all(name) as { name: string; unique: number }[]).map((index) => {
        const cols = (db.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).all(index.name) as { name: string }[]).map((c) => c.name);
        return `${index.name} unique=${index.unique} (${cols.join(", ")})`;
      });
      const foreignKeys = (db.prepare(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?)`).all(name) as Record<string, unknown>[]).map(
        (fk) => `${fk.from} -> ${fk.table}.${fk.to} update=${fk.on_update} delete=${fk.on_delete}`,
      );
      structure.tables[name] = { columns: columns.sort(), indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
    }
    return structure;
  } finally {
    db.close();
  }
}

async function introspectPostgres(url: string): Promise<Structure> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const structure: Structure = { tables: {}, enums: {} };
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name != $1 ORDER BY table_name`,
      [MIGRATIONS_TABLE],
    );
    for (const { table_name: name } of tables.rows) {
      const columns = await client.query(
        `SELECT column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
        [name],
      );
      const indexes = await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`, [name]);
      const constraints = await client.query(
        `SELECT conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' AND t.relname = $1`,
        [name],
      );
      structure.tables[name] = {
        columns: columns.rows.map((c) => `${c.column_name} ${c.data_type}/${c.udt_name} nullable=${c.is_nullable} default=${c.column_default}`).sort(),
        indexes: indexes.rows.map((i) => `${i.indexname}: ${i.indexdef}`).sort(),
        foreignKeys: constraints.rows.map((c) => `${c.conname}: ${c.def}`).sort(),
      };
    }
    const enums = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    for (const row of enums.rows) structure.enums[row.typname] = row.labels;
    return structure;
  } finally {
    await client.end();
  }
}

/** Applies an SQL script to a database (multi-statement). */
export async function applyScript(config: DatabaseConfig, sql: string): Promise<void> {
  if (config.provider === "sqlite") {
    const db = new Sqlite(config.file);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
