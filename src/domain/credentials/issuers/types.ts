// The contract every credential type implements: an issuer is the whole plugin for its type. The
// Accreditor (../accreditor.ts) keeps a registry credentialType -> issuer, and everything that
// differs between types — issuing, the REST body and JSON, list filters, the certificate subject,
// the GraphQL fields and look-ahead — asks the issuer, so a new kind of credential is one more
// issuer passed to register(), nothing else. The credential row stores (credentialType,
// configurationId) and the issuer knows which table the configuration lives in.
import type { z } from "zod";
import type { SqlRunner } from "../../../db/sql.js";
import type { UserCredential } from "../../../db/generated/sqlite/client.js";
import type { DomainContext } from "../../kernel/context.js";
import type { Organization, Signatory } from "../../kernel/models.js";
import type { TemplateSelector } from "../../rendering/templates.js";
import type { CredentialScope } from "../../tenancy/policy.js";

/** A credential attribute (as ../queries.ts reads them). */
interface Attribute {
  namespace: string;
  name: string;
  value: string;
}

/** The configuration a credential awards (a course certificate, a program certificate, ...). */
export interface ResolvedConfiguration {
  id: number;
  isActive: boolean;
  /** Names it in messages, e.g. `course certificate for course "X" and type "verified"`. */
  label: string;
  /** What the roles policy needs to know about it (course, program, self-paced). */
  scope: CredentialScope;
}

/** What every stored configuration row has. */
export interface ConfigurationRow {
  id: number;
  /** The title override; null to use the catalog's. */
  title: string | null;
}

/**
 * An issuer's own issue-input fields as REST documents them. The zod schema is their one
 * description (REST's JSON Schema and OpenAPI are generated from it); `descriptions` lists the fields
 * REST exposes, in order, each with its line of documentation.
 */
export interface IssueBodyFields {
  readonly schema: z.ZodObject;
  readonly descriptions: Readonly<Record<string, string>>;
}

/** The REST JSON every credential has; the issuer places its own fields among these (the seed's key order). */
export interface CredentialJsonBase {
  credential_type: string;
  credential_id: number;
  username: string;
  status: string;
  uuid: string;
  download_url: string;
  attributes: Attribute[];
}

/** The REST API's view of a type: its issue-body fields and its credentials' JSON. */
export interface RestShape<C> {
  /** The issue body's fields of this type: generated from its zod input schema (REST names them in snake_case). */
  readonly body: IssueBodyFields;
  /** Whether a body without credential_type is of this type (asked in registration order). */
  recognizes?(body: Readonly<Record<string, unknown>>): boolean;
  /** The type of a body without credential_type that no issuer recognizes (the seed's: course certificates). */
  readonly isDefault?: boolean;
  /** A credential's JSON: the shared fields with this type's own, in the seed's key order. */
  credentialJson(base: CredentialJsonBase, configuration: C): Record<string, unknown>;
}

/**
 * The Open edX LMS's view of a type (/api/v2): its `credential` object, e.g. {type: "course-run",
 * course_run_key, mode} or {type: "program", credential_id, program_uuid}, both ways.
 */
