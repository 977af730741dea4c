// CredentialsMigration: declared so the compile-time link to prisma/schema.prisma covers it (no
// code reads it yet). The migration feature's statements go here.
import { table } from "../table.js";

export const CREDENTIALS_MIGRATIONS = table("CredentialsMigration", {
  id: "value",
  siteId: "value",
  courseId: "value",
  status: "value",
  total: "value",
  succeeded: "value",
  failed: "value",
  error: "value",
  createdAt: "date",
  updatedAt: "date",
});
