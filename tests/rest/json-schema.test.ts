// REST body schemas generated from zod (src/rest/json-schema.ts): shapes only, REST names, id
// bounds kept, every other rule left to the domain.
// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { distinctList, idSchema, languageSchema, nullableText, requiredText } from "../../src/domain/kernel/input.js";
import { convertBody, restBody, restObject, restValue } from "../../src/rest/json-schema.js";

const domain = z.object({
  name: requiredText(255),
  templateId: idSchema.nullish(),
  title: nullableText(255),
  certificateType: z.enum(["honor", "verified"]).nullish(),
  language: languageSchema,
  signatories: distinctList(idSchema).optional(),
  attributes: z.array(z.object({ namespace: z.string(), value: z.string() })).optional(),
  data: z.custom<Uint8Array>((value) => value instanceof Uint8Array),
  internal: z.boolean().optional(),
});

describe("restObject", () => {
  const schema = restObject(domain, {
    name: true,
    templateId: { description: "Template id." },
    title: true,
    certificateType: true,
    language: true,
    signatories: { uniqueItems: true },
    attributes: true,
    data: { schema: { type: "string" }, required: false },
  });

  it("lists the exposed fields under their REST names, in order, and nothing else", () => {
    expect(Object.keys(schema.properties as object)).toEqual(["name", "template", "title", "certificate_type", "language", "signatories", "attributes", "file"]);
    expect(schema).toMatchObject({ type: "object", additionalProperties: false, required: ["name"] });
  });

  it("keeps shapes and id bounds; lengths, patterns and formats stay with the domain", () => {
    expect(schema.properties).toEqual({
      name: { type: "string" },
      template: { type: ["integer", "null"], minimum: 1, maximum: 2_147_483_647, description: "Template id." },
      title: { type: ["string", "null"] },
      certificate_type: { type: ["string", "null"], enum: ["honor", "verified", null] },
      language: { type: ["string", "null"] },
      signatories: { type: "array", items: { type: "integer", minimum: 1, maximum: 2_147_483_647 }, uniqueItems: true },
      attributes: {
        type: "array",
        items: { type: "object", properties: { namespace: { type: "string" }, value: { type: "string" } }, required: ["namespace", "value"], additionalProperties: false },
      },
      file: { type: "string" },
    });
  });

  it("restValue shapes one value the same way", () => {
    expect(restValue(idSchema)).toEqual({ type: "integer", minimum: 1, maximum: 2_147_483_647 });
  });
});

describe("restBody", () => {
  it("reads a body as the domain's input (domain names) and converts it further", () => {
    const body = restBody(domain, { name: true, templateId: true, data: { schema: { type: "string" } } });
    expect(body.read({ name: "n", template: 3 })).toEqual({ name: "n", templateId: 3 });
    const converted = convertBody(body, ({ data, ...input }) => ({ ...input, data: typeof data === "string" ? Buffer.from(data) : undefined }));
    expect(converted.schema).toBe(body.schema);
    expect(converted.read({ name: "n", file: "ab" })).toEqual({ name: "n", data: Buffer.from("ab") });
  });
});
