// One signed POST to a receiver, through the SSRF guard (address-guard.ts), answered as the outbox
// needs: a receipt for 2xx, else a DeliveryFailure with the status and a short, clear error.
// Redirects are not followed (a 3xx is a failure: the receiver must give its final URL), and the
// whole call, answer included, has one deadline.
import { lookup as dnsLookup } from "node:dns";
import { Agent, request } from "undici";
import { DeliveryFailure, type DeliveryReceipt } from "../../events/channels.js";
import { connectLookup, literalAddressOf, type LookupFunction, RefusedAddressError, refusedAddressReason } from "./address-guard.js";

/** Characters of a receiver's answer (or of an error) kept in the recorded error. */
const MAX_ERROR_TEXT = 200;
/** Bytes of a failed answer's body read for that error; the rest is dropped unread. */
const MAX_BODY_READ = 1024;

export interface PostOptions {
  /** The site allows loopback / link-local receivers (no guard). */
  allowPrivate: boolean;
  timeoutMs: number;
  /** The worker stops, or the delivery's lease runs out. */
  signal: AbortSignal;
}

const short = (text: string) => (text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text);

/** Drops the rest of an answer's body unread (the error a destroyed body emits is expected: heard and ignored). */
function discard(body: { on(event: "error", listener: () => void): unknown; destroy(): void }): void {
  body.on("error", () => {});
  body.destroy();
}

/** The readable start of a failed answer's body (control characters made spaces), or "". */
async function bodyStart(body: AsyncIterable<Buffer> & Parameters<typeof discard>[0]): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_BODY_READ) break;
    }
  } catch {
    // An answer cut off or timed out while its body was read: the status says enough.
  } finally {
    discard(body);
  }
  return Buffer.concat(chunks)
    .subarray(0, MAX_BODY_READ)
    .toString("utf8")
    .replace(/[\p{Cc}\s]+/gu, " ")
    .trim();
}

/** The first error in `error`'s cause chain that is a RefusedAddressError, or one with a code. */
function rootCause(error: unknown): { refused?: RefusedAddressError; code?: string; message: string } {
  let current: unknown = error;
  let code: string | undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof RefusedAddressError) return { refused: current, message: current.message };
    const own = (current as { code?: unknown }).code;
    if (typeof own === "string" && !own.startsWith("UND_ERR_")) code ??= own;
    current = current.cause;
  }
  return { ...(code ? { code } : {}), message: error instanceof Error ? error.message : String(error) };
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by the receiver",
  ENOTFOUND: "host not found (DNS)",
  EAI_AGAIN: "DNS lookup failed (temporary)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed by the receiver",
  UND_ERR_SOCKET: "connection closed by the receiver",
};

/**
 * Sends webhooks for every site: one connection pool with the guard, one without (sites that allow
 * private receivers), so a connection opened for one kind is never reused for the other.
 */
export class WebhookPoster {
  private readonly guarded: Agent;
  private readonly open: Agent;

  constructor(options: { lookup?: LookupFunction; timeoutMs: number }) {
    const resolve = options.lookup ?? (dnsLookup as unknown as LookupFunction);
    const common = { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
    this.guarded = new Agent({ ...common, connect: { lookup: connectLookup(resolve, true), timeout: options.timeoutMs } });
    this.open = new Agent({ ...common, connect: { lookup: connectLookup(resolve, false), timeout: options.timeoutMs } });
  }

  async post(url: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<DeliveryReceipt> {
    const literal = literalAddressOf(new URL(url).hostname);
    const refused = literal === null || options.allowPrivate ? null : refusedAddressReason(literal);
    // A literal address is never looked up, so the guard's lookup would not see it: checked here.
    if (refused) throw new DeliveryFailure(`refused: ${literal} is a ${refused} address, which this site's webhooks may not call (the operator may allow private webhooks)`);
    const deadline = AbortSignal.timeout(options.timeoutMs);
    try {
      const answer = await request(url, {
        method: "POST",
        headers,
        body,
        dispatcher: options.allowPrivate ? this.open : this.guarded,
        signal: AbortSignal.any([options.signal, deadline]),
      });
      const { statusCode } = answer;
      if (statusCode >= 200 && statusCode < 300) {
        // Read to the end (a small answer) so that the connection can carry the next call.
        await answer.body.dump({ limit: MAX_BODY_READ }).catch(() => {});
        return { statusCode };
      }
      if (statusCode >= 300 && statusCode < 400) {
        await answer.body.dump({ limit: MAX_BODY_READ }).catch(() => {});
        const location = answer.headers.location;
        const to = typeof location === "string" ? ` to ${short(location)}` : "";
        throw new DeliveryFailure(`HTTP ${statusCode}: redirect${to} not followed (give the receiver's final URL)`, { statusCode });
      }
      const text = await bodyStart(answer.body);
      // 410 Gone: the receiver says this endpoint is gone for good; retrying for a day cannot help.
      throw new DeliveryFailure(short(`HTTP ${statusCode}${text ? `: ${text}` : ""}`), { statusCode, permanent: statusCode === 410 });
    } catch (error) {
      if (error instanceof DeliveryFailure) throw error;
      if (deadline.aborted) throw new DeliveryFailure(`timed out after ${options.timeoutMs} ms`, { cause: error });
      if (options.signal.aborted) throw new DeliveryFailure("interrupted: the delivery worker stopped or its lease ran out", { cause: error });
      const cause = rootCause(error);
      if (cause.refused) throw new DeliveryFailure(`refused: ${cause.refused.message} (the operator may allow private webhooks for the site)`, { cause: error });
      const known = cause.code ? CONNECTION_ERRORS[cause.code] : undefined;
      throw new DeliveryFailure(short(known ? `${known} (${cause.code})` : `request failed: ${cause.code ? `${cause.code} ` : ""}${cause.message}`), { cause: error });
    }
  }

  /** Closes the pools' idle connections. */
  async close(): Promise<void> {
    await Promise.all([this.guarded.close(), this.open.close()]);
  }
}
