// The Accreditor: the ONLY way a credential is issued, re-awarded or revoked (the seed's design).
// It asks the registry (registry.ts) for the credential type's issuer; an issuer validates its own fields and finds the
// configuration (course certificate, program certificate, ...) on the site. Everything else —
// update-or-create, attribute merge, the User row, the event log, retries on concurrent requests,
// publishing events after COMMIT — is shared here, so a new credential type is one register() call.
import * as writes from "../../db/credential-writes.js";
import { attributesOfCredentials } from "../../db/tables/credential-attributes.js";
import { credentialById, credentialByUuid } from "../../db/tables/credentials.js";
import type { UserCredential } from "../../db/generated/sqlite/client.js";
import type { SqlRunner } from "../../db/sql.js";
import type { DomainContext } from "../kernel/context.js";
import { authorize, authorizeOnCredential } from "../tenancy/policy.js";
import { type CredentialRef, type CredentialView, noCredentialWithId, normalizeUuid, sortAttributes } from "./queries.js";
import { ConflictError, DomainError, InvalidError, NotFoundError, type FieldErrors } from "../kernel/errors.js";
import type { EventBusLogger } from "../events/bus.js";
import type { PublishedCredentialEvent } from "../kernel/capabilities.js";
import { commonIssueSchema, type IssueCredentialInput, type ParsedIssue, parseIssue } from "./issue-input.js";
import { renameUser } from "../../db/tables/users.js";
import { renameGradesOwner } from "../../db/tables/user-grades.js";
import { renameShareOwner } from "../../db/tables/program-record-shares.js";
import { withConstraints } from "../kernel/rows.js";
import { type IssueOutcome, type WriteItem, writeIssues } from "./issue-writer.js";
import type { ResolvedConfiguration } from "./issuers/types.js";
import { type RegistryContext, registryOf } from "./registry.js";
import { ConcurrentChangeError, isRetryableTransactionError, retryingSqlTransaction } from "../kernel/transactions.js";

export type { IssueCredentialInput } from "./issue-input.js";
export type { IssueOutcome } from "./issue-writer.js";

export { Accreditor, accreditor } from "./registry.js";

/** A domain context, optionally with its own registry and logger (tests, other processes). */
export type AccreditorContext = RegistryContext & { logger?: EventBusLogger };

export interface IssueResult {
  credential: CredentialView;
  created: boolean;
}

export type BulkItemResult =
  { index: number; ok: true; credential: CredentialView; created: boolean } | { index: number; ok: false; error: { code: string; message: string; fields: FieldErrors } };

export const MAX_BULK_ITEMS = 1000;
/** Items written per transaction in a bulk request: few round trips, short locks. */
const CHUNK_SIZE = 200;

/** After retries ran out, a concurrency failure is a 409 for the caller to retry, not a 500. */
function conflictIfConcurrent(error: unknown): unknown {
  return isRetryableTransactionError(error) ? new ConflictError("The credential was changed by another request at the same time; try again") : error;
}

/** The active configuration a request names (NotFound / Invalid otherwise). */
async function activeConfiguration(tx: SqlRunner, ctx: AccreditorContext, parsed: ParsedIssue): Promise<ResolvedConfiguration> {
  const configuration = await parsed.issuer.findConfiguration(tx, ctx.site.id, parsed.issuerInput, ctx.clock.now());
  if (!configuration.isActive) {
    const message = `The ${configuration.label} is not active`;
    throw new InvalidError(message, { non_field_errors: [message] });
  }
  return configuration;
}

/** May the caller issue this configuration to this learner? (the roles policy decides) */
function authorizeIssue(ctx: DomainContext, parsed: ParsedIssue, configuration: ResolvedConfiguration): number {
  authorize(ctx.actor, { action: "credential.issue", username: parsed.username, ...configuration.scope });
  return configuration.id;
}

const writeItem = (parsed: ParsedIssue, configurationId: number): WriteItem => ({
  credentialType: parsed.issuer.credentialType,
  configurationId,
  username: parsed.username,
  attributes: parsed.attributes,
  ...(parsed.fullName !== undefined ? { fullName: parsed.fullName } : {}),
  ...(parsed.email !== undefined ? { email: parsed.email } : {}),
  status: parsed.status,
  ...(parsed.dateOverride !== undefined ? { dateOverride: parsed.dateOverride } : {}),
  ...(parsed.lmsUserId !== undefined ? { lmsUserId: parsed.lmsUserId } : {}),
});

/**
 * Awards a credential, or updates the learner's existing one: a revoked one is awarded again
 * (same id and uuid), attributes are merged. Idempotent and safe to call concurrently.
 */
