// The compile-time link between prisma/schema.prisma and the plain SQL (sql.ts) of src/db/tables/
// and src/db/credential-writes.ts. A table is declared once, by its Prisma model name, with every
// column of the model and its kind; the kinds are derived from Prisma's generated model types, so
// a renamed, added, removed or retyped column (Boolean -> Int, DateTime -> String, ...) fails
// `npm run typecheck` here (scripts/check-schema-link.mjs proves it for every model). Statement
// text names columns only through `col()` / `list()` / `insertInto()` / `assign()`, which accept the
// model's keys: a column the schema does not have cannot be written into SQL.
//
// Texts are built once, at module load (or per IN-list length, SqlTexts): statements are prepared
// and cached by their text (sql.ts), and building text on every call was measured (bench/).
import type {
  CertificateTemplate,
  CertificateTemplateAsset,
  Course,
  CourseCertificate,
  CourseCertificateSignatory,
  CredentialEvent,
  CredentialsMigration,
  Organization,
  Prisma,
  Program,
  ProgramCertificate,
  ProgramCertificateSignatory,
  ProgramCourse,
  Signatory,
  Site,
  SiteAlias,
  SiteConfiguration,
  User,
  UserCredential,
  UserCredentialAttribute,
  UserGrade,
  ProgramRecordShare,
  SiteSignIn,
  SignInSession,
  LoginLink,
  SiteNotificationSettings,
  WebhookSubscription,
  Delivery,
} from "./generated/sqlite/client.js";
import { type DbDate, toBool, toDate } from "./rows.js";
import { placeholders, type SqlParams, SqlTexts, type SqlRunner, type SqlValue } from "./sql.js";

/** Every model of the schema by name: Prisma's own list of names is the key set (a new model fails here until added). */
export type Models = {
  Site: Site;
  SiteAlias: SiteAlias;
  SiteConfiguration: SiteConfiguration;
  Organization: Organization;
  Course: Course;
  Program: Program;
  ProgramCourse: ProgramCourse;
  User: User;
  CertificateTemplate: CertificateTemplate;
  CertificateTemplateAsset: CertificateTemplateAsset;
  Signatory: Signatory;
  CourseCertificate: CourseCertificate;
  CourseCertificateSignatory: CourseCertificateSignatory;
  ProgramCertificate: ProgramCertificate;
  ProgramCertificateSignatory: ProgramCertificateSignatory;
  UserCredential: UserCredential;
  UserCredentialAttribute: UserCredentialAttribute;
  CredentialEvent: CredentialEvent;
  CredentialsMigration: CredentialsMigration;
  UserGrade: UserGrade;
  ProgramRecordShare: ProgramRecordShare;
  SiteSignIn: SiteSignIn;
  SignInSession: SignInSession;
  LoginLink: LoginLink;
  SiteNotificationSettings: SiteNotificationSettings;
  WebhookSubscription: WebhookSubscription;
  Delivery: Delivery;
};
export type ModelName = Prisma.ModelName;
// Both directions: a model missing from `Models`, or a name Prisma does not know, is an error.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const modelsMatchSchema: Exactly<keyof Models, ModelName> = true;
void modelsMatchSchema;

/** How a column's value is read back: SQLite keeps dates as text and booleans as 0/1. */
export type Kind = "date" | "bool" | "value";
/** The kind of a column of type V, from the Prisma model (null allowed: a nullable column keeps its kind). */
export type KindOf<V> = [NonNullable<V>] extends [Date] ? "date" : [NonNullable<V>] extends [boolean] ? "bool" : "value";
/** Every column of T with its kind: a missing, unknown or retyped column does not compile. */
export type Columns<T> = { [K in keyof T]-?: KindOf<T[K]> };

export interface Table<T> {
  readonly name: ModelName;
  /** The quoted table name, for FROM / JOIN / INSERT INTO / UPDATE. */
  readonly ref: string;
  /** One quoted column, optionally prefixed by a table alias: `"uuid"`, `c."uuid"`. */
  col(column: keyof T & string, alias?: string): string;
  /** Quoted columns, comma-separated. */
  list(columns: readonly (keyof T & string)[], alias?: string): string;
  /** The quoted list of every column, optionally prefixed by a table alias. */
  columns(alias?: string): string;
  /** How many columns `columns()` lists. */
  readonly width: number;
  /**
   * The row whose columns (as `columns()` lists them) start at `offset` of a row of values
   * (SqlRunner.values); null when its id (or first column) is null there (an outer join that found none).
   */
  fromValues(values: readonly unknown[], offset: number): T | null;
  /** The rows of a statement whose SELECT list starts with `columns()`. */
  all(sql: SqlRunner, text: string, params: SqlParams): Promise<T[]>;
  /** The first row of such a statement, or null. */
  one(sql: SqlRunner, text: string, params: SqlParams): Promise<T | null>;
  /** The same table read through some of its columns (in this order): for statements that need only those. */
  pick<K extends keyof T & string>(columns: readonly K[]): Table<Pick<T, K>>;
}

