// The service's node flags (V8 heap sizing) live in package.json's start script; the Dockerfile's CMD
// and the benchmark (bench/run.ts reads the script) must start the very same command.
// Opens no database under test: left out of the PostgreSQL run (vitest.config.ts SAME_ON_EVERY_DATABASE).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const start: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start;

describe("the start command", () => {
  it("is node <flags> dist/src/main.js with the heap limits", () => {
    const words = start.split(" ");
    expect(words[0]).toBe("node");
    expect(words.at(-1)).toBe("dist/src/main.js");
    expect(words).toContain("--max-old-space-size=512");
    expect(words).toContain("--max-semi-space-size=8");
  });

  it("is the Dockerfile's CMD, word for word", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8"))?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd!)).toEqual(start.split(" "));
  });
});
