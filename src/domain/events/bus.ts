// In-process publish/subscribe for credential events. The Accreditor appends CredentialEvent rows
// inside its transaction and hands them to the bus only after COMMIT, so a subscriber (email,
// webhooks, caches) never hears of a change that was rolled back. Subscribers run after the
// request's work is done: one that throws or rejects is logged and never fails the request.
// The bus is the default EventSink capability (kernel/capabilities.ts): app.ts creates one per app.
import type { PublishedCredentialEvent } from "../kernel/capabilities.js";

export type CredentialEventListener = (event: PublishedCredentialEvent) => void | Promise<void>;

/** pino's `logger.error(obj, msg)` fits; so does the console-based default. */
export interface EventBusLogger {
  error(details: object, message: string): void;
}

const consoleLogger: EventBusLogger = { error: (details, message) => console.error(message, details) };

export class CredentialEventBus {
  // Wrapped in objects so the same function subscribed twice is two subscriptions.
  readonly #listeners = new Set<{ listener: CredentialEventListener }>();

  constructor(private readonly logger: EventBusLogger = consoleLogger) {}

  /** Returns the function that unsubscribes. */
  subscribe(listener: CredentialEventListener): () => void {
    const entry = { listener };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Calls every subscriber for each event, in order; never throws. Only call after COMMIT. */
  publish(events: readonly PublishedCredentialEvent[]): void {
    for (const event of events) {
      for (const { listener } of [...this.#listeners]) {
        const fail = (error: unknown) =>
          this.logger.error({ err: error, eventId: event.event.id, eventType: event.event.type, credentialId: event.credential.id }, "credential event subscriber failed");
        try {
          const result = listener(event);
          if (result && typeof (result as Promise<void>).then === "function") (result as Promise<void>).then(undefined, fail);
        } catch (error) {
          fail(error);
        }
      }
    }
  }
}
