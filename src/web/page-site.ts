// The site as a page draws it: its branding and who is signed in (the header shows them and a
// sign-out button). Every page route reads it here, so no page forgets the signed-in header.
import { siteBranding } from "../domain/rendering/branding.js";
import type { DomainContext } from "../domain/kernel/context.js";
import type { PageSite } from "./layout.js";
import { viewerOf } from "./login-paths.js";

export async function pageSite(ctx: DomainContext): Promise<PageSite> {
  return { ...(await siteBranding(ctx)), viewer: viewerOf(ctx.actor) };
}
