// Owns the local Neo4j distribution: Neo4j Community fetched once from Maven Central with Maven into the user's
// cache (outside the repository), and the small Java launcher compiled beside it.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { StartupError } from '../../errors';

const LAUNCHER_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'Launcher.java');
/** Ripple's Neo4j plugin (server/neo4j/plugin): the procedures Ripple calls when Neo4j has them. */
const PLUGIN_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'plugin', 'RippleReach.java');
const PLUGIN_JAR = 'ripple-neo4j-plugin.jar';
/** Neo4j 5.26 and its runtime dependencies weigh about this much; only used to scale the progress bar. */
const EXPECTED_DOWNLOAD_BYTES = 150 * 1024 * 1024;

export interface Distribution {
  version: string;
  /** Folder with every runtime jar of org.neo4j:neo4j. */
  libDir: string;
  /** Folder with the compiled Launcher class. */
  classesDir: string;
  /** Folder holding Ripple's plugin jar, for Neo4j's plugin directory; '' when no JDK could build it. */
  pluginDir: string;
  java: string;
}

export interface JavaInfo {
  java: string;
  major: number;
}

/** Finds a Java 17+ runtime, or throws one clear line naming what is missing. */
export function findJava(env: NodeJS.ProcessEnv = process.env): JavaInfo {
  const java = env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const res = spawnSync(java, ['-version'], { encoding: 'utf8', env });
  if (res.error || res.status !== 0) {
    throw new StartupError(
      'Java not found: the local Neo4j needs Java 17 or 21 (install openjdk-17-jre-headless, set JAVA_HOME, ' +
        'or set NEO4J_URI to use an existing Neo4j)',
    );
  }
  const m = /version "(\d+)(?:\.(\d+))?/.exec(res.stderr + res.stdout);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major < 17) {
    throw new StartupError(`Java ${major || '(unknown version)'} found at ${java}: Neo4j 5 needs Java 17 or 21`);
  }
  return { java, major };
}

function findTool(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates =
    name === 'javac' && env.JAVA_HOME ? [path.join(env.JAVA_HOME, 'bin', 'javac'), 'javac'] : [name];
  for (const c of candidates) {
    const res = spawnSync(c, ['-version'], { encoding: 'utf8', env });
    if (!res.error && res.status === 0) return c;
  }
  return undefined;
}

