// The Liquid engine certificate templates run in. Authors are not trusted with the server: no file
// system (include/render/layout find nothing), hard limits on parse size, render time and memory,
// unknown filters are errors, and every {{ output }} is HTML-escaped unless the author writes `| raw`.
import { Liquid, LiquidError, type Template } from "liquidjs";
import { InvalidError } from "./errors.js";

/** What a template may refer to besides its context: the URL of a site asset by name. */
export interface RenderEnvironment {
  assetUrl(name: string): string;
}

const LIMITS = {
  parseLimit: 1024 * 1024, // characters: the same bound as a stored template (1 MiB)
  renderLimit: 2_000, // milliseconds of rendering
  memoryLimit: 32 * 1024 * 1024, // Liquid's own allocation count (strings, ranges)
};

function engine(env?: RenderEnvironment): Liquid {
  const liquid = new Liquid({
    templates: {}, // an empty in-memory store: no include/render/layout can read the file system
    outputEscape: "escape",
    strictFilters: true,
    ownPropertyOnly: true,
    ...LIMITS,
  });
  // Referencing assets by name keeps templates portable between sites and hosts.
  liquid.registerFilter("asset_url", (name: unknown) => (env ? env.assetUrl(String(name ?? "")) : `/assets/${encodeURIComponent(String(name ?? ""))}`));
  return liquid;
}

/** One shared engine for parsing (filters only need to exist, not to know the site). */
const parser = engine();

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
    return parser.parse(content);
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

/** Renders a template against a context; render-time failures become TemplateRenderError with a line. */
export async function renderLiquid(content: string, context: object, env: RenderEnvironment): Promise<string> {
  const liquid = engine(env);
  try {
    return await liquid.render(liquid.parse(content), context);
  } catch (error) {
    throw new TemplateRenderError(describeLiquidError(error));
  }
}
