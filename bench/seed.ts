// Seeds a fresh, migrated database with realistic data through the domain itself (the same code the
// service runs): sites, token trust, organizations, catalog courses and a program, signatories, a
// stored template, course/program certificate configurations, and 100,000 credentials with
// attributes issued through the Accreditor's bulk path (issueCredentials, 1,000 per call).
import { mintToken } from "../src/auth/mint.js";
import { type Db, sqlOf } from "../src/db/client.js";
import { issueCredentials } from "../src/domain/credentials/accreditor.js";
import { upsertCourse, upsertProgram } from "../src/domain/configuration/catalog.js";
import { createCapabilities } from "../src/app.js";
import type { Actor, DomainContext } from "../src/domain/kernel/context.js";
import { CredentialEventBus } from "../src/domain/events/bus.js";
import { createCourseCertificate } from "../src/domain/configuration/course-certificates.js";
import { createOrganization } from "../src/domain/configuration/organizations.js";
import { createProgramCertificate } from "../src/domain/configuration/program-certificates.js";
import { createSignatory } from "../src/domain/configuration/signatories.js";
import { configureSiteTrust, getSiteTrust } from "../src/domain/tenancy/site-trust.js";
import type { SecretBox } from "../src/domain/kernel/secrets.js";
import { createSite, ensureDefaultSite, findSiteByDomain } from "../src/domain/tenancy/sites.js";
import { createTemplate } from "../src/domain/rendering/templates.js";

export const SITE = "localhost";
export const OTHER_SITE = "other.example.org";
export const ISSUER = "https://lms.bench.local";
export const HMAC_SECRET = "bench-shared-secret-0123456789abcdef-0123456789";
/** The course with 15,000 credentials (scenario 5). */
export const BIG_COURSE = "course-v1:BenchX+Big101+2024";
/** The course the issue scenarios award (no credentials seeded). */
export const ISSUE_COURSE = "course-v1:BenchX+Issue+2024";
/** The learner whose dashboard is read (scenario 4): DASHBOARD_CREDENTIALS credentials. */
export const DASHBOARD_LEARNER = "dash.learner";
export const DASHBOARD_CREDENTIALS = 60;
/** A learner with 5 credentials: the dashboard's SQL count must not depend on the page size. */
export const SMALL_LEARNER = "small.learner";
export const STAFF = "bench.staff";

export interface SeedOptions {
  total: number;
  bigCourse: number;
  chunk: number;
  log(message: string): void;
  /** Encrypts the sites' HS256 secrets: the service must be started with the same key. */
  secrets: SecretBox;
}

export interface SeedResult {
  siteId: number;
  staffToken: string;
  learnerToken: string;
  smallLearnerToken: string;
  credentials: number;
  seconds: number;
}

const staff: Actor = { username: STAFF, roles: ["system", "admin"], authenticated: true };
const capabilities = createCapabilities(new CredentialEventBus());
const ctxFor = (db: Db, site: DomainContext["site"]): DomainContext => ({ site, actor: staff, db, sql: sqlOf(db), ...capabilities });

const ORGS = [
  { key: "BenchX", name: "Bench University", description: "Where benchmarks are made." },
  { key: "MITx", name: "Massachusetts Institute of Technology" },
  { key: "HarvardX", name: "Harvard University" },
  { key: "edX", name: "edX" },
];

const STORED_TEMPLATE = `<style>.c { font-family: Georgia, serif; text-align: center; } .s { display: inline-block; margin: 1em; }</style>
<article class="c">
  <p>{{ organization.name }}</p>
  <h1>{{ certificate.title }}</h1>
  <p>awarded to <strong>{{ learner.name }}</strong> on {{ credential.issue_date }}</p>
  {% if attributes["course.grade"] %}<p>Grade: {{ attributes["course.grade"] }}</p>{% endif %}
  {% for s in signatories %}<p class="s">{{ s.name }}<br>{{ s.title }}, {{ s.organization }}</p>{% endfor %}
  <img src="{{ qr_code.data_uri }}" alt="QR code for {{ credential.verify_url }}" width="96" height="96">
</article>`;

function grade(i: number): string {
  return (0.6 + ((i * 7919) % 400) / 1000).toFixed(2);
}

function item(username: string, courseId: string, i: number) {
  return {
    credentialType: "course-certificate",
    username,
    courseId,
    certificateType: "verified",
    fullName: `Learner ${i}`,
    email: `${username}@example.org`,
    attributes: [
      { namespace: "course.grade", name: "Final Grade", value: grade(i) },
      { namespace: "course.completion", name: "Completed On", value: "2024-05-01" },
    ],
  };
}

