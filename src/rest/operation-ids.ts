// The OpenAPI operationId of a REST route, derived from its method and path so that every route
// has one without anyone writing it: GET /api/v1/users/:username/credentials/ is
// listUserCredentials, POST /api/v1/signatories/ createSignatory, PATCH /api/v1/signatories/:id
// updateSignatory. A route whose derived name reads wrong gives its own (RestRoute.operationId).

const VERSION = /^v\d+$/;
const isParameter = (segment: string) => segment.startsWith(":") || segment.startsWith("{");

/** "user-credentials", "learner_cert_status" -> "UserCredentials", "LearnerCertStatus". */
const pascal = (segment: string) =>
  segment
    .split(/[-_.]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");

/** The singular of an English plural as API paths write them ("Signatories", "Courses"); "Status" stays. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word) || !word.endsWith("s")) return word;
  return word.slice(0, -1);
}

/** Collection reads are list*, item reads get*; writes are create (POST), replace (PUT), update (PATCH), delete. */
const VERBS: Record<string, string> = { POST: "create", PUT: "replace", PATCH: "update", DELETE: "delete" };

export function operationIdOf(method: string, url: string): string {
  const segments = url.split("/").filter((segment) => segment !== "" && segment !== "api" && segment !== "*" && !VERSION.test(segment));
  const item = segments.length > 0 && isParameter(segments.at(-1)!);
  const words = segments.filter((segment) => !isParameter(segment)).map(pascal);
  const last = words.pop() ?? "Root";
  // Resources above the last one name one object each ("users/:username/credentials": User).
  const owner = words.map(singular).join("");
  if (method === "GET") return !item && singular(last) !== last ? `list${owner}${last}` : `get${owner}${singular(last)}`;
  return `${VERBS[method] ?? method.toLowerCase()}${owner}${singular(last)}`;
}
