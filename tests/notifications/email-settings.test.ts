// The award email's settings and preview over GraphQL, REST, the web preview page and the CLI: the
// same domain functions, admins only, bad input refused with the field named and nothing changed,
// the SMTP URL stored encrypted and never answered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCredential } from "../../src/domain/credentials/accreditor.js";
import { SecretBox } from "../../src/domain/kernel/secrets.js";
import { DEFAULT_EMAIL_TEMPLATE } from "../../src/domain/notifications/email/default-template.js";
import { rotateStoredSecrets, unreadableStoredSecrets } from "../../src/domain/tenancy/stored-secrets.js";
import { findSiteByDomain } from "../../src/domain/tenancy/sites.js";
import { AwardEmailSettingsDocument, PreviewAwardEmailDocument, UpdateAwardEmailSettingsDocument } from "../graphql/generated/graphql.js";
import { startServer, TEST_SECRETS, type TestServer } from "../helpers/app.js";
import { freshDatabase, providerUnderTest } from "../helpers/db.js";
import { contextFor } from "../helpers/domain.js";
import { makeCourseCertificate } from "../helpers/fixtures.js";
import { runTs } from "../helpers/process.js";

const SMTP_URL = "smtps://mailer:s3cret-password@mail.example.org:465";
const MJML = `<mjml><mj-body><mj-section><mj-column><mj-text color="{{ site.primary_color }}">Hi {{ learner.name }}</mj-text></mj-column></mj-section></mj-body></mjml>`;

