// Recognising database errors the domain turns into typed errors.

/** True when a write failed on a unique constraint (Prisma's P2002, on either provider). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** True when a write failed on a foreign key (P2003) or a restricted relation (P2014). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "P2003" || code === "P2014";
}
