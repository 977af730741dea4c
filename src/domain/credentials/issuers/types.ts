// The contract every credential type implements. The Accreditor (../accreditor.ts) keeps a registry
// credentialType -> issuer, so a new kind of credential is one more issuer, nothing else: the
// credential row stores (credentialType, configurationId) and the issuer knows which table the
// configuration lives in.
import type { SqlRunner } from "../../../db/sql.js";
import type { UserCredential } from "../../../db/generated/sqlite/client.js";
import type { CredentialScope } from "../../tenancy/policy.js";

/** The configuration a credential awards (a course certificate, a program certificate, ...). */
export interface ResolvedConfiguration {
  id: number;
  isActive: boolean;
  /** Names it in messages, e.g. `course certificate for course "X" and type "verified"`. */
  label: string;
  /** What the roles policy needs to know about it (course, program, self-paced). */
  scope: CredentialScope;
}

export interface CredentialIssuer<I> {
  /** The value stored in UserCredential.credentialType. */
  readonly credentialType: string;
  /** Validates the issuer-specific fields of an issue request (InvalidError otherwise). */
  parse(input: unknown): I;
  /** The site's configuration the request names; NotFoundError naming it when there is none. */
  findConfiguration(tx: SqlRunner, siteId: number, input: I): Promise<ResolvedConfiguration>;
  /** The policy scope of an existing configuration (to authorize revoking its credentials). */
  scopeOf(tx: SqlRunner, siteId: number, configurationId: number): Promise<CredentialScope>;
  /** A short human description of a credential of this type (logs, messages). */
  describe?(credential: UserCredential): string;
}

/** An issuer whose input type is not known statically (what the registry holds). */
export type AnyCredentialIssuer = CredentialIssuer<unknown>;
