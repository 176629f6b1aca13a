// Runs `npm start`'s entry point as a child process, as an operator would, and reads what it prints.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../server/config/config';

export interface RunningRipple {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the URL once "Ripple is ready" is printed; rejects if the process exits first. */
  ready: Promise<string>;
}

export function spawnRipple(env: Record<string, string | undefined>): RunningRipple {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/main.ts')], {
    cwd: repoRoot,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Ripple is ready: (http:\/\/\S+?)\/ /.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`ripple exited with ${code} before ready:\n${out}`));
    });
  });
  ready.catch(() => undefined);
  return { child, output: () => out, exited, ready };
}

/** Whether a process with this pid is alive (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return cond();
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of Ripple's CLIs (e.g. server/ingest/kubernetes/cli.ts) as a person would, without RIPPLE_* from the test run. */
export function runCli(script: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: repoRoot, timeout: 60_000, env: { ...process.env, RIPPLE_URL: '', RIPPLE_TOKEN: '' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
