// Owns reading the machine this runs on: name, OS, CPUs, memory, and which processes listen on which TCP ports
// (from /proc: listening sockets by inode, matched to the processes holding them). Parsing is pure and exported
// for tests; the I/O around it skips whatever it cannot read (other users' processes when not root, a missing
// /proc on macOS) and says so in `warnings`.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export interface TcpSocket {
  /** Local address as text: 1.2.3.4, or an IPv6 address (`::`, `::ffff:127.0.0.1`). */
  address: string;
  port: number;
  /** Kernel TCP state in hex, upper case: 0A is LISTEN. */
  state: string;
  uid: number;
  inode: number;
}

export interface ProbedProcess {
  pid: number;
  /** Path of the executable; from argv[0] or comm when /proc/<pid>/exe is unreadable. */
  executable: string;
  commandLine?: string;
  user?: string;
  /** Listening TCP ports, ascending, IPv4 and IPv6 together. */
  ports: number[];
  addresses: string[];
}

export interface HostProbe {
  hostname: string;
  /** DNS domain from the host name when it is a FQDN, else from /etc/resolv.conf (domain, then first search). */
  domain?: string;
  /** node:os platform: linux, darwin, win32... */
  platform: string;
  /** Kernel release (os.release()). */
  release: string;
  cpuCount: number;
  memoryMb: number;
  /** First non-internal IPv4 address. */
  ipAddress?: string;
  /** /etc/os-release (or /usr/lib/os-release) fields, when present. */
  osRelease?: Record<string, string>;
  processes: ProbedProcess[];
  warnings: string[];
}

export const LISTEN = '0A';

/** Kernel hex (host byte order, 32-bit words) to an address: `0100007F` is 127.0.0.1. */
function hexAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  // Each 32-bit word is printed in the host's (little-endian) byte order.
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) return hex;
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // Shorten the longest run of zero groups to `::`, as people write IPv6.
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1]! && j - i > 1) best = [i, j - i];
    i = j;
  }
  if (best[0]! < 0) return groups.join(':');
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0]! + best[1]!).join(':')}`;
}

/** Rows of /proc/net/tcp or /proc/net/tcp6; the header and malformed lines are skipped. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n')) {
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^\d+:$/.test(f[0]!)) continue;
    const local = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(f[1]!);
    if (!local) continue;
    out.push({
      address: hexAddress(local[1]!),
      port: parseInt(local[2]!, 16),
      state: f[3]!.toUpperCase(),
      uid: Number(f[7]),
      inode: Number(f[9]),
    });
  }
  return out;
}

/** os-release(5): KEY=value lines, values optionally quoted with shell escapes; comments and blanks ignored. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!.trim();
    const q = v[0];
    if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) {
      v = v.slice(1, -1);
      if (q === '"') v = v.replace(/\\([\\$"`])/g, '$1');
    }
    out[m[1]!] = v;
  }
  return out;
}

