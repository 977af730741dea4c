// The write half of issuing: given requests whose configuration is already resolved, update-or-create
// their credentials, merge attributes, keep User rows current and append events — all inside the
// caller's transaction, for one request or a chunk of a bulk request alike (one code path).
//
// It works set-wise to keep round trips low (a chunk of 200 costs about ten statements): load what
// exists, apply the requests in order to an in-memory copy (so two requests for the same learner in
// one chunk behave as if sent one after the other), then write the differences.
import * as writes from "../../db/credential-writes.js";
import { attributesOfCredentials } from "../../db/tables/credential-attributes.js";
import { credentialsOfUsers } from "../../db/tables/credentials.js";
import * as users from "../../db/tables/users.js";
import type { CredentialEventType, UserCredential } from "../../db/generated/sqlite/client.js";
import type { SqlRunner } from "../../db/sql.js";
import type { DomainContext } from "../kernel/context.js";
import { type Attribute, type CredentialView, normalizeUuid, sortAttributes } from "./queries.js";
import type { PublishedCredentialEvent } from "../kernel/capabilities.js";
import { ConcurrentChangeError } from "../kernel/transactions.js";

/** One issue request, validated, its configuration resolved. */
export interface WriteItem {
  credentialType: string;
  configurationId: number;
  username: string;
  attributes: Attribute[];
  fullName?: string;
  email?: string;
  /** The status the credential ends with: "revoked" revokes it (or records it revoked when new). */
  status: "awarded" | "revoked";
  /** undefined: leave it; null: clear it. */
  dateOverride?: Date | null;
  lmsUserId?: number;
}

export interface IssueOutcome {
  credential: CredentialView;
  /** True only for the request that created the credential. */
  created: boolean;
}

interface StoredAttribute extends Attribute {
  /** null while it is still to be inserted. */
  id: number | null;
}

interface State {
  row: UserCredential;
  /** The row as stored before this batch (status changes are written conditional on it). */
  stored: UserCredential;
  attributes: Map<string, StoredAttribute>;
  /** Created by this batch and not yet reported as created. */
  unreported: boolean;
}

interface PendingEvent {
  credentialId: number;
  type: CredentialEventType;
  details: unknown;
}

const sameDate = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

const credentialKey = (c: { credentialType: string; configurationId: number; username: string }) => `${c.credentialType}\u0000${c.configurationId}\u0000${c.username}`;
const attributeKey = (a: Attribute) => `${a.namespace}\u0000${a.name}`;

const snapshot = (state: State): CredentialView => ({
  ...state.row,
  attributes: sortAttributes([...state.attributes.values()].map(({ namespace, name, value }) => ({ namespace, name, value }))),
});

export async function writeIssues(tx: SqlRunner, ctx: DomainContext, items: readonly WriteItem[]): Promise<{ outcomes: IssueOutcome[]; published: PublishedCredentialEvent[] }> {
  const siteId = ctx.site.id;
  const now = ctx.clock.now();
  const states = await loadStates(tx, ctx, items, now);

  const touched = new Set<number>();
  const attributeInserts = new Map<string, { credentialId: number } & Attribute>();
  const attributeUpdates = new Map<number, string>(); // attribute id -> new value
  const events: PendingEvent[] = [];
  const outcomes: IssueOutcome[] = [];

  for (const item of items) {
    const state = states.get(credentialKey(item))!;
    const id = state.row.id;
    const created = state.unreported;
    state.unreported = false;
    if (created) {
      events.push({ credentialId: id, type: item.status === "revoked" ? "revoked" : "awarded", details: { attributes: item.attributes } });
    } else if (item.status === "awarded" && state.row.status === "revoked") {
      state.row = { ...state.row, status: "awarded", revokedAt: null, revocationReason: null, updatedAt: now };
      events.push({ credentialId: id, type: "reawarded", details: {} });
    } else if (item.status === "revoked" && state.row.status === "awarded") {
      state.row = { ...state.row, status: "revoked", revokedAt: now, revocationReason: null, updatedAt: now };
      events.push({ credentialId: id, type: "revoked", details: {} });
    }
    const dateChange = item.dateOverride !== undefined && !sameDate(item.dateOverride, state.row.dateOverride) ? { previous: state.row.dateOverride, value: item.dateOverride } : null;
    if (dateChange) state.row = { ...state.row, dateOverride: dateChange.value, updatedAt: now };
    // Merge: values sent replace, attributes not sent are kept.
    const changes: { namespace: string; name: string; previous: string | null; value: string }[] = [];
    for (const attribute of item.attributes) {
      const key = attributeKey(attribute);
      const current = state.attributes.get(key);
      if (current?.value === attribute.value) continue;
      changes.push({ namespace: attribute.namespace, name: attribute.name, previous: current?.value ?? null, value: attribute.value });
      if (current?.id != null) attributeUpdates.set(current.id, attribute.value);
      else attributeInserts.set(`${id}\u0000${key}`, { credentialId: id, ...attribute });
      state.attributes.set(key, { id: current?.id ?? null, ...attribute });
    }
    if ((changes.length > 0 || dateChange) && !created) {
      events.push({ credentialId: id, type: "attributes_changed", details: dateChange ? { changes, dateOverride: dateChange } : { changes } });
      state.row = { ...state.row, updatedAt: now };
      touched.add(id);
    }
    outcomes.push({ credential: snapshot(state), created });
  }

  const changed = [...states.values()].filter((s) => s.row.status !== s.stored.status);
  const reawarded = changed.filter((s) => s.row.status === "awarded").map((s) => s.row.id);
  const revoked = changed.filter((s) => s.row.status === "revoked").map((s) => s.row.id);
  // Conditional on the status we read: if another request changed it meanwhile, start over.
  const count =
    (await writes.changeCredentialStatus(tx, siteId, reawarded, "revoked", { status: "awarded", revokedAt: null, revocationReason: null }, now)) +
    (await writes.changeCredentialStatus(tx, siteId, revoked, "awarded", { status: "revoked", revokedAt: now, revocationReason: null }, now));
  if (count !== changed.length) throw new ConcurrentChangeError("a credential changed status while it was being issued");
  for (const s of states.values()) if (!sameDate(s.row.dateOverride, s.stored.dateOverride)) await writes.setDateOverride(tx, siteId, s.row.id, s.row.dateOverride, now);
  const statusChanged = new Set(changed.map((s) => s.row.id));
  await writes.touchCredentials(
    tx,
    siteId,
    [...touched].filter((id) => !statusChanged.has(id)),
    now,
  );
  await writes.insertAttributes(tx, siteId, [...attributeInserts.values()], now);
  // Grades repeat a lot in a bulk: one UPDATE per distinct value, not per row.
  const idsByValue = new Map<string, number[]>();
  for (const [id, value] of attributeUpdates) idsByValue.set(value, [...(idsByValue.get(value) ?? []), id]);
  for (const [value, ids] of idsByValue) await writes.setAttributeValue(tx, siteId, ids, value, now);

  await upsertUsers(tx, siteId, items, now);

  const actor = ctx.actor.username;
  const rows = await writes.insertEvents(
    tx,
    siteId,
    events.map((e) => ({ credentialId: e.credentialId, type: e.type, actor, reason: null, details: JSON.stringify(e.details) })),
    now,
  );
  const finalRows = new Map([...states.values()].map((s) => [s.row.id, s.row]));
  const published = rows.map((event) => ({ siteId, event, credential: finalRows.get(event.credentialId)! }));
  return { outcomes, published };
}

