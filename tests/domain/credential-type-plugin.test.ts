// A credential type is one issuer: a third type registered with the app (here a "badge" whose
// configurations are a fixed list, no table) is issued, read back and revoked through REST and
// GraphQL with no change anywhere else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "graphql";
import { z } from "zod";
import type { CredentialIssuer } from "../../src/domain/credentials/issuers/types.js";
import { NotFoundError } from "../../src/domain/kernel/errors.js";
import { parseInput } from "../../src/domain/kernel/input.js";
import { startServer, type TestServer } from "../helpers/app.js";
import { providerUnderTest } from "../helpers/db.js";

interface Badge {
  id: number;
  slug: string;
  title: string | null;
}
const BADGES: Badge[] = [{ id: 1, slug: "helpful-reviewer", title: "Helpful reviewer" }];

const badgeInput = z.object({ badgeSlug: z.string({ error: "is required" }).min(1, "is required") });
const badgeIssuer: CredentialIssuer<{ badgeSlug: string }, Badge> = {
  credentialType: "badge",
  parse: (input) => parseInput(badgeInput, input),
  async findConfiguration(_tx, _siteId, { badgeSlug }) {
    const badge = BADGES.find((b) => b.slug === badgeSlug);
    if (!badge) throw new NotFoundError(`No badge "${badgeSlug}"`);
    return { id: badge.id, isActive: true, label: `badge "${badge.slug}"`, scope: {} };
  },
  scopeOf: async () => ({}),
  configurationsByIds: async (_ctx, ids) => ids.map((id) => BADGES.find((b) => b.id === id) ?? null),
  rest: {
    body: { schema: badgeInput, descriptions: { badgeSlug: "Badges." } },
    credentialJson: (base, badge) => ({ ...base, badge_slug: badge.slug }),
  },
  graphql: { fieldNames: [], fields: () => ({}) },
};

const ISSUE = parse(`
  mutation IssueBadge($input: IssueCredentialInput!) {
    issueCredential(input: $input) {
      created
      credential {
        uuid
        credentialType
        status
        title
        courseId
        configuration {
          __typename
        }
      }
    }
  }
`);
const READ = parse(`
  query ReadBadge($uuid: String!) {
    credential(uuid: $uuid) {
      credentialType
      status
      title
    }
  }
`);
const LIST = parse(`
  query ListBadges {
    credentials(filter: { type: "badge" }) {
      totalCount
      nodes {
        username
        title
        programId
      }
    }
  }
`);
const REVOKE = parse(`
  mutation RevokeBadge($uuid: String!) {
    revokeCredential(uuid: $uuid, reason: "test") {
      status
    }
  }
`);

describe(`a third credential type on ${providerUnderTest}`, () => {
  let server: TestServer;
  let admin: { authorization: string };
  beforeAll(async () => {
    server = await startServer({}, { issuers: [badgeIssuer] });
    admin = await server.as("staff", ["admin"]);
  });
  afterAll(() => server.close());

  it("is issued, read and revoked through REST", async () => {
    const issued = await server.request("/api/v1/user-credentials/", { headers: admin, json: { credential_type: "badge", username: "ada", badge_slug: "helpful-reviewer" } });
    expect(issued.status, issued.text).toBe(201);
    const body = issued.json() as { credential_id: number; uuid: string };
    expect(body).toMatchObject({ credential_type: "badge", username: "ada", status: "awarded", badge_slug: "helpful-reviewer", attributes: [] });

    const read = await server.request(`/api/v1/credentials/${body.uuid}`);
    expect(read.status).toBe(200);
    expect(read.json()).toEqual(body);

    const again = await server.request("/api/v1/user-credentials/", { headers: admin, json: { credential_type: "badge", username: "ada", badge_slug: "helpful-reviewer" } });
    expect(again.status).toBe(200);

    const revoked = await server.request(`/api/v1/user-credentials/${body.credential_id}`, { method: "PATCH", headers: admin, json: { status: "revoked" } });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json()).toMatchObject({ credential_type: "badge", status: "revoked", badge_slug: "helpful-reviewer" });

    // Lists serialize it as its issuer says, the configuration read in one batch per type.
    const list = await server.request("/api/v1/users/ada/credentials/", { headers: admin });
    expect(list.status).toBe(200);
    expect((list.json() as { results: unknown[] }).results).toEqual([{ ...body, status: "revoked" }]);
  });

  it("keeps the seed's rules for bodies without credential_type", async () => {
    // Not recognized as anything else: a course certificate, which has no badge_slug.
    const res = await server.request("/api/v1/user-credentials/", { headers: admin, json: { username: "ada", badge_slug: "helpful-reviewer" } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ badge_slug: ["is not a field of a course-certificate"] });
    const foreign = await server.request("/api/v1/user-credentials/", { headers: admin, json: { credential_type: "badge", username: "ada", badge_slug: "x", program_id: 3 } });
    expect(foreign.status).toBe(400);
    expect(foreign.json()).toEqual({ program_id: ["is not a field of a badge"] });
  });

  it("is issued, read and revoked through GraphQL, its fields passed as JSON", async () => {
    const input = { credentialType: "badge", username: "bob", fields: JSON.stringify({ badgeSlug: "helpful-reviewer" }) };
    const issued = await server.graphql(ISSUE, { input }, { headers: admin });
    expect(issued.errors).toBeUndefined();
    const { credential, created } = (issued.data as { issueCredential: { created: boolean; credential: { uuid: string } & Record<string, unknown> } }).issueCredential;
    expect(created).toBe(true);
    expect(credential).toMatchObject({ credentialType: "badge", status: "awarded", title: "Helpful reviewer", courseId: null, configuration: null });

    const read = await server.graphql(READ, { uuid: credential.uuid });
    expect(read.data).toEqual({ credential: { credentialType: "badge", status: "awarded", title: "Helpful reviewer" } });

    const list = await server.graphql(LIST, {}, { headers: admin });
    expect(list.data).toEqual({
      credentials: {
        totalCount: 2,
        nodes: [
          { username: "ada", title: "Helpful reviewer", programId: null },
          { username: "bob", title: "Helpful reviewer", programId: null },
        ],
      },
    });

    const revoked = await server.graphql(REVOKE, { uuid: credential.uuid }, { headers: admin });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data).toEqual({ revokeCredential: { status: "revoked" } });

    const bad = await server.graphql(ISSUE, { input: { ...input, fields: "[1]" } }, { headers: admin });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
  });
});
