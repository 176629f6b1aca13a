// Owns the lifetime of a local Neo4j: started on 127.0.0.1 on a free port with its own data directory and a
// generated password, waited for until Bolt answers, supervised (a JVM that dies is reported at once with its last
// console lines and restarted on the same port, with backoff), and stopped with the process that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { StartupError } from '../../errors';
import { ensureDistribution, launcherSourcePath, type Distribution } from './distribution';

export interface LocalNeo4jOptions {
  version: string;
  cacheDir: string;
  /** Neo4j's home: the store, its logs and the password file live here. */
  dataDir: string;
  heapBytes: number;
  pagecacheBytes: number;
  startTimeoutMs: number;
  port?: number;
  env?: NodeJS.ProcessEnv;
  out?: NodeJS.WritableStream;
}

export interface LocalNeo4j {
  uri: string;
  username: string;
  password: string;
  /** The running JVM's process id (it changes when the supervisor restarts it). */
  readonly pid: number;
  dataDir: string;
  /** Milliseconds from spawning the JVM to Bolt answering. */
  startMs: number;
  /** Hears of the JVM dying, being restarted, or failing to restart. */
  onEvent(listener: (e: SupervisorEvent) => void): void;
  stop(): Promise<void>;
}

export type SupervisorEvent =
  | { kind: 'exited'; code: number | null; signal: string | null; lastLines: string[] }
  | { kind: 'restarted'; pid: number; ms: number }
  | { kind: 'restart-failed'; reason: string; retryInMs: number };

/** One JVM: the supervisor replaces it with another on the same port when it dies. */
interface Running {
  pid: number;
  startMs: number;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort for an abrupt exit of this process: the JVM also watches its stdin and its parent. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The store, logs and password are the owner's alone: the folders are 0700 (Neo4j writes its files 0644, which a
 * closed folder keeps from other users), existing data folders from older versions included.
 */
async function ownerOnly(dataDir: string): Promise<void> {
  const dirs = [dataDir, path.join(dataDir, 'logs'), path.join(dataDir, 'data')];
  // Made here, before the JVM starts, so Neo4j never creates one with its own 0755.
  for (const dir of dirs) await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const dir of dirs) await chmod(dir, 0o700);
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const pw = randomBytes(18).toString('base64url');
  await writeFile(file, `${pw}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return pw;
}

async function lastLines(file: string, n: number): Promise<string[]> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-n);
  } catch {
    return [];
  }
}

/** The most telling line of a failed start: the deepest "Caused by", else the first exception line. */
function causeOf(lines: string[]): string | undefined {
  const caused = lines.filter((l) => l.startsWith('Caused by:'));
  if (caused.length) return caused[caused.length - 1]!.replace(/^Caused by:\s*/, '');
  return lines.find((l) => /Exception|Error/.test(l) && !/^\s+at /.test(l));
}

export async function startLocalNeo4j(opts: LocalNeo4jOptions): Promise<LocalNeo4j> {
  const dist = await ensureDistribution({
    version: opts.version,
    cacheDir: opts.cacheDir,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.out ? { out: opts.out } : {}),
  });
  await ownerOnly(opts.dataDir);
  const password = await readOrCreatePassword(opts.dataDir);
  let lastError: unknown;
  // A port picked as free can be taken before the JVM binds it; one retry on a new port covers that race.
  for (let attempt = 0; attempt < 2; attempt++) {
    const port = opts.port ?? (await freePort());
    try {
      const first = await spawnNeo4j(dist, opts, port);
      return supervise(first, () => spawnNeo4j(dist, opts, port), {
        uri: `bolt://127.0.0.1:${port}`,
        password,
        dataDir: opts.dataDir,
      });
    } catch (e) {
      lastError = e;
      if (opts.port !== undefined || !(e instanceof StartupError) || !/Address already in use/i.test(e.message)) throw e;
    }
  }
  throw lastError;
}

const RESTART_BACKOFF_MS = [0, 1_000, 2_000, 5_000, 10_000, 30_000];
/** A JVM that has run this long without dying resets the backoff: it was a one-off, not a crash loop. */
const STABLE_AFTER_MS = 5 * 60_000;

