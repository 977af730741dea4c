// The Open edX credentials service's credential JSON (/api/v2, UserCredentialSerializer), and the
// mapping between its {name, value} attributes and ours.
import type { FastifyRequest } from "fastify";
import { type Attribute, configurationsOfCredentials, type CredentialView } from "../../domain/credentials/queries.js";
import { type RegistryContext, registryOf } from "../../domain/credentials/registry.js";
import { origin } from "../serializers.js";

/**
 * The namespace of the attributes the LMS sends: its attributes are {name, value} (e.g. visible_date).
 * /api/v1 and GraphQL show them with this namespace; /api/v2 shows attributes of other namespaces
 * as "namespace:name", so neither form loses anything.
 */
export const LMS_ATTRIBUTE_NAMESPACE = "openedx";

export interface LmsAttribute {
  name: string;
  value: string;
}

export const attributesFromLms = (attributes: readonly LmsAttribute[]): Attribute[] => attributes.map(({ name, value }) => ({ namespace: LMS_ATTRIBUTE_NAMESPACE, name, value }));

const attributesToLms = (attributes: readonly Attribute[]): LmsAttribute[] =>
  attributes.map(({ namespace, name, value }) => ({ name: namespace === LMS_ATTRIBUTE_NAMESPACE ? name : `${namespace}:${name}`, value }));

/** The page the LMS links a credential to: /credentials/<32 hex>/, as the real service's URLs are. */
export const certificateUrl = (request: FastifyRequest, uuid: string) => `${origin(request)}/credentials/${uuid.replace(/-/g, "")}/`;

/** Credentials in the LMS's shape, key order as the real service writes it; configurations read once per type. */
export async function lmsCredentialsJson(request: FastifyRequest, ctx: RegistryContext, views: readonly CredentialView[]) {
  const registry = registryOf(ctx);
  const configurations = await configurationsOfCredentials(ctx, views, (issuer) => issuer.lms !== undefined);
  return views.map((view, i) => {
    const lms = registry.find(view.credentialType)?.lms;
    const configuration = configurations[i];
    return {
      username: view.username,
      credential: lms && configuration ? lms.credential(configuration) : { type: view.credentialType },
      status: view.status,
      download_url: view.downloadUrl || null,
      uuid: view.uuid,
      attributes: attributesToLms(view.attributes),
      date_override: view.dateOverride ? { date: view.dateOverride.toISOString() } : null,
      created: view.createdAt.toISOString(),
      modified: view.updatedAt.toISOString(),
      certificate_url: certificateUrl(request, view.uuid),
    };
  });
}

export const lmsCredentialJsonOf = async (request: FastifyRequest, ctx: RegistryContext, view: CredentialView) => (await lmsCredentialsJson(request, ctx, [view]))[0]!;
