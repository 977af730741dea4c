// Field schemas that read values as Django REST framework's fields do, with DRF's messages: the
// LMS sends these routes form-encoded bodies (every value a string) or JSON, and its operators
// read the real service's wording in their logs.
import { z } from "zod";

const REQUIRED = "This field is required.";
const NULL = "This field may not be null.";
const BLANK = "This field may not be blank.";

const failed = (check: z.RefinementCtx, message: string) => {
  check.addIssue({ code: "custom", message });
  return z.NEVER;
};

/**
 * DRF's CharField: a string (a number is taken as its text), trimmed, not blank (unless `blank`),
 * at most `max` characters; null is refused unless `nullAs` gives the text it stands for.
 */
export const drfText = (max: number, options: { blank?: boolean; nullAs?: string } = {}) =>
  z.unknown().transform((value, check): string => {
    if (value === undefined) return failed(check, REQUIRED);
    if (value === null) return options.nullAs ?? failed(check, NULL);
    if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) return failed(check, "Not a valid string.");
    const text = String(value).trim();
    if (text === "" && !options.blank) return failed(check, BLANK);
    if (text.length > max) return failed(check, `Ensure this field has no more than ${max} characters.`);
    return text;
  });

const TRUE = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]);
const FALSE = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]);

/** DRF's BooleanField: true/false, 1/0, or their text forms ("True" is what Python's requests sends for True). */
export const drfBoolean = z.unknown().transform((value, check): boolean => {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === "string" && TRUE.has(value)) return true;
  if (typeof value === "string" && FALSE.has(value)) return false;
  return failed(check, value === null ? NULL : "Must be a valid boolean.");
});

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number in [min, max] given as a number or its text, rounded to `places` decimals (DRF's DecimalField keeps that many). */
export const drfDecimal = (min: number, max: number, places: number) =>
  z.unknown().transform((value, check): number => {
    if (value === undefined) return failed(check, REQUIRED);
    if (value === null) return failed(check, NULL);
    const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
    const number = NUMBER.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(number)) return failed(check, "A valid number is required.");
    if (number < min) return failed(check, `Ensure this value is greater than or equal to ${min}.`);
    if (number > max) return failed(check, `Ensure this value is less than or equal to ${max}.`);
    const scale = 10 ** places;
    return Math.round(number * scale) / scale;
  });

// Django's parse_datetime: date, "T" or a space, time with optional seconds and fraction, optional offset.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An ISO 8601 date-time as Python and Django write it; without an offset it is UTC (the service's time zone). */
export function parseDateTime(text: string): Date | null {
  const m = DATETIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? "0")) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[8]?.toUpperCase();
  if (!zone || zone === "Z") return back;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
  if (offsetMinutes >= 24 * 60) return null;
  return new Date(utc - sign * offsetMinutes * 60_000);
}

/** DRF's DateTimeField with allow_null: null and "" (an empty form field) mean no date. */
export const drfDateTime = z.unknown().transform((value, check): Date | null => {
  if (value === null || value === "") return null;
  const parsed = typeof value === "string" && value.length <= 64 ? parseDateTime(value) : null;
  if (!parsed) return failed(check, "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
  return parsed;
});
