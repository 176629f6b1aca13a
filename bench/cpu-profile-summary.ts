// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time and the most inclusive
// time (a function counted once per sample, however deep it recurses), and self time grouped by package, so a
// profile of a load says which code the process spends its CPU in.
// Usage: node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function frameName(n: ProfileNode): string {
  const file = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/(server|bench|seed|client)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
}

/** Where a frame's code comes from: an npm package, a folder of Ripple, or the runtime. */
function packageOf(n: ProfileNode): string {
  const url = n.callFrame.url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(server\/[^/]+|bench|seed|client)\//.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? 'node' : n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : 'runtime';
}

function summarise(p: Profile, top: number): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const leaf = byId.get(id)!;
    self.set(frameName(leaf), (self.get(frameName(leaf)) ?? 0) + dt);
    byPackage.set(packageOf(leaf), (byPackage.get(packageOf(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = frameName(byId.get(cur)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  });
  const table = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name: name.slice(0, 110), ms: Math.round(ms), '%': ((100 * ms) / total).toFixed(1) }));
  console.log(`profile: ${(total / 1000).toFixed(1)} s sampled`);
  console.log('self time by package:');
  console.table(table(byPackage, 20));
  console.log('self time:');
  console.table(table(self, top));
  console.log('inclusive time:');
  console.table(table(inclusive, top));
}

const [file, top] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top]');
  process.exitCode = 1;
} else {
  summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(top ?? 25));
}
