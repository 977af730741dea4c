// An award email template: MJML with Liquid. MJML compiles in tens of milliseconds, so a template
// is compiled once per text, with its Liquid left in place, and each email only runs Liquid over
// the compiled HTML (escaping every output, liquid.ts). The plain-text part is the same HTML as text.
import { convert } from "html-to-text";
import { LRUCache } from "lru-cache";
import type Mjml from "mjml";
import { InvalidError } from "../../kernel/errors.js";
import { checkTemplateSyntax, renderLiquid, renderLiquidText, TemplateRenderError } from "../../rendering/liquid.js";
import { DEFAULT_EMAIL_TEMPLATE, DEFAULT_SUBJECT } from "./default-template.js";

// MJML takes seconds and tens of MB to load: a process that never compiles a template never loads it.
let mjmlModule: Promise<typeof Mjml> | undefined;
const mjml2html: typeof Mjml = async (...args) => (await (mjmlModule ??= import("mjml").then((m) => m.default)))(...args);

/** What MJML may do: nothing read from the file system (mj-include, .mjmlconfig), no web fonts added on its own. */
const MJML_OPTIONS = { ignoreIncludes: true, fonts: {}, keepComments: false, minify: false, beautify: false } as const;

// Compiled templates by text (a few per site at most); a failed compile is not kept.
const compiled = new LRUCache<string, Promise<string>>({ max: 200, maxSize: 32 * 1024 * 1024, sizeCalculation: (_value, key) => Math.max(1, key.length) });

/** Liquid outputs and tags in a text, in order. */
const LIQUID = /\{\{-?[\s\S]*?-?\}\}|\{%-?[\s\S]*?-?%\}/g;

interface MjmlError {
  line: number;
  message: string;
  tagName: string;
}

/** The HTML of a template, Liquid still in it (compiled once per text). */
export function compiledTemplate(template: string): Promise<string> {
  let html = compiled.get(template);
  if (!html) {
    html = mjml2html(template, { ...MJML_OPTIONS, validationLevel: "skip" }).then((result) => result.html);
    compiled.set(template, html);
    html.catch(() => compiled.delete(template));
  }
  return html;
}

/** Counts of each Liquid token of a text. */
function liquidTokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of text.match(LIQUID) ?? []) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/**
 * Refuses a template that would not send (an InvalidError on `field`): Liquid that does not parse,
 * MJML the strict validator refuses (except attribute values that are Liquid: they are checked as
 * rendered, e.g. a colour from the site's branding), and Liquid MJML would drop (outside mj-text,
 * mj-button, mj-raw and attribute values).
 */
export async function checkEmailTemplate(template: string, field: string): Promise<void> {
  checkTemplateSyntax(template, field);
  let result: { html: string; errors: MjmlError[] };
  try {
    result = await mjml2html(template, { ...MJML_OPTIONS, validationLevel: "soft" });
  } catch (error) {
    throw InvalidError.field(field, `MJML: ${(error as Error).message} (the template must be one <mjml> document)`);
  }
  const problems = result.errors.filter((e) => !/\{\{|\{%/.test(e.message));
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((e) => `line ${e.line} (${e.tagName}): ${e.message.trim()}`);
    throw InvalidError.field(field, `MJML: ${shown.join("; ")}${problems.length > 5 ? `; and ${problems.length - 5} more` : ""}`);
  }
  const kept = liquidTokens(result.html);
  for (const match of template.matchAll(LIQUID)) {
    const token = match[0];
    const left = kept.get(token) ?? 0;
    if (left === 0) {
      throw InvalidError.field(
        field,
        `line ${lineOf(template, match.index)}: MJML drops ${token.slice(0, 60)} here; put Liquid inside mj-text, mj-button or an attribute, or a tag between sections in <mj-raw>`,
      );
    }
    kept.set(token, left - 1);
  }
  checkTemplateSyntax(result.html, field);
}

/** Refuses a subject that does not parse (an InvalidError on `field`). */
export function checkSubject(subject: string, field: string): void {
  checkTemplateSyntax(subject, field);
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** The email's subject line: plain text on one line (no header injection), at most 255 characters. */
function subjectLine(subject: string, context: object): string {
  const line = renderLiquidText(subject, context).replace(/\s+/g, " ").trim();
  return line.length > 255 ? `${line.slice(0, 254)}…` : line;
}

/** The plain-text part: the HTML as a person reads it (links after their text, no images). */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}

/** What an email renders from: the template and subject as stored ("" = the built-in ones), its context, absolute asset URLs. */
export interface EmailSource {
  template: string;
  subject: string;
  context: { email: object };
  assetUrl(name: string): string;
}

/**
 * Renders an email. The rendered subject is in the template's context as `email.subject`. A
 * render-time failure is an EmailRenderError naming the part (the preview reports it; sending falls
 * back to the built-in template and subject).
 */
export async function renderEmail(source: EmailSource): Promise<RenderedEmail> {
  const { context } = source;
  const line = failingAs("subject", () => subjectLine(source.subject || DEFAULT_SUBJECT, context) || subjectLine(DEFAULT_SUBJECT, context));
  const full = { ...context, email: { ...context.email, subject: line } };
  const compiledHtml = await compiledTemplate(source.template || DEFAULT_EMAIL_TEMPLATE);
  const html = failingAs("template", () => renderLiquid(compiledHtml, full, { assetUrl: source.assetUrl }));
  return { subject: line, html, text: htmlToText(html) };
}

/** A render-time failure of an email's subject or template. */
export class EmailRenderError extends TemplateRenderError {
  constructor(
    readonly part: "subject" | "template",
    message: string,
  ) {
    super(message);
  }
}

function failingAs<T>(part: EmailRenderError["part"], render: () => T): T {
  try {
    return render();
  } catch (error) {
    throw error instanceof TemplateRenderError ? new EmailRenderError(part, error.message) : error;
  }
}
