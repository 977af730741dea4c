// CSRF defence for state-changing requests that a browser's cookies could authenticate (the pages'
// POST forms, and any write signed in by the LMS's JWT cookies): it must come from this site's own
// pages. Browsers say where a request comes from (Sec-Fetch-Site, Origin, Referer) and a page
// cannot forge these; a client that sends none of them is not a browser, so nothing ambient (a
// cookie, once sign-in uses one) was sent on its behalf.

interface RequestFacts {
  headers: Record<string, string | string[] | undefined>;
  /** The host the request was addressed to (Host, or X-Forwarded-Host behind a trusted proxy). */
  host: string;
}

const header = (facts: RequestFacts, name: string) => {
  const value = facts.headers[name];
  return typeof value === "string" ? value : undefined;
};

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** True unless a browser says the request was started by another site. */
export function isSameOrigin(facts: RequestFacts): boolean {
  const fetchSite = header(facts, "sec-fetch-site");
  if (fetchSite !== undefined) return fetchSite === "same-origin";
  const origin = header(facts, "origin");
  if (origin !== undefined) return hostOf(origin) === facts.host;
  const referer = header(facts, "referer");
  if (referer !== undefined) return hostOf(referer) === facts.host;
  return true;
}