function pomFor(version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.ripple</groupId>
  <artifactId>ripple-local-neo4j</artifactId>
  <version>1</version>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`;
}

/**
 * Returns the cached distribution, fetching and compiling what is missing. Safe against two processes
 * fetching at once: each downloads into its own temporary folder and the first rename wins.
 */
export async function ensureDistribution(opts: {
  version: string;
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  out?: NodeJS.WritableStream;
}): Promise<Distribution> {
  const env = opts.env ?? process.env;
  const out = opts.out ?? process.stderr;
  const { java } = findJava(env);
  const home = path.join(opts.cacheDir, `neo4j-${opts.version}`);
  const libDir = path.join(home, 'lib');
  if (!(await isComplete(home))) {
    await fetchDistribution(opts.version, opts.cacheDir, home, env, out);
  }
  const classesDir = await ensureLauncherCompiled(home, libDir, env);
  const pluginDir = await ensurePluginBuilt(home, libDir, env);
  return { version: opts.version, libDir, classesDir, java, pluginDir };
}

async function isComplete(home: string): Promise<boolean> {
  return existsSync(path.join(home, 'COMPLETE'));
}

async function fetchDistribution(
  version: string,
  cacheDir: string,
  home: string,
  env: NodeJS.ProcessEnv,
  out: NodeJS.WritableStream,
): Promise<void> {
  const mvn = findTool('mvn', env);
  if (!mvn) {
    throw new StartupError(
      'Maven (mvn) not found: the first run fetches Neo4j Community from Maven Central with it ' +
        '(install maven, or set NEO4J_URI to use an existing Neo4j)',
    );
  }
  await mkdir(cacheDir, { recursive: true });
  const tmp = path.join(cacheDir, `.neo4j-${version}.${process.pid}.${Date.now()}`);
  await mkdir(tmp, { recursive: true });
  await writeFile(path.join(tmp, 'pom.xml'), pomFor(version));
  out.write(`Fetching Neo4j Community ${version} from Maven Central into ${home} (first run only)\n`);
  const bar = new cliProgress.SingleBar(
    {
      format: '  neo4j {bar} {mb} MB, {files} files',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: out as NodeJS.WriteStream,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(EXPECTED_DOWNLOAD_BYTES, 0, { mb: '0.0', files: 0 });
  let bytes = 0;
  let files = 0;
  const tail: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      mvn,
      [
        '-B',
        '-Dstyle.color=never',
        `-Dmaven.repo.local=${path.join(tmp, 'm2')}`,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        '-DoutputDirectory=lib',
      ],
      { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 30) tail.shift();
      // "Downloaded from central: https://.../x.jar (1.2 MB at 3.4 MB/s)"
      const m = /^Downloaded from [^:]+: \S+ \(([\d.]+) (B|kB|MB|GB)/.exec(line);
      if (m) {
        const unit = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[m[2] as 'B' | 'kB' | 'MB' | 'GB'];
        bytes += Number(m[1]) * unit;
        files += 1;
        bar.update(Math.min(bytes, EXPECTED_DOWNLOAD_BYTES), { mb: (bytes / 1e6).toFixed(1), files });
      }
    };
    let buf = '';
    const feed = (chunk: Buffer) => {
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i).replace(/^\[\w+\]\s*/, ''));
        buf = buf.slice(i + 1);
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  bar.update(EXPECTED_DOWNLOAD_BYTES, { mb: (bytes / 1e6).toFixed(1), files });
  bar.stop();
  if (code !== 0) {
    await rm(tmp, { recursive: true, force: true });
    const cause = tail.filter((l) => /ERROR|Could not|resolve/i.test(l)).slice(-3).join(' | ');
    throw new StartupError(`fetching Neo4j ${version} with Maven failed (exit ${code}): ${cause || tail.slice(-3).join(' | ')}`);
  }
  // The local Maven repository was only a download buffer: the jars now live in lib/.
  await rm(path.join(tmp, 'm2'), { recursive: true, force: true });
  await writeFile(path.join(tmp, 'COMPLETE'), `${new Date().toISOString()}\n`);
  try {
    await rename(tmp, home);
  } catch {
    // Another process finished first; its copy is as good as ours.
    await rm(tmp, { recursive: true, force: true });
    if (!(await isComplete(home))) throw new StartupError(`could not place the Neo4j distribution at ${home}`);
  }
  out.write(`Neo4j ${version}: ${files} files, ${(bytes / 1e6).toFixed(1)} MB downloaded\n`);
}

/**
 * Builds from `source` once per version of its text, into `<home>/<prefix>-<hash>/`, which holds `product` when
 * done. `build` fills a temporary folder that is then renamed into place, so a half-built folder is never found
 * and two processes building at once both end with a complete one. '' when `build` had nothing to build with.
 */
async function buildOnce(home: string, prefix: string, source: string, product: string, build: (dir: string) => Promise<boolean>): Promise<string> {
  const hash = createHash('sha256').update(await readFile(source)).digest('hex').slice(0, 12);
  const dir = path.join(home, `${prefix}-${hash}`);
  if (existsSync(path.join(dir, product))) return dir;
  const tmp = `${dir}.${process.pid}`;
  await mkdir(tmp, { recursive: true });
  let built = false;
  try {
    built = await build(tmp);
  } finally {
    if (!built) await rm(tmp, { recursive: true, force: true });
  }
  if (!built) return '';
  try {
    await rename(tmp, dir);
  } catch {
    // Another process finished first; its copy is as good as ours.
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** Runs a JDK tool, or throws one line saying what failed and why. */
function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const res = spawnSync(tool, args, { encoding: 'utf8', env });
  if (res.status !== 0) throw new StartupError(`${what} failed: ${String(res.stderr || res.stdout).trim().split('\n')[0]}`);
}

/** Compiles Launcher.java once per source version; falls back to running the source file when javac is absent. */
function ensureLauncherCompiled(home: string, libDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  return buildOnce(home, 'launcher', LAUNCHER_SOURCE, 'Launcher.class', async (dir) => {
    const javac = findTool('javac', env);
    if (!javac) return false; // run the source file directly (JEP 330)
    runTool(javac, ['-cp', path.join(libDir, '*'), '-d', dir, LAUNCHER_SOURCE], env, 'compiling the Neo4j launcher');
    return true;
  });
}

/**
 * Builds Ripple's plugin jar once per source version, into `<home>/plugin-<hash>/`. Without a JDK (javac and
 * jar) there is no plugin and Ripple uses plain Cypher for what the plugin does faster.
 */
function ensurePluginBuilt(home: string, libDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  return buildOnce(home, 'plugin', PLUGIN_SOURCE, PLUGIN_JAR, async (dir) => {
    const javac = findTool('javac', env);
    const jar = env.JAVA_HOME && existsSync(path.join(env.JAVA_HOME, 'bin', 'jar')) ? path.join(env.JAVA_HOME, 'bin', 'jar') : 'jar';
    if (!javac || spawnSync(jar, ['--version'], { env }).status !== 0) return false;
    const classes = path.join(dir, 'classes');
    await mkdir(classes, { recursive: true });
    runTool(javac, ['-proc:none', '-cp', path.join(libDir, '*'), '-d', classes, PLUGIN_SOURCE], env, "compiling Ripple's Neo4j plugin");
    runTool(jar, ['--create', '--file', path.join(dir, PLUGIN_JAR), '-C', classes, '.'], env, "packing Ripple's Neo4j plugin");
    await rm(classes, { recursive: true, force: true });
    return true;
  });
}

export function launcherSourcePath(): string {
  return LAUNCHER_SOURCE;
}

/** Size of a folder on disk, for the closing figures. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? await folderBytes(p) : (await stat(p)).size;
  }
  return total;
}
