// REST field names <-> domain input names. REST speaks the seed's snake_case; the domain takes
// camelCase. A few seed names differ from the domain's (the seed's "template" is the domain's
// templateId, "image" its imageAssetId or imageUrl, an asset's "file" its data), listed once here.
// Null-prototype maps: looked up with client-sent names ("constructor" must not find Object's).
const RENAMED: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  templateId: "template",
  imageAssetId: "image",
  // A signatory's one REST `image` is either domain field (rest/routes/signatories.ts decides which);
  // the domain's errors about either name `image`. A body's `image` reads as imageAssetId (listed first).
  imageUrl: "image",
  data: "file",
  reason: "revocation_reason",
});
const UNRENAMED: Record<string, string> = Object.create(null) as Record<string, string>;
for (const [domain, rest] of Object.entries(RENAMED)) UNRENAMED[rest] ??= domain;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** "attributes.0.namespace" stays; "templateId" -> "template"; "courseId" -> "course_id". */
export function restFieldName(path: string): string {
  return path
    .split(".")
    .map((part) => RENAMED[part] ?? snake(part))
    .join(".");
}

/**
 * A validated REST body -> the domain's input: top-level keys renamed (nested objects such as
 * attributes already use the same names on both sides).
 */
export function toDomain(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [UNRENAMED[key] ?? camel(key), value]));
}
