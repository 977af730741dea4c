// The Liquid engine certificate templates run in. Authors are not trusted with the server: no file
// system (include/render/layout find nothing), hard limits on parse size, render time and memory,
// unknown filters are errors, and every {{ output }} is HTML-escaped unless the author writes `| raw`.
import { type Context, Liquid, LiquidError, type Template } from "liquidjs";
import { InvalidError } from "../kernel/errors.js";

/** What a template may refer to besides its context: the URL of a site asset by name. */
export interface RenderEnvironment {
  assetUrl(name: string): string;
}

const LIMITS = {
  parseLimit: 1024 * 1024, // characters: the same bound as a stored template (1 MiB)
  renderLimit: 2_000, // milliseconds of rendering
  memoryLimit: 32 * 1024 * 1024, // Liquid's own allocation count (strings, ranges)
};

/** Where a render's environment travels: a Symbol key in Liquid's globals, which no template can name. */
const ENV = Symbol("render environment");

function engine(): Liquid {
  const liquid = new Liquid({
    templates: {}, // an empty in-memory store: no include/render/layout can read the file system
    outputEscape: "escape",
    strictFilters: true,
    ownPropertyOnly: true,
    ...LIMITS,
  });
  // Referencing assets by name keeps templates portable between sites and hosts.
  liquid.registerFilter("asset_url", function (this: { context: Context }, name: unknown) {
    const env = (this.context.globals as { [ENV]?: RenderEnvironment })[ENV];
    return env ? env.assetUrl(String(name ?? "")) : `/assets/${encodeURIComponent(String(name ?? ""))}`;
  });
  return liquid;
}

/** One engine for every site: what differs per render (the asset URLs) comes with the render. */
const liquid = engine();

/** "message (line N, column M)" from a Liquid error; liquidjs appends ", line:N, col:M" itself. */
export function describeLiquidError(error: unknown): string {
  if (!(error instanceof LiquidError)) return error instanceof Error ? error.message : String(error);
  const [line, col] = error.token?.getPosition?.() ?? [];
  const bare = error.message.replace(/, line:\d+, col:\d+$/, "");
  return line ? `${bare} (line ${line}, column ${col})` : bare;
}

/** Parses a template; an InvalidError on field "content" with the parser's message and line. */
export function parseTemplate(content: string): Template[] {
  try {
    return liquid.parse(content);
  } catch (error) {
    if (error instanceof LiquidError) throw InvalidError.field("content", `Liquid syntax error: ${describeLiquidError(error)}`);
    throw error;
  }
}

/** Refuses content that does not parse (called when a template is saved). */
export function checkTemplateSyntax(content: string): void {
  parseTemplate(content);
}

export class TemplateRenderError extends Error {
  override name = "TemplateRenderError";
}

// Parsed templates by content: a page view renders the same few templates over and over, and
// parsing was a large share of a certificate page's CPU (bench/). Bounded by total characters.
const parsed = new Map<string, Template[]>();
const PARSED_MAX_CHARS = 4 * 1024 * 1024;
let parsedChars = 0;

function parsedTemplate(content: string): Template[] {
  let templates = parsed.get(content);
  if (templates) {
    parsed.delete(content); // most recently used last
    parsed.set(content, templates);
    return templates;
  }
  templates = liquid.parse(content);
  parsed.set(content, templates);
  parsedChars += content.length;
  for (const [key] of parsed) {
    if (parsedChars <= PARSED_MAX_CHARS || parsed.size === 1) break;
    parsed.delete(key);
    parsedChars -= key.length;
  }
  return templates;
}

/**
 * Renders a template against a context; render-time failures become TemplateRenderError with a
 * line. Synchronous rendering: no filter or tag here waits for anything.
 */
export function renderLiquid(content: string, context: object, env: RenderEnvironment): string {
  try {
    return liquid.renderSync(parsedTemplate(content), context, { globals: { [ENV]: env } });
  } catch (error) {
    throw new TemplateRenderError(describeLiquidError(error));
  }
}
