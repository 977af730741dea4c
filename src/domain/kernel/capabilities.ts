// The services the domain is handed instead of reaching for them (as Veramo's typed agent and
// digitalbazaar/vc's injected dependencies do): each is one named, typed field of every
// DomainContext, built once in app.ts (the composition root) and replaced in tests
// (tests/helpers/capabilities.ts). A new capability is an interface here, a field in
// Capabilities, and one line in app.ts's createCapabilities. Later: a signer, a status list.
import { randomUUID } from "node:crypto";
import type { CredentialEvent, UserCredential } from "../../db/generated/sqlite/client.js";
import type { SecretBox } from "./secrets.js";

/** The source of time: every timestamp the domain writes comes from now(). */
export interface Clock {
  now(): Date;
}

/** Mints identifiers: uuid() gives each new credential its public uuid. */
export interface IdSource {
  uuid(): string;
}

/** What an EventSink hears: one committed credential event (events/bus.ts fans it out to subscribers). */
export interface PublishedCredentialEvent {
  siteId: number;
  /** The committed event row. */
  event: CredentialEvent;
  /** The credential as the committed transaction left it. */
  credential: UserCredential;
}

/** Hears of committed changes: the Accreditor publishes only after COMMIT, and publish never throws. */
export interface EventSink {
  publish(events: readonly PublishedCredentialEvent[]): void;
}

export interface Capabilities {
  clock: Clock;
  ids: IdSource;
  events: EventSink;
  /** Seals and opens the secrets the domain stores (webhook signing secrets: secrets.ts). */
  secrets: SecretBox;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
/** Random (version 4) uuids. */
export const randomIds: IdSource = { uuid: () => randomUUID() };
