// Prisma 7 caches compiled query plans (on by default). This measures one findFirst by unique key
// through the app's adapter wrapper on SQLite, with the cache at its default size and switched off
// (queryPlanCacheMaxSize: 0, i.e. Prisma 6.19's behaviour). Usage: npx tsx bench/plan-cache.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { wrapAdapterFactory } from "../src/db/adapter.js";
import { Mutex } from "../src/db/mutex.js";
import { ChangeCounter } from "../src/db/changes.js";
import { migrate } from "../src/db/migrate.js";
import { PrismaClient } from "../src/db/generated/sqlite/client.js";

const dir = mkdtempSync(join(tmpdir(), "plancache-"));
const file = join(dir, "db.sqlite");
await migrate({ provider: "sqlite", url: `file:${file}`, file });
const seed = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file }) });
const site = await seed.site.create({ data: { domain: "a.example", name: "A" } });
await seed.userCredential.createMany({
  data: Array.from({ length: 2000 }, (_, i) => ({ uuid: `u${i}`, siteId: site.id, credentialType: "course-certificate", configurationId: 1, username: `user${i}` })),
});
await seed.$disconnect();

for (const size of [undefined, 0]) {
  const p = new PrismaClient({
    adapter: wrapAdapterFactory(new PrismaBetterSqlite3({ url: file }), { mutex: new Mutex(), changes: new ChangeCounter() }),
    ...(size === undefined ? {} : { queryPlanCacheMaxSize: size }),
  });
  await p.userCredential.findFirst({ where: { uuid: "u1" } });
  const results: string[] = [];
  for (const _round of [1, 2]) {
    const t = performance.now();
    let n = 0;
    while (performance.now() - t < 2000) {
      await p.userCredential.findFirst({ where: { uuid: `u${n % 2000}`, siteId: site.id } });
      n++;
    }
    results.push((n / 2).toFixed(0));
  }
  console.log(`queryPlanCacheMaxSize=${size ?? "default"}: findFirst by uuid ${results.join(", ")} /s`);
  await p.$disconnect();
}
rmSync(dir, { recursive: true, force: true });
