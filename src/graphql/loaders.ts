// Per-request DataLoaders: every relation a query walks is fetched in one batched, site-scoped
// domain call per level, so a page of 100 credentials costs the same number of SQL statements as 1.
import DataLoader from "dataloader";
import type { DomainContext } from "../domain/kernel/context.js";
import { attributesOfCredentials, eventsOfCredentials } from "../domain/credentials/queries.js";
import { coursesByCourseIds, programsByProgramIds } from "../domain/configuration/catalog.js";
import { courseCertificatesByIds, signatoriesOfCourseCertificates } from "../domain/configuration/course-certificates.js";
import { organizationsByIds } from "../domain/configuration/organizations.js";
import { programCertificatesByIds, signatoriesOfProgramCertificates } from "../domain/configuration/program-certificates.js";
import { signatoriesByIds } from "../domain/configuration/signatories.js";
import { assetsByIds } from "../domain/rendering/template-assets.js";
import { templatesByIds } from "../domain/rendering/templates.js";

type Fetch<K, V> = (ctx: DomainContext, keys: readonly K[]) => Promise<readonly (V | null | undefined)[]>;
type FetchMap<K, V> = (ctx: DomainContext, keys: readonly K[]) => Promise<Map<K, V[]>>;

/** A value, or the promise of one: what a resolver may return. */
export type MaybePromise<T> = T | Promise<T>;

/** `fn(value)`, at once when the value is there, else when it arrives. */
export const andThen = <T, U>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<U>): MaybePromise<U> => (value instanceof Promise ? value.then(fn) : fn(value));

/**
 * A DataLoader that also answers synchronously for keys it has already loaded (or was primed with).
 * A resolver that returns a value instead of a promise costs the executor far less: on a dashboard
 * page the ~150 relation fields that awaited loaded promises were a third of the request's CPU.
 */
export class Loader<K, V> extends DataLoader<K, V> {
  readonly #settled = new Map<K, V>();
  constructor(batch: (keys: readonly K[]) => Promise<V[]>) {
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => this.#settled.set(key, values[i]!));
      return values;
    });
  }
  /** The value if it is already here, else the promise of it. */
  get(key: K): MaybePromise<V> {
    return this.#settled.has(key) ? this.#settled.get(key)! : this.load(key);
  }
  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!(value instanceof Error) && !(value instanceof Promise)) this.#settled.set(key, value as V);
    return super.prime(key, value);
  }
}

/** A loader over a domain function that answers in key order. */
const listLoader = <K, V>(ctx: DomainContext, fetch: Fetch<K, V>) => new Loader<K, V | null>(async (keys) => (await fetch(ctx, keys)).map((v) => v ?? null));

/** A loader over a domain function that answers with a map from key to several rows. */
const groupLoader = <K, V>(ctx: DomainContext, fetch: FetchMap<K, V>) =>
  new Loader<K, V[]>(async (keys) => {
    const map = await fetch(ctx, keys);
    return keys.map((key) => map.get(key) ?? []);
  });

export function createLoaders(ctx: DomainContext) {
  // One loader per domain reader and request, whoever asks for it: a credential type's issuer names
  // its readers (issuers/types.ts), and the named loaders below are the same instances, so a
  // configuration read for a credential's field is not read again for the configuration's own.
  const lists = new Map<object, Loader<unknown, unknown>>();
  const groups = new Map<object, Loader<unknown, unknown>>();
  const list = <K, V>(fetch: Fetch<K, V>): Loader<K, V | null> => {
    let loader = lists.get(fetch) as Loader<K, V | null> | undefined;
    if (!loader) lists.set(fetch, (loader = listLoader(ctx, fetch)) as Loader<unknown, unknown>);
    return loader;
  };
  const group = <K, V>(fetch: FetchMap<K, V>): Loader<K, V[]> => {
    let loader = groups.get(fetch) as Loader<K, V[]> | undefined;
    if (!loader) groups.set(fetch, (loader = groupLoader(ctx, fetch)) as Loader<unknown, unknown>);
    return loader;
  };
  return {
    list,
    group,
    attributes: group(attributesOfCredentials),
    events: group(eventsOfCredentials),
    courseCertificate: list(courseCertificatesByIds),
    programCertificate: list(programCertificatesByIds),
    signatoriesOfCourseCertificate: group(signatoriesOfCourseCertificates),
    signatoriesOfProgramCertificate: group(signatoriesOfProgramCertificates),
    signatory: list(signatoriesByIds),
    template: list(templatesByIds),
    asset: list(assetsByIds),
    organization: list(organizationsByIds),
    course: list(coursesByCourseIds),
    program: list(programsByProgramIds),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
