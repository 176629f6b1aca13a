// Where the real third-party inputs the importers are tested on live: ../shared/data beside this repository
// (how CI lays it out), else RIPPLE_SHARED_DATA, else beside the repository this one was cloned from (so
// `git clone . /tmp/fresh` still finds them). The files are used as they are, never copied or edited.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function originDir(): string | undefined {
  try {
    const url = execFileSync('git', ['-C', repo, 'remote', 'get-url', 'origin'], { encoding: 'utf8' }).trim();
    return url.startsWith('/') || url.startsWith('.') ? resolve(repo, url) : url.startsWith('file://') ? fileURLToPath(url) : undefined;
  } catch {
    return undefined;
  }
}

function findSharedData(): string {
  const candidates = [join(repo, '../shared/data'), process.env.RIPPLE_SHARED_DATA, ...[originDir()].filter(Boolean).map((o) => join(o!, '../shared/data'))];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error(`the shared test inputs were not found; looked in ${candidates.filter(Boolean).join(', ')} (set RIPPLE_SHARED_DATA)`);
  return found;
}

/** Absolute path of a file or folder under shared/data. */
export function sharedData(...parts: string[]): string {
  return join(findSharedData(), ...parts);
}
