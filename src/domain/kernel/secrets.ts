// Secrets at rest: the one place that encrypts and decrypts the secrets this service stores (a
// site's HS256 secret today; webhook, OAuth client and signing keys go through here too).
//
// Format of a stored value: "enc:v1:" + a JWE in compact serialization with alg "dir" and enc
// "A256GCM" (AES-256-GCM, a random 96-bit IV per value, the protected header authenticated), whose
// header names the key by "kid": the first 16 characters of base64url(SHA-256(key)). The kid lets
// several keys be accepted at once, so old values keep reading while the key is rotated. A value
// without the prefix is a legacy plain-text row written before encryption: it is read as it is and
// encrypted by secrets:rotate or on its next write. The keys come from the caller (configuration
// at startup); nothing here reads the environment, and no message ever carries a secret or a key.
import { createHash } from "node:crypto";
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, errors } from "jose";

export const SECRET_PREFIX = "enc:v1:";
/** Bytes of a key: AES-256. */
export const SECRET_KEY_BYTES = 32;

/** A stored secret could not be read: no configured key has its kid, or it does not decrypt. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/** The key id written into each value: derived from the key, so no separate naming is needed. */
export function keyIdOf(key: Uint8Array): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 16);
}

/** A key given as base64 (standard or url-safe) of exactly 32 bytes, or an Error saying why not. */
export function parseSecretKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error(`must be ${SECRET_KEY_BYTES} random bytes in base64 (e.g. openssl rand -base64 32)`);
  const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (bytes.length !== SECRET_KEY_BYTES) throw new Error(`must be ${SECRET_KEY_BYTES} bytes in base64, got ${bytes.length} bytes (e.g. openssl rand -base64 32)`);
  return new Uint8Array(bytes);
}

/** Whether a stored value is encrypted (else it is a legacy plain-text value, or empty). */
export const isSealed = (stored: string): boolean => stored.startsWith(SECRET_PREFIX);

/**
 * Encrypts with one key (the current one) and decrypts with any of the keys it was given (the
 * current one and those still accepted during a rotation).
 */
export class SecretBox {
  readonly keyId: string;
  private readonly keys = new Map<string, Uint8Array>();

  constructor(current: Uint8Array, accepted: readonly Uint8Array[] = []) {
    for (const key of [current, ...accepted]) {
      if (key.length !== SECRET_KEY_BYTES) throw new SecretKeyError(`a secrets key must be ${SECRET_KEY_BYTES} bytes`);
      this.keys.set(keyIdOf(key), key);
    }
    this.keyId = keyIdOf(current);
  }

  /** The ids of every key this box reads with, current first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** The stored form of `plain`; "" stays "" (no secret is not a secret). */
  async seal(plain: string): Promise<string> {
    if (plain === "") return "";
    const jwe = await new CompactEncrypt(new TextEncoder().encode(plain)).setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: this.keyId }).encrypt(this.keys.get(this.keyId)!);
    return SECRET_PREFIX + jwe;
  }

  /** The plain secret of a stored value (a legacy plain value as it is); SecretKeyError if no key reads it. */
  async open(stored: string): Promise<string> {
    if (!isSealed(stored)) return stored;
    const jwe = stored.slice(SECRET_PREFIX.length);
    const kid = this.keyIdOfValue(stored);
    const key = kid === undefined ? undefined : this.keys.get(kid);
    if (!key) throw new SecretKeyError(`a stored secret was encrypted with key id ${kid ?? "(none)"}, which is not configured (SECRETS_KEY, SECRETS_KEY_PREVIOUS or the key file)`);
    try {
      const { plaintext } = await compactDecrypt(jwe, key, { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] });
      return new TextDecoder().decode(plaintext);
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new SecretKeyError(`a stored secret with key id ${kid} does not decrypt (damaged, or another key with the same id)`);
      throw error;
    }
  }

  /** The kid a stored value was sealed with, undefined for a legacy plain value or a malformed one. */
  keyIdOfValue(stored: string): string | undefined {
    if (!isSealed(stored)) return undefined;
    try {
      const kid = decodeProtectedHeader(stored.slice(SECRET_PREFIX.length)).kid;
      return typeof kid === "string" ? kid : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether a stored value is already encrypted with the current key (a rotation can skip it). */
  isCurrent(stored: string): boolean {
    return stored === "" || this.keyIdOfValue(stored) === this.keyId;
  }
}
