// A real webhook receiver for tests: a node:http server on 127.0.0.1 that keeps every request
// (headers and the raw body, for signature checks) and answers as the test says: a status, a
// redirect, or never (to make the sender time out).
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with (undefined: not answered). */
  answeredWith?: number;
}

/** How to answer one call: a status (and body), a redirect, or no answer at all. */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | "hang";

export interface WebhookReceiver {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Every call, in arrival order. */
  calls: ReceivedCall[];
  /** The answer to each next call (taken in order); when empty, `otherwise`. */
  answers: Answer[];
  otherwise: Answer;
  /** Resolves once `count` calls have arrived (or rejects after `timeoutMs`). */
  waitForCalls(count: number, timeoutMs?: number): Promise<ReceivedCall[]>;
  close(): Promise<void>;
}

export async function startReceiver(otherwise: Answer = { status: 204 }): Promise<WebhookReceiver> {
  const hanging = new Set<ServerResponse>();
  const waiters: (() => void)[] = [];
  const receiver: WebhookReceiver = {
    origin: "",
    calls: [],
    answers: [],
    otherwise,
    async waitForCalls(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (receiver.calls.length < count) {
        if (Date.now() > deadline) throw new Error(`the receiver got ${receiver.calls.length} call(s), not ${count}, within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return receiver.calls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answer = receiver.answers.shift() ?? receiver.otherwise;
      const call: ReceivedCall = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      if (answer !== "hang") call.answeredWith = answer.status;
      receiver.calls.push(call);
      for (const wake of waiters.splice(0)) wake();
      if (answer === "hang") {
        hanging.add(response);
        return;
      }
      response.writeHead(answer.status, answer.headers ?? {});
      response.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/**
 * The README's verification recipe (node:crypto only): HMAC-SHA256 keyed with the secret's bytes over
 * `${webhook-id}.${webhook-timestamp}.${body}`, compared in constant time with each v1 signature.
 */
export function signatureVerifies(secret: string, headers: IncomingHttpHeaders | Record<string, string>, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${String(headers["webhook-id"])}.${String(headers["webhook-timestamp"])}.${body}`;
  const expected = Buffer.from(createHmac("sha256", key).update(signed).digest("base64"));
  return String(headers["webhook-signature"])
    .split(" ")
    .some((versioned) => {
      const [version, signature = ""] = versioned.split(",");
      const given = Buffer.from(signature);
      return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** A call's JSON body as a webhook payload. */
export const payloadOf = (call: ReceivedCall) => JSON.parse(call.body) as { id: string; type: string; timestamp: string; data: { credential: Record<string, unknown> } };
