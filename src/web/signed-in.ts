// Who a page treats as signed in: the one rule /learner and /records/ share, so a later sign-in
// (the LMS's JWT cookie) reaches every page that needs a learner at once.
import type { Actor } from "../domain/kernel/context.js";

/** Signed in = an authenticated actor with a username (authentication fills request.domain.actor). */
export const isSignedIn = (actor: Actor | undefined): actor is Actor => !!actor && actor.authenticated && actor.username !== "";
