// The certificate's share picture (og:image): a 1200x630 SVG built from the same context the
// certificate page renders with. Pure: the web layer rasterizes it (src/web/og-image.ts) and caches
// the PNG under `version`, a hash of this SVG, so a changed name, title or colour is a new picture.
import { createHash } from "node:crypto";
import type { TemplateContext } from "./template-context.js";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** The font family the SVG names; the rasterizer loads its files (shipped in npm packages). */
export const CARD_FONT_FAMILY = "Noto Sans";
/** Bump when the look changes without the SVG changing (fonts, rasterizer): a new version for every picture. */
const CARD_LAYOUT_VERSION = "1";

export interface CardImage {
  svg: string;
  /** Short hash of the SVG (and layout version): the picture's ETag and its ?v= in the page. */
  version: string;
  /** Alternative text: who, what, from whom. */
  alt: string;
}

// Advance widths of Noto Sans (printable ASCII, U+0020..U+007E) in hundredths of an em, measured
// with the rasterizer: enough to wrap and shrink text without a font parser at run time.
const REGULAR = [
  26, 27, 41, 65, 57, 83, 73, 23, 30, 30, 55, 57, 27, 32, 27, 37, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 27, 27, 57, 57, 57, 43, 90, 64, 65, 61, 73, 56, 52, 73, 74, 34, 27, 62, 52, 91, 76,
  78, 61, 78, 62, 55, 58, 73, 60, 93, 59, 57, 57, 33, 37, 33, 57, 44, 28, 56, 62, 48, 62, 56, 34, 62, 62, 26, 26, 53, 26, 94, 62, 60, 62, 62, 41, 48, 36, 62, 51, 79, 53, 51, 47, 38, 55, 38,
  57,
];
const BOLD = [
  26, 28, 48, 65, 57, 90, 75, 27, 34, 34, 54, 57, 29, 32, 28, 41, 57, 57, 57, 57, 57, 57, 57, 57, 57, 57, 28, 29, 57, 57, 57, 48, 90, 69, 67, 62, 73, 56, 55, 72, 77, 39, 33, 66, 56, 94, 81,
  79, 62, 79, 66, 55, 60, 76, 65, 97, 67, 63, 58, 33, 42, 33, 57, 41, 37, 60, 63, 52, 63, 60, 39, 63, 65, 30, 30, 62, 30, 97, 65, 63, 63, 63, 45, 50, 43, 65, 57, 86, 58, 57, 49, 39, 55, 39,
  57,
];
// East Asian wide characters (CJK, kana, Hangul, full-width forms) take a full em.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\ud840-\ud8bf][\udc00-\udfff]/;

function charWidth(ch: string, bold: boolean): number {
  const table = bold ? BOLD : REGULAR;
  const code = ch.codePointAt(0)!;
  if (code >= 32 && code < 127) return table[code - 32]!;
  if (WIDE.test(ch)) return 100;
  // An accented Latin letter is about as wide as its base letter (é as e, Ł as L).
  const base = ch.normalize("NFD").codePointAt(0)!;
  if (base >= 32 && base < 127) return table[base - 32]!;
  return bold ? 66 : 62; // other scripts: a wide letter, so estimates err towards fitting
}

/** Estimated width of `text` in px at `size`. */
export function textWidth(text: string, size: number, bold = false): number {
  let hundredths = 0;
  for (const ch of text) hundredths += charWidth(ch, bold);
  return (hundredths * size) / 100;
}

const ELLIPSIS = "…";

/** The longest prefix of `text` that fits in `max` px with an ellipsis after it. */
function truncate(text: string, size: number, bold: boolean, max: number): string {
  if (textWidth(text, size, bold) <= max) return text;
  return fittingPrefix(text, size, bold, max - textWidth(ELLIPSIS, size, bold)).trimEnd() + ELLIPSIS;
}

