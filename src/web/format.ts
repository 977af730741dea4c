// Numbers as the pages write them, in the site's language (grades on records and on the learner's cards).

const percents = new Map<string, Intl.NumberFormat>();
/** 0.935 -> "93.5%" (in the language's own form; an unknown language falls back to English). */
export function percent(value: number, lang: string): string {
  let format = percents.get(lang);
  if (!format) {
    try {
      format = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 2 });
    } catch {
      format = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 2 });
    }
    if (percents.size < 200) percents.set(lang, format);
  }
  return format.format(value);
}