export async function issueCredential(ctx: AccreditorContext, input: IssueCredentialInput | Record<string, unknown>): Promise<IssueResult> {
  const parsed = parseIssue(registryOf(ctx), input);
  let result: { outcomes: IssueOutcome[]; published: PublishedCredentialEvent[] };
  try {
    result = await retryingSqlTransaction(ctx.sql, async (tx) => writeIssues(tx, ctx, [writeItem(parsed, authorizeIssue(ctx, parsed, await activeConfiguration(tx, ctx, parsed)))]));
  } catch (error) {
    throw conflictIfConcurrent(error);
  }
  ctx.events.publish(result.published);
  return result.outcomes[0]!;
}

/**
 * Issues up to 1,000 credentials. Each item succeeds or fails on its own and is reported by its
 * index; valid items are written in chunked transactions (a chunk that fails is retried item by
 * item, so one bad item never rolls back the others).
 */
export async function issueCredentials(ctx: AccreditorContext, inputs: readonly unknown[]): Promise<BulkItemResult[]> {
  if (!Array.isArray(inputs)) throw InvalidError.field("non_field_errors", "must be a list of credentials to issue");
  if (inputs.length > MAX_BULK_ITEMS) throw InvalidError.field("non_field_errors", `at most ${MAX_BULK_ITEMS} items per request (got ${inputs.length})`);
  const registry = registryOf(ctx);
  const results: BulkItemResult[] = new Array(inputs.length);
  const valid: BulkItem[] = [];
  // Validate and resolve configurations up front, to report bad items without a transaction; most
  // bulks name one or a few configurations, so each is looked up once.
  const configurations = new Map<string, Promise<ResolvedConfiguration>>();
  for (const [index, input] of inputs.entries()) {
    try {
      const parsed = parseIssue(registry, input);
      const key = `${parsed.issuer.credentialType}\u0000${JSON.stringify(parsed.issuerInput)}`;
      let configuration = configurations.get(key);
      if (!configuration) configurations.set(key, (configuration = activeConfiguration(ctx.sql, ctx, parsed)));
      authorizeIssue(ctx, parsed, await configuration);
      valid.push({ index, key, parsed });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error; // the database is down, not the item bad
      results[index] = failure(ctx, index, error);
    }
  }
  for (let start = 0; start < valid.length; start += CHUNK_SIZE) await writeChunk(ctx, valid.slice(start, start + CHUNK_SIZE), results);
  return results;
}

interface BulkItem {
  index: number;
  /** Identifies the configuration the item names. */
  key: string;
  parsed: ParsedIssue;
}

async function writeChunk(ctx: AccreditorContext, chunk: BulkItem[], results: BulkItemResult[]): Promise<void> {
  try {
    const { outcomes, published } = await retryingSqlTransaction(ctx.sql, async (tx) => {
      // Resolved again inside the transaction: a configuration deactivated or deleted since the
      // check above must not award anything (the chunk then falls back to one item at a time).
      const ids = new Map<string, number>();
      for (const { key, parsed } of chunk) if (!ids.has(key)) ids.set(key, (await activeConfiguration(tx, ctx, parsed)).id);
      return writeIssues(
        tx,
        ctx,
        chunk.map(({ key, parsed }) => writeItem(parsed, ids.get(key)!)),
      );
    });
    chunk.forEach(({ index }, i) => (results[index] = { index, ok: true, ...outcomes[i]! }));
    ctx.events.publish(published);
  } catch (error) {
    if (chunk.length === 1) results[chunk[0]!.index] = failure(ctx, chunk[0]!.index, conflictIfConcurrent(error));
    else for (const one of chunk) await writeChunk(ctx, [one], results);
  }
}

function failure(ctx: AccreditorContext, index: number, error: unknown): BulkItemResult {
  if (error instanceof DomainError) {
    return { index, ok: false, error: { code: error.code, message: error.message, fields: error instanceof InvalidError ? error.fields : {} } };
  }
  (ctx.logger ?? { error: (d: object, m: string) => console.error(m, d) }).error({ err: error, index }, "bulk issue: item failed unexpectedly");
  return { index, ok: false, error: { code: "INTERNAL_SERVER_ERROR", message: "This credential could not be issued because of an unexpected error", fields: {} } };
}

// ---- status changes ----------------------------------------------------------------------------

async function findForUpdate(tx: SqlRunner, siteId: number, ref: CredentialRef): Promise<UserCredential> {
  let row: UserCredential | null;
  if (typeof ref !== "object" || ref === null) throw InvalidError.field("non_field_errors", "give a credential uuid or id");
  if ("uuid" in ref) {
    const uuid = normalizeUuid(ref.uuid);
    row = uuid ? await credentialByUuid(tx, siteId, uuid) : null;
    if (!row) throw new NotFoundError(`No credential with uuid "${String(ref.uuid).slice(0, 64)}"`);
  } else {
    const id = ref.id;
    row = Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647 ? await credentialById(tx, siteId, id) : null;
    if (!row) throw noCredentialWithId(id);
  }
  return row;
}

