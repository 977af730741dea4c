// Summarizes a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, the
// packages/files that time is spent in, and the functions with the most inclusive time.   tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const top = Number(topArg ?? 25);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  if (!url) return "(native/V8)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith("node:")) return url;
  const dist = /\/(dist\/src\/.+|src\/.+|bench\/.+)$/.exec(url);
  return dist ? dist[1]! : url;
};

const nameOf = (n: Node) => `${n.callFrame.functionName || "(anonymous)"}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const fnSelf = new Map<string, number>();
const pkgSelf = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const name = nameOf(n);
  fnSelf.set(name, (fnSelf.get(name) ?? 0) + us);
  const pkg = where(n.callFrame.url);
  pkgSelf.set(pkg, (pkgSelf.get(pkg) ?? 0) + us);
}
const show = (title: string, map: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((us / totalUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
};
// Inclusive time: a sample counts for every distinct function on its stack (async callers are not
// on it: a function awaited in a later tick shows under processTicksAndRejections/runMicrotasks).
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const fnTotal = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const n = byId.get(at)!;
    if (n.callFrame.functionName === "(root)") continue;
    seen.add(nameOf(n));
  }
  for (const name of seen) fnTotal.set(name, (fnTotal.get(name) ?? 0) + us);
}
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled`);
show("self time by function", fnSelf, top);
show("self time by package / file", pkgSelf, 15);
show("inclusive time by function (own time plus what it called)", fnTotal, top);
