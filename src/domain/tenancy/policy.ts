// Who may do what: the seed's roles matrix, decided here once. Domain functions call authorize()
// with what they are about to do, so REST, GraphQL, pages and the CLI cannot disagree.
//
// Roles come from the token's "roles" claim: admin, pm, ux, support, system, and course-scoped
// course_team:<course_id>. Any signed-in user is a learner for their own username.
import type { Actor } from "../kernel/context.js";
import { ForbiddenError, UnauthenticatedError } from "../kernel/errors.js";

export const SITE_ROLES = ["admin", "pm", "ux", "support", "system"] as const;
export type SiteRole = (typeof SITE_ROLES)[number];
export const COURSE_TEAM_PREFIX = "course_team:";

/** What a credential concerns, for course-scoped roles and the self-paced rule. */
export interface CredentialScope {
  courseId?: string;
  programId?: number;
  /** Course certificates only: a learner may issue their own when true. */
  selfPaced?: boolean;
}

export type Permission =
  | { action: "credential.list"; username?: string; courseId?: string; programId?: number }
  | ({ action: "credential.issue"; username: string } & CredentialScope)
  | ({ action: "credential.revoke" } & CredentialScope)
  | { action: "configuration.read" }
  | { action: "configuration.write"; courseId?: string | null }
  | { action: "signatory.write" }
  | { action: "catalog.write" }
  | { action: "user.rename" }
  | { action: "grade.write" }
  | { action: "learner.status" }
  | { action: "record.share"; username: string }
  | { action: "notifications.manage" };

const has = (actor: Actor, ...roles: SiteRole[]) => roles.some((role) => actor.roles.includes(role));
export const coursesOf = (actor: Actor): string[] => actor.roles.filter((r) => r.startsWith(COURSE_TEAM_PREFIX)).map((r) => r.slice(COURSE_TEAM_PREFIX.length));
const teamOf = (actor: Actor, courseId: string | null | undefined) => courseId != null && coursesOf(actor).includes(courseId);
const isStaff = (actor: Actor) => actor.roles.some((r) => (SITE_ROLES as readonly string[]).includes(r)) || coursesOf(actor).length > 0;

/** True when the rules allow it; anonymous callers are allowed nothing that needs a name. */
export function allowed(actor: Actor, p: Permission): boolean {
  switch (p.action) {
    case "credential.list":
      return (p.username !== undefined && p.username === actor.username) || has(actor, "pm", "support", "system", "admin") || teamOf(actor, p.courseId);
    case "credential.issue":
      return has(actor, "pm", "support", "system", "admin") || teamOf(actor, p.courseId) || (p.username === actor.username && p.selfPaced === true);
    case "credential.revoke":
      return has(actor, "pm", "support", "admin") || teamOf(actor, p.courseId);
    case "configuration.read":
      return isStaff(actor);
    case "configuration.write":
      return has(actor, "pm", "ux", "admin") || teamOf(actor, p.courseId);
    case "signatory.write":
      return has(actor, "pm", "admin") || coursesOf(actor).length > 0;
    case "catalog.write":
      return has(actor, "pm", "system", "admin");
    case "user.rename":
      // The LMS's user retirement: its service worker (administrator) only.
      return has(actor, "admin");
    // The LMS's grading job (its service worker: administrator, or the system role) and nobody
    // else writes grades: they are the LMS's facts, not the credentials service's.
    case "grade.write":
      return has(actor, "system", "admin");
    // The real service's CanGetLearnerStatus: its learner-status worker and staff.
    case "learner.status":
      return has(actor, "system", "admin");
    // Making a learner's record public: the learner, or staff on their behalf (the real service's rule).
    case "record.share":
      return p.username === actor.username || has(actor, "admin");
    // Award email settings, webhook subscriptions (their secrets, where data goes), delivery logs
    // and redelivery: site administrators only.
    case "notifications.manage":
      return has(actor, "admin");
  }
}

const describe: Record<Permission["action"], string> = {
  "credential.list": "list these credentials",
  "credential.issue": "issue this credential",
  "credential.revoke": "change the status of this credential",
  "configuration.read": "read this site's configuration",
  "configuration.write": "change this configuration",
  "signatory.write": "change signatories",
  "catalog.write": "change the catalog",
  "user.rename": "replace usernames",
  "grade.write": "record grades",
  "learner.status": "read learners' certificate status",
  "record.share": "share this learner's record",
  "notifications.manage": "manage this site's award emails, webhooks and deliveries",
};

/** Throws UnauthenticatedError for an anonymous caller, ForbiddenError when the rules say no. */
export function authorize(actor: Actor, permission: Permission): void {
  if (!actor.authenticated) throw new UnauthenticatedError(`Authentication required to ${describe[permission.action]}`);
  if (!allowed(actor, permission)) throw new ForbiddenError(`You do not have permission to ${describe[permission.action]}`);
}

/** One stored credential, as the rules see it: whose it is and what it awards. */
export type CredentialSubject = { username: string } & CredentialScope;

/**
 * Whether the caller may see this credential when it is named by id: the rule of the lists it
 * appears in (the learner's own, a site-wide role, the course's team). The uuid read is public.
 */
export function maySeeCredential(actor: Actor, credential: CredentialSubject): boolean {
  if (!actor.authenticated) return false;
  return (
    allowed(actor, { action: "credential.list", username: credential.username }) ||
    (credential.courseId !== undefined && allowed(actor, { action: "credential.list", courseId: credential.courseId }))
  );
}

/**
 * authorize() for something done to one credential named by its id, which can be counted through:
 * a caller who may not see the credential gets `missing()` (the answer for an id that does not
 * exist, so 403 vs 404 cannot tell them which ids exist), a caller who sees it but may not do it a
 * ForbiddenError.
 */
export function authorizeOnCredential(actor: Actor, permission: Permission, credential: CredentialSubject, missing: () => Error): void {
  if (!actor.authenticated) throw new UnauthenticatedError(`Authentication required to ${describe[permission.action]}`);
  if (allowed(actor, permission)) return;
  if (!maySeeCredential(actor, credential)) throw missing();
  throw new ForbiddenError(`You do not have permission to ${describe[permission.action]}`);
}

/**
 * The username a credential list is limited to. A caller allowed the list gets it as asked; a
 * caller who names no learner, course or program and may not see the whole site gets their own
 * credentials ("my credentials"). Anything else they may not see is refused, never emptied.
 */
export function credentialListUsername(actor: Actor, filter: { username?: string; courseId?: string; programId?: number }): string | undefined {
  const unscoped = filter.username === undefined && filter.courseId === undefined && filter.programId === undefined;
  if (unscoped && actor.authenticated && !allowed(actor, { action: "credential.list" })) return actor.username;
  authorize(actor, { action: "credential.list", ...filter });
  return filter.username;
}

/** The course a not-yet-validated input names, for course-scoped roles (validation comes after). */
export function courseIdOf(input: unknown): string | undefined {
  const value = typeof input === "object" && input !== null ? (input as { courseId?: unknown }).courseId : undefined;
  return typeof value === "string" ? value : undefined;
}
