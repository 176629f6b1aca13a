// Where a benchmark's CPU goes on this machine, read from /proc (Linux): this Node process, the local Neo4j's JVM,
// and the JVM's threads by name. In its first minutes under load the JVM spends up to one of the two cores in its
// JIT compilers (storage, indexes, Bolt, the Cypher planner), so a path measured early pays for compilation that a
// path measured minutes later does not; the figures printed per path show how much.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by each thread of a process, by thread id, with the thread's (15-character) name. */
export function threadCpu(pid: number | undefined): Map<string, { name: string; cpu: number }> {
  const out = new Map<string, { name: string; cpu: number }>();
  if (!pid) return out;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      out.set(tid, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpu: ticksToSeconds(stat) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function ticksToSeconds(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** CPU seconds the JVM's JIT compiler threads (`C1 CompilerThread…`, `C2 CompilerThread…`) have used so far. */
export function jitCpuSeconds(pid: number): number | undefined {
  const threads = threadCpu(pid);
  if (!threads.size) return undefined;
  return [...threads.values()].filter((t) => /^C[12] Compiler/.test(t.name)).reduce((sum, t) => sum + t.cpu, 0);
}

/** CPU seconds (user + system) a process has used so far. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    return ticksToSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` and says where the machine's CPU went meanwhile: this Node process (Ripple and its sender, or the
 * driver), the Neo4j JVM, and of that its JIT compilers. On two cores a load is bounded by the sum.
 */
export async function cpuDuring<T>(pid: number | undefined, fn: () => Promise<T>): Promise<{ value: T; cpu: string }> {
  const node0 = process.cpuUsage();
  const jvm0 = pid ? processCpuSeconds(pid) : undefined;
  const jit0 = pid ? jitCpuSeconds(pid) : undefined;
  const value = await fn();
  const node = process.cpuUsage(node0);
  const jvm1 = pid ? processCpuSeconds(pid) : undefined;
  const jit1 = pid ? jitCpuSeconds(pid) : undefined;
  const parts = [`Node ${((node.user + node.system) / 1e6).toFixed(1)} s`];
  if (jvm0 !== undefined && jvm1 !== undefined) parts.push(`Neo4j ${(jvm1 - jvm0).toFixed(1)} s`);
  if (jit0 !== undefined && jit1 !== undefined) parts.push(`of which JIT compilers ${(jit1 - jit0).toFixed(1)} s`);
  return { value, cpu: parts.join(', ') };
}

export interface Warmth {
  rounds: number;
  seconds: number;
  /** The JIT compilers' CPU over the last round's wall time: about 1 on a cold JVM, near 0 once settled. */
  lastJitShare: number | undefined;
}

/**
 * Runs `round` until the JIT compilers used less than `settledShare` of a core during the last one (at least
 * `minRounds`, at most `maxRounds`). Without a local Neo4j's pid it runs `minRounds` and cannot say more.
 */
export async function warmUntilSettled(
  pid: number | undefined,
  round: () => Promise<unknown>,
  opts: { minRounds?: number; maxRounds?: number; settledShare?: number } = {},
): Promise<Warmth> {
  const { minRounds = 1, maxRounds = 12, settledShare = 0.15 } = opts;
  const start = performance.now();
  let lastJitShare: number | undefined;
  let rounds = 0;
  while (rounds < maxRounds) {
    const jit0 = pid ? jitCpuSeconds(pid) : undefined;
    const t = performance.now();
    await round();
    rounds += 1;
    const jit1 = pid ? jitCpuSeconds(pid) : undefined;
    lastJitShare = jit0 !== undefined && jit1 !== undefined ? (jit1 - jit0) / ((performance.now() - t) / 1000) : undefined;
    if (rounds >= minRounds && (lastJitShare === undefined || lastJitShare < settledShare)) break;
  }
  return { rounds, seconds: (performance.now() - start) / 1000, lastJitShare };
}

export function describeWarmth(w: Warmth): string {
  const share = w.lastJitShare === undefined ? 'JIT not measured (no local Neo4j)' : `JIT compilers at ${(w.lastJitShare * 100).toFixed(0)} % of a core in the last round`;
  return `warm-up: ${w.rounds} rounds in ${w.seconds.toFixed(0)} s, ${share}`;
}
