// Process entry: config -> database (migrated) -> default site -> app -> listen; graceful shutdown.
import { ConfigError, type Config, loadConfig } from "./config.js";
import { buildApp } from "./app.js";
import { type Database, DatabaseUnavailableError, openDatabase } from "./db/client.js";
import { migrate, MigrationError } from "./db/migrate.js";
import { redactUrl } from "./config.js";
import { ensureDefaultSite } from "./domain/tenancy/sites.js";
import { unreadableStoredSecrets } from "./domain/tenancy/stored-secrets.js";
import { type SecretKeys, secretKeysFor } from "./secret-keys.js";
import { closeGracefully } from "./http/shutdown.js";

/** Startup problems a person can fix: printed as one line, exit code 1. */
function fail(message: string): never {
  process.stderr.write(`credentials: ${message}\n`);
  process.exit(1);
}

async function prepareDatabase(config: Config): Promise<Database> {
  try {
    await migrate(config.database, { connectTimeoutMs: config.dbConnectTimeoutMs });
    return await openDatabase(config.database, { connectTimeoutMs: config.dbConnectTimeoutMs, preparedStatements: config.dbPreparedStatements });
  } catch (error) {
    if (error instanceof MigrationError) fail(`DATABASE_URL: ${error.message}`);
    if (error instanceof DatabaseUnavailableError) fail(`DATABASE_URL: ${error.message}`);
    const message = (error as Error).message?.split("\n")[0] ?? String(error);
    fail(`DATABASE_URL: cannot use ${redactUrl(config.database.url)}: ${message}`);
  }
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  // The key before the database: PostgreSQL without SECRETS_KEY is refused before anything is migrated.
  let keys: SecretKeys;
  try {
    keys = secretKeysFor(config);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const database = await prepareDatabase(config);
  const unreadable = await unreadableStoredSecrets(database.prisma, keys.box);
  if (unreadable.length > 0) fail(`SECRETS_KEY: cannot read ${unreadable.length} stored secret(s) with the configured keys; first: ${unreadable[0]}`);
  const created = await ensureDefaultSite(database.prisma, config.defaultSite);
  const app = await buildApp({
    config,
    database,
    secrets: keys.box,
    delivery: { worker: config.delivery.worker, pollMs: config.delivery.pollMs, leaseMs: config.delivery.leaseMs, webhookTimeoutMs: config.delivery.webhookTimeoutMs, email: config.email },
  });
  if (created) app.log.info({ domain: created.domain }, "created the default site");
  // The key's id and origin only: never the key.
  if (keys.created) app.log.info({ keyFile: keys.keyFile, keyId: keys.box.keyId }, "created the secrets key file (keep it with the database; set SECRETS_KEY to use another key)");
  else app.log.info({ source: keys.source, keyId: keys.box.keyId }, "secrets key loaded");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down: finishing in-flight requests");
    const timer = setTimeout(() => {
      app.log.error({ timeoutMs: config.shutdownTimeoutMs }, "shutdown timed out; exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      await closeGracefully(app, { idleGraceMs: config.shutdownIdleGraceMs });
      await database.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, "error while shutting down");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    fail(`PORT: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  app.log.info({ database: database.label }, "credentials service ready");
}

void main();
