// Values read with plain SQL (sql.ts) in the shapes Prisma returns for the same columns: SQLite
// keeps booleans as 0/1 and dates as ISO text; PostgreSQL's driver already gives booleans and Dates.
// table.ts converts whole rows with these; a statement that reads a few columns uses them directly.

export type DbDate = Date | string;

/** A DateTime column as a Date (SQLite text: ISO with offset as Prisma writes it, or SQLite's own `YYYY-MM-DD HH:MM:SS` UTC). */
export function toDate(value: DbDate): Date {
  if (value instanceof Date) return value;
  return new Date(value.includes("T") ? value : `${value.replace(" ", "T")}Z`);
}

/** A Boolean column as a boolean (SQLite: 0/1). */
export const toBool = (value: boolean | number): boolean => value === true || value === 1;
