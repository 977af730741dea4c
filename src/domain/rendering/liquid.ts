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

function engine(options: { escape: boolean }): Liquid {
  const liquid = new Liquid({
    templates: {}, // an empty in-memory store: no include/render/layout can read the file system
    ...(options.escape ? { outputEscape: "escape" as const } : {}),
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
const liquid = engine({ escape: true });
/** Plain text (an email's subject line): the same limits, nothing escaped. Escaping is decided when a template is parsed, hence two engines. */
const textLiquid = engine({ escape: false });

/** "message (line N, column M)" from a Liquid error; liquidjs appends ", line:N, col:M" itself. */
export function describeLiquidError(error: unknown): string {
  if (!(error instanceof LiquidError)) return error instanceof Error ? error.message : String(error);
  const [line, col] = error.token?.getPosition?.() ?? [];
  const bare = error.message.replace(/, line:\d+, col:\d+$/, "");
  return line ? `${bare} (line ${line}, column ${col})` : bare;
}

/** Parses a template; an InvalidError on `field` (default "content") with the parser's message and line. */
export function parseTemplate(content: string, field = "content"): Template[] {
  try {
    return liquid.parse(content);
  } catch (error) {
    if (error instanceof LiquidError) throw InvalidError.field(field, `Liquid syntax error: ${describeLiquidError(error)}`);
    throw error;
  }
}

/** Refuses content that does not parse (called when a template is saved). */
export function checkTemplateSyntax(content: string, field = "content"): void {
  parseTemplate(content, field);
}

export class TemplateRenderError extends Error {
  override name = "TemplateRenderError";
}

// Parsed templates by content, per engine: a page view renders the same few templates over and
// over, and parsing was a large share of a certificate page's CPU (bench/). Bounded by total characters.
const PARSED_MAX_CHARS = 4 * 1024 * 1024;

function parseCache(engine: Liquid): (content: string) => Template[] {
  const parsed = new Map<string, Template[]>();
  let parsedChars = 0;
  return (content) => {
    let templates = parsed.get(content);
    if (templates) {
      parsed.delete(content); // most recently used last
      parsed.set(content, templates);
      return templates;
    }
    templates = engine.parse(content);
    parsed.set(content, templates);
    parsedChars += content.length;
    for (const [key] of parsed) {
      if (parsedChars <= PARSED_MAX_CHARS || parsed.size === 1) break;
      parsed.delete(key);
      parsedChars -= key.length;
    }
    return templates;
  };
}
const parsedTemplate = parseCache(liquid);
const parsedText = parseCache(textLiquid);

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

/** Renders plain text (nothing escaped: the caller's output is not HTML); errors as renderLiquid's. */
export function renderLiquidText(content: string, context: object): string {
  try {
    return textLiquid.renderSync(parsedText(content), context);
  } catch (error) {
    throw new TemplateRenderError(describeLiquidError(error));
  }
}