/** The longest prefix of `text` (at least one character) no wider than `max` px: one pass. */
function fittingPrefix(text: string, size: number, bold: boolean, max: number): string {
  let width = 0;
  let prefix = "";
  for (const ch of text) {
    width += (charWidth(ch, bold) * size) / 100;
    if (width > max && prefix) break;
    prefix += ch;
  }
  return prefix;
}

/**
 * Splits `text` into at most `maxLines` lines of at most `max` px, at spaces (a word too long for a
 * line is cut). `fits` is false when text was left over: the last line then ends in an ellipsis.
 */
export function wrapText(text: string, size: number, bold: boolean, max: number, maxLines: number): { lines: string[]; fits: boolean } {
  const lines: string[] = [];
  let line = "";
  const words = text.split(" ").filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    let word = words[i]!;
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate, size, bold) <= max) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    // A single word wider than a line: cut it where it overflows.
    while (textWidth(word, size, bold) > max) {
      const head = fittingPrefix(word, size, bold, max);
      lines.push(head);
      word = word.slice(head.length);
    }
    line = word;
    if (lines.length >= maxLines) {
      // Already out of lines: the rest cannot show.
      const kept = lines.slice(0, maxLines);
      kept[maxLines - 1] = truncate(`${kept[maxLines - 1]!} ${[line, ...words.slice(i + 1)].join(" ")}`, size, bold, max);
      return { lines: kept, fits: false };
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return { lines, fits: true };
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncate(`${kept[maxLines - 1]!} ${lines.slice(maxLines).join(" ")}`, size, bold, max);
  return { lines: kept, fits: false };
}

/** The largest of `sizes` at which `text` fits in `maxLines` lines; else the smallest, truncated. */
function fitText(text: string, sizes: number[], bold: boolean, max: number, maxLines: number): { size: number; lines: string[] } {
  for (const size of sizes) {
    const wrapped = wrapText(text, size, bold, max, maxLines);
    if (wrapped.fits) return { size, lines: wrapped.lines };
  }
  const size = sizes[sizes.length - 1]!;
  return { size, lines: wrapText(text, size, bold, max, maxLines).lines };
}

/**
 * Text as XML character data: markup characters escaped, whitespace runs collapsed to one space,
 * and characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/F) dropped, since one of
 * those in a learner's name would make the whole SVG unparseable.
 */
export function xmlText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- matching the control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
      .replace(/\s+/g, " ")
      .trim()
      .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!)
  );
}

/**
 * Plain text for layout: what xmlText keeps, unescaped, and no longer than a card can show (the
 * fitting below is quadratic in the worst case: a few hundred characters keep it microseconds).
 */
const clean = (value: string) => xmlText([...value].slice(0, 300).join("")).replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e]!);

function luminance(hex: string): number {
  let h = hex.slice(1);
  if (h.length === 3 || h.length === 4) h = [...h.slice(0, 3)].map((c) => c + c).join("");
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(h.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** `color` for text on white when it reads well there (contrast at least 4.5:1), else a near-black. */
function readableOnWhite(color: string): string {
  return /^#[0-9a-fA-F]{3,8}$/.test(color) && 1.05 / (luminance(color) + 0.05) >= 4.5 ? color.slice(0, color.length === 4 || color.length === 5 ? 4 : 7) : "#1f2937";
}

/** A colour usable as an SVG fill (the site's colours are checked hex already; alpha dropped). */
const fill = (color: string, fallback: string) => (/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})([0-9a-fA-F]{1,2})?$/.test(color) ? color.slice(0, color.length <= 5 ? 4 : 7) : fallback);

const CONTENT_X = 84;
const CONTENT_WIDTH = CARD_WIDTH - 2 * CONTENT_X;
/** Room left of the seal in the footer. */
const FOOTER_WIDTH = 820;

const lineTexts = (lines: string[], x: number, y: number, lineHeight: number, attrs: string) =>
  lines.map((l, i) => `<text x="${x}" y="${Math.round(y + i * lineHeight)}" ${attrs}>${xmlText(l)}</text>`).join("");

