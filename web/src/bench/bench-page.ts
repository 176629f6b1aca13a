// The graph benchmark page: draws a generated graph with the view's own Cytoscape setup and layout code and
// measures first paint, layout, the longest main-thread block while laying out, and pan/zoom frame times.
import type { Core } from 'cytoscape';
import { createCy, tuneForSize } from '../graph/cy';
import { runLayout } from '../graph/layout';
import { generateGraph } from './generate';

export interface BenchCase { nodes: number; edges: number; where: 'page' | 'worker' }
export interface BenchResult extends BenchCase {
  edgesDrawn: number;
  firstPaintMs: number;
  layoutMs: number;
  longestBlockMs: number;
  longTasks: number;
  frameMedianMs: number;
  frameP95Ms: number;
}

const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};

/** Longest gap between animation frames, and long tasks, while `fn` runs. */
async function watchBlocks(fn: () => Promise<void>): Promise<{ longest: number; longTasks: number }> {
  let longest = 0;
  let longTasks = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      longTasks++;
      longest = Math.max(longest, e.duration);
    }
  });
  try {
    obs.observe({ type: 'longtask', buffered: false });
  } catch {
    // longtask is Chromium-only; the rAF gap monitor below still measures.
  }
  let running = true;
  let last = performance.now();
  const tick = (t: number) => {
    longest = Math.max(longest, t - last);
    last = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  await fn();
  await frame();
  await frame();
  running = false;
  obs.disconnect();
  return { longest, longTasks };
}

let cy: Core | undefined;

async function run(c: BenchCase): Promise<BenchResult> {
  cy?.destroy();
  const { elements, ranks } = generateGraph(c.nodes, c.edges);
  const t0 = performance.now();
  cy = createCy(document.getElementById('cy')!);
  cy.add(elements);
  tuneForSize(cy);
  cy.fit(undefined, 20);
  await frame();
  await frame();
  const firstPaintMs = performance.now() - t0;

  const t1 = performance.now();
  const blocks = await watchBlocks(async () => {
    await runLayout(cy!, { kind: 'layered', ranks, where: c.where, animate: false });
  });
  await frame();
  const layoutMs = performance.now() - t1;

  // 60 scripted steps: pans and zooms alternating, one frame each.
  const frames: number[] = [];
  let prev = await frame();
  for (let i = 0; i < 60; i++) {
    if (i % 2) cy.panBy({ x: i % 4 === 1 ? 25 : -25, y: 10 });
    else cy.zoom({ level: cy.zoom() * (i % 4 === 0 ? 1.05 : 0.96), renderedPosition: { x: 640, y: 400 } });
    const t = await frame();
    frames.push(t - prev);
    prev = t;
  }
  return {
    ...c,
    edgesDrawn: cy.edges().length,
    firstPaintMs,
    layoutMs,
    longestBlockMs: blocks.longest,
    longTasks: blocks.longTasks,
    frameMedianMs: pct(frames, 50),
    frameP95Ms: pct(frames, 95),
  };
}

/**
 * Frame times while the benchmark drives the mouse (wheel zooms and drags from outside the page): the path a
 * person's pan and zoom takes, where Cytoscape's viewport options (a texture while moving, edges hidden) apply,
 * which its programmatic pan and zoom above never turn on.
 */
let recording: number[] | null = null;
function startFrames(): void {
  const frames: number[] = [];
  recording = frames;
  let prev = performance.now();
  const tick = (t: number) => {
    if (recording !== frames) return;
    frames.push(t - prev);
    prev = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
function stopFrames(): { median: number; p95: number; count: number } {
  const frames = recording ?? [];
  recording = null;
  return { median: pct(frames, 50), p95: pct(frames, 95), count: frames.length };
}

declare global {
  interface Window { __bench: { run: typeof run; startFrames: typeof startFrames; stopFrames: typeof stopFrames } }
}
window.__bench = { run, startFrames, stopFrames };