/** The credentials the items name, creating the missing ones, with their stored attributes. */
async function loadStates(tx: SqlRunner, ctx: DomainContext, items: readonly WriteItem[], now: Date): Promise<Map<string, State>> {
  const siteId = ctx.site.id;
  // By (siteId, username) — an index SQLite always picks — then narrowed here to the configurations
  // asked for. An OR of (type, configuration, usernames) groups made SQLite read every credential of
  // the site's type instead, once a chunk named more than one configuration.
  const wanted = new Set(items.map(credentialKey));
  const existing = (await credentialsOfUsers(tx, siteId, [...new Set(items.map((i) => i.username))])).filter((row) => wanted.has(credentialKey(row)));
  const states = new Map<string, State>(existing.map((row) => [credentialKey(row), { row, stored: row, attributes: new Map(), unreported: false }]));

  const missing = new Map<string, WriteItem>();
  for (const item of items) if (!states.has(credentialKey(item)) && !missing.has(credentialKey(item))) missing.set(credentialKey(item), item);
  if (missing.size > 0) {
    const created = await writes.insertCredentials(
      tx,
      siteId,
      [...missing.values()].map((item) => {
        const raw = ctx.ids.uuid();
        return {
          uuid: normalizeUuid(raw) ?? raw,
          credentialType: item.credentialType,
          configurationId: item.configurationId,
          username: item.username,
          status: item.status,
          dateOverride: item.dateOverride ?? null,
        };
      }),
      now,
    );
    for (const row of created) states.set(credentialKey(row), { row, stored: row, attributes: new Map(), unreported: true });
  }

  if (existing.length > 0) {
    const byId = new Map(existing.map((row) => [row.id, states.get(credentialKey(row))!]));
    const attributes = await attributesOfCredentials(
      tx,
      siteId,
      existing.map((r) => r.id),
    );
    for (const { credentialId, ...attribute } of attributes) byId.get(credentialId)!.attributes.set(attributeKey(attribute), attribute);
  }
  return states;
}

/** Creates missing User rows and applies the last fullName/email each learner was sent with. */
async function upsertUsers(tx: SqlRunner, siteId: number, items: readonly WriteItem[], now: Date): Promise<void> {
  const wanted = new Map<string, users.UserFields>();
  for (const item of items) {
    const fields = wanted.get(item.username) ?? {};
    if (item.fullName !== undefined) fields.fullName = item.fullName;
    if (item.email !== undefined) fields.email = item.email;
    if (item.lmsUserId !== undefined) fields.lmsUserId = item.lmsUserId;
    wanted.set(item.username, fields);
  }
  const existing = await users.userFieldsByUsername(tx, siteId, [...wanted.keys()]);
  const byUsername = new Map(existing.map((u) => [u.username, u]));
  const inserts = [];
  for (const [username, fields] of wanted) {
    const user = byUsername.get(username);
    if (!user) {
      inserts.push({ username, fullName: fields.fullName ?? "", email: fields.email ?? "", lmsUserId: fields.lmsUserId ?? null });
    } else if (
      (fields.fullName !== undefined && fields.fullName !== user.fullName) ||
      (fields.email !== undefined && fields.email !== user.email) ||
      (fields.lmsUserId !== undefined && fields.lmsUserId !== user.lmsUserId)
    ) {
      await users.updateUser(tx, siteId, user.id, fields, now);
    }
  }
  // A concurrent request creating the same user makes this a unique violation: the caller retries.
  await users.insertUsers(tx, siteId, inserts, now);
}
