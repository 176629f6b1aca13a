// Where the real third-party inputs the importers are tested on live: ../shared/data beside this repository
// (how CI lays it out), else RIPPLE_SHARED_DATA, else beside the main checkout of a git worktree, else beside
// the repository this one was cloned from (so `git clone . /tmp/fresh` still finds them). The files are used as
// they are, never copied or edited.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** git's answer, or undefined when git fails; its stderr is dropped, as a missing remote is an expected case. */
function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function originDir(): string | undefined {
  const url = git('config', '--get', 'remote.origin.url');
  if (!url) return undefined;
  return url.startsWith('/') || url.startsWith('.') ? resolve(repo, url) : url.startsWith('file://') ? fileURLToPath(url) : undefined;
}

/** The main checkout when this is a linked worktree (its common git dir is the main one's `.git`). */
function mainCheckoutDir(): string | undefined {
  const common = git('rev-parse', '--path-format=absolute', '--git-common-dir');
  return common ? dirname(common) : undefined;
}

function findSharedData(): string {
  const beside = [mainCheckoutDir(), originDir()].flatMap((d) => (d ? [join(d, '../shared/data')] : []));
  const candidates = [join(repo, '../shared/data'), process.env.RIPPLE_SHARED_DATA, ...beside];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`the shared test inputs were not found; looked in ${candidates.filter(Boolean).join(', ')} (set RIPPLE_SHARED_DATA)`);
  return found;
}

/** Absolute path of a file or folder under shared/data. */
export function sharedData(...parts: string[]): string {
  return join(findSharedData(), ...parts);
}
