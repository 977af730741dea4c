// npm run build && npx tsx bench/graphql-flood.ts [--concurrency 2] [--aliases 7000] [--no-build]
//
// The attack of issue 13 against the production build: N concurrent anonymous queries of ~930 KB,
// each `credential(uuid: ...) { ... }` aliased 7,000 times, while /healthz is polled. Starts
// `node <start flags> dist/src/main.js` on a fresh SQLite database and prints, per query, its status
// and time; the slowest /healthz answer during the attack; the service's peak RSS; and whether the
// service survived.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const concurrency = Number(option("concurrency", "2"));
const aliases = Number(option("aliases", "7000"));
const root = resolve(import.meta.dirname, "..");
const port = 3911 + Math.floor(Math.random() * 50);
const base = `http://127.0.0.1:${port}`;

/** The query: every alias asks for one (missing) credential with a handful of fields. */
export function aliasFlood(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(`a${i}: credential(uuid: "00000000-0000-4000-8000-${String(i).padStart(12, "0")}") { uuid status title username createdAt attributes { name value } }`);
  }
  return `query Flood { ${parts.join(" ")} }`;
}

function rss(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function main() {
  if (!argv.includes("--no-build")) spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  const start: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start;
  const flags = start.trim().split(/\s+/).slice(1, -1);
  const dir = mkdtempSync(join(tmpdir(), "gql-flood-"));
  // The service's access log (a file: a pipe read by this busy process would slow it) gives its own time per request.
  const logFile = join(dir, "service.log");
  const out = openSync(logFile, "w");
  const child = spawn(process.execPath, [...flags, "dist/src/main.js"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: `file:${join(dir, "db.sqlite")}`, LOG_LEVEL: "info", NODE_ENV: "production" },
    stdio: ["ignore", out, out],
  });
  closeSync(out);
  let exit: string | undefined;
  child.on("exit", (code, signal) => (exit = `exited (code ${code}, signal ${signal})`));
  try {
    for (let i = 0; ; i++) {
      if (exit) throw new Error(`service ${exit}`);
      if (i > 300) throw new Error("service did not start");
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const pid = child.pid!;
    // Warm up (first requests load code and open the database), as a running service would be.
    for (let i = 0; i < 5; i++) {
      await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ branding { platformName } }" }) });
      await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: aliasFlood(50) }) });
    }
    const body = JSON.stringify({ query: aliasFlood(aliases) });
    console.log(`query: ${aliases} aliases, ${(Buffer.byteLength(body) / 1024).toFixed(0)} KB; ${concurrency} at once; RSS before ${rss(pid, "VmRSS").toFixed(0)} MB`);

    let peak = 0;
    let slowestHealth = 0;
    let healthFailures = 0;
    let attacking = true;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid, "VmRSS"))), 20);
    const health = (async () => {
      while (attacking) {
        const t = performance.now();
        try {
          await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(30_000) });
        } catch {
          healthFailures++;
        }
        slowestHealth = Math.max(slowestHealth, performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const t = performance.now();
        try {
          const res = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(120_000) });
          const text = await res.text();
          const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? "-";
          return { status: String(res.status), code, ms: performance.now() - t };
        } catch (error) {
          return { status: `failed: ${(error as Error).cause ?? (error as Error).message}`, code: "-", ms: performance.now() - t };
        }
      }),
    );
    const total = performance.now() - started;
    await new Promise((r) => setTimeout(r, 200));
    attacking = false;
    await health;
    clearInterval(sampler);
    for (const [i, r] of results.entries()) console.log(`  query ${i + 1}: ${r.status} ${r.code} in ${r.ms.toFixed(1)} ms`);
    const served = readFileSync(logFile, "utf8")
      .split("\n")
      .filter((line) => line.includes('"url":"/graphql"') && !line.includes('"statusCode":200'))
      .map((line) => (JSON.parse(line) as { responseTime: number }).responseTime)
      .slice(-concurrency);
    console.log(`service-side time per flood (access log): ${served.map((t) => t.toFixed(1)).join(", ")} ms`);
    console.log(`all answered in ${total.toFixed(1)} ms; slowest /healthz ${slowestHealth.toFixed(1)} ms (${healthFailures} failed)`);
    console.log(`service peak RSS ${peak.toFixed(0)} MB (VmHWM ${rss(pid, "VmHWM").toFixed(0)} MB); service ${exit ?? "still up"}`);
  } finally {
    if (!exit) child.kill("SIGTERM");
    await new Promise((r) => (exit ? r(null) : child.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