/** /etc/passwd: uid -> user name. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && f[0] && /^\d+$/.test(f[2]!) && !out.has(Number(f[2]))) out.set(Number(f[2]), f[0]);
  }
  return out;
}

/** The real uid from /proc/<pid>/status. */
export function parseStatusUid(text: string): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The DNS domain from resolv.conf(5): `domain`, else the first `search` entry. */
export function parseResolvDomain(text: string): string | undefined {
  let search: string | undefined;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'domain' && f[1]) return f[1].replace(/\.$/, '');
    if (f[0] === 'search' && f[1] && !search) search = f[1].replace(/\.$/, '');
  }
  return search;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function link(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

export interface ProbeOptions {
  /** For tests: where proc and etc are (default / ). */
  root?: string;
}

/** Which processes hold the listening sockets: /proc/<pid>/fd links read `socket:[inode]`. */
function listeners(proc: string, etc: string, warnings: string[]): ProbedProcess[] {
  const listening = new Map<number, TcpSocket>();
  let sawTable = false;
  for (const file of ['tcp', 'tcp6']) {
    const text = read(join(proc, 'net', file));
    if (text === undefined) continue;
    sawTable = true;
    for (const s of parseProcNetTcp(text)) if (s.state === LISTEN && s.inode > 0) listening.set(s.inode, s);
  }
  if (!sawTable) {
    warnings.push(`no ${join(proc, 'net', 'tcp')}: listening processes not discovered on this platform`);
    return [];
  }
  let pids: number[] = [];
  try {
    pids = readdirSync(proc).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  } catch {
    warnings.push(`cannot list ${proc}: listening processes not discovered`);
    return [];
  }
  const users = parsePasswd(read(join(etc, 'passwd')) ?? '');
  const owned = new Set<number>();
  const out: ProbedProcess[] = [];
  let unreadable = 0;
  for (const pid of pids) {
    const fdDir = join(proc, String(pid), 'fd');
    let fds: string[];
    try {
      fds = readdirSync(fdDir);
    } catch {
      unreadable++;
      continue;
    }
    const sockets: TcpSocket[] = [];
    for (const fd of fds) {
      const m = /^socket:\[(\d+)\]$/.exec(link(join(fdDir, fd)) ?? '');
      const s = m ? listening.get(Number(m[1])) : undefined;
      if (s && !sockets.includes(s)) sockets.push(s);
    }
    if (!sockets.length) continue;
    for (const s of sockets) owned.add(s.inode);
    const base = join(proc, String(pid));
    const argv = (read(join(base, 'cmdline')) ?? '').split('\0').filter(Boolean);
    const exe = link(join(base, 'exe'))?.replace(/ \(deleted\)$/, '');
    const comm = read(join(base, 'comm'))?.trim();
    const executable = exe ?? argv[0] ?? comm;
    if (!executable) {
      unreadable++;
      continue;
    }
    const uid = parseStatusUid(read(join(base, 'status')) ?? '') ?? sockets[0]!.uid;
    out.push({
      pid,
      executable,
      ...(argv.length ? { commandLine: argv.join(' ') } : {}),
      ...(users.has(uid) ? { user: users.get(uid)! } : { user: String(uid) }),
      ports: [...new Set(sockets.map((s) => s.port))].sort((a, b) => a - b),
      addresses: [...new Set(sockets.map((s) => `${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}`))].sort(),
    });
  }
  const orphans = [...listening.values()].filter((s) => !owned.has(s.inode));
  if (orphans.length) {
    const ports = [...new Set(orphans.map((s) => s.port))].sort((a, b) => a - b);
    warnings.push(
      `${ports.length} listening port${ports.length === 1 ? '' : 's'} with no readable process (${ports.join(', ')})` +
        (unreadable ? `: ${unreadable} processes could not be read; run as root to see them` : ''),
    );
  }
  return out;
}

export function probeHost(opts: ProbeOptions = {}): HostProbe {
  const root = opts.root ?? '/';
  const etc = join(root, 'etc');
  const warnings: string[] = [];
  const fqdn = os.hostname();
  const dot = fqdn.indexOf('.');
  const hostname = dot > 0 ? fqdn.slice(0, dot) : fqdn;
  const domain = dot > 0 ? fqdn.slice(dot + 1) : parseResolvDomain(read(join(etc, 'resolv.conf')) ?? '');
  const osReleaseText = read(join(etc, 'os-release')) ?? read(join(root, 'usr', 'lib', 'os-release'));
  let ipAddress: string | undefined;
  for (const addrs of Object.values(os.networkInterfaces())) {
    const a = addrs?.find((x) => x.family === 'IPv4' && !x.internal);
    if (a) {
      ipAddress = a.address;
      break;
    }
  }
  const processes = os.platform() === 'linux' ? listeners(join(root, 'proc'), etc, warnings) : [];
  if (os.platform() !== 'linux') warnings.push(`listening processes are only discovered on Linux, not ${os.platform()}`);
  return {
    hostname,
    ...(domain ? { domain } : {}),
    platform: os.platform(),
    release: os.release(),
    cpuCount: os.cpus().length || 1,
    memoryMb: Math.max(1, Math.floor(os.totalmem() / 1024 ** 2)),
    ...(ipAddress ? { ipAddress } : {}),
    ...(osReleaseText !== undefined ? { osRelease: parseOsRelease(osReleaseText) } : {}),
    processes,
    warnings,
  };
}
