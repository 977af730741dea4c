// The explicit context every domain function takes: which site, who is acting, the database,
// and the process's capabilities (clock, ids, event sink: capabilities.ts, replaceable in tests).
import type { Capabilities } from "./capabilities.js";
import type { Db } from "../../db/client.js";
import type { Sql } from "../../db/sql.js";
import type { Site } from "./models.js";

export interface Actor {
  /** The caller's username ("" when anonymous), or a system name such as "cli". */
  username: string;
  /** admin, pm, ux, support, system, course_team:<course_id> (see policy.ts). */
  roles: string[];
  /** False for a request without credentials: it may only read public data. */
  authenticated: boolean;
}

/** Per-request facts (site, actor), the database, and the capabilities (ctx.clock, ctx.ids, ctx.events). */
export interface DomainContext extends Capabilities {
  site: Site;
  actor: Actor;
  db: Db;
  /** Plain SQL on the same database, for the hot paths (src/db/sql.ts). */
  sql: Sql;
}

export const anonymous: Actor = { username: "", roles: [], authenticated: false };
/** The operator at the command line: a site administrator. */
export const operator: Actor = { username: "cli", roles: ["admin"], authenticated: true };
