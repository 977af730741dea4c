// The event types a webhook subscription can hear, and which credential events each stands for.
// A re-award (after a revocation) is an award to a receiver; attribute changes are not sent.
import type { CredentialEventType } from "../../kernel/models.js";

export const WEBHOOK_EVENT_TYPES = ["credential.awarded", "credential.revoked"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const BY_CREDENTIAL_EVENT: Record<CredentialEventType, WebhookEventType | null> = {
  awarded: "credential.awarded",
  reawarded: "credential.awarded",
  revoked: "credential.revoked",
  attributes_changed: null,
};

/** The webhook event type of a credential event, or null when webhooks do not hear of it. */
export const webhookEventTypeOf = (type: CredentialEventType): WebhookEventType | null => BY_CREDENTIAL_EVENT[type];

export const isWebhookEventType = (value: unknown): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);

/** A stored eventTypes column (JSON text) -> the known types it lists; anything unreadable lists none. */
export function storedEventTypes(stored: string): WebhookEventType[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter(isWebhookEventType) : [];
  } catch {
    return [];
  }
}
