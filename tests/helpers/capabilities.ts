// The domain's capabilities for tests (src/domain/kernel/capabilities.ts): the real ones with any
// subset replaced, and the usual replacements: a clock the test sets and moves, ids counted from 1,
// and an event sink that records what it is handed.
import { CredentialEventBus } from "../../src/domain/events/bus.js";
import { SecretBox } from "../../src/domain/kernel/secrets.js";
import { type Capabilities, type Clock, type EventSink, type IdSource, type PublishedCredentialEvent, randomIds, systemClock } from "../../src/domain/kernel/capabilities.js";

/**
 * The capabilities the service runs with (as app.ts's createCapabilities builds them, with an event
 * bus of this context's own) and `overrides` in their place.
 */
export function testCapabilities(overrides: Partial<Capabilities> = {}): Capabilities {
  // The key of the test servers' TEST_SECRETS (helpers/app.ts): what a domain test seals, a server opens.
  return { clock: systemClock, ids: randomIds, events: new CredentialEventBus(), secrets: new SecretBox(new Uint8Array(32).fill(7)), ...overrides };
}

/** `ctx` with some capabilities replaced; the rest (and the site, actor, database) stay. */
export function withCapabilities<C extends Capabilities>(ctx: C, overrides: Partial<Capabilities>): C {
  return { ...ctx, ...overrides };
}

/** A clock that stands still at `current` until the test moves it. */
export class TestClock implements Clock {
  constructor(public current = new Date("2024-05-01T12:00:00.000Z")) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Uuids 00000000-0000-4000-8000-000000000001, ...0002, ... in order: predictable in assertions. */
export function sequentialIds(): IdSource {
  let next = 0;
  return { uuid: () => `00000000-0000-4000-8000-${String(++next).padStart(12, "0")}` };
}

/** An event sink that keeps every event it is handed, in order. */
export class RecordingEventSink implements EventSink {
  readonly published: PublishedCredentialEvent[] = [];
  publish(events: readonly PublishedCredentialEvent[]): void {
    this.published.push(...events);
  }
}
