// Rules every configuration module shares: a reference must point into the caller's site, a row
// still in use cannot be deleted, and the database's own constraint errors (a concurrent writer
// won a race our checks could not see) become typed errors instead of escaping raw.
import { isForeignKeyViolation, isUniqueViolation } from "../../db/errors.js";
import { ConflictError, type DomainError, InvalidError, NotFoundError } from "./errors.js";

// Lists of configuration rows come in creation (id) order: text and enum ordering differ between
// SQLite (bytes) and PostgreSQL (collation, enum declaration order), and the order must not.

export function notFound(what: string, key: number | string): NotFoundError {
  return new NotFoundError(`No ${what} ${typeof key === "string" ? JSON.stringify(key) : key} on this site`);
}

/** Whether a number can be a row id (PostgreSQL int4); any other number is simply not found. */
export const isRowId = (id: number): boolean => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;

/** The keys that can be row ids, for a batch's `in` list. */
export const rowIds = (ids: readonly number[]): number[] => [...new Set(ids.filter(isRowId))];

/** The row `find` (a lookup scoped by site) returns, or a NotFoundError naming `what` and `id`. */
export async function findOnSite<T>(what: string, id: number, find: () => Promise<T | null>): Promise<T> {
  const found = isRowId(id) ? await find() : null;
  if (!found) throw notFound(what, id);
  return found;
}

/** DRF's message for a reference to a missing row, so REST clients see what the seed's API answered. */
export const invalidPk = (ids: number | number[]) => `Invalid pk "${[ids].flat().join('", "')}" - object does not exist.`;

/** The row `row` (a lookup scoped by site) found, or an InvalidError on `field`. */
export async function requireReference<T>(field: string, id: number, row: Promise<T | null>): Promise<T> {
  const found = await row;
  if (!found) throw InvalidError.field(field, invalidPk(id));
  return found;
}

/** One kind of row that refers to the subject: how many, and its name in the singular. */
export type Use = [count: number, what: string];

/** "1 course", "2 signatories". */
export const plural = (n: number, what: string) => `${n} ${n === 1 ? what : what.replace(/y$/, "ie") + "s"}`;

/** Refuses (ConflictError naming every use) to delete `subject` while anything refers to it. */
export function refuseWhileUsed(subject: string, uses: Use[]): void {
  const inUse = uses.filter(([count]) => count > 0).map(([count, what]) => plural(count, what));
  if (inUse.length > 0) throw new ConflictError(`${subject} cannot be deleted: it is used by ${inUse.join(", ")}`);
}

/**
 * Runs a write; a unique violation becomes `duplicate()`, a foreign-key failure `reference()`
 * (by default a ConflictError: something it refers to changed meanwhile).
 */
export async function withConstraints<T>(work: () => Promise<T>, on: { duplicate?: () => DomainError; reference?: () => DomainError } = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw on.duplicate?.() ?? new ConflictError("It was changed at the same time; try again");
    if (isForeignKeyViolation(error)) throw on.reference?.() ?? new ConflictError("A record it refers to was changed at the same time; try again");
    throw error;
  }
}
