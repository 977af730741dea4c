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
// Values as well as types: the GraphQL schema registers these enums.
export { CertificateType, CredentialEventType, CredentialStatus, DeliveryChannel, DeliveryStatus } from "../../db/generated/sqlite/enums.js";

import type { CertificateTemplateAsset } from "../../db/generated/sqlite/client.js";

/** A site (tenant): every request and every domain call runs on one (src/domain/tenancy/sites.ts). */
export interface Site {
  id: number;
  domain: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An asset without its bytes: what lists and loaders return. */
export type AssetInfo = Omit<CertificateTemplateAsset, "data">;