describe(`award email settings on ${providerUnderTest}`, () => {
  let server: TestServer;
  let admin: { authorization: string };
  let staff: { authorization: string };

  beforeAll(async () => {
    server = await startServer();
    admin = await server.as("root", ["admin"]);
    staff = await server.as("pat", ["pm", "ux", "support"]);
  });
  afterAll(() => server.close());

  const settingsRow = async () => {
    const site = await findSiteByDomain(server.db.database.prisma, "localhost");
    return server.db.database.prisma.siteNotificationSettings.findUnique({ where: { siteId: site!.id } });
  };

  it("GraphQL: defaults, then a change; the SMTP URL is stored encrypted and only said to be set", async () => {
    const initial = await server.graphql(AwardEmailSettingsDocument, {}, { headers: admin });
    expect(initial.data?.awardEmailSettings).toMatchObject({ emailEnabled: true, emailSubject: "", emailTemplate: "", smtpUrlSet: false, baseUrl: "https://localhost" });
    expect(initial.data?.awardEmailSettings.defaultSubject).toContain("{{ certificate.title }}");

    const changed = await server.graphql(
      UpdateAwardEmailSettingsDocument,
      { input: { emailSubject: "Well done, {{ learner.name }}", emailTemplate: MJML, smtpUrl: SMTP_URL, publicBaseUrl: "http://localhost:3000/" } },
      { headers: admin },
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data?.updateAwardEmailSettings).toEqual({
      emailEnabled: true,
      emailSubject: "Well done, {{ learner.name }}",
      emailTemplate: MJML,
      smtpUrlSet: true,
      publicBaseUrl: "http://localhost:3000",
      baseUrl: "http://localhost:3000",
    });
    const row = await settingsRow();
    expect(row?.smtpUrl).toMatch(/^enc:v1:/);
    expect(await TEST_SECRETS.open(row!.smtpUrl)).toBe(SMTP_URL);
    // Nowhere in an answer: GraphQL or REST.
    const rest = await server.request("/api/v1/award-email/", { headers: admin });
    expect(rest.status).toBe(200);
    expect(rest.json()).toMatchObject({ smtp_url_set: true, email_subject: "Well done, {{ learner.name }}", public_base_url: "http://localhost:3000" });
    expect(rest.text).not.toContain("s3cret");
    expect(JSON.stringify(changed)).not.toContain("s3cret");

    // "" puts each back to its default.
    const reset = await server.graphql(UpdateAwardEmailSettingsDocument, { input: { emailSubject: "", emailTemplate: "", smtpUrl: "", publicBaseUrl: "" } }, { headers: admin });
    expect(reset.data?.updateAwardEmailSettings).toMatchObject({ emailSubject: "", emailTemplate: "", smtpUrlSet: false, baseUrl: "https://localhost" });
  });

  it("GraphQL: refuses what would not send, naming the field, and changes nothing", async () => {
    await server.graphql(UpdateAwardEmailSettingsDocument, { input: { emailSubject: "Kept" } }, { headers: admin });
    const before = await settingsRow();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ emailTemplate: "<mjml><mj-body><mj-section><mj-text>not in a column</mj-text></mj-section></mj-body></mjml>" }, "emailTemplate", /mj-text cannot be used inside mj-section/],
      [
        { emailTemplate: '<mjml><mj-body><mj-section><mj-column><mj-text colour="red">x</mj-text></mj-column></mj-section></mj-body></mjml>' },
        "emailTemplate",
        /Attribute colour is illegal/,
      ],
      [{ emailTemplate: "just text" }, "emailTemplate", /MJML/],
      [{ emailTemplate: "<mjml><mj-body><mj-section><mj-column><mj-text>{% if x %}</mj-text></mj-column></mj-section></mj-body></mjml>" }, "emailTemplate", /Liquid syntax error/],
      [
        { emailTemplate: "<mjml><mj-body>{% if learner %}<mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section>{% endif %}</mj-body></mjml>" },
        "emailTemplate",
        /line 1: MJML drops \{% if learner %\}.*mj-raw/,
      ],
      [{ emailSubject: "{{ learner.name | nosuchfilter }}" }, "emailSubject", /Liquid syntax error/],
      [{ emailSubject: 'Hi {% include "elsewhere" %}' }, "emailSubject", /fails to render for a sample learner/],
      [{ smtpUrl: "http://mail.example.org" }, "smtpUrl", /must be an smtp:\/\/ or smtps:\/\/ URL/],
      [{ publicBaseUrl: "javascript:alert(1)" }, "publicBaseUrl", /must be an http\(s\) URL/],
      [{ emailSubject: "Fine", emailTemplate: "<mjml><mj-body><mj-foo /></mj-body></mjml>" }, "emailTemplate", /mj-foo/],
    ];
    for (const [input, field, message] of cases) {
      const res = await server.graphql(UpdateAwardEmailSettingsDocument, { input }, { headers: admin });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe("BAD_USER_INPUT");
      const fields = res.errors?.[0]?.extensions?.fields as Record<string, string[]>;
      expect(Object.keys(fields)).toEqual([field]);
      expect(fields[field]![0]).toMatch(message);
    }
    expect(await settingsRow()).toEqual(before);
  });

  it("REST: PATCH changes, 400 names the field in snake_case and changes nothing; anyone but an admin is refused", async () => {
    const patched = await server.request("/api/v1/award-email/", { method: "PATCH", headers: admin, json: { email_enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ email_enabled: false, smtp_url_set: false });
    const before = await settingsRow();
    const bad = await server.request("/api/v1/award-email/", {
      method: "PATCH",
      headers: admin,
      json: { email_enabled: true, email_template: "<mjml><mj-body><mj-bogus /></mj-body></mjml>" },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json<Record<string, string[]>>())).toEqual(["email_template"]);
    const smtp = await server.request("/api/v1/award-email/", { method: "PATCH", headers: admin, json: { smtp_url: "ftp://x" } });
    expect(smtp.json()).toEqual({ smtp_url: [expect.stringMatching(/smtp:\/\/ or smtps:\/\//)] });
    const unknown = await server.request("/api/v1/award-email/", { method: "PATCH", headers: admin, json: { email_from: "x@example.org" } });
    expect(unknown.status).toBe(400);
    expect(await settingsRow()).toEqual(before);

    expect((await server.request("/api/v1/award-email/", { headers: staff })).status).toBe(403);
    expect((await server.request("/api/v1/award-email/", { method: "PATCH", headers: staff, json: { email_enabled: true } })).status).toBe(403);
    expect((await server.request("/api/v1/award-email/preview/", { headers: staff, json: {} })).status).toBe(403);
    expect((await server.request("/api/v1/award-email/")).status).toBe(401);
    const gql = await server.graphql(UpdateAwardEmailSettingsDocument, { input: { emailEnabled: true } }, { headers: staff });
    expect(gql.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await settingsRow()).toEqual(before);
    await server.request("/api/v1/award-email/", { method: "PATCH", headers: admin, json: { email_enabled: true } });
  });

  it("previews the saved or an unsaved template, for a sample learner or a real credential, over REST, GraphQL and a web page", async () => {
    await server.graphql(UpdateAwardEmailSettingsDocument, { input: { emailSubject: "", emailTemplate: "" } }, { headers: admin });
    const sample = await server.request("/api/v1/award-email/preview/", { headers: admin, json: {} });
    expect(sample.status).toBe(200);
    const body = sample.json<{ subject: string; html: string; text: string }>();
    expect(body.subject).toBe("You earned Introduction to Sample Studies");
    expect(body.html).toContain("mj-column-per-100");
    expect(body.text).toContain("Congratulations, Jane Q. Learner!");

    const unsaved = await server.graphql(PreviewAwardEmailDocument, { template: MJML, subject: "Hello {{ learner.name }}" }, { headers: admin });
    expect(unsaved.data?.previewAwardEmail.subject).toBe("Hello Jane Q. Learner");
    expect(unsaved.data?.previewAwardEmail.html).toContain("Hi Jane Q. Learner");
    const saved = await server.graphql(UpdateAwardEmailSettingsDocument, { input: { emailTemplate: DEFAULT_EMAIL_TEMPLATE } }, { headers: admin });
    expect(saved.data?.updateAwardEmailSettings.emailTemplate).toBe(""); // the built-in one, pasted back, keeps following it

    // A real credential of the site.
    const prisma = server.db.database.prisma;
    const site = (await findSiteByDomain(prisma, "localhost"))!;
    await makeCourseCertificate(prisma, site.id, { courseId: "course-v1:edX+Preview+1" });
    const { credential } = await issueCredential(contextFor(prisma, site), {
      credentialType: "course-certificate",
      courseId: "course-v1:edX+Preview+1",
      certificateType: "verified",
      username: "ada",
      fullName: "Ada <b>Lovelace</b>",
    });
    const real = await server.request("/api/v1/award-email/preview/", { headers: admin, json: { credential_uuid: credential.uuid } });
    expect(real.json<{ html: string }>().html).toContain("Ada &lt;b&gt;Lovelace&lt;/b&gt;");
    expect(real.json<{ html: string }>().html).toContain(`https://localhost/credentials/${credential.uuid}`);
    const missing = await server.request("/api/v1/award-email/preview/", { headers: admin, json: { credential_uuid: "00000000-0000-4000-8000-00000000abcd" } });
    expect(missing.status).toBe(404);
    const broken = await server.request("/api/v1/award-email/preview/", { headers: admin, json: { template: "<mjml><mj-body><mj-nope /></mj-body></mjml>" } });
    expect(broken.status).toBe(400);
    expect(Object.keys(broken.json<object>())).toEqual(["template"]);
    const renderFails = await server.graphql(PreviewAwardEmailDocument, { subject: `Hi {% include "elsewhere" %}` }, { headers: admin });
    expect(renderFails.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", fields: { subject: [expect.stringMatching(/failed to render/)] } });

    const page = await server.request(`/award-email/preview?credential_uuid=${credential.uuid}`, { headers: admin });
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.text).toContain("Ada &lt;b&gt;Lovelace&lt;/b&gt;");
    expect((await server.request("/award-email/preview", { headers: staff })).status).toBe(403);
  });

  it("secrets:rotate re-encrypts a site's SMTP URL; the startup check reads it", async () => {
    await server.request("/api/v1/award-email/", { method: "PATCH", headers: admin, json: { smtp_url: SMTP_URL } });
    const prisma = server.db.database.prisma;
    const next = new SecretBox(new Uint8Array(32).fill(42), [new Uint8Array(32).fill(7)]);
    const result = await rotateStoredSecrets(prisma, next);
    expect(result.reencrypted).toBeGreaterThanOrEqual(1);
    const row = await settingsRow();
    expect(next.keyIdOfValue(row!.smtpUrl)).toBe(next.keyId);
    expect(await next.open(row!.smtpUrl)).toBe(SMTP_URL);
    expect(await unreadableStoredSecrets(prisma, new SecretBox(new Uint8Array(32).fill(1)))).toContainEqual(expect.stringMatching(/^site SMTP URL #\d+:/));
  });
});

describe("site:email (CLI)", () => {
  it("switches a site's emails, sets the subject, template and SMTP URL, refuses a bad template", async () => {
    const db = await freshDatabase();
    const env = { DATABASE_URL: db.config.url, SECRETS_KEY: Buffer.alloc(32, 9).toString("base64") };
    const cli = (args: string[], extra: Record<string, string> = {}) => runTs("src/cli/main.ts", args, { ...env, ...extra });
    try {
      expect((await cli(["site:create", "--domain", "learn.example.org", "--name", "Learn"])).code).toBe(0);
      const { mkdtempSync, writeFileSync, readFileSync } = await import("node:fs");
      const { join } = await import("node:path");
      const { tmpdir } = await import("node:os");
      const dir = mkdtempSync(join(tmpdir(), "site-email-"));
      writeFileSync(join(dir, "good.mjml"), MJML);
      writeFileSync(join(dir, "bad.mjml"), "<mjml><mj-body><mj-whatever /></mj-body></mjml>");
      const set = await cli(
        [
          "site:email",
          "--domain",
          "learn.example.org",
          "--disable",
          "--subject",
          "Hi {{ learner.name }}",
          "--template-file",
          join(dir, "good.mjml"),
          "--smtp-url-env",
          "SITE_SMTP",
          "--public-base-url",
          "http://localhost:3000",
          "--preview",
          join(dir, "preview.html"),
        ],
        { SITE_SMTP: SMTP_URL },
      );
      expect(set.stderr).toBe("");
      expect(set.stdout).toContain("enabled\tfalse\n");
      expect(set.stdout).toContain("subject\tHi {{ learner.name }}\n");
      expect(set.stdout).toContain("smtp\tthe site's own (set)\n");
      expect(set.stdout).toContain("links\thttp://localhost:3000\n");
      expect(set.stdout).not.toContain("s3cret");
      expect(readFileSync(join(dir, "preview.html"), "utf8")).toContain("Hi Jane Q. Learner");

      const bad = await cli(["site:email", "--domain", "learn.example.org", "--enable", "--template-file", join(dir, "bad.mjml")]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^error: .*emailTemplate: MJML: line 1 \(mj-whatever\)/);
      const shown = await cli(["site:email", "--domain", "learn.example.org"]);
      expect(shown.stdout).toContain("enabled\tfalse\n"); // the refused change changed nothing
      expect(shown.stdout).toContain("template\tthe site's own");
      const unset = await cli(["site:email", "--domain", "learn.example.org", "--smtp-url-env", "NOT_SET_ANYWHERE"]);
      expect(unset.code).toBe(2);
      expect(unset.stderr).toContain("NOT_SET_ANYWHERE: is not set");
    } finally {
      await db.drop();
    }
  }, 180_000);
});
