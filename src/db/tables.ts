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
} from "./generated/sqlite/client.js";
import { type DbDate, toBool, toDate } from "./rows.js";
import { placeholders, type SqlRunner, type SqlValue } from "./sql.js";

type Kind = "date" | "bool" | "value";
type Columns<T> = { [K in keyof T]-?: Kind };

export interface Table<T> {
  readonly name: string;
  /** The quoted column list, optionally prefixed by a table alias. */
  columns(alias?: string): string;
  row(raw: Record<string, unknown>): T;
}

function table<T>(name: string, kinds: Columns<T>): Table<T> {
  const entries = Object.entries(kinds) as [string, Kind][];
  const names = entries.map(([column]) => column);
  const dates = entries.filter(([, kind]) => kind === "date").map(([column]) => column);
  const bools = entries.filter(([, kind]) => kind === "bool").map(([column]) => column);
  const plain = names.map((column) => `"${column}"`).join(", ");
  return {
    name,
    columns: (alias) => (alias ? names.map((column) => `${alias}."${column}"`).join(", ") : plain),
    row(raw) {
      const row: Record<string, unknown> = { ...raw };
      for (const column of dates) if (row[column] != null) row[column] = toDate(row[column] as DbDate);
      for (const column of bools) row[column] = toBool(row[column] as boolean | number);
      return row as T;
    },
  };
}

const stamps = { createdAt: "date", updatedAt: "date" } as const;

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

/** The site's rows of `table` whose `column` is one of `values` (any order). */
export async function rowsWhereIn<T, K extends keyof T & string>(sql: SqlRunner, t: Table<T>, siteId: number, column: K, values: readonly SqlValue[]): Promise<T[]> {
  if (values.length === 0) return [];
  const rows = await sql.all<Record<string, unknown>>(`SELECT ${t.columns()} FROM "${t.name}" WHERE "siteId" = ? AND "${column}" IN ${placeholders(values.length)}`, [siteId, ...values]);
  return rows.map((r) => t.row(r));
}
