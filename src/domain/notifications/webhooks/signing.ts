// Standard Webhooks (https://www.standardwebhooks.com): the secret's format and the three headers
// that sign a call. Signing is the official `standardwebhooks` library's, so what a receiver
// verifies with it (or with the README's few lines of node:crypto) is what was computed here.
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** Random bytes in a secret: 256 bits for HMAC-SHA256 (the spec allows 24 to 64). */
const SECRET_BYTES = 32;
export const SECRET_PREFIX = "whsec_";

/** A new signing secret: "whsec_" + base64 of 32 random bytes (shown once, stored sealed). */
export const newWebhookSecret = (): string => SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64");

export interface SignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The headers of one call: the message id (the same on every attempt of the event to the
 * endpoint, so receivers deduplicate on it), the attempt's time in Unix seconds, and
 * "v1," + base64(HMAC-SHA256(secret bytes, `${id}.${timestamp}.${body}`)).
 */
export function signatureHeaders(secret: string, id: string, at: Date, body: string): SignatureHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}
