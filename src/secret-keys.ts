// Which key encrypts the stored secrets (domain/kernel/secrets.ts), decided once at startup:
// - SECRETS_KEY set: that key (and SECRETS_KEY_PREVIOUS for reading), on any database;
// - SQLite without SECRETS_KEY: a key file beside the database (secrets.key, mode 0600), created
//   with a random key on the first start, so `npm start` works on a fresh machine with no setup;
// - PostgreSQL without SECRETS_KEY: refused. The database is shared by every instance and outlives
//   any one host, so a key file on one host would leave the others (or a new host) unable to read
//   the secrets; the key must come from the deployment's configuration.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Config, ConfigError } from "./config.js";
import { parseSecretKey, SECRET_KEY_BYTES, SecretBox } from "./domain/kernel/secrets.js";

export type SecretKeyConfig = Pick<Config, "database" | "secretsKey" | "secretsKeysPrevious">;

/** The key file of a SQLite database: beside it. */
export const keyFileOf = (databaseFile: string): string => join(dirname(databaseFile), "secrets.key");

/** The keys in a key file, current first (a rotation keeps the previous one on a later line meanwhile). */
export function readKeyFile(path: string): Uint8Array[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError("SECRETS_KEY", `cannot read the key file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length === 0) throw new ConfigError("SECRETS_KEY", `the key file ${path} is empty`);
  return lines.map((line, index) => {
    try {
      return parseSecretKey(line);
    } catch (error) {
      throw new ConfigError("SECRETS_KEY", `the key file ${path}, line ${index + 1}: ${(error as Error).message}`);
    }
  });
}

/** Replaces the key file's keys in one step (write beside, then rename), readable by the owner only. */
export function writeKeyFile(path: string, keys: readonly Uint8Array[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, keys.map((key) => `${Buffer.from(key).toString("base64")}\n`).join(""), { mode: 0o600, flag: "wx" });
  renameSync(temporary, path);
}

/** The key file's keys, creating it with a new random key when there is none yet. */
function keyFileKeys(path: string): { keys: Uint8Array[]; created: boolean } {
  mkdirSync(dirname(path), { recursive: true });
  try {
    // "wx": two processes starting at once cannot both create it; the loser reads the winner's.
    writeFileSync(path, `${randomBytes(SECRET_KEY_BYTES).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    return { keys: readKeyFile(path), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new ConfigError("SECRETS_KEY", `cannot create the key file ${path}: ${(error as Error).message}`);
    return { keys: readKeyFile(path), created: false };
  }
}

export interface SecretKeys {
  box: SecretBox;
  /** Where the current key came from. */
  source: "SECRETS_KEY" | "key file";
  /** The key file, in key-file mode. */
  keyFile?: string;
  /** True when this call created the key file. */
  created: boolean;
}

/** The SecretBox for this configuration (see the rules above); ConfigError naming SECRETS_KEY otherwise. */
export function secretKeysFor(config: SecretKeyConfig): SecretKeys {
  if (config.secretsKey) return { box: new SecretBox(config.secretsKey, config.secretsKeysPrevious), source: "SECRETS_KEY", created: false };
  if (config.database.provider !== "sqlite") {
    throw new ConfigError(
      "SECRETS_KEY",
      "is required with PostgreSQL: 32 random bytes in base64 (openssl rand -base64 32), the same on every instance; it encrypts the secrets stored in the database",
    );
  }
  const keyFile = keyFileOf(config.database.file);
  const { keys, created } = keyFileKeys(keyFile);
  const [current, ...older] = keys;
  return { box: new SecretBox(current!, [...older, ...config.secretsKeysPrevious]), source: "key file", keyFile, created };
}
