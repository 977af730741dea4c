// End to end: credentials issued over REST on a running service whose delivery worker sends through
// the award email channel; a real SMTP server receives exactly one email per award.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmailChannel, emailChannel } from "../../src/domain/notifications/email/channel.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";
import { contextFor } from "../helpers/domain.js";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.js";

const COURSE = "course-v1:edX+DemoX+Demo";

describe(`award emails sent by the delivery worker on ${providerUnderTest}`, () => {
  let server: TestServer;
  let smtp: TestSmtpServer;
  let channel: EmailChannel;
  let admin: { authorization: string };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    channel = emailChannel({
      config: { smtpUrl: smtp.url, from: "Credentials <no-reply@credentials.test>", dir: "/nonexistent" },
      // The worker sends only after the server below exists.
      contextFor: (site) => contextFor(server.db.database.prisma, site),
    });
    server = await startServer({}, { delivery: { worker: true, channels: [channel], pollMs: 100 } });
    admin = await server.as("lms", ["admin"]);
    await server.request(`/api/v1/courses/${COURSE}/`, { method: "PUT", headers: admin, json: { title: "Demonstration Course" } });
    await server.request("/api/v1/course-certificates/", { method: "POST", headers: admin, json: { course_id: COURSE, certificate_type: "verified" } });
  });
  afterAll(async () => {
    await server.close();
    channel.close();
    await smtp.close();
  });

  const emailStats = async () => {
    const stats = (await server.request("/api/v1/deliveries/stats/", { headers: admin })).json() as {
      outbox_depth: number;
      channels: { channel: string; pending: number; delivered: number }[];
    };
    return { outbox: stats.outbox_depth, ...stats.channels.find((c) => c.channel === "email") };
  };

  it("one email per award: issuing twice and changing attributes send one; revoking and awarding again sends a second", async () => {
    const issue = (attributes: { namespace: string; name: string; value: string }[] = []) =>
      server.request("/api/v1/user-credentials/", {
        method: "POST",
        headers: admin,
        json: { username: "ada", full_name: "Ada Lovelace", email: "ada@example.org", course_id: COURSE, certificate_type: "verified", attributes },
      });
    const first = await issue();
    expect(first.status).toBe(201);
    const { credential_id: id, uuid } = first.json<{ credential_id: number; uuid: string }>();
    expect((await issue()).status).toBe(200);
    expect((await issue([{ namespace: "course.grade", name: "Final Grade", value: "0.9" }])).status).toBe(200);

    await smtp.waitFor(1);
    await expect.poll(emailStats, { timeout: 10_000 }).toMatchObject({ outbox: 0, pending: 0, delivered: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few more polls: nothing else arrives
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.envelope.to).toEqual(["ada@example.org"]);
    expect(mail!.parsed.subject).toBe("You earned Demonstration Course");
    expect(String(mail!.parsed.html)).toContain(`https://localhost/credentials/${uuid}`);

    expect((await server.request(`/api/v1/user-credentials/${id}`, { method: "PATCH", headers: admin, json: { status: "revoked" } })).status).toBe(200);
    expect((await server.request(`/api/v1/user-credentials/${id}`, { method: "PATCH", headers: admin, json: { status: "awarded" } })).status).toBe(200);
    await smtp.waitFor(2);
    await expect.poll(emailStats, { timeout: 10_000 }).toMatchObject({ outbox: 0, pending: 0, delivered: 2 });
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.parsed.messageId).not.toBe(mail!.parsed.messageId);
  });
});
