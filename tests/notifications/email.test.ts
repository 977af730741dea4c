// The award email channel (src/domain/notifications/email/): plan() decides which committed events
// need an email, send() renders the site's MJML template and hands it to a real SMTP server started
// here (or writes an .eml file without one). The outbox is played by the test: it reads undispatched
// events, calls plan() in a transaction, writes the Delivery rows and calls send() for each.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Db, sqlOf } from "../../src/db/client.js";
import type { Sql } from "../../src/db/sql.js";
import { issueCredential, reawardCredential, revokeCredential } from "../../src/domain/credentials/accreditor.js";
import { getCredentialById } from "../../src/domain/credentials/queries.js";
import { DeliveryFailure, type DeliveryJob, type PlannedDelivery } from "../../src/domain/events/channels.js";
import { updateBranding } from "../../src/domain/rendering/branding.js";
import { type EmailChannel, emailChannel, EVENT_ID_HEADER } from "../../src/domain/notifications/email/channel.js";
import { updateAwardEmailSettings } from "../../src/domain/notifications/email/settings.js";
import type { Site } from "../../src/domain/tenancy/sites.js";
import { migratedDatabase, providerUnderTest, type TestDatabase } from "../helpers/db.js";
import { makeContext, makeCourseCertificate, makeSite, type TestContext } from "../helpers/fixtures.js";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.js";

const COURSE = "course-v1:edX+DemoX+Demo";

