#!/usr/bin/env node
// The operator's command line: sites and the database. Calls the same domain functions as the
// HTTP transports. Usage: npm run cli -- <command> [options]   (npm run cli -- --help)
import { Command, CommanderError } from "commander";
import { ConfigError, loadConfig } from "../config.js";
import { type Database, openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { DomainError } from "../domain/errors.js";
import { createSite, deleteSite, listSites, type Site, updateSite } from "../domain/sites.js";

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  await migrate(config.database, { connectTimeoutMs: config.dbConnectTimeoutMs });
  const database = await openDatabase(config.database, { connectTimeoutMs: config.dbConnectTimeoutMs });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
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

  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError || error instanceof DomainError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error instanceof DomainError && error.code === "NOT_FOUND" ? 3 : 2;
    }
    process.stderr.write(`error: ${(error as Error).message?.split("\n")[0] ?? String(error)}\n`);
    return 1;
  }
}

runCli(process.argv.slice(2)).then((code) => process.exit(code));
