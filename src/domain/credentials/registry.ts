// The registry of credential types: credentialType -> its issuer (issuers/types.ts), the whole
// plugin for that type. The service registers course and program certificates; an app may register
// more (buildApp's `issuers`), and a domain context carries its app's registry. Code outside
// issuers/ loops over the registry instead of naming a type.
import type { DomainContext } from "../kernel/context.js";
import { InvalidError } from "../kernel/errors.js";
import { courseCertificateIssuer } from "./issuers/course-certificate.js";
import { programCertificateIssuer } from "./issuers/program-certificate.js";
import type { AnyCredentialIssuer, ConfigurationRow, CredentialIssuer } from "./issuers/types.js";

export class Accreditor {
  readonly #issuers = new Map<string, AnyCredentialIssuer>();

  register<I, C extends ConfigurationRow>(issuer: CredentialIssuer<I, C>): this {
    if (this.#issuers.has(issuer.credentialType)) throw new Error(`An issuer for "${issuer.credentialType}" is already registered`);
    this.#issuers.set(issuer.credentialType, issuer as unknown as AnyCredentialIssuer);
    return this;
  }

  get credentialTypes(): string[] {
    return [...this.#issuers.keys()];
  }

  /** Every issuer, in registration order. */
  get issuers(): AnyCredentialIssuer[] {
    return [...this.#issuers.values()];
  }

  /** The issuer of a stored credential's type, or undefined for a type this service does not know. */
  find(credentialType: string): AnyCredentialIssuer | undefined {
    return this.#issuers.get(credentialType);
  }

  /** The issuer of a credential type; InvalidError on field credentialType listing the known types. */
  issuerFor(credentialType: unknown): AnyCredentialIssuer {
    const issuer = typeof credentialType === "string" ? this.#issuers.get(credentialType) : undefined;
    if (issuer) return issuer;
    const known = this.credentialTypes.join(", ");
    if (credentialType === undefined || credentialType === null || credentialType === "") throw InvalidError.field("credentialType", `is required: one of ${known}`);
    throw InvalidError.field("credentialType", `must be one of ${known} (got ${JSON.stringify(String(credentialType).slice(0, 100))})`);
  }
}

/** A registry with the service's own types, to which an app adds its own. */
export const withBuiltInIssuers = (): Accreditor => new Accreditor().register(courseCertificateIssuer).register(programCertificateIssuer);

/** The registry of contexts that bring none. */
export const accreditor = withBuiltInIssuers();

/** A domain context, optionally with its app's registry. */
export type RegistryContext = DomainContext & { accreditor?: Accreditor };

export const registryOf = (ctx: RegistryContext): Accreditor => ctx.accreditor ?? accreditor;