function supervise(first: Running, respawn: () => Promise<Running>, where: { uri: string; password: string; dataDir: string }): LocalNeo4j {
  let current = first;
  let stopped = false;
  let crashes = 0;
  let since = Date.now();
  const listeners = new Set<(e: SupervisorEvent) => void>();
  const emit = (e: SupervisorEvent) => listeners.forEach((l) => l(e));
  const watch = (r: Running) =>
    void r.exited.then(async ({ code, signal }) => {
      if (stopped) return;
      const consoleTail = await lastLines(path.join(where.dataDir, 'logs', 'console.log'), 80);
      emit({ kind: 'exited', code, signal, lastLines: consoleTail.filter((l) => !/^\s+at /.test(l)).slice(-12) });
      if (Date.now() - since > STABLE_AFTER_MS) crashes = 0;
      while (!stopped) {
        const wait = RESTART_BACKOFF_MS[Math.min(crashes++, RESTART_BACKOFF_MS.length - 1)]!;
        if (wait) await new Promise((r) => setTimeout(r, wait));
        if (stopped) return;
        try {
          current = await respawn();
          since = Date.now();
          if (stopped) return void (await current.stop());
          emit({ kind: 'restarted', pid: current.pid, ms: current.startMs });
          return watch(current);
        } catch (e) {
          emit({ kind: 'restart-failed', reason: (e as Error).message.split('\n')[0]!, retryInMs: RESTART_BACKOFF_MS[Math.min(crashes, RESTART_BACKOFF_MS.length - 1)]! });
        }
      }
    });
  watch(first);
  return {
    uri: where.uri,
    username: 'neo4j',
    password: where.password,
    get pid() {
      return current.pid;
    },
    dataDir: where.dataDir,
    startMs: first.startMs,
    onEvent: (l) => void listeners.add(l),
    stop: async () => {
      stopped = true;
      await current.stop();
    },
  };
}

async function spawnNeo4j(
  dist: Distribution,
  opts: LocalNeo4jOptions,
  port: number,
): Promise<Running> {
  const heapMb = Math.max(256, Math.round(opts.heapBytes / 1024 ** 2));
  const consoleLog = path.join(opts.dataDir, 'logs', 'console.log');
  const passwordFile = path.join(opts.dataDir, 'password');
  const classpath = [dist.classesDir, path.join(dist.libDir, '*')].filter(Boolean).join(path.delimiter);
  const args = [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-OmitStackTraceInFastThrow',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--enable-native-access=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dfile.encoding=UTF-8',
    '-cp',
    classpath,
    dist.classesDir ? 'Launcher' : launcherSourcePath(),
    opts.dataDir,
    String(port),
    passwordFile,
    String(opts.pagecacheBytes),
    dist.pluginDir,
  ];
  const started = Date.now();
  const log = createWriteStream(consoleLog, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} starting Neo4j ${dist.version} on 127.0.0.1:${port}\n`);
  // Detached: Ctrl-C reaches only Node, which closes its connections first and then stops Neo4j in order.
  const child = spawn(dist.java, args, {
    cwd: opts.dataDir,
    env: opts.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  installExitHook();
  child.stderr.pipe(log, { end: false });

  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // 'close' comes after the JVM's output is drained, so its last console lines are on disk by then.
  const closed = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('close', (code, signal) => {
      log.end();
      resolve({ code, signal });
    }),
  );
  child.on('exit', () => running.delete(child));
  child.on('error', () => undefined);

  const ready = await new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
    let buf = '';
    const timer = setTimeout(
      () => resolve({ ok: false, reason: `Neo4j did not answer within ${opts.startTimeoutMs} ms` }),
      opts.startTimeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buf += chunk.toString();
      if (/^READY /m.test(buf)) {
        clearTimeout(timer);
        resolve({ ok: true });
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not run ${dist.java}: ${e.message}` });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `Neo4j exited with code ${code} while starting` });
    });
  });

  if (!ready.ok) {
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    await new Promise((r) => log.end(r));
    const consoleTail = await lastLines(consoleLog, 60);
    const debugTail = await lastLines(path.join(opts.dataDir, 'logs', 'debug.log'), 20);
    const cause = causeOf(consoleTail) ?? causeOf(debugTail) ?? ready.reason;
    const shown = consoleTail.filter((l) => !/^\s+at /.test(l)).slice(-8).map((l) => `  | ${l}`).join('\n');
    throw new StartupError(
      `local Neo4j failed to start: ${cause}\n  last lines of ${consoleLog}:\n${shown}`,
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end(); // EOF: the launcher shuts the database down cleanly
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 30_000))),
      ]);
      clearTimeout(timer);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
      await closed;
    })();
    return stopping;
  };

  return { pid: child.pid!, startMs: Date.now() - started, exited: closed, stop };
}
