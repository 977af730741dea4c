// A delivery channel of the tests' own, for the outbox's rules (src/domain/events/): it plans one
// delivery per awarded/reawarded/revoked event to the site's subscription and sends as the test
// says. The real channels (email, webhooks) are tested against real SMTP and HTTP servers.
import type { DeliveryChannel, DeliveryJob, DeliveryReceipt, OutboxEvent } from "../../src/domain/events/channels.js";
import type { Site } from "../../src/domain/tenancy/sites.js";

export /** A webhook-like channel: one delivery per awarded/revoked event to one subscription; sends as the test says. */
class TestChannel implements DeliveryChannel {
  readonly name = "webhook" as const;
  readonly sent: { deliveryId: number; eventId: number; credentialId: number; attempt: number }[] = [];
  planned: OutboxEvent[] = [];
  behaviour: (job: DeliveryJob) => Promise<DeliveryReceipt> = async () => ({ statusCode: 204 });
  constructor(readonly subscriptionOf: (site: Site) => number | undefined) {}
  async plan(_tx: unknown, site: Site, events: readonly OutboxEvent[]) {
    this.planned.push(...events);
    const subscriptionId = this.subscriptionOf(site);
    if (subscriptionId === undefined) return [];
    return events.filter((e) => e.event.type !== "attributes_changed").map((e) => ({ eventId: e.event.id, subscriptionId }));
  }
  async send(job: DeliveryJob) {
    this.sent.push({ deliveryId: job.delivery.id, eventId: job.event.id, credentialId: job.credential.id, attempt: job.delivery.attempts });
    return this.behaviour(job);
  }
}
