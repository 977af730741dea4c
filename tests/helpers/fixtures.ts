// Tiny builders for the Accreditor's tests: sites and certificate configurations written straight
// with Prisma (no dependency on the configuration modules), and a domain context whose clock and
// event bus the test controls.
import { randomBytes } from "node:crypto";
import type { Db } from "../../src/db/client.js";
import type { AccreditorContext } from "../../src/domain/accreditor.js";
import { randomUuid } from "../../src/domain/context.js";
import { CredentialEventBus, type PublishedCredentialEvent } from "../../src/domain/events.js";
import type { Site } from "../../src/domain/sites.js";

export class TestClock {
  constructor(public current = new Date("2024-05-01T12:00:00.000Z")) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export async function makeSite(db: Db, domain = `site-${randomBytes(4).toString("hex")}.example.org`): Promise<Site> {
  return db.site.create({ data: { domain, name: domain } });
}

export async function makeCourseCertificate(
  db: Db,
  siteId: number,
  options: { courseId?: string; certificateType?: "honor" | "verified" | "professional"; isActive?: boolean } = {},
) {
  return db.courseCertificate.create({
    data: { siteId, courseId: options.courseId ?? "course-v1:edX+DemoX+Demo", certificateType: options.certificateType ?? "verified", isActive: options.isActive ?? true },
  });
}

export async function makeProgramCertificate(db: Db, siteId: number, options: { programId?: number; isActive?: boolean } = {}) {
  const programId = options.programId ?? 1;
  return db.programCertificate.create({ data: { siteId, programId, programUuid: randomUuid(), isActive: options.isActive ?? true } });
}

export interface TestContext extends AccreditorContext {
  clock: TestClock;
  events: CredentialEventBus;
  /** Every event the context's bus published, in order. */
  published: PublishedCredentialEvent[];
}

/** A context on `site` with a test clock and its own event bus that records what it publishes. */
export function makeContext(db: Db, site: Site, overrides: Partial<AccreditorContext> = {}): TestContext {
  const events = new CredentialEventBus({ error: () => {} });
  const published: PublishedCredentialEvent[] = [];
  events.subscribe((e) => {
    published.push(e);
  });
  return { site, actor: { username: "grader", roles: ["admin"], authenticated: true }, db, clock: new TestClock(), uuid: randomUuid, events, published, ...overrides } as TestContext;
}

/**
 * A Db whose interactive transactions see `patch(tx)` instead of the real transaction client, and
 * that reports each COMMIT: lets a test make a statement fail mid-transaction or observe commits.
 */
export function instrumentedDb(db: Db, options: { patch?: (tx: object) => object; onCommit?: () => void } = {}): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "$transaction") return Reflect.get(target, property, receiver);
      return async (work: (tx: unknown) => Promise<unknown>, txOptions?: object) => {
        const result = await target.$transaction((tx) => work(options.patch ? options.patch(tx) : tx), txOptions);
        options.onCommit?.();
        return result;
      };
    },
  }) as Db;
}

/** A transaction client in which `model.method` throws `error`. */
export function failing(model: string, method: string, error: () => Error, when: (args: unknown) => boolean = () => true) {
  return (tx: object): object =>
    new Proxy(tx, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== model) return value;
        return new Proxy(value as object, {
          get(m, p, r) {
            const fn = Reflect.get(m, p, r);
            if (p !== method) return fn;
            return (args: unknown) => {
              if (when(args)) throw error();
              return (fn as (a: unknown) => unknown).call(m, args);
            };
          },
        });
      },
    });
}