export interface LmsShape<C> {
  /** The LMS's name of the type ("course-run", "program"). */
  readonly type: string;
  /** Whether a `credential` object that gives no type is of this type (it names this type's key). */
  recognizes(credential: Readonly<Record<string, unknown>>): boolean;
  /** The issuer's own issue-input fields for a `credential` object. */
  input(credential: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** The `credential` object of a credential with this configuration. */
  credential(configuration: C): Record<string, unknown>;
  /** The LMS's names of the issuer's input fields, for error messages (e.g. courseId -> course_run_key). */
  readonly fieldNames: Readonly<Record<string, string>>;
}

/** How lists of credentials are filtered by this type's own keys (e.g. courseId -> its configurations). */
export interface ListFilter {
  /** The filter's fields (validated with these messages); giving any of them selects this type. */
  readonly shape: z.ZodRawShape;
  /** The ids of the site's configurations the filter names (one statement); `filter` passed `shape`. */
  configurationIds(sql: SqlRunner, siteId: number, filter: Readonly<Record<string, unknown>>): Promise<number[]>;
  /** What the roles policy needs to know about the filter (e.g. the course a course team lists). */
  scope(filter: Readonly<Record<string, unknown>>): CredentialScope;
}

/** The catalog row a configuration belongs to (a course, a program), as the GraphQL look-ahead loads it. */
export interface CatalogRelation<C, K = unknown> {
  /** The credential field (GraphQL) that shows the row, e.g. "course". */
  readonly field: string;
  keyOf(configuration: C): K;
  /** The rows of these keys, in order (null where unknown). A DataLoader keys on this function. */
  byKeys(ctx: DomainContext, keys: readonly K[]): Promise<({ title: string } | null)[]>;
}

/** The GraphQL view of a type: the credential fields it answers and the relations to prefetch. */
export interface GraphQLShape<C> {
  /** The CredentialConfiguration member its configuration is shown as; none: `configuration` is null. */
  readonly configurationType?: string;
  /** Credential fields this type answers from its configuration, e.g. courseId, certificateType. */
  fields(configuration: C): Readonly<Record<string, unknown>>;
  /** The names fields() answers (the look-ahead loads the configuration when one is selected). */
  readonly fieldNames: readonly string[];
  readonly catalog?: CatalogRelation<C>;
}

/** Certificate pages and templates: the issuer builds what a credential of its type is *for*. */
export interface Certificates<C> {
  /** The word for the type on pages ("course" certificate, "program" certificate). */
  readonly kind: string;
  /** The configuration id field of a template preview target, e.g. courseCertificateId. */
  readonly previewTarget: string;
  /** The sample attributes of a preview. */
  readonly previewAttributes: readonly Attribute[];
  subject(ctx: DomainContext, configuration: C): Promise<CertificateSubject>;
}

export interface CredentialIssuer<I, C extends ConfigurationRow = ConfigurationRow> {
  /** The value stored in UserCredential.credentialType. */
  readonly credentialType: string;
  /** Validates the issuer-specific fields of an issue request (InvalidError otherwise). */
  parse(input: unknown): I;
  /** The site's configuration the request names; NotFoundError naming it when there is none. `now`: for one it creates. */
  findConfiguration(tx: SqlRunner, siteId: number, input: I, now: Date): Promise<ResolvedConfiguration>;
  /** The policy scope of an existing configuration (to authorize revoking its credentials). */
  scopeOf(tx: SqlRunner, siteId: number, configurationId: number): Promise<CredentialScope>;
  /** A short human description of a credential of this type (logs, messages). */
  describe?(credential: UserCredential): string;
  /** The site's configurations by id, in order (null where unknown); cached. A DataLoader keys on this function. */
  configurationsByIds?(ctx: DomainContext, ids: readonly number[]): Promise<(C | null)[]>;
  /** The ordered signatories per configuration id. A DataLoader keys on this function. */
  signatoriesOf?(ctx: DomainContext, ids: readonly number[]): Promise<Map<number, Signatory[]>>;
  /** The policy scope of a credential for a course team reading it (only issuers whose scope is per course). */
  readerScope?(ctx: DomainContext, credential: UserCredential): Promise<CredentialScope>;
  readonly rest?: RestShape<C>;
  readonly lms?: LmsShape<C>;
  readonly listFilter?: ListFilter;
  readonly graphql?: GraphQLShape<C>;
  readonly certificates?: Certificates<C>;
}

/** An issuer whose input and configuration types are not known statically (what the registry holds). */
export type AnyCredentialIssuer = CredentialIssuer<unknown, ConfigurationRow>;

/** A credential's type and configuration id (a row, a view, a GraphQL parent). */
export type CredentialKeys = Pick<UserCredential, "credentialType" | "configurationId">;

/** What a certificate is *for* (../subject.ts): built by the credential type's issuer. */
export interface CertificateSubject {
  /** The issuer's word for its type on pages: "course" certificate, "program" certificate. */
  kind: string;
  credentialType: string;
  configuration: ConfigurationRow;
  /** The title override, else the catalog's title, else the course/program id. */
  title: string;
  /** The course's certificate type (honor, verified, professional) or the program's type (e.g. XSeries). */
  mode: string;
  organization: Organization | null;
  signatories: (Signatory & { imageName: string | null })[];
  /** The configuration's own language (else the template's, else the site's). */
  language: string | null;
  /** The explicit template, if the configuration names one. */
  templateId: number | null;
  /** For template resolution when no template is named. */
  selector: TemplateSelector;
  /** The type's own fields of the template context's `certificate` (e.g. course_id, program_id). */
  templateCertificate: Record<string, unknown>;
  /** The type's own top-level entries of the template context (e.g. course, program). */
  templateCatalog: Record<string, unknown>;
}