async function viewOf(tx: SqlRunner, row: UserCredential): Promise<CredentialView> {
  const attributes = await attributesOfCredentials(tx, row.siteId, [row.id]);
  return { ...row, attributes: sortAttributes(attributes.map(({ namespace, name, value }) => ({ namespace, name, value }))) };
}

/** Moves a credential to `to`; a no-op (no event) when it already has that status. */
async function changeStatus(ctx: AccreditorContext, ref: CredentialRef, to: "awarded" | "revoked", reason: string | null): Promise<CredentialView> {
  const siteId = ctx.site.id;
  if (!ctx.actor.authenticated) authorize(ctx.actor, { action: "credential.revoke" });
  let result: { view: CredentialView; published: PublishedCredentialEvent[] };
  try {
    result = await retryingSqlTransaction(ctx.sql, async (tx) => {
      const row = await findForUpdate(tx, siteId, ref);
      const scope = await registryOf(ctx).issuerFor(row.credentialType).scopeOf(tx, siteId, row.configurationId);
      // Named by id (countable), a caller who may not even see it gets the answer for a missing id;
      // the uuid is public, so there a refusal is a plain 403.
      if ("id" in ref) authorizeOnCredential(ctx.actor, { action: "credential.revoke", ...scope }, { username: row.username, ...scope }, () => noCredentialWithId(ref.id));
      else authorize(ctx.actor, { action: "credential.revoke", ...scope });
      if (row.status === to) return { view: await viewOf(tx, row), published: [] };
      const now = ctx.clock.now();
      const data = to === "revoked" ? { status: to, revokedAt: now, revocationReason: reason } : { status: to, revokedAt: null, revocationReason: null };
      // Conditional on the status we read, so two concurrent revocations record one event.
      const count = await writes.changeCredentialStatus(tx, siteId, [row.id], row.status, data, now);
      if (count !== 1) throw new ConcurrentChangeError("the credential changed status meanwhile");
      const updated: UserCredential = { ...row, ...data, updatedAt: now };
      const [event] = await writes.insertEvents(
        tx,
        siteId,
        [{ credentialId: row.id, type: to === "revoked" ? "revoked" : "reawarded", actor: ctx.actor.username, reason: to === "revoked" ? reason : null, details: "{}" }],
        now,
      );
      return { view: await viewOf(tx, updated), published: [{ siteId, event: event!, credential: updated }] };
    });
  } catch (error) {
    throw conflictIfConcurrent(error);
  }
  ctx.events.publish(result.published);
  return result.view;
}

/** Revokes a credential (status revoked, revokedAt, reason; event "revoked"). Revoking twice is a no-op. */
export async function revokeCredential(ctx: AccreditorContext, ref: CredentialRef, reason?: string | null): Promise<CredentialView> {
  if (reason != null && typeof reason !== "string") throw InvalidError.field("reason", "must be a string");
  const trimmed = reason?.trim() ? reason.trim() : null;
  if (trimmed && trimmed.length > 1000) throw InvalidError.field("reason", "must be at most 1000 characters");
  return changeStatus(ctx, ref, "revoked", trimmed);
}

/** Awards a revoked credential again (event "reawarded"); an awarded one is left as it is. */
export async function reawardCredential(ctx: AccreditorContext, ref: CredentialRef): Promise<CredentialView> {
  return changeStatus(ctx, ref, "awarded", null);
}

// ---- user retirement ---------------------------------------------------------------------------

/**
 * Replaces a learner's username wherever this site keeps it: the User row, their credentials, the
 * events they made, their grades, their shared program records (the LMS's user retirement renames a learner in every service).
 * One transaction: all or nothing. A username this site never saw is a success (nothing to do); a
 * new name that is invalid or already taken here is a failure (false), never a merge.
 */
async function replaceUsername(ctx: AccreditorContext, from: string, to: string): Promise<boolean> {
  if (!commonIssueSchema.shape.username.safeParse(to).success || from === to) return from === to;
  try {
    await withConstraints(
      () =>
        retryingSqlTransaction(ctx.sql, async (tx) => {
          const now = ctx.clock.now();
          await renameUser(tx, ctx.site.id, from, to, now);
          await writes.renameCredentialOwner(tx, ctx.site.id, from, to, now);
          await renameGradesOwner(tx, ctx.site.id, from, to, now);
          await renameShareOwner(tx, ctx.site.id, from, to);
        }),
      { duplicate: () => new ConflictError(`The username "${to}" is already taken on this site`) },
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}

/** replaceUsername for each [from, to] pair in order, each on its own; resolves with whether each succeeded. */
export async function replaceUsernames(ctx: AccreditorContext, pairs: readonly (readonly [string, string])[]): Promise<boolean[]> {
  authorize(ctx.actor, { action: "user.rename" });
  const results: boolean[] = [];
  for (const [from, to] of pairs) results.push(await replaceUsername(ctx, from, to));
  return results;
}
