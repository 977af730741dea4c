// How an award email leaves: over SMTP (a pooled nodemailer transport per URL, kept for reuse), or,
// with no SMTP configured, as an .eml file in a folder a newcomer can open. SMTP failures become
// DeliveryFailure: permanent when the server refused the message for good (5xx), retried otherwise.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LRUCache } from "lru-cache";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { DeliveryFailure } from "../../events/channels.js";

/** One SMTP conversation's limits: a dead server fails an attempt in seconds, not nodemailer's minutes. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

type Transporter = ReturnType<typeof nodemailer.createTransport>;

export class MailTransports {
  // Pooled connections per SMTP URL (sites may have their own); one that falls out is closed.
  readonly #smtp = new LRUCache<string, Transporter>({ max: 50, dispose: (transport) => transport.close() });
  // The raw RFC 822 message, for the .eml folder.
  readonly #eml = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });

  /**
   * Sends over SMTP at `url`; a DeliveryFailure when the server does not take it, or when `signal`
   * aborts first (shutdown, the lease running out: retried, and the server may still have it, so a
   * learner may get it twice, never zero times).
   */
  async sendSmtp(url: string, message: Mail.Options, signal?: AbortSignal): Promise<void> {
    let transport = this.#smtp.get(url);
    if (!transport) {
      transport = nodemailer.createTransport({ url, pool: true, maxConnections: 2, ...SMTP_TIMEOUTS });
      this.#smtp.set(url, transport);
    }
    const sent = transport.sendMail(message).catch((error: unknown) => Promise.reject(deliveryFailureOf(error)));
    if (!signal) return void (await sent);
    const interrupted = () => new DeliveryFailure("SMTP: interrupted (shutdown or lease ending) before the server answered");
    if (signal.aborted) throw interrupted();
    let stop: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      stop = () => reject(interrupted());
      signal.addEventListener("abort", stop, { once: true });
    });
    try {
      await Promise.race([sent, aborted]);
    } finally {
      signal.removeEventListener("abort", stop);
      sent.catch(() => {}); // answered after the abort: nothing waits for it
    }
  }

  /**
   * Writes the message to `dir` as `<time>-<label>.eml` (names sort by time), through a temporary
   * file renamed into place: a reader never sees half a message. Resolves with the file's path.
   */
  async writeEml(dir: string, at: Date, label: string, message: Mail.Options): Promise<string> {
    const info = await this.#eml.sendMail(message);
    await mkdir(dir, { recursive: true });
    const name = `${at.toISOString().replace(/:/g, "-")}-${label.replace(/[^A-Za-z0-9.-]+/g, "_")}.eml`;
    const path = join(dir, name);
    const temporary = join(dir, `.${name}.${process.pid}.tmp`);
    try {
      await writeFile(temporary, info.message as Buffer);
      await rename(temporary, path);
    } catch (error) {
      throw new DeliveryFailure(`could not write ${path}: ${(error as Error).message}`, { cause: error });
    }
    return path;
  }

  /** Closes every pooled SMTP connection. */
  close(): void {
    this.#smtp.clear();
  }
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  response?: string;
  message?: string;
}

/**
 * The delivery outcome of a nodemailer error. Permanent: the server refused the message or its
 * recipient for good (a 5xx reply, nodemailer's `permanent`). Retried: 4xx replies, connection
 * failures and timeouts, and a refused login (an administrator may fix the password in time).
 */
export function deliveryFailureOf(error: unknown): DeliveryFailure {
  const e = (error ?? {}) as SmtpError;
  const permanent = e.permanent === true && e.code !== "EAUTH";
  // The server's reply or the connection error; never the URL (it may hold a password).
  const reason = e.response ?? e.message ?? String(error);
  return new DeliveryFailure(`SMTP ${e.responseCode ?? e.code ?? "error"}: ${reason}`.slice(0, 500), {
    permanent,
    ...(e.responseCode === undefined ? {} : { statusCode: e.responseCode }),
    cause: error,
  });
}