/** The share picture of a certificate, from its template context. */
export function cardImage(c: TemplateContext): CardImage {
  const primary = fill(c.site.primary_color, "#1f3a5f");
  const secondary = fill(c.site.secondary_color, "#8a6a2f");
  const accent = readableOnWhite(primary);
  const learner = clean(c.learner.name);
  const title = clean(c.certificate.title);
  const organization = clean(c.organization?.name || c.site.platform_name);
  const platform = clean(c.site.platform_name);
  const kind = clean(`${c.certificate.kind} certificate`).toUpperCase();

  const header = truncate(platform.toUpperCase(), 24, true, CONTENT_WIDTH - textWidth(kind, 20, true) - 60);
  const name = fitText(learner, [68, 60, 52, 44], true, CONTENT_WIDTH, 1);
  const work = fitText(title, [44, 40, 36, 32], true, CONTENT_WIDTH, 2);
  const issuer = truncate(`Issued by ${organization}`, 28, true, FOOTER_WIDTH);
  const date = truncate(clean(c.credential.issue_date), 24, false, FOOTER_WIDTH);

  // The name and title are centred in the band between the header rule and the footer.
  const nameLine = name.size * 1.15;
  const titleLine = work.size * 1.2;
  const block = 26 + 22 + name.size + 36 + titleLine * (work.lines.length - 1) + work.size * 0.75;
  const top = 150 + Math.max(0, (320 - block) / 2);
  const labelY = top + 22;
  const nameY = labelY + 26 + name.size * 0.8;
  const titleY = nameY + 36 + work.size;

  const font = `font-family="${CARD_FONT_FAMILY}"`;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}">`,
    `<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="${primary}"/>`,
    `<rect x="20" y="20" width="1160" height="590" rx="14" fill="#fdfcf9"/>`,
    `<rect x="34" y="34" width="1132" height="562" rx="8" fill="none" stroke="${secondary}" stroke-opacity="0.55" stroke-width="2"/>`,
    `<text x="${CONTENT_X}" y="104" ${font} font-size="24" font-weight="700" letter-spacing="1.5" fill="${accent}">${xmlText(header)}</text>`,
    `<text x="${CARD_WIDTH - CONTENT_X}" y="102" text-anchor="end" ${font} font-size="20" font-weight="700" letter-spacing="2.5" fill="${secondary}">${xmlText(kind)}</text>`,
    `<rect x="${CONTENT_X}" y="128" width="${CONTENT_WIDTH}" height="2" fill="${secondary}" fill-opacity="0.35"/>`,
    `<text x="${CONTENT_X}" y="${Math.round(labelY)}" ${font} font-size="22" fill="#6b7280">Awarded to</text>`,
    lineTexts(name.lines, CONTENT_X, nameY, nameLine, `${font} font-size="${name.size}" font-weight="700" fill="#111827"`),
    lineTexts(work.lines, CONTENT_X, titleY, titleLine, `${font} font-size="${work.size}" font-weight="700" fill="${accent}"`),
    `<text x="${CONTENT_X}" y="532" ${font} font-size="28" font-weight="700" fill="#1f2937">${xmlText(issuer)}</text>`,
    `<text x="${CONTENT_X}" y="570" ${font} font-size="24" fill="#4b5563">${xmlText(date)}</text>`,
    // A seal: a rosette in the secondary colour with a check mark.
    `<g transform="translate(1040 500)">`,
    `<circle r="66" fill="${secondary}"/>`,
    `<circle r="55" fill="none" stroke="#ffffff" stroke-opacity="0.85" stroke-width="3"/>`,
    `<path d="M-24 2 L-7 19 L26 -16" fill="none" stroke="#ffffff" stroke-width="9" stroke-linecap="round" stroke-linejoin="round"/>`,
    `</g>`,
    `</svg>`,
  ].join("");
  const version = createHash("sha256").update(CARD_LAYOUT_VERSION).update("\0").update(svg).digest("hex").slice(0, 16);
  return { svg, version, alt: `Certificate: ${learner} — ${title}, issued by ${organization}` };
}
