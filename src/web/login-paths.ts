// Where sign-in starts and where it returns: every "sign in" on the pages links to signInHref(this
// page), and /login sends the browser back only to a path on this same site (no open redirect).
import type { Actor } from "../domain/kernel/context.js";
import { isSignedIn } from "./signed-in.js";

/** Where a sign-in goes when `next` is missing or not a path of this site. */
export const DEFAULT_NEXT = "/learner";

const LOCAL = "http://local.invalid";

/**
 * `next` when it is a path of this site ("/learner", "/credentials/…?x=1"), else DEFAULT_NEXT:
 * "//evil.example", "https://…", "/\\evil", control characters and anything resolving elsewhere are refused.
 */
export function safeNext(raw: unknown): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return DEFAULT_NEXT;
  // eslint-disable-next-line no-control-regex -- control characters never belong in a path we redirect to
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || /[\u0000-\u001f\u007f\s]/.test(raw)) return DEFAULT_NEXT;
  try {
    const url = new URL(raw, LOCAL);
    return url.origin === LOCAL ? `${url.pathname}${url.search}${url.hash}` : DEFAULT_NEXT;
  } catch {
    return DEFAULT_NEXT;
  }
}

/** The link that signs in and comes back to `next`. */
export const signInHref = (next: string): string => `/login?next=${encodeURIComponent(safeNext(next))}`;

/** Who the header shows as signed in. */
export interface Viewer {
  username: string;
}

export const viewerOf = (actor: Actor | undefined): Viewer | undefined => (isSignedIn(actor) ? { username: actor.username } : undefined);
