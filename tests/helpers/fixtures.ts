// Tiny builders for the Accreditor's tests: sites and certificate configurations written straight
// with Prisma (no dependency on the configuration modules), and a domain context whose clock and
// event bus the test controls.
import { randomBytes } from "node:crypto";
import { type Db, sqlOf } from "../../src/db/client.js";
import type { Sql, SqlParams, SqlRunner } from "../../src/db/sql.js";
import type { AccreditorContext } from "../../src/domain/credentials/accreditor.js";
import { type PublishedCredentialEvent, randomIds } from "../../src/domain/kernel/capabilities.js";
import { CredentialEventBus } from "../../src/domain/events/bus.js";
import type { Site } from "../../src/domain/tenancy/sites.js";
import { TestClock, testCapabilities } from "./capabilities.js";

export async function makeSite(db: Db, domain = `site-${randomBytes(4).toString("hex")}.example.org`): Promise<Site> {
  return db.site.create({ data: { domain, name: domain } });
}

export async function makeCourseCertificate(db: Db, siteId: number, options: { courseId?: string; certificateType?: "honor" | "verified" | "professional"; isActive?: boolean } = {}) {
  return db.courseCertificate.create({
    data: { siteId, courseId: options.courseId ?? "course-v1:edX+DemoX+Demo", certificateType: options.certificateType ?? "verified", isActive: options.isActive ?? true },
  });
}

export async function makeProgramCertificate(db: Db, siteId: number, options: { programId?: number; isActive?: boolean } = {}) {
  const programId = options.programId ?? 1;
  return db.programCertificate.create({ data: { siteId, programId, programUuid: randomIds.uuid(), isActive: options.isActive ?? true } });
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
  return {
    site,
    actor: { username: "grader", roles: ["admin"], authenticated: true },
    db,
    sql: sqlOf(db),
    ...testCapabilities({ clock: new TestClock(), events }),
    published,
    ...overrides,
  } as TestContext;
}

/**
 * The plain-SQL runner of `sql`, in which a statement for which `fail` returns an error throws it
 * instead of running, and that reports each COMMIT: lets a test make a statement fail
 * mid-transaction or observe commits.
 */
export function instrumentedSql(sql: Sql, options: { fail?: (statement: string, params: SqlParams) => Error | undefined; onCommit?: () => void } = {}): Sql {
  const check = (statement: string, params: SqlParams) => {
    const error = options.fail?.(statement, params);
    if (error) throw error;
  };
  const wrap = (runner: SqlRunner): SqlRunner => ({
    provider: runner.provider,
    changes: runner.changes,
    async all<T extends object>(statement: string, params: SqlParams = []) {
      check(statement, params);
      return runner.all<T>(statement, params);
    },
    async get<T extends object>(statement: string, params: SqlParams = []) {
      check(statement, params);
      return runner.get<T>(statement, params);
    },
    async run(statement: string, params: SqlParams = []) {
      check(statement, params);
      return runner.run(statement, params);
    },
    async values(statement: string, params: SqlParams = []) {
      check(statement, params);
      return runner.values(statement, params);
    },
  });
  return {
    ...wrap(sql),
    async transaction<T>(work: (tx: SqlRunner) => Promise<T>) {
      const result = await sql.transaction((tx) => work(wrap(tx)));
      options.onCommit?.();
      return result;
    },
  };
}

/** A `fail` for instrumentedSql: statements starting with `prefix` (and matching `when`) throw `error`. */
export function failing(prefix: string, error: () => Error, when: (params: SqlParams) => boolean = () => true) {
  return (statement: string, params: SqlParams): Error | undefined => (statement.startsWith(prefix) && when(params) ? error() : undefined);
}
