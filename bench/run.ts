// npm run bench [-- --db sqlite|postgres] [--duration 10] [--rounds 2] [--connections 10] [--total 100000]
//                [--no-build] [--only name,name] [--cpu-prof] [--out bench/results]
//
// Builds the production service, seeds a fresh database through the domain (bulk path), starts the
// service (node dist/src/main.js, with the node flags of package.json's start script) and the floor
// (bench/floor.ts) as child processes on loopback, and drives each scenario with autocannon against
// both with the same settings, in alternating rounds (service, floor, then floor, service, ...) so
// that a machine that speeds up or slows down during a scenario favours neither.
// Prints a Markdown table and writes it to bench/results/<date>-<db>.md.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { buildApp } from "../src/app.js";
import { parseDatabaseUrl } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { SecretBox } from "../src/domain/kernel/secrets.js";
import { combine, type Measured, drive as driveWith } from "./measure.js";
import { BIG_COURSE, DASHBOARD_LEARNER, ISSUE_COURSE, seed, type SeedResult } from "./seed.js";

// ---- options ----------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const dbKind = option("db", "sqlite") === "postgres" ? "postgres" : "sqlite";
const duration = Number(option("duration", "10"));
/** Each side's `duration` is split into this many rounds, in alternating order. */
const rounds = Math.max(1, Number(option("rounds", "2")));
const warmup = Number(option("warmup", "2"));
const connections = Number(option("connections", "10"));
const total = Number(option("total", "100000"));
const bigCourse = Number(option("big-course", "15000"));
const only = option("only", "").split(",").filter(Boolean);
const cpuProf = flag("cpu-prof");
const outDir = resolve(option("out", "bench/results"));
const servicePort = 3901;
const floorPort = 3902;
const root = resolve(import.meta.dirname, "..");
const log = (message: string) => process.stdout.write(`${message}\n`);

/**
 * The service's node flags, read from package.json's `start` script (`node <flags> dist/src/main.js`,
 * the README's start command; the Dockerfile's CMD repeats it and a test keeps the two equal), so the
 * benchmark measures the process exactly as it is started in production (e.g. its V8 heap limits).
 */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start;
  const words = start.trim().split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "dist/src/main.js") throw new Error(`package.json scripts.start is not "node <flags> dist/src/main.js": ${start}`);
  return words.slice(1, -1);
}

// ---- processes --------------------------------------------------------------------------------

