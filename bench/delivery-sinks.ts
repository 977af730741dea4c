// The receivers of the deliveries benchmark, in a process of their own (so that receiving does not
// compete with autocannon in the driver): an SMTP server that accepts and drops every message, and
// an HTTP server that answers every webhook 204. Prints {"smtp": port, "http": port} when ready.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

let emails = 0;
let webhooks = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    stream.resume();
    stream.on("end", () => {
      emails++;
      callback();
    });
  },
});
const http = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    webhooks++;
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
process.stdout.write(`${JSON.stringify({ smtp: (smtp.server.address() as AddressInfo).port, http: (http.address() as AddressInfo).port })}\n`);
process.on("SIGTERM", () => {
  process.stderr.write(`received ${emails} emails and ${webhooks} webhook calls\n`);
  process.exit(0);
});
