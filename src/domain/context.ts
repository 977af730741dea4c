// The explicit context every domain function takes: which site, who is acting, the database,
// and the sources of time and randomness (replaceable in tests).
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.js";
import type { Site } from "./sites.js";

export interface Actor {
  /** "anonymous", a username, or a system name such as "cli". */
  username: string;
  roles: string[];
}

export interface Clock {
  now(): Date;
}

export interface DomainContext {
  site: Site;
  actor: Actor;
  db: Db;
  clock: Clock;
  uuid: () => string;
}

export const systemClock: Clock = { now: () => new Date() };
export const randomUuid = (): string => randomUUID();
export const anonymous: Actor = { username: "anonymous", roles: [] };
