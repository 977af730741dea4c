#!/usr/bin/env node
// The operator's command line: sites and the database. Calls the same domain functions as the
// HTTP transports. Usage: npm run cli -- <command> [options]   (npm run cli -- --help)
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ConfigError, loadConfig } from "../config.js";
import { type Database, openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { DomainError, InvalidError, NotFoundError } from "../domain/kernel/errors.js";
import { addSiteAlias, createSite, deleteSite, findSiteByDomain, listSiteAliases, listSites, removeSiteAlias, type Site, updateSite } from "../domain/tenancy/sites.js";
import { configureSiteTrust, getSiteTrust, type TokenAlgorithm } from "../domain/tenancy/site-trust.js";
import { mintToken } from "../auth/mint.js";
import { configureSiteOidc, disableSiteOidc } from "../domain/tenancy/site-sign-in.js";
import { createLoginLink } from "../domain/sessions/login-links.js";
import { parseSecretKey, SecretBox, SecretKeyError } from "../domain/kernel/secrets.js";
import { type RotationResult, rotateStoredSecrets } from "../domain/tenancy/stored-secrets.js";
import { readKeyFile, secretKeysFor, writeKeyFile } from "../secret-keys.js";
import { CredentialEventBus } from "../domain/events/bus.js";
import { randomIds, systemClock } from "../domain/kernel/capabilities.js";
import { type DomainContext, operator } from "../domain/kernel/context.js";
import { webhookCommands } from "./webhooks.js";
import type { AwardEmailSettings, AwardEmailSettingsInput } from "../domain/notifications/email/settings.js";
import { configureSiteGraphQLLimits, getSiteGraphQLLimitOverrides, GRAPHQL_LIMIT_NAMES, type GraphQLLimitOverrides } from "../domain/tenancy/site-limits.js";

/**
 * Runs `fn` on the migrated database. `secrets()` resolves the secrets key (secret-keys.ts) only for
 * the commands that read or write a stored secret, so the others need no SECRETS_KEY.
 */
async function withDatabase<T>(fn: (db: Database, secrets: () => SecretBox) => Promise<T>): Promise<T> {
  const config = loadConfig();
  await migrate(config.database, { connectTimeoutMs: config.dbConnectTimeoutMs });
  const database = await openDatabase(config.database, { connectTimeoutMs: config.dbConnectTimeoutMs, preparedStatements: config.dbPreparedStatements });
  try {
    return await fn(database, () => secretKeysFor(config).box);
  } finally {
    await database.close();
  }
}

/**
 * Runs `fn` on the site at `domain` as the operator. The capabilities are app.ts's defaults, built
 * here: importing app.ts (Fastify, GraphQL) would add seconds to every command's start.
 */
async function withSite<T>(domain: string, fn: (ctx: DomainContext) => Promise<T>): Promise<T> {
  return withDatabase(async (db, secrets) => {
    const site = await findSiteByDomain(db.prisma, domain.toLowerCase());
    if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
    return fn({ site, actor: operator, db: db.prisma, sql: db.sql, clock: systemClock, ids: randomIds, events: new CredentialEventBus(), secrets: secrets() });
  });
}

/** secrets:rotate: the key in `variable` becomes the current one; every stored secret is re-encrypted under it. */
async function rotateSecrets(newKeyVariable: string | undefined): Promise<string> {
  const config = loadConfig();
  const keys = secretKeysFor(config);
  let newKey: Uint8Array | undefined;
  if (newKeyVariable !== undefined) {
    const text = process.env[newKeyVariable];
    if (!text) throw new ConfigError(newKeyVariable, "is not set: it should hold the new key (32 random bytes in base64, e.g. openssl rand -base64 32)");
    try {
      newKey = parseSecretKey(text);
    } catch (error) {
      throw new ConfigError(newKeyVariable, (error as Error).message);
    }
  }
  const current = keys.box;
  const accepted = [...(config.secretsKey ? [config.secretsKey] : []), ...config.secretsKeysPrevious];
  const fileKeys = keys.keyFile ? readKeyFile(keys.keyFile) : [];
  const box = newKey ? new SecretBox(newKey, [...fileKeys, ...accepted]) : current;
  // Key-file mode: the new key goes first into the file before any value is encrypted with it, the
  // old ones stay on later lines until the transaction committed, so a crash loses neither.
  if (newKey && keys.keyFile) writeKeyFile(keys.keyFile, [newKey, ...fileKeys]);
  let result: RotationResult;
  try {
    result = await withDatabase((db) => rotateStoredSecrets(db.prisma, box));
  } catch (error) {
    if (newKey && keys.keyFile) writeKeyFile(keys.keyFile, fileKeys);
    throw error;
  }
  if (newKey && keys.keyFile) writeKeyFile(keys.keyFile, [newKey]);
  const next = !newKey ? "" : keys.keyFile ? `; the key file ${keys.keyFile} now holds only the new key` : `; now set SECRETS_KEY to the value of ${newKeyVariable} (and drop the old key)`;
  return `re-encrypted ${result.reencrypted} stored secret(s) under key id ${box.keyId} (${result.fromPlain} were plain text), ${result.unchanged} already under it${next}`;
}

const show = (site: Site) => `${site.id}\t${site.domain}\t${site.name}`;

export function buildCli(): Command {
  const program = new Command("credentials")
    .description("Manage the Credentials service (uses DATABASE_URL, like the server)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("db:migrate")
    .description("apply pending database migrations")
    .action(async () => {
      const config = loadConfig();
      const result = await migrate(config.database, { connectTimeoutMs: config.dbConnectTimeoutMs });
      console.log(result.applied.length ? `applied: ${result.applied.join(", ")}` : "database is up to date");
    });

  program
    .command("site:create")
    .description("create a site (tenant) answering on a host name")
    .requiredOption("--domain <host>", "host name the site answers on, e.g. credentials.example.org")
    .requiredOption("--name <name>", "display name, e.g. the platform's name")
    .action(async (opts: { domain: string; name: string }) => {
      const site = await withDatabase((db) => createSite(db.prisma, opts));
      console.log(`created site ${show(site)}`);
    });

  program
    .command("site:list")
    .description("list sites")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      const sites = await withDatabase((db) => listSites(db.prisma));
      if (opts.json) console.log(JSON.stringify(sites, null, 2));
      else for (const site of sites) console.log(show(site));
    });

  program
    .command("site:alias")
    .description("let a site answer on another host name too (an Open edX LMS's CREDENTIALS_INTERNAL_SERVICE_URL), or list its aliases")
    .requiredOption("--domain <host>", "the site's host name")
    .option("--add <host>", "host name to add")
    .option("--remove <host>", "host name to remove")
    .action(async (opts: { domain: string; add?: string; remove?: string }) => {
      const aliases = await withDatabase(async (db) => {
        if (opts.add) await addSiteAlias(db.prisma, opts.domain, opts.add);
        if (opts.remove) await removeSiteAlias(db.prisma, opts.domain, opts.remove);
        return listSiteAliases(db.prisma, opts.domain);
      });
      console.log(`site ${opts.domain} also answers on: ${aliases.length ? aliases.join(", ") : "(no aliases)"}`);
    });

  program
    .command("site:update")
    .description("rename a site or move it to another host name")
    .requiredOption("--domain <host>", "the site's current host name")
    .option("--new-domain <host>", "new host name")
    .option("--name <name>", "new display name")
    .action(async (opts: { domain: string; newDomain?: string; name?: string }) => {
      const site = await withDatabase((db) => updateSite(db.prisma, opts.domain, { domain: opts.newDomain, name: opts.name }));
      console.log(`updated site ${show(site)}`);
    });

  program
    .command("site:delete")
    .description("delete a site and everything it owns")
    .requiredOption("--domain <host>", "the site's host name")
    .option("--force", "delete even if it holds credentials")
    .action(async (opts: { domain: string; force?: boolean }) => {
      await withDatabase((db) => deleteSite(db.prisma, opts.domain, { force: opts.force }));
      console.log(`deleted site ${opts.domain}`);
    });

  program
    .command("site:auth")
    .description("set which tokens a site accepts: the LMS's issuer and HS256 secret and/or public keys (JWKS)")
    .requiredOption("--domain <host>", "the site's host name")
    .requiredOption("--issuer <iss>", "the iss claim of the LMS's tokens")
    .option("--audience <aud>", "the aud claim expected (default: the site's domain)")
    .option("--secret <secret>", "HS256 shared secret (at least 32 characters); prefer --secret-env")
    .option("--secret-env <VAR>", "read the HS256 secret from this environment variable")
    .option("--generate-secret", "generate a random HS256 secret and print it once")
    .option("--jwks-file <path>", "a JSON Web Key Set file with the LMS's public keys")
    .option("--jwks-url <url>", "where the LMS publishes its JWKS")
    .option("--algorithms <list>", "comma-separated algorithms accepted", "HS256")
    .action(
      async (opts: {
        domain: string;
        issuer: string;
        audience?: string;
        secret?: string;
        secretEnv?: string;
        generateSecret?: boolean;
        jwksFile?: string;
        jwksUrl?: string;
        algorithms: string;
      }) => {
        const generated = opts.generateSecret ? randomBytes(32).toString("base64url") : undefined;
        const secret = generated ?? (opts.secretEnv ? process.env[opts.secretEnv] : opts.secret);
        await withDatabase((db, secrets) =>
          configureSiteTrust(
            db.prisma,
            opts.domain.toLowerCase(),
            {
              issuer: opts.issuer,
              audience: opts.audience,
              hmacSecret: secret,
              jwks: opts.jwksFile ? readFileSync(opts.jwksFile, "utf8") : undefined,
              jwksUrl: opts.jwksUrl,
              algorithms: opts.algorithms
                .split(",")
                .map((a) => a.trim())
                .filter(Boolean) as TokenAlgorithm[],
            },
            secrets(),
          ),
        );
        console.log(`site ${opts.domain} now accepts tokens from issuer ${opts.issuer} (${opts.algorithms})`);
        if (generated) console.log(`generated HS256 secret (configure the LMS with it; it is not shown again): ${generated}`);
      },
    );

  program
    .command("site:oidc")
    .description("let a site's learners sign in with its LMS (OpenID Connect): the client registered at the LMS, with redirect URI https://<domain>/login/callback")
    .requiredOption("--domain <host>", "the site's host name")
    .option("--issuer <url>", "the LMS's OpenID Connect issuer, e.g. https://lms.example.org/oauth2")
    .option("--client-id <id>", "the client id the LMS gave this site")
    .option("--client-secret <secret>", "the client secret; prefer --client-secret-env")
    .option("--client-secret-env <VAR>", "read the client secret from this environment variable")
    .option("--scope <scopes>", "scopes asked for", "openid profile email")
    .option("--authorization-endpoint <url>", "when the LMS publishes no discovery document: its authorization endpoint")
    .option("--token-endpoint <url>", "... its token endpoint")
    .option("--jwks-uri <url>", "... and its JWKS")
    .option("--disable", "turn sign-in with the LMS off (forgets the client)")
    .action(
      async (opts: {
        domain: string;
        issuer?: string;
        clientId?: string;
        clientSecret?: string;
        clientSecretEnv?: string;
        scope: string;
        authorizationEndpoint?: string;
        tokenEndpoint?: string;
        jwksUri?: string;
        disable?: boolean;
      }) => {
        const domain = opts.domain.toLowerCase();
        if (opts.disable) {
          await withDatabase((db) => disableSiteOidc(db.prisma, domain));
          console.log(`site ${domain}: sign-in with the LMS is off`);
          return;
        }
        const clientSecret = opts.clientSecretEnv ? process.env[opts.clientSecretEnv] : opts.clientSecret;
        await withDatabase((db, secrets) =>
          configureSiteOidc(
            db.prisma,
            domain,
            {
              issuer: opts.issuer ?? "",
              clientId: opts.clientId ?? "",
              clientSecret: clientSecret ?? "",
              scope: opts.scope,
              authorizationEndpoint: opts.authorizationEndpoint,
              tokenEndpoint: opts.tokenEndpoint,
              jwksUri: opts.jwksUri,
            },
            secrets(),
          ),
        );
        console.log(`site ${domain}: learners sign in with ${opts.issuer} (client ${opts.clientId}); register the redirect URI https://${domain}/login/callback at the LMS`);
        if (opts.issuer?.startsWith("http:")) console.log("warning: the issuer is plain http: use https except on a development machine");
      },
    );

  program
    .command("site:email")
    .description("show or change a site's award email: on or off, subject, MJML template, its own SMTP server, the address its links use")
    .requiredOption("--domain <host>", "the site's host name")
    .option("--enable", "send an email when a credential is awarded (the default)")
    .option("--disable", "send none")
    .option("--subject <liquid>", 'the subject, e.g. "You earned {{ certificate.title }}"; "" for the built-in one')
    .option("--template-file <path>", "an MJML template with Liquid (an empty file: the built-in one)")
    .option("--smtp-url-env <VAR>", "read the site's SMTP URL (smtp:// or smtps://) from this variable; empty: SMTP_URL's")
    .option("--public-base-url <url>", 'the address links in the email use, e.g. http://localhost:3000; "" for https://<domain>')
    .option("--preview <file>", "also write the email's HTML, for a sample learner, to this file")
    .action(async (opts: { domain: string; enable?: boolean; disable?: boolean; subject?: string; templateFile?: string; smtpUrlEnv?: string; publicBaseUrl?: string; preview?: string }) => {
      if (opts.enable && opts.disable) throw new InvalidError("--enable and --disable exclude each other");
      const input: AwardEmailSettingsInput = {
        ...(opts.enable || opts.disable ? { emailEnabled: Boolean(opts.enable) } : {}),
        ...(opts.subject === undefined ? {} : { emailSubject: opts.subject }),
        ...(opts.templateFile === undefined ? {} : { emailTemplate: readFileSync(opts.templateFile, "utf8") }),
        ...(opts.publicBaseUrl === undefined ? {} : { publicBaseUrl: opts.publicBaseUrl }),
      };
      if (opts.smtpUrlEnv !== undefined) {
        const url = process.env[opts.smtpUrlEnv];
        if (url === undefined) throw new ConfigError(opts.smtpUrlEnv, "is not set: it should hold the site's SMTP URL, e.g. smtps://user:password@mail.example.org:465");
        input.smtpUrl = url;
      }
      const domain = opts.domain.toLowerCase();
      // Loaded here only: the app's capabilities and MJML would slow every other command's start.
      const [{ createCapabilities }, { CredentialEventBus }, { getAwardEmailSettings, updateAwardEmailSettings }, { previewAwardEmail }] = await Promise.all([
        import("../app.js"),
        import("../domain/events/bus.js"),
        import("../domain/notifications/email/settings.js"),
        import("../domain/notifications/email/preview.js"),
      ]);
      const { settings, html } = await withDatabase(async (db, secrets) => {
        const site = await findSiteByDomain(db.prisma, domain);
        if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
        const ctx: DomainContext = { site, actor: operator, db: db.prisma, sql: db.sql, ...createCapabilities(new CredentialEventBus(), { secrets: secrets() }) };
        const settings = Object.keys(input).length > 0 ? await updateAwardEmailSettings(ctx, input) : await getAwardEmailSettings(ctx);
        return { settings, html: opts.preview ? (await previewAwardEmail(ctx)).html : undefined };
      });
      for (const line of emailSettingsLines(settings)) console.log(line);
      if (opts.preview && html !== undefined) {
        writeFileSync(opts.preview, html);
        console.log(`preview\t${opts.preview}`);
      }
    });

  program
    .command("login-link")
    .description("print a single-use sign-in link for a learner (a laptop with no LMS): opening it shows a button that signs in")
    .requiredOption("--domain <host>", "the site's host name")
    .requiredOption("--username <name>", "who the link signs in")
    .option("--minutes <n>", "how long the link can be used", "10")
    .option("--base-url <url>", "the site's address as the browser reaches it (default http://<domain>:<PORT>)")
    .action(async (opts: { domain: string; username: string; minutes: string; baseUrl?: string }) => {
      const domain = opts.domain.toLowerCase();
      if (!/^\d+$/.test(opts.minutes.trim())) throw new InvalidError("--minutes must be a whole number");
      const base = (opts.baseUrl ?? `http://${domain}:${loadConfig().port}`).replace(/\/+$/, "");
      if (!/^https?:\/\/[^/]+/.test(base)) throw new InvalidError("--base-url must be an http(s) URL, e.g. http://localhost:3000");
      const link = await withDatabase((db) => createLoginLink(db.prisma, domain, { username: opts.username, minutes: Number(opts.minutes) }, new Date()));
      console.log(`${base}/login/link/${link.token}`);
      console.error(`single use, for ${link.username}, until ${link.expiresAt.toISOString()}`);
    });

  program
    .command("site:graphql-limits")
    .description("show or change a site's GraphQL operation limits (overrides of the GRAPHQL_MAX_* defaults)")
    .requiredOption("--domain <host>", "the site's host name")
    .option("--max-document-bytes <n>", "bytes of a GraphQL document")
    .option("--max-tokens <n>", "lexical tokens of a document")
    .option("--max-depth <n>", "nested field levels")
    .option("--max-aliases <n>", "aliased fields in an operation")
    .option("--max-directives <n>", "directive uses in an operation")
    .option("--max-cost <n>", "estimated fields resolved, list sizes counted")
    .option("--reset <list>", `comma-separated limits to set back to the default (${GRAPHQL_LIMIT_NAMES.join(", ")}, or all)`)
    .action(async (opts: Record<string, string | undefined> & { domain: string; reset?: string }) => {
      const overrides: GraphQLLimitOverrides = {};
      const reset = (opts.reset ?? "")
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);
      for (const name of reset) {
        if (name === "all") for (const each of GRAPHQL_LIMIT_NAMES) overrides[each] = null;
        else if ((GRAPHQL_LIMIT_NAMES as string[]).includes(name)) overrides[name as keyof GraphQLLimitOverrides] = null;
        else throw new InvalidError(`--reset: unknown limit "${name}"; use ${GRAPHQL_LIMIT_NAMES.join(", ")} or all`);
      }
      for (const name of GRAPHQL_LIMIT_NAMES) {
        const raw = opts[name];
        if (raw === undefined) continue;
        if (!/^\d+$/.test(raw.trim())) throw new InvalidError(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a whole number`);
        overrides[name] = Number(raw);
      }
      const domain = opts.domain.toLowerCase();
      const current = await withDatabase(async (db) => {
        if (Object.keys(overrides).length > 0) await configureSiteGraphQLLimits(db.prisma, domain, overrides);
        const site = await findSiteByDomain(db.prisma, domain);
        if (!site) throw new NotFoundError(`No site for domain "${domain}"`);
        return getSiteGraphQLLimitOverrides(db.prisma, site);
      });
      for (const name of GRAPHQL_LIMIT_NAMES) console.log(`${name}\t${current[name] ?? "default"}`);
    });

  program
    .command("token:mint")
    .description("mint a token for local use, signed with the site's HS256 secret")
    .requiredOption("--domain <host>", "the site's host name")
    .requiredOption("--username <name>", "who the token is for")
    .option("--roles <list>", "comma-separated roles: admin, pm, ux, support, system, course_team:<course_id>", "")
    .option("--ttl <seconds>", "lifetime in seconds", "3600")
    .action(async (opts: { domain: string; username: string; roles: string; ttl: string }) => {
      const token = await withDatabase(async (db, secrets) => {
        const site = await findSiteByDomain(db.prisma, opts.domain.toLowerCase());
        if (!site) throw new NotFoundError(`No site for domain "${opts.domain}"`);
        const ttl = Number(opts.ttl);
        // No longer than the service accepts (TOKEN_MAX_LIFETIME_SECONDS): a minted token must work.
        const max = loadConfig().tokenMaxLifetimeSeconds;
        if (!Number.isInteger(ttl) || ttl < 1 || ttl > max) throw new InvalidError(`--ttl must be a whole number of seconds from 1 to ${max} (TOKEN_MAX_LIFETIME_SECONDS)`);
        return mintToken(await getSiteTrust(db.prisma, site, secrets()), {
          username: opts.username,
          roles: opts.roles
            .split(",")
            .map((r) => r.trim())
            .filter(Boolean),
          ttlSeconds: ttl,
        });
      });
      console.log(token);
    });

  webhookCommands(program, withSite);

  program
    .command("secrets:rotate")
    .description(
      "re-encrypt every stored secret in one transaction: under the current key (SECRETS_KEY, or SQLite's key file), which also encrypts legacy plain-text values; " +
        "with --new-key-env, under the key in that variable (the current key and SECRETS_KEY_PREVIOUS still read meanwhile)",
    )
    .option("--new-key-env <VAR>", "environment variable holding the new key (32 random bytes in base64)")
    .action(async (opts: { newKeyEnv?: string }) => {
      console.log(await rotateSecrets(opts.newKeyEnv));
    });

  return program;
}

/** The settings as `name<TAB>value` lines; the templates by whether they are the site's own. */
function emailSettingsLines(v: AwardEmailSettings): string[] {
  return [
    `enabled\t${v.emailEnabled}`,
    `subject\t${v.emailSubject || `${v.defaultSubject} (built-in)`}`,
    `template\t${v.emailTemplate ? `the site's own (${v.emailTemplate.length} characters)` : "built-in"}`,
    `smtp\t${v.smtpUrlSet ? "the site's own (set)" : "SMTP_URL, else .eml files in EMAIL_DIR"}`,
    `links\t${v.baseUrl}`,
  ];
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError || error instanceof DomainError || error instanceof SecretKeyError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error instanceof DomainError && error.code === "NOT_FOUND" ? 3 : 2;
    }
    process.stderr.write(`error: ${(error as Error).message?.split("\n")[0] ?? String(error)}\n`);
    return 1;
  }
}

runCli(process.argv.slice(2)).then((code) => process.exit(code));
