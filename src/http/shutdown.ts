// Graceful shutdown of the HTTP server: every request a client already sent gets an answer.
//
// Node's server.close() stops listening and, in the same call, destroys every keep-alive connection
// it considers idle. A request a client has already written on such a connection but the server has
// not read yet is then lost: the client sees ECONNRESET (issue 13: 17 of 40 requests). So instead:
//   1. stop accepting connections, and answer every response from now on with `Connection: close`;
//   2. give idle keep-alive connections a short grace to deliver what is already on the wire
//      (each is answered, then closed by its `Connection: close`);
//   3. close the connections still idle, let in-flight requests finish, then close the app
//      (onClose hooks, Apollo's drain) once no connection is left.
import { Server as NetServer } from "node:net";
import type { FastifyInstance } from "fastify";

const draining = new WeakSet<FastifyInstance>();

/** Registers the hook that marks responses `Connection: close` while the app drains (call in buildApp). */
export function closeConnectionsWhenDraining(app: FastifyInstance): void {
  app.addHook("onRequest", (_request, reply, done) => {
    if (draining.has(app)) void reply.header("connection", "close");
    done();
  });
}

export interface GracefulCloseOptions {
  /** How long idle keep-alive connections may still deliver a request before they are closed. */
  idleGraceMs: number;
}

export async function closeGracefully(app: FastifyInstance, options: GracefulCloseOptions): Promise<void> {
  draining.add(app);
  const server = app.server;
  // net.Server's close: stop listening without http.Server's immediate closeIdleConnections(); its
  // callback runs once the last connection is gone.
  const connectionsGone = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, options.idleGraceMs));
  server.closeIdleConnections();
  // Connections that finish a response without `Connection: close` (one already being written when
  // draining began) become idle later: keep closing those until none is left.
  const reaper = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await connectionsGone;
  } finally {
    clearInterval(reaper);
  }
  // Fastify's close finds the server already closed (ERR_SERVER_NOT_RUNNING is expected there).
  await app.close();
}