const children: ChildProcess[] = [];
let cleanupDb: () => Promise<void> = async () => {};
async function cleanup() {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, "SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await cleanupDb();
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

function start(name: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  // Straight to a file: a pipe read by this process (busy running autocannon) would make the
  // service's synchronous log writes wait for it.
  const out = openSync(logFile, "w");
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, out] });
  closeSync(out);
  child.on("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM" && code !== null) log(`  ${name} exited with ${code} (log: ${logFile})`);
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** Peak resident memory of a process: VmHWM (kernel's high-water mark) and the highest VmRSS polled. */
class RssSampler {
  peakRss = 0;
  #timer: NodeJS.Timeout;
  constructor(readonly pid: number) {
    this.#timer = setInterval(() => (this.peakRss = Math.max(this.peakRss, this.read("VmRSS"))), 100);
  }
  read(field: "VmRSS" | "VmHWM"): number {
    try {
      const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${this.pid}/status`, "utf8"));
      return m ? Number(m[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }
  reset() {
    this.peakRss = this.read("VmRSS");
  }
  stop() {
    clearInterval(this.#timer);
  }
}

// ---- scenarios --------------------------------------------------------------------------------

interface Context {
  seeded: SeedResult;
  uuids: string[];
}
interface Scenario {
  name: string;
  title: string;
  requests(ctx: Context, who: "svc" | "floor"): autocannon.Request[];
}

const json = { "content-type": "application/json" };
let counter = 0;
const runId = Date.now().toString(36);
const cycle = <T>(list: T[]) => {
  let i = 0;
  return () => list[i++ % list.length]!;
};

const ISSUE_MUTATION = `mutation Issue($input: IssueCredentialInput!) { issueCredential(input: $input) { created credential { uuid status } } }`;
const DASHBOARD_QUERY = `query Dashboard($first: Int) {
  credentials(first: $first) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes {
      uuid status title
      attributes { namespace name value }
      configuration { ... on CourseCertificate { certificateType courseId signatories { name title } } }
    }
  }
}`;

const scenarios: Scenario[] = [
  {
    name: "issue-rest",
    title: "1. issue (REST POST /api/v1/user-credentials/, new learner each)",
    requests: ({ seeded }, who) => [
      {
        method: "POST",
        path: "/api/v1/user-credentials/",
        headers: { ...json, authorization: `Bearer ${seeded.staffToken}` },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            username: `${who}-rest-${runId}-${++counter}`,
            course_id: ISSUE_COURSE,
            certificate_type: "verified",
            attributes: [{ namespace: "course.grade", name: "Final Grade", value: "0.87" }],
          }),
        }),
      },
    ],
  },
  {
    name: "issue-graphql",
    title: "2. issue (GraphQL issueCredential, new learner each)",
    requests: ({ seeded }, who) => [
      {
        method: "POST",
        path: "/graphql",
        headers: { ...json, authorization: `Bearer ${seeded.staffToken}` },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            query: ISSUE_MUTATION,
            variables: {
              input: {
                credentialType: "course-certificate",
                username: `${who}-gql-${runId}-${++counter}`,
                courseId: ISSUE_COURSE,
                certificateType: "verified",
                attributes: [{ namespace: "course.grade", name: "Final Grade", value: "0.91" }],
              },
            },
          }),
        }),
      },
    ],
  },
  {
    name: "public-read",
    title: "3. public read (GET /api/v1/credentials/:uuid, 2,000 uuids)",
    requests: ({ uuids }) => {
      const next = cycle(uuids);
      return [{ method: "GET", path: "/api/v1/credentials/x", setupRequest: (req) => ({ ...req, path: `/api/v1/credentials/${next()}` }) }];
    },
  },
  {
    name: "dashboard",
    title: "4. learner dashboard (GraphQL, 50 credentials + attributes, configuration, signatories)",
    requests: ({ seeded }) => [
      { method: "POST", path: "/graphql", headers: { ...json, authorization: `Bearer ${seeded.learnerToken}` }, body: JSON.stringify({ query: DASHBOARD_QUERY, variables: { first: 50 } }) },
    ],
  },
  {
    name: "course-list",
    title: "5. course credentials (GET /api/v1/courses/:id/credentials/, 150 pages of 100)",
    requests: ({ seeded }) => {
      const pages = Math.ceil(bigCourse / 100);
      let page = 0;
      return [
        {
          method: "GET",
          path: "/",
          headers: { authorization: `Bearer ${seeded.staffToken}` },
          setupRequest: (req) => ({ ...req, path: `/api/v1/courses/${BIG_COURSE}/credentials/?page=${(page++ % pages) + 1}&page_size=100` }),
        },
      ];
    },
  },
  {
    name: "certificate-page",
    title: "6. certificate page (GET /credentials/:uuid, rendered HTML)",
    requests: ({ uuids }) => {
      const next = cycle(uuids);
      return [{ method: "GET", path: "/credentials/x", setupRequest: (req) => ({ ...req, path: `/credentials/${next()}` }) }];
    },
  },
];

// ---- main -------------------------------------------------------------------------------------

function machine() {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  return { cores: cpus().length, model, node: process.version };
}

async function freshDatabaseUrl(): Promise<string> {
  if (dbKind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "credentials-bench-"));
    cleanupDb = async () => rmSync(dir, { recursive: true, force: true });
    return `file:${join(dir, "bench.db")}`;
  }
  const base = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `credentials_bench_${runId}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  cleanupDb = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  };
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

interface StatementCounts {
  fifty: number;
  five: number;
}

/**
 * SQL statements the dashboard query costs in-process, for a learner with 50 and with 5 credentials:
 * `cold` with the configuration cache emptied first (what a page costs when nothing is cached),
 * `warm` right after the same query (what the benchmark's repeated requests cost).
 */
async function dashboardStatements(url: string, seeded: SeedResult, secrets: SecretBox): Promise<{ cold: StatementCounts; warm: StatementCounts }> {
  let count = 0;
  const database = await openDatabase(parseDatabaseUrl(url), { onQuery: () => () => void count++ });
  const app = await buildApp({ config: { logLevel: "silent", trustProxy: false, bodyLimitBytes: 1 << 20 }, database, secrets, logger: false });
  const run = async (token: string) => {
    count = 0;
    const response = await app.inject({
      method: "POST",
      url: "/graphql",
      headers: { host: "localhost", authorization: `Bearer ${token}`, ...json },
      payload: { query: DASHBOARD_QUERY, variables: { first: 50 } },
    });
    if (response.statusCode !== 200 || response.json().errors) throw new Error(`dashboard query failed: ${response.body.slice(0, 300)}`);
    return count;
  };
  await run(seeded.learnerToken); // fills the per-process site/trust cache: not counted
  const counts = async (cold: boolean): Promise<StatementCounts> => {
    const measure = async (token: string) => {
      if (cold) database.sql.changes.changed();
      else await run(token);
      return run(token);
    };
    return { fifty: await measure(seeded.learnerToken), five: await measure(seeded.smallLearnerToken) };
  };
  const cold = await counts(true);
  const warm = await counts(false);
  await app.close();
  await database.close();
  return { cold, warm };
}

async function main() {
  const started = performance.now();
  const m = machine();
  const command = `npm run bench${argv.length ? ` -- ${argv.join(" ")}` : ""}`;
  log(`# credentials benchmark (${dbKind}); ${m.cores} cores, ${m.model}, Node ${m.node}`);
  mkdirSync(outDir, { recursive: true });
  const logDir = mkdtempSync(join(tmpdir(), "credentials-bench-logs-"));

  if (!flag("no-build")) {
    log("build: npm run build");
    const built = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }

  const url = await freshDatabaseUrl();
  log(`seed: ${total.toLocaleString("en")} credentials (${bigCourse.toLocaleString("en")} in ${BIG_COURSE}) through issueCredentials, 1,000 per call`);
  const config = parseDatabaseUrl(url);
  await migrate(config);
  const database = await openDatabase(config);
  // One secrets key for the run: the seed encrypts the sites' secrets with it, the service reads them.
  const secretsKey = randomBytes(32);
  const secrets = new SecretBox(secretsKey);
  const seeded = await seed(database.prisma, { total, bigCourse, chunk: 1000, log, secrets });
  const sample = await database.prisma.userCredential.findMany({ where: { siteId: seeded.siteId, credentialType: "course-certificate" }, select: { uuid: true }, orderBy: { id: "asc" } });
  const uuids = Array.from({ length: 2000 }, (_, i) => sample[Math.floor((i * 7919 * 13) % sample.length)]!.uuid);
  // Planner statistics, as a database in service has them (autovacuum would get there later; right
  // after a bulk load PostgreSQL plans the dashboard's queries with the empty tables' estimates).
  // SQLite is left without: the service's queries are written for SQLite's no-statistics planner.
  if (dbKind === "postgres") await database.sql.run("ANALYZE");
  await database.close();
  log(`seeded in ${seeded.seconds.toFixed(1)} s`);
  const statements = await dashboardStatements(url, seeded, secrets);
  const statementLine = `${statements.cold.fifty} SQL statements for 50 credentials, ${statements.cold.five} for 5 with nothing cached; ${statements.warm.fifty} and ${statements.warm.five} with configurations cached, as in the runs`;
  log(`dashboard query: ${statementLine}`);

  const profDir = join(outDir, "profiles");
  if (cpuProf) mkdirSync(profDir, { recursive: true });
  const serviceFlags = startFlags();
  const service = start(
    "service",
    [...serviceFlags, ...(cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []), "dist/src/main.js"],
    {
      PORT: String(servicePort),
      HOST: "127.0.0.1",
      DATABASE_URL: url,
      SECRETS_KEY: secretsKey.toString("base64"),
      NODE_ENV: "production",
      // One client sends every request: the budgets are counted (their cost is measured) but never reached.
      RATE_LIMIT_READ_MAX: "10000000",
      RATE_LIMIT_WRITE_MAX: "10000000",
    },
    join(logDir, "service.log"),
  );
  const floor = start(
    "floor",
    ["--import", "tsx", "bench/floor.ts"],
    { PORT: String(floorPort), DATABASE_URL: url, SITE: "localhost", SECRETS_KEY: secretsKey.toString("base64") },
    join(logDir, "floor.log"),
  );
  await Promise.all([waitFor(`http://127.0.0.1:${servicePort}/healthz`, service), waitFor(`http://127.0.0.1:${floorPort}/`, floor)]);
  const rss = new RssSampler(service.pid!);

  const ctx: Context = { seeded, uuids };
  const rows: { scenario: Scenario; svc: Measured; floor: Measured; peakRss: number }[] = [];
  for (const scenario of scenarios.filter((s) => only.length === 0 || only.includes(s.name))) {
    log(`\n${scenario.title}`);
    for (const port of [servicePort, floorPort]) if (warmup > 0) await driveWith(connections, port, scenario.requests(ctx, port === servicePort ? "svc" : "floor"), warmup);
    rss.reset();
    const svcRounds: Measured[] = [];
    const floorRounds: Measured[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (["svc", "floor"] as const) : (["floor", "svc"] as const);
      for (const who of order) {
        const measured = await driveWith(connections, who === "svc" ? servicePort : floorPort, scenario.requests(ctx, who), duration / rounds);
        (who === "svc" ? svcRounds : floorRounds).push(measured);
      }
    }
    const peakRss = Math.max(rss.peakRss, rss.read("VmRSS"));
    const svc = combine(svcRounds);
    const fl = combine(floorRounds);
    log(
      `  service ${svc.rps.toFixed(0)} req/s p50 ${svc.p50} ms p99 ${svc.p99} ms non-2xx ${svc.non2xx} errors ${svc.errors} | floor ${fl.rps.toFixed(0)} req/s p99 ${fl.p99} ms non-2xx ${fl.non2xx} | RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
    );
    rows.push({ scenario, svc, floor: fl, peakRss });
  }
  const hwm = rss.read("VmHWM");
  rss.stop();
  await cleanup();

  // ---- report ----
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)}`;
  const pct = (r: number) => `${(r * 100).toFixed(0)}%`;
  const table = [
    "| scenario | service req/s | p50 / p99 ms | non-2xx / errors | floor req/s | floor p50 / p99 ms | service / floor | service peak RSS MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      ({ scenario, svc, floor: f, peakRss }) =>
        `| ${scenario.title} | ${svc.rps.toFixed(0)} | ${svc.p50} / ${svc.p99} | ${svc.non2xx} / ${svc.errors} | ${f.rps.toFixed(0)} | ${f.p50} / ${f.p99} | ${pct(svc.rps / f.rps)} | ${mb(peakRss)} |`,
    ),
  ].join("\n");
  const by = (name: string) => rows.find((r) => r.scenario.name === name);
  const goal = (label: string, ok: boolean | undefined, detail: string) => `- ${ok === undefined ? "not run" : ok ? "met" : "**not met**"}: ${label} (${detail})`;
  const ratio = (name: string) => (by(name) ? by(name)!.svc.rps / by(name)!.floor.rps : NaN);
  const goals = [
    goal("issue (REST) ≥ 50% of the floor", by("issue-rest") && ratio("issue-rest") >= 0.5, pct(ratio("issue-rest"))),
    goal("public read ≥ 70% of the floor", by("public-read") && ratio("public-read") >= 0.7, pct(ratio("public-read"))),
    goal("certificate page ≥ 70% of the floor", by("certificate-page") && ratio("certificate-page") >= 0.7, pct(ratio("certificate-page"))),
    goal("dashboard p99 < 50 ms at 10 connections", by("dashboard") && by("dashboard")!.svc.p99 < 50, `${by("dashboard")?.svc.p99 ?? "-"} ms`),
    goal(
      "dashboard: constant SQL statements",
      statements.cold.fifty === statements.cold.five && statements.warm.fifty === statements.warm.five,
      `${statements.cold.fifty} for 50 credentials, ${statements.cold.five} for 5; cached: ${statements.warm.fifty} and ${statements.warm.five}`,
    ),
    goal(
      "no errors (non-2xx or socket errors) in any service scenario",
      rows.every((r) => r.svc.non2xx === 0 && r.svc.errors === 0),
      rows.map((r) => r.svc.non2xx + r.svc.errors).join(", "),
    ),
    // A floor that answers errors (e.g. a token it cannot check) is fast for the wrong reason: no ratio against it means anything.
    goal(
      "no errors in any floor scenario (the ratios compare like with like)",
      rows.every((r) => r.floor.non2xx === 0 && r.floor.errors === 0),
      rows.map((r) => r.floor.non2xx + r.floor.errors).join(", "),
    ),
    goal("peak RSS < 300 MB", hwm < 300 * 2 ** 20, `VmHWM ${mb(hwm)} MB over the whole run`),
  ].join("\n");
  const date = new Date().toISOString().slice(0, 10);
  const report = `# Benchmark ${date} (${dbKind === "postgres" ? "PostgreSQL" : "SQLite"})

Command: \`${command}\`
Machine: ${m.cores} cores, ${m.model}, Node ${m.node}, ${dbKind === "postgres" ? "PostgreSQL on 127.0.0.1:5432" : "SQLite (WAL) file"}.
Load: autocannon, ${connections} connections, ${duration} s per scenario and side after ${warmup} s warm-up, in ${rounds} alternating round${rounds > 1 ? "s" : ""} (service then floor, then floor then service; same settings, same data; req/s and p50 the rounds' mean, p99 the worst round's), loopback only.
Data: ${seeded.credentials.toLocaleString("en")} credentials on the benchmarked site (2 attributes each; ${bigCourse.toLocaleString("en")} in one course; learner "${DASHBOARD_LEARNER}" holds 60), 200 courses, 4 organizations, 6 signatories, 1 stored template, 1 program, a second site with 1,000 more; seeded through \`issueCredentials\` in ${seeded.seconds.toFixed(1)} s.
The service: \`node ${serviceFlags.join(" ")} dist/src/main.js\` (package.json's start command; production build, LOG_LEVEL=${process.env.LOG_LEVEL ?? "info"}, rate limits counted in memory with budgets out of reach${cpuProf ? ", --cpu-prof" : ""}). The floor: \`bench/floor.ts\` (node:http + ${dbKind === "postgres" ? "pg" : "better-sqlite3 prepared statements"}, no framework/ORM/validation).

${table}

Dashboard query: ${statementLine} (in-process count).
Service peak RSS over the whole run (VmHWM): ${mb(hwm)} MB. Total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s.

Goals:
${goals}
`;
  const file = join(outDir, `${date}-${dbKind === "postgres" ? "postgres" : "sqlite"}.md`);
  writeFileSync(file, report);
  log(`\n${report}\nwritten to ${file}`);
  rmSync(logDir, { recursive: true, force: true });
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanup().catch(() => {});
  process.exit(1);
});
