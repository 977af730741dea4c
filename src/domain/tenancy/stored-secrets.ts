// Every secret this service stores, encrypted by secrets.ts: re-encrypting them all under the
// current key (secrets:rotate) and checking at startup that the configured keys read them all.
// A later kind of stored secret (OAuth client, signing key) joins STORED_SECRETS.
import type { Db, Tx } from "../../db/client.js";
import { invalidateSiteCache } from "./site-cache.js";
import { isSealed, type SecretBox, SecretKeyError } from "../kernel/secrets.js";
import { replaceSiteSecret, storedSiteSecrets } from "./site-trust.js";
import { replaceSignInSecret, storedSignInSecrets } from "./site-sign-in.js";
import { replaceWebhookSecret, storedWebhookSecrets } from "../notifications/webhooks/subscriptions.js";
import { replaceSmtpUrl, storedSmtpUrls } from "../notifications/email/stored-smtp-urls.js";

interface StoredSecretKind {
  /** What it is, for messages: never the value. */
  what: string;
  list(tx: Tx): Promise<{ key: number; stored: string }[]>;
  replace(tx: Tx, key: number, stored: string): Promise<void>;
}

const STORED_SECRETS: StoredSecretKind[] = [
  {
    what: "site HS256 secret",
    list: async (tx) => (await storedSiteSecrets(tx)).map(({ siteId, stored }) => ({ key: siteId, stored })),
    replace: (tx, siteId, stored) => replaceSiteSecret(tx, siteId, stored),
  },
  ...(["sessionKey", "oidcClientSecret"] as const).map((column) => ({
    what: column === "sessionKey" ? "site session key" : "site OIDC client secret",
    list: async (tx: Tx) => (await storedSignInSecrets(tx, column)).map(({ siteId, stored }) => ({ key: siteId, stored })),
    replace: (tx: Tx, siteId: number, stored: string) => replaceSignInSecret(tx, column, siteId, stored),
  })),
  {
    what: "webhook signing secret",
    list: async (tx) => (await storedWebhookSecrets(tx)).map(({ id, stored }) => ({ key: id, stored })),
    replace: (tx, id, stored) => replaceWebhookSecret(tx, id, stored),
  },
  {
    what: "site SMTP URL",
    list: async (tx) => (await storedSmtpUrls(tx)).map(({ siteId, stored }) => ({ key: siteId, stored })),
    replace: (tx, siteId, stored) => replaceSmtpUrl(tx, siteId, stored),
  },
];

export interface RotationResult {
  /** Values re-encrypted under the current key (legacy plain ones included). */
  reencrypted: number;
  /** Of those, values that were stored in plain text. */
  fromPlain: number;
  /** Values already under the current key, left as they were. */
  unchanged: number;
}

/**
 * Re-encrypts every stored secret under `box`'s current key, reading each with any key the box
 * accepts, in one transaction: either every value moves to the new key or none does. A value no
 * accepted key reads stops it (SecretKeyError) and nothing is changed.
 */
export async function rotateStoredSecrets(db: Db, box: SecretBox): Promise<RotationResult> {
  const result: RotationResult = { reencrypted: 0, fromPlain: 0, unchanged: 0 };
  try {
    await db.$transaction(
      async (tx) => {
        for (const kind of STORED_SECRETS) {
          for (const { key, stored } of await kind.list(tx)) {
            if (box.isCurrent(stored)) {
              result.unchanged++;
              continue;
            }
            const plain = await box.open(stored).catch((error: unknown) => {
              throw error instanceof SecretKeyError ? new SecretKeyError(`${kind.what} #${key}: ${error.message}`) : error;
            });
            if (!isSealed(stored)) result.fromPlain++;
            await kind.replace(tx, key, await box.seal(plain));
            result.reencrypted++;
          }
        }
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  } finally {
    invalidateSiteCache();
  }
  return result;
}

/** One line per stored secret the box cannot read (empty when all read): checked before serving. */
export async function unreadableStoredSecrets(db: Db, box: SecretBox): Promise<string[]> {
  const problems: string[] = [];
  for (const kind of STORED_SECRETS) {
    for (const { key, stored } of await kind.list(db)) {
      try {
        await box.open(stored);
      } catch (error) {
        if (!(error instanceof SecretKeyError)) throw error;
        problems.push(`${kind.what} #${key}: ${error.message}`);
      }
    }
  }
  return problems;
}
