// The event bus on its own, the transaction retry rule against real database errors (a unique
// violation; on PostgreSQL a real deadlock), and the bulk path's round-trip budget.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Db, sqlOf } from "../../src/db/client.js";
import { issueCredentials } from "../../src/domain/credentials/accreditor.js";
import { CredentialEventBus } from "../../src/domain/events/bus.js";
import type { PublishedCredentialEvent } from "../../src/domain/kernel/capabilities.js";
import { isRetryableTransactionError, retryingSqlTransaction } from "../../src/domain/kernel/transactions.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";
import { makeContext, makeCourseCertificate, makeSite } from "../helpers/fixtures.js";

const fakeEvent = (id: number) => ({ siteId: 1, event: { id, type: "awarded" }, credential: { id: 1 } }) as unknown as PublishedCredentialEvent;

describe("CredentialEventBus", () => {
  it("calls subscribers in order, stops after unsubscribe, and logs failing subscribers without throwing", async () => {
    const logger = { error: vi.fn() };
    const bus = new CredentialEventBus(logger);
    const calls: string[] = [];
    const unsubscribe = bus.subscribe((e) => {
      calls.push(`a${e.event.id}`);
    });
    bus.subscribe(() => {
      throw new Error("sync");
    });
    bus.subscribe(async () => {
      throw new Error("async");
    });
    bus.subscribe((e) => {
      calls.push(`b${e.event.id}`);
    });
    expect(() => bus.publish([fakeEvent(1), fakeEvent(2)])).not.toThrow();
    unsubscribe();
    bus.publish([fakeEvent(3)]);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(["a1", "b1", "a2", "b2", "b3"]);
    expect(logger.error).toHaveBeenCalledTimes(6);
    expect(logger.error.mock.calls[0]![0]).toMatchObject({ eventId: 1, err: expect.any(Error) });
  });
});

describe(`transactions and batching on ${providerUnderTest}`, () => {
  let t: TestDatabase;
  let db: Db;
  let listener: ((sql: string) => void) | undefined;
  beforeAll(async () => {
    t = await migratedDatabase({ onQuery: () => listener });
    db = t.database.prisma;
  });
  afterAll(() => t.drop());

  it("treats a unique violation as retryable and other errors as not", async () => {
    await makeSite(db, "dup.example.org");
    const error = await db.site.create({ data: { domain: "dup.example.org", name: "x" } }).catch((e) => e);
    expect(isRetryableTransactionError(error)).toBe(true);
    // The same violation raised by plain SQL (the Accreditor's path): the driver's own error code.
    const now = new Date();
    const raw = await sqlOf(db)
      .run(`INSERT INTO "Site" ("domain", "name", "createdAt", "updatedAt") VALUES (?, ?, ?, ?)`, ["dup.example.org", "x", now, now])
      .catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(Error);
    expect(isRetryableTransactionError(raw)).toBe(true);
    expect(isRetryableTransactionError(new Error("nope"))).toBe(false);
    let attempts = 0;
    await expect(
      retryingSqlTransaction(sqlOf(db), async () => {
        attempts++;
        throw new Error("not retryable");
      }),
    ).rejects.toThrow("not retryable");
    expect(attempts).toBe(1);
  });

  it.runIf(providerUnderTest === "postgresql")("recognises a PostgreSQL deadlock and gets past it by retrying the whole transaction", async () => {
    const a = await makeSite(db);
    const b = await makeSite(db);
    const crossUpdate = (tries: number) => {
      let arrived = 0;
      let release!: () => void;
      const both = new Promise<void>((r) => (release = r));
      let attempts = 0;
      const run = (first: number, second: number) =>
        retryingSqlTransaction(
          sqlOf(db),
          async (tx) => {
            attempts++;
            await tx.run(`UPDATE "Site" SET "name" = ? WHERE "id" = ?`, [`locked by ${first}`, first]);
            if (++arrived === 2) release();
            await Promise.race([both, new Promise((r) => setTimeout(r, 3000))]);
            await tx.run(`UPDATE "Site" SET "name" = ? WHERE "id" = ?`, [`then ${second}`, second]);
          },
          { tries },
        );
      return { results: Promise.allSettled([run(a.id, b.id), run(b.id, a.id)]), attempts: () => attempts };
    };
    const once = crossUpdate(1);
    const settled = await once.results;
    const rejected = settled.filter((s) => s.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(isRetryableTransactionError((rejected[0] as PromiseRejectedResult).reason)).toBe(true);

    const retried = crossUpdate(5);
    expect((await retried.results).map((s) => s.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(retried.attempts()).toBe(3);
  });

  it("writes a bulk of 400 in a few statements, not hundreds", async () => {
    const site = await makeSite(db);
    await makeCourseCertificate(db, site.id);
    const ctx = makeContext(db, site);
    const inputs = Array.from({ length: 400 }, (_, i) => ({
      credentialType: "course-certificate",
      courseId: "course-v1:edX+DemoX+Demo",
      certificateType: "verified",
      username: `u${i}`,
      fullName: `User ${i}`,
      attributes: [{ namespace: "course", name: "grade", value: "0.5" }],
    }));
    let count = 0;
    listener = () => count++;
    try {
      const results = await issueCredentials(ctx, inputs);
      expect(results.every((r) => r.ok && r.created)).toBe(true);
    } finally {
      listener = undefined;
    }
    // 1 configuration lookup + 2 chunks x (find, insert credentials, insert attributes, find users,
    // insert users, insert events) plus BEGIN/COMMIT where the adapter reports them.
    console.info(`[${providerUnderTest}] bulk of 400: ${count} SQL statements`);
    expect(count).toBeLessThanOrEqual(25);
    expect(ctx.published).toHaveLength(400);
  });
});
