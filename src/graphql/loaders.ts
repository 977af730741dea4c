// Per-request DataLoaders: every relation a query walks is fetched in one batched, site-scoped
// domain call per level, so a page of 100 credentials costs the same number of SQL statements as 1.
import DataLoader from "dataloader";
import type { DomainContext } from "../domain/context.js";
import { attributesOfCredentials, eventsOfCredentials } from "../domain/credentials.js";
import { coursesByCourseIds, programsByProgramIds } from "../domain/catalog.js";
import { courseCertificatesByIds, signatoriesOfCourseCertificates } from "../domain/course-certificates.js";
import { organizationsByIds } from "../domain/organizations.js";
import { programCertificatesByIds, signatoriesOfProgramCertificates } from "../domain/program-certificates.js";
import { signatoriesByIds } from "../domain/signatories.js";
import { assetsByIds } from "../domain/template-assets.js";
import { templatesByIds } from "../domain/templates.js";

type Fetch<K, V> = (ctx: DomainContext, keys: readonly K[]) => Promise<readonly (V | null | undefined)[]>;
type FetchMap<K, V> = (ctx: DomainContext, keys: readonly K[]) => Promise<Map<K, V[]>>;

/** A loader over a domain function that answers in key order. */
const listLoader = <K, V>(ctx: DomainContext, fetch: Fetch<K, V>) =>
  new DataLoader<K, V | null>(async (keys) => (await fetch(ctx, keys)).map((v) => v ?? null));

/** A loader over a domain function that answers with a map from key to several rows. */
const groupLoader = <K, V>(ctx: DomainContext, fetch: FetchMap<K, V>) =>
  new DataLoader<K, V[]>(async (keys) => {
    const map = await fetch(ctx, keys);
    return keys.map((key) => map.get(key) ?? []);
  });

export function createLoaders(ctx: DomainContext) {
  return {
    attributes: groupLoader(ctx, attributesOfCredentials),
    events: groupLoader(ctx, eventsOfCredentials),
    courseCertificate: listLoader(ctx, courseCertificatesByIds),
    programCertificate: listLoader(ctx, programCertificatesByIds),
    signatoriesOfCourseCertificate: groupLoader(ctx, signatoriesOfCourseCertificates),
    signatoriesOfProgramCertificate: groupLoader(ctx, signatoriesOfProgramCertificates),
    signatory: listLoader(ctx, signatoriesByIds),
    template: listLoader(ctx, templatesByIds),
    asset: listLoader(ctx, assetsByIds),
    organization: listLoader(ctx, organizationsByIds),
    course: listLoader(ctx, coursesByCourseIds),
    program: listLoader(ctx, programsByProgramIds),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
