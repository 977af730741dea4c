// The model types domain functions return, re-exported so transports need not import Prisma.
// Both providers' clients share one shape; the SQLite client's types stand for both.
export type {
  CertificateTemplate,
  CertificateTemplateAsset,
  Course,
  CourseCertificate,
  Organization,
  Program,
  ProgramCertificate,
  Signatory,
  User,
} from "../../db/generated/sqlite/client.js";
export type { CertificateType } from "../../db/generated/sqlite/enums.js";

import type { CertificateTemplateAsset } from "../../db/generated/sqlite/client.js";

/** An asset without its bytes: what lists and loaders return. */
export type AssetInfo = Omit<CertificateTemplateAsset, "data">;
