// Owns the lifetime of a local Neo4j: started on 127.0.0.1 on a free port with its own data directory and a
// generated password, waited for until Bolt answers, and stopped with the process that started it.
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
  pid: number;
  dataDir: string;
  /** Milliseconds from spawning the JVM to Bolt answering. */
  startMs: number;
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
  // Made here, before Neo4j runs, so that no folder of the store ever exists with Neo4j's default 0755.
  const dirs = [dataDir, path.join(dataDir, 'logs'), path.join(dataDir, 'data')];
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
      return await spawnNeo4j(dist, opts, port, password);
    } catch (e) {
      lastError = e;
      if (opts.port !== undefined || !(e instanceof StartupError) || !/Address already in use/i.test(e.message)) throw e;
    }
  }
  throw lastError;
}

async function spawnNeo4j(
  dist: Distribution,
  opts: LocalNeo4jOptions,
  port: number,
  password: string,
): Promise<LocalNeo4j> {
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
      log.end();
    })();
    return stopping;
  };

  return {
    uri: `bolt://127.0.0.1:${port}`,
    username: 'neo4j',
    password,
    pid: child.pid!,
    dataDir: opts.dataDir,
    startMs: Date.now() - started,
    stop,
  };
}
