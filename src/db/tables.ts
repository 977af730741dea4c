// Whole rows of the configuration tables read with plain SQL (sql.ts) by the batch readers behind
// pages, the dashboard and the API. Each table lists every column of its Prisma model with how to
// convert it; the type `Columns<T>` makes the compiler refuse a list that misses or invents a column,
// so a schema change that is not reflected here does not build.
import type {
  CertificateTemplate,
  CertificateTemplateAsset,
  Course,
  CourseCertificate,
  Organization,
  Program,
  ProgramCertificate,
  Signatory,
  User,
  UserCredential,
} from "./generated/sqlite/client.js";
import { type DbDate, toBool, toDate } from "./rows.js";
import { type SqlParams, SqlTexts, type SqlRunner, type SqlValue } from "./sql.js";

type Kind = "date" | "bool" | "value";
type Columns<T> = { [K in keyof T]-?: Kind };

export interface Table<T> {
  readonly name: string;
  /** The quoted column list, optionally prefixed by a table alias. */
  columns(alias?: string): string;
  /** How many columns `columns()` lists. */
  readonly width: number;
  /**
   * The row whose columns (as `columns()` lists them) start at `offset` of a row of values
   * (SqlRunner.values); null when its id is null there (an outer join that found none).
   */
  fromValues(values: readonly unknown[], offset: number): T | null;
  /** The rows of a statement whose SELECT list starts with `columns()`. */
  all(sql: SqlRunner, text: string, params: SqlParams): Promise<T[]>;
  /** The first row of such a statement, or null. */
  one(sql: SqlRunner, text: string, params: SqlParams): Promise<T | null>;
}

function table<T>(name: string, kinds: Columns<T>): Table<T> {
  const entries = Object.entries(kinds) as [string, Kind][];
  const names = entries.map(([column]) => column);
  const columnKinds = entries.map(([, kind]) => kind);
  const plain = names.map((column) => `"${column}"`).join(", ");
  const idAt = names.indexOf("id"); // every table here has an id primary key
  // Each value is converted before it is stored: an object whose fields change type after creation
  // (text -> Date) leaves V8 with deprecated shapes to migrate, and copying such rows was measured
  // at a large share of the public read (bench/).
  const fromValues = (values: readonly unknown[], offset: number): T | null => {
    if (values[offset + idAt] == null) return null;
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
    columns: (alias) => (alias ? names.map((column) => `${alias}."${column}"`).join(", ") : plain),
    width: names.length,
    fromValues,
    async all(sql, text, params) {
      return (await sql.values(text, params)).map((values) => fromValues(values, 0)!);
    },
    async one(sql, text, params) {
      const [first] = await sql.values(text, params);
      return first ? fromValues(first, 0) : null;
    },
  };
}

const stamps = { createdAt: "date", updatedAt: "date" } as const;

export const CREDENTIALS = table<UserCredential>("UserCredential", {
  id: "value",
  uuid: "value",
  siteId: "value",
  credentialType: "value",
  configurationId: "value",
  username: "value",
  status: "value",
  downloadUrl: "value",
  revokedAt: "date",
  revocationReason: "value",
  ...stamps,
});

export const COURSE_CERTIFICATES = table<CourseCertificate>("CourseCertificate", {
  id: "value",
  siteId: "value",
  courseId: "value",
  certificateType: "value",
  templateId: "value",
  title: "value",
  isActive: "bool",
  selfPaced: "bool",
  certificateAvailableDate: "date",
  language: "value",
  ...stamps,
});

export const PROGRAM_CERTIFICATES = table<ProgramCertificate>("ProgramCertificate", {
  id: "value",
  siteId: "value",
  programId: "value",
  programUuid: "value",
  templateId: "value",
  title: "value",
  isActive: "bool",
  language: "value",
  ...stamps,
});

export const SIGNATORIES = table<Signatory>("Signatory", {
  id: "value",
  siteId: "value",
  name: "value",
  title: "value",
  organizationNameOverride: "value",
  imageAssetId: "value",
  ...stamps,
});

export const COURSES = table<Course>("Course", { id: "value", siteId: "value", courseId: "value", title: "value", organizationId: "value", ...stamps });

export const PROGRAMS = table<Program>("Program", {
  id: "value",
  siteId: "value",
  programId: "value",
  uuid: "value",
  title: "value",
  programType: "value",
  organizationId: "value",
  ...stamps,
});

export const ORGANIZATIONS = table<Organization>("Organization", { id: "value", siteId: "value", key: "value", name: "value", description: "value", logoUrl: "value", ...stamps });

export const USERS = table<User>("User", { id: "value", siteId: "value", username: "value", fullName: "value", email: "value", ...stamps });

export const TEMPLATES = table<CertificateTemplate>("CertificateTemplate", {
  id: "value",
  siteId: "value",
  name: "value",
  content: "value",
  organizationId: "value",
  certificateType: "value",
  courseId: "value",
  language: "value",
  ...stamps,
});

/** An asset without its bytes (lists and pages never load them). */
export const ASSET_INFO = table<Omit<CertificateTemplateAsset, "data">>("CertificateTemplateAsset", {
  id: "value",
  siteId: "value",
  name: "value",
  contentType: "value",
  size: "value",
  sha256: "value",
  ...stamps,
});

// The statement text per (table, column, list length), built once: building and hashing the text
// anew on every call was a measurable share of the public read.
const whereInTexts = new Map<Table<unknown>, Map<string, SqlTexts>>();

function whereInText(t: Table<unknown>, column: string, n: number): string {
  let byColumn = whereInTexts.get(t);
  if (!byColumn) whereInTexts.set(t, (byColumn = new Map()));
  let texts = byColumn.get(column);
  if (!texts) {
    // By primary key, the site is checked on each row found (`+` keeps SQLite, which has no
    // statistics here, from reading the whole site through the site index instead).
    const where = column === "id" ? (list: string) => `"id" IN ${list} AND +"siteId" = ?` : (list: string) => `"${column}" IN ${list} AND "siteId" = ?`;
    byColumn.set(column, (texts = new SqlTexts((list) => `SELECT ${t.columns()} FROM "${t.name}" WHERE ${where(list)}`)));
  }
  return texts.of(n);
}

/** The site's rows of `table` whose `column` is one of `values` (any order). */
export async function rowsWhereIn<T, K extends keyof T & string>(sql: SqlRunner, t: Table<T>, siteId: number, column: K, values: readonly SqlValue[]): Promise<T[]> {
  if (values.length === 0) return [];
  return t.all(sql, whereInText(t as Table<unknown>, column, values.length), [...values, siteId]);
}