/** The row type a table (or a `pick` of it) reads. */
export type RowOf<X> = X extends Table<infer R> ? R : never;

const quote = (column: string, alias?: string) => (alias ? `${alias}."${column}"` : `"${column}"`);

/**
 * Declares a table of the schema. `Without` leaves columns out of whole-row reads (an asset's
 * bytes); every other column of the model must be listed with its kind.
 */
export function table<N extends ModelName, Without extends keyof Models[N] = never>(name: N, kinds: Columns<Omit<Models[N], Without>>): Table<Omit<Models[N], Without>> {
  return tableOf(name, Object.entries(kinds) as [string, Kind][]);
}

function tableOf<T>(name: ModelName, entries: readonly [string, Kind][]): Table<T> {
  const names = entries.map(([column]) => column);
  const columnKinds = entries.map(([, kind]) => kind);
  const plain = names.map((column) => quote(column)).join(", ");
  // Tables with an id primary key say "no row" by a null id; link tables (no id) by their first column.
  const idAt = Math.max(names.indexOf("id"), 0);
  // Each value is converted before it is stored: an object whose fields change type after creation
  // (text -> Date) leaves V8 with deprecated shapes to migrate, and copying such rows was measured
  // at a large share of the public read (bench/).
  const convert = (values: readonly unknown[], offset: number): T => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const value = values[offset + i];
      const kind = columnKinds[i];
      row[names[i]!] = kind === "value" || value == null ? value : kind === "date" ? toDate(value as DbDate) : toBool(value as boolean | number);
    }
    return row as T;
  };
  return {
    name,
    ref: `"${name}"`,
    col: (column, alias) => quote(column, alias),
    list: (columns, alias) => columns.map((column) => quote(column, alias)).join(", "),
    columns: (alias) => (alias ? names.map((column) => quote(column, alias)).join(", ") : plain),
    width: names.length,
    fromValues: (values, offset) => (values[offset + idAt] == null ? null : convert(values, offset)),
    async all(sql, text, params) {
      return (await sql.values(text, params)).map((values) => convert(values, 0));
    },
    async one(sql, text, params) {
      const [first] = await sql.values(text, params);
      return first ? convert(first, 0) : null;
    },
    pick: <K extends keyof T & string>(columns: readonly K[]) =>
      tableOf<Pick<T, K>>(
        name,
        columns.map((column) => entries.find(([n]) => n === column)!),
      ),
  };
}

/** `"a" = ?, "b" = ?` for an UPDATE's SET. */
export const assign = <T>(t: Table<T>, columns: readonly (keyof T & string)[]): string => columns.map((column) => `${t.col(column)} = ?`).join(", ");

/**
 * A multi-row INSERT's text: `INSERT INTO "T" ("a", "b") VALUES (?, ?), (?, ?) <tail>`. `rows(n)`
 * builds the text for n rows (bulk writes vary in size; the head is built once).
 */
export function insertInto<T>(t: Table<T>, columns: readonly (keyof T & string)[], tail = ""): { rows(n: number): string } {
  const head = `INSERT INTO ${t.ref} (${t.list(columns)}) VALUES `;
  const row = placeholders(columns.length);
  const end = tail ? ` ${tail}` : "";
  return { rows: (n) => `${head}${new Array<string>(n).fill(row).join(", ")}${end}` };
}

// The statement text per (table, column, list length), built once: building and hashing the text
// anew on every call was a measurable share of the public read.
const whereInTexts = new Map<Table<unknown>, Map<string, SqlTexts>>();

function whereInText<T extends { siteId: number }>(t: Table<T>, column: keyof T & string, n: number): string {
  let byColumn = whereInTexts.get(t as Table<unknown>);
  if (!byColumn) whereInTexts.set(t as Table<unknown>, (byColumn = new Map()));
  let texts = byColumn.get(column);
  if (!texts) {
    // By primary key, the site is checked on each row found (`+` keeps SQLite, which has no
    // statistics here, from reading the whole site through the site index instead).
    const site = t.col("siteId");
    const where = column === "id" ? (list: string) => `${t.col(column)} IN ${list} AND +${site} = ?` : (list: string) => `${t.col(column)} IN ${list} AND ${site} = ?`;
    byColumn.set(column, (texts = new SqlTexts((list) => `SELECT ${t.columns()} FROM ${t.ref} WHERE ${where(list)}`)));
  }
  return texts.of(n);
}

/** The site's rows of `t` whose `column` is one of `values` (any order). */
export async function rowsWhereIn<T extends { siteId: number }, K extends keyof T & string>(
  sql: SqlRunner,
  t: Table<T>,
  siteId: number,
  column: K,
  values: readonly SqlValue[],
): Promise<T[]> {
  if (values.length === 0) return [];
  return t.all(sql, whereInText(t, column, values.length), [...values, siteId]);
}