describe(`the award email on ${providerUnderTest}`, () => {
  let t: TestDatabase;
  let db: Db;
  let sql: Sql;
  let smtp: TestSmtpServer;
  let emlDir: string;
  let site: Site;
  let ctx: TestContext;
  let channel: EmailChannel;

  beforeAll(async () => {
    t = await migratedDatabase();
    db = t.database.prisma;
    sql = sqlOf(db);
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
    await t.drop();
  });

  beforeEach(async () => {
    site = await makeSite(db);
    ctx = makeContext(db, site);
    await db.course.create({ data: { siteId: site.id, courseId: COURSE, title: "Demonstration Course" } });
    await makeCourseCertificate(db, site.id, { courseId: COURSE });
    emlDir = mkdtempSync(join(tmpdir(), "credentials-eml-"));
    channel = emailChannel({ config: { smtpUrl: smtp.url, from: "Credentials <no-reply@credentials.test>", dir: emlDir }, contextFor: () => ctx });
    smtp.received.length = 0;
  });
  afterEach(() => {
    channel.close();
    rmSync(emlDir, { recursive: true, force: true });
  });

  const issue = (username = "ada", extra: Record<string, unknown> = {}) =>
    issueCredential(ctx, { credentialType: "course-certificate", courseId: COURSE, certificateType: "verified", username, ...extra });

  /** The outbox's part: every undispatched event of the site, planned in one transaction; Delivery rows written; the jobs to send. */
  async function dispatch(using: EmailChannel = channel): Promise<{ planned: PlannedDelivery[]; jobs: DeliveryJob[] }> {
    const events = await db.credentialEvent.findMany({ where: { siteId: site.id, dispatchedAt: null }, orderBy: { id: "asc" } });
    const outbox = await Promise.all(events.map(async (event) => ({ event, credential: await getCredentialById(ctx, event.credentialId) })));
    const planned = await sql.transaction((tx) => using.plan(tx, site, outbox));
    const now = ctx.clock.now();
    await db.credentialEvent.updateMany({ where: { id: { in: events.map((e) => e.id) } }, data: { dispatchedAt: now } });
    const jobs: DeliveryJob[] = [];
    for (const p of planned) {
      const event = events.find((e) => e.id === p.eventId)!;
      const delivery = await db.delivery.create({
        data: {
          siteId: site.id,
          eventId: event.id,
          credentialId: event.credentialId,
          channel: "email",
          status: p.skipReason ? "skipped" : "pending",
          lastError: p.skipReason ?? null,
          nextAttemptAt: now,
          retryUntil: new Date(now.getTime() + 86_400_000),
        },
      });
      if (p.skipReason) continue;
      jobs.push({ delivery, event, credential: await getCredentialById(ctx, event.credentialId), site, sql, clock: ctx.clock, signal: new AbortController().signal });
    }
    return { planned, jobs };
  }

  async function deliverAll(using: EmailChannel = channel): Promise<PlannedDelivery[]> {
    const { planned, jobs } = await dispatch(using);
    for (const job of jobs) await using.send(job);
    return planned;
  }

  it("sends one branded, responsive email per award: HTML from MJML with the escaped learner name, a text part, the certificate link", async () => {
    await updateBranding(ctx, {
      platformName: "Acme Learning",
      primaryColor: "#0a5c36",
      secondaryColor: "#d4a017",
      logoUrl: "https://cdn.acme.test/logo.png",
      emailFrom: "awards@acme.test",
    });
    const { credential } = await issue("ada", { fullName: "Ada <script>alert(1)</script> Lovelace", email: "ada@example.org" });
    const planned = await deliverAll();
    expect(planned).toEqual([{ eventId: expect.any(Number) }]);
    const [mail] = await smtp.waitFor(1);
    const { parsed, envelope } = mail!;
    expect(envelope.to).toEqual(["ada@example.org"]);
    expect(parsed.from?.value).toEqual([{ name: "Acme Learning", address: "awards@acme.test" }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([{ name: "Ada <script>alert(1)</script> Lovelace", address: "ada@example.org" }]);
    expect(parsed.subject).toBe("You earned Demonstration Course");
    const html = String(parsed.html);
    // MJML's responsive output: column classes and the media query that stacks them on a phone.
    expect(html).toContain("mj-column-per-50");
    expect(html).toMatch(/@media only screen and \(min-width:480px\)/);
    // The site's branding.
    expect(html).toContain("background:#0a5c36");
    expect(html).toContain("#d4a017");
    expect(html).toContain('src="https://cdn.acme.test/logo.png"');
    // The learner's name is text, never markup.
    expect(html).toContain("Ada &lt;script&gt;alert(1)&lt;/script&gt; Lovelace");
    expect(html).not.toContain("<script>");
    // The button to the certificate page, and LinkedIn's add-to-profile link to it.
    const page = `https://${site.domain}/credentials/${credential.uuid}`;
    expect(html).toContain(`href="${page}"`);
    expect(html).toContain(`https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=Demonstration%20Course`);
    expect(html).toContain(encodeURIComponent(page));
    // The text part says the same, links spelled out.
    const text = String(parsed.text);
    expect(text).toContain("Congratulations, Ada <script>alert(1)</script> Lovelace!");
    expect(text).toContain(`View your certificate\n[${page}]`);
    expect(text).toContain("Demonstration Course");
    // The idempotency key: the event id, in a header and in the Message-ID.
    const event = await db.credentialEvent.findFirstOrThrow({ where: { credentialId: credential.id } });
    expect(parsed.headers.get(EVENT_ID_HEADER.toLowerCase())).toBe(String(event.id));
    expect(parsed.messageId).toBe(`<credential-event-${event.id}@${site.domain}>`);
  });

  it("one email per award: re-issuing and attribute changes send none; revoking sends none; awarding again sends a second", async () => {
    await issue("ada", { email: "ada@example.org", attributes: [{ namespace: "course.grade", name: "Final Grade", value: "80" }] });
    expect(await deliverAll()).toHaveLength(1);
    await issue("ada", { email: "ada@example.org" }); // the same again: no event
    await issue("ada", { attributes: [{ namespace: "course.grade", name: "Final Grade", value: "95" }] }); // attributes_changed
    expect(await deliverAll()).toEqual([]);
    const { credential } = await issue("ada");
    await revokeCredential(ctx, { id: credential.id }, "mistake");
    expect(await deliverAll()).toEqual([]);
    await reawardCredential(ctx, { id: credential.id });
    expect(await deliverAll()).toHaveLength(1);
    await smtp.waitFor(2);
    expect(smtp.received).toHaveLength(2);
    const types = await db.credentialEvent.findMany({ where: { credentialId: credential.id }, orderBy: { id: "asc" }, select: { type: true } });
    expect(types.map((e) => e.type)).toEqual(["awarded", "attributes_changed", "revoked", "reawarded"]);
  });

  it("plans nothing for a site with emails off, and skips (with a reason) a learner with no address", async () => {
    await issue("nobody");
    const planned = await deliverAll();
    expect(planned).toEqual([{ eventId: expect.any(Number), skipReason: 'no email address known for learner "nobody"' }]);
    expect(await db.delivery.findFirst({ where: { siteId: site.id } })).toMatchObject({ status: "skipped", lastError: 'no email address known for learner "nobody"' });

    await updateAwardEmailSettings(ctx, { emailEnabled: false });
    await issue("ada", { email: "ada@example.org" });
    expect(await deliverAll()).toEqual([]);
    expect(smtp.received).toHaveLength(0);
  });

  it("an award revoked before the email was planned sends nothing; one revoked after planning is not sent either", async () => {
    const { credential } = await issue("ada", { email: "ada@example.org" });
    await revokeCredential(ctx, { id: credential.id });
    const planned = await deliverAll();
    expect(planned.map((p) => p.skipReason)).toEqual(["the credential was revoked before the email was sent"]);

    await reawardCredential(ctx, { id: credential.id });
    const { jobs } = await dispatch();
    await revokeCredential(ctx, { id: credential.id });
    const job = { ...jobs[0]!, credential: await getCredentialById(ctx, credential.id) };
    const failure = await channel.send(job).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryFailure);
    expect((failure as DeliveryFailure).permanent).toBe(true);
    expect(smtp.received).toHaveLength(0);
  });

  it("uses the site's own subject and template, and its public base URL for links", async () => {
    await updateAwardEmailSettings(ctx, {
      publicBaseUrl: "http://localhost:3000/",
      emailSubject: "{{ learner.name }}: {{ certificate.title }} & more",
      emailTemplate: `<mjml><mj-body><mj-section><mj-column><mj-text>Well done {{ learner.name }} on {{ certificate.title }}</mj-text><mj-button href="{{ credential.url }}">Open</mj-button></mj-column></mj-section></mj-body></mjml>`,
    });
    const { credential } = await issue("ada", { fullName: "Ada", email: "ada@example.org" });
    await deliverAll();
    const [mail] = await smtp.waitFor(1);
    // The subject is plain text: not HTML-escaped.
    expect(mail!.parsed.subject).toBe("Ada: Demonstration Course & more");
    expect(String(mail!.parsed.html)).toContain(`href="http://localhost:3000/credentials/${credential.uuid}"`);
    expect(String(mail!.parsed.text)).toContain("Well done Ada on Demonstration Course");
  });

  it("a site template that fails on one credential falls back to the built-in one: the learner still hears", async () => {
    // Renders for the sample learner (so it was saved), fails for ada.
    const template = `<mjml><mj-body><mj-section><mj-column><mj-text>{% if learner.username == "ada" %}{% include "missing" %}{% endif %}Custom</mj-text></mj-column></mj-section></mj-body></mjml>`;
    await updateAwardEmailSettings(ctx, { emailTemplate: template });
    await issue("ada", { fullName: "Ada", email: "ada@example.org" });
    await deliverAll();
    const [mail] = await smtp.waitFor(1);
    expect(String(mail!.parsed.text)).toContain("Congratulations, Ada!");
    expect(String(mail!.parsed.text)).not.toContain("Custom");
  });

  it("SMTP answers: a 5xx refusal of the recipient is permanent; a 4xx, a hung or a dead server is retried", async () => {
    smtp.refuse("gone@example.org", 550, "5.1.1 No such user");
    smtp.refuse("busy@example.org", 451, "4.3.0 Try again later");
    await issue("gone", { email: "gone@example.org" });
    await issue("busy", { email: "busy@example.org" });
    const { jobs } = await dispatch();
    const [gone, busy] = await Promise.all(jobs.map((job) => channel.send(job).catch((e: unknown) => e as DeliveryFailure)));
    expect(gone).toBeInstanceOf(DeliveryFailure);
    expect(gone).toMatchObject({ permanent: true, statusCode: 550 });
    expect(busy).toMatchObject({ permanent: false, statusCode: 451 });

    // A server that never answers: the worker's signal (shutdown, the lease ending) cuts the attempt short, to be retried.
    smtp.hang("stuck@example.org");
    await issue("stuck", { email: "stuck@example.org" });
    const [stuck] = (await dispatch()).jobs;
    const started = Date.now();
    const interrupted = await channel.send({ ...stuck!, signal: AbortSignal.timeout(300) }).catch((e: unknown) => e);
    expect(interrupted).toMatchObject({ name: "DeliveryFailure", permanent: false, message: expect.stringContaining("interrupted") });
    expect(Date.now() - started).toBeLessThan(5_000);

    const dead = emailChannel({ config: { smtpUrl: "smtp://127.0.0.1:1", from: "x@credentials.test", dir: emlDir }, contextFor: () => ctx });
    try {
      const failure = await dead.send(jobs[0]!).catch((e: unknown) => e);
      expect(failure).toMatchObject({ name: "DeliveryFailure", permanent: false });
    } finally {
      dead.close();
    }
  });

  it("without SMTP, writes a readable .eml file named by time and event into the folder", async () => {
    const noSmtp = emailChannel({ config: { smtpUrl: undefined, from: "Credentials <no-reply@credentials.test>", dir: join(emlDir, "emails") }, contextFor: () => ctx });
    try {
      const { credential } = await issue("ada", { fullName: "Ada Lovelace", email: "ada@example.org" });
      await deliverAll(noSmtp);
      const files = readdirSync(join(emlDir, "emails"));
      const event = await db.credentialEvent.findFirstOrThrow({ where: { credentialId: credential.id } });
      expect(files).toEqual([expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z-${site.domain.replace(/\./g, "\\.")}-event-${event.id}\\.eml$`))]);
      const parsed = await simpleParser(readFileSync(join(emlDir, "emails", files[0]!)));
      expect(parsed.subject).toBe("You earned Demonstration Course");
      expect(parsed.from?.value).toEqual([{ name: "Credentials", address: "no-reply@credentials.test" }]);
      expect(String(parsed.html)).toContain(`/credentials/${credential.uuid}`);
      expect(String(parsed.text)).toContain("Congratulations, Ada Lovelace!");
      expect(smtp.received).toHaveLength(0);
    } finally {
      noSmtp.close();
    }
  });

  it("sends through the site's own SMTP URL (stored encrypted) before SMTP_URL", async () => {
    const other = await startSmtpServer();
    try {
      await updateAwardEmailSettings(ctx, { smtpUrl: other.url });
      const row = await db.siteNotificationSettings.findUniqueOrThrow({ where: { siteId: site.id } });
      expect(row.smtpUrl).toMatch(/^enc:v1:/);
      await issue("ada", { email: "ada@example.org" });
      await deliverAll();
      await other.waitFor(1);
      expect(smtp.received).toHaveLength(0);
    } finally {
      channel.close(); // its pooled connection, before the server waits for it to end
      await other.close();
    }
  });
});
