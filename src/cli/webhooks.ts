// The operator's webhook commands: the site's private-webhooks switch (CLI only: see
// domain/notifications/webhooks/settings.ts) and subscriptions, through the same domain functions
// as GraphQL and REST, acting as the operator (a site administrator).
import type { Command } from "commander";
import type { DomainContext } from "../domain/kernel/context.js";
import { InvalidError } from "../domain/kernel/errors.js";
import { updateWebhookSettings, webhookSettings } from "../domain/notifications/webhooks/settings.js";
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  listWebhookSubscriptions,
  rotateWebhookSecret,
  type WebhookSubscriptionInfo,
} from "../domain/notifications/webhooks/subscriptions.js";

/** Runs `fn` with a domain context of the site at `domain`, acting as the operator. */
export type WithSiteContext = <T>(domain: string, fn: (ctx: DomainContext) => Promise<T>) => Promise<T>;

const show = (w: WebhookSubscriptionInfo) => `${w.id}\t${w.isActive ? "active" : "paused"}\t${w.eventTypes.join(",")}\t${w.url}${w.description ? `\t${w.description}` : ""}`;

function idOption(value: string): number {
  if (!/^\d{1,10}$/.test(value.trim())) throw new InvalidError("--id must be a subscription id (a whole number)");
  return Number(value);
}

export function webhookCommands(program: Command, withSite: WithSiteContext): void {
  program
    .command("site:webhooks")
    .description("show or change whether a site's webhooks may call loopback, link-local and unspecified addresses (a receiver on this machine)")
    .requiredOption("--domain <host>", "the site's host name")
    .option("--allow-private", "allow them (development, a receiver on this machine)")
    .option("--no-allow-private", "refuse them (the default)")
    .action(async (opts: { domain: string; allowPrivate?: boolean }) => {
      const settings = await withSite(opts.domain, (ctx) =>
        opts.allowPrivate === undefined ? webhookSettings(ctx) : updateWebhookSettings(ctx, { allowPrivateWebhooks: opts.allowPrivate }),
      );
      console.log(`allowPrivateWebhooks\t${settings.allowPrivateWebhooks}`);
    });

  program
    .command("webhook:add")
    .description("subscribe an endpoint to a site's credential events; prints its signing secret once")
    .requiredOption("--domain <host>", "the site's host name")
    .requiredOption("--url <url>", "the receiver's http(s) URL")
    .requiredOption("--events <list>", "comma-separated: credential.awarded, credential.revoked")
    .option("--description <text>", "what it is for")
    .option("--paused", "create it paused (nothing is sent until it is activated)")
    .action(async (opts: { domain: string; url: string; events: string; description?: string; paused?: boolean }) => {
      const eventTypes = opts.events
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean);
      const created = await withSite(opts.domain, (ctx) => createWebhookSubscription(ctx, { url: opts.url, eventTypes, description: opts.description ?? "", isActive: !opts.paused }));
      console.log(`created webhook subscription ${show(created.subscription)}`);
      console.log(`signing secret (configure the receiver with it; it is not shown again): ${created.secret}`);
    });

  program
    .command("webhook:list")
    .description("list a site's webhook subscriptions: id, state, event types, URL")
    .requiredOption("--domain <host>", "the site's host name")
    .action(async (opts: { domain: string }) => {
      for (const w of await withSite(opts.domain, listWebhookSubscriptions)) console.log(show(w));
    });

  program
    .command("webhook:remove")
    .description("delete a webhook subscription (what was not sent yet is not sent)")
    .requiredOption("--domain <host>", "the site's host name")
    .requiredOption("--id <id>", "the subscription's id (webhook:list)")
    .action(async (opts: { domain: string; id: string }) => {
      const removed = await withSite(opts.domain, (ctx) => deleteWebhookSubscription(ctx, idOption(opts.id)));
      console.log(`deleted webhook subscription ${show(removed)}`);
    });

  program
    .command("webhook:rotate-secret")
    .description("replace a subscription's signing secret; prints the new one once (the old one stops verifying at once)")
    .requiredOption("--domain <host>", "the site's host name")
    .requiredOption("--id <id>", "the subscription's id (webhook:list)")
    .action(async (opts: { domain: string; id: string }) => {
      const rotated = await withSite(opts.domain, (ctx) => rotateWebhookSecret(ctx, idOption(opts.id)));
      console.log(`new signing secret of webhook subscription ${rotated.subscription.id} (not shown again): ${rotated.secret}`);
    });
}
