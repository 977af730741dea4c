// axe-core in the browser tests: a page passes when axe finds no violation it rates serious or
// critical. Compared as text, so a failure prints each violation and where, not axe's whole result.
import { AxeBuilder } from "@axe-core/playwright";
import type { Result } from "axe-core";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/** "serious/color-contrast: Elements must meet minimum color contrast ratio thresholds (3 elements) — .btn, a[href="/"], ..." */
export const describeViolations = (violations: Result[]) =>
  violations
    .map(
      (v) =>
        `${v.impact}/${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? "" : "s"}) ${v.helpUrl}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(" ")}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, " ").slice(0, 300)}` : ""}`)
          .join("\n"),
    )
    .join("\n");

/**
 * Legacy mode runs axe.run() in the page itself; the default opens a blank page per check and loads
 * axe there a second time (2-3x slower). It differs only for cross-origin frames, which none of our
 * pages can have (every CSP is default-src 'none', no frame-src). resultTypes keeps one node of the
 * passes and incomplete results, which are never looked at (the big API docs page: 5x faster).
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .setLegacyMode()
    .options({ resultTypes: ["violations"] })
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(describeViolations(bad), label).toBe("");
}
