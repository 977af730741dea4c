// Building HTML safely: every interpolated value is escaped unless it is explicitly SafeHtml
// (markup this code built, or a certificate Liquid already rendered with escaped output).
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Marks trusted markup; never pass user data here. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

function part(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(part).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/** html`<p>${name}</p>`: values escaped, SafeHtml and arrays of it kept. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += part(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** A BCP 47-looking language tag for the lang attribute, else "en". */
export const safeLang = (tag: string | null | undefined): string => (tag && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(tag) ? tag : "en");