export async function seed(db: Db, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  await ensureDefaultSite(db, { domain: SITE, name: "Credentials" });
  const site = (await findSiteByDomain(db, SITE))!;
  const other = await createSite(db, { domain: OTHER_SITE, name: "Other site" });
  await configureSiteTrust(db, SITE, { issuer: ISSUER, hmacSecret: HMAC_SECRET, algorithms: ["HS256"] }, options.secrets);
  await configureSiteTrust(db, OTHER_SITE, { issuer: ISSUER, hmacSecret: `${HMAC_SECRET}-other`, algorithms: ["HS256"] }, options.secrets);
  const trust = await getSiteTrust(db, site, options.secrets);
  const ttlSeconds = 6 * 3600;
  const staffToken = await mintToken(trust, { username: STAFF, roles: ["system", "admin"], ttlSeconds });
  const learnerToken = await mintToken(trust, { username: DASHBOARD_LEARNER, ttlSeconds });
  const smallLearnerToken = await mintToken(trust, { username: SMALL_LEARNER, ttlSeconds });

  const ctx = ctxFor(db, site);
  const orgs = [];
  for (const o of ORGS) orgs.push(await createOrganization(ctx, o));
  await db.siteConfiguration.update({ where: { siteId: site.id }, data: { platformName: "Bench Learning", lmsUrl: "https://lms.bench.local", copyrightText: "© Bench University" } });
  const signatories = [];
  for (let i = 0; i < 6; i++)
    signatories.push(await createSignatory(ctx, { name: `Signatory ${i}`, title: i % 2 ? "Dean" : "Professor", organizationNameOverride: i === 5 ? "Bench Faculty" : null }));
  // MITx courses render with a stored template (organization pin); the others with the built-in one.
  await createTemplate(ctx, { name: "MITx certificate", organizationId: orgs[1]!.id, content: STORED_TEMPLATE });

  // 200 courses: the big one, the issue target, the rest share the remaining credentials.
  const courses: string[] = [BIG_COURSE, ISSUE_COURSE];
  for (let i = 0; courses.length < 200; i++) courses.push(`course-v1:${ORGS[i % ORGS.length]!.key}+C${String(i).padStart(3, "0")}+2024`);
  for (const [i, courseId] of courses.entries()) {
    const org = courseId.startsWith("course-v1:BenchX") ? orgs[0]! : orgs.find((o) => courseId.startsWith(`course-v1:${o.key}+`))!;
    await upsertCourse(ctx, { courseId, title: `Course ${i}: ${courseId.split(":")[1]}`, organizationId: org.id });
    const pair = [signatories[i % 6]!.id, signatories[(i + 1) % 6]!.id];
    await createCourseCertificate(ctx, { courseId, certificateType: "verified", signatories: pair, title: i % 3 === 0 ? `Verified certificate ${i}` : null });
  }
  await upsertProgram(ctx, { programId: 1, uuid: "5bd0c1a1-6b8f-4b4e-9d31-1f5a0f2c9e10", title: "Bench XSeries", organizationId: orgs[0]!.id, courseIds: courses.slice(2, 5) });
  await createProgramCertificate(ctx, { programId: 1, signatories: [signatories[0]!.id, signatories[3]!.id] });

  // The credentials, generated lazily and issued 1,000 at a time through the Accreditor.
  const regular = courses.slice(2);
  function* items() {
    let n = 0;
    for (let i = 0; i < options.bigCourse; i++) yield item(`big-${i}`, BIG_COURSE, n++);
    for (let i = 0; i < DASHBOARD_CREDENTIALS; i++) yield item(DASHBOARD_LEARNER, regular[i]!, n++);
    for (let i = 0; i < 5; i++) yield item(SMALL_LEARNER, regular[i]!, n++);
    for (let i = 0; i < 1000; i++)
      yield { credentialType: "program-certificate", username: `prog-${i}`, programId: 1, attributes: [{ namespace: "program.grade", name: "Final Grade", value: grade(i) }] };
    n += 1000;
    for (let i = 0; n < options.total; i++) yield item(`learner-${i}`, regular[i % regular.length]!, n++);
  }
  let batch: unknown[] = [];
  let issued = 0;
  const flush = async () => {
    const results = await issueCredentials(ctx, batch);
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`seeding: ${failed.length} items failed, e.g. ${JSON.stringify(failed[0])}`);
    issued += batch.length;
    batch = [];
    if (issued % 20_000 === 0) options.log(`  ${issued} credentials (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };
  for (const it of items()) {
    batch.push(it);
    if (batch.length === options.chunk) await flush();
  }
  if (batch.length) await flush();

  // The other site: a few credentials, so every query has another tenant's rows to skip.
  const otherCtx = ctxFor(db, other);
  await upsertCourse(otherCtx, { courseId: BIG_COURSE, title: "Other site's course" });
  await createCourseCertificate(otherCtx, { courseId: BIG_COURSE, certificateType: "verified" });
  await issueCredentials(
    otherCtx,
    Array.from({ length: 1000 }, (_, i) => item(`other-${i}`, BIG_COURSE, i)),
  );

  return { siteId: site.id, staffToken, learnerToken, smallLearnerToken, credentials: issued, seconds: (performance.now() - started) / 1000 };
}
