// Owns turning a probe of the local host into one Ripple upsert batch, pure: the host as a Server (LinuxServer,
// WindowsServer) and one Process per listening process, RUNS_ON the host (which identifies it, with its
// executable and main listening port: schema/classes.yaml, Process).
//
// Choices:
// - Server identification needs serialNumber, hostname + domain or cloudInstanceId; without any of them Ripple
//   would create the host again on every run. Serial numbers are root-only and would make `--hostname` trials
//   collide with the real host, so the host is identified by hostname + domain, and a host without a domain gets
//   `localdomain` (the conventional name of "no DNS domain", as in /etc/hosts).
// - The main listening port is the lowest. Pre-forking servers (nginx, postgres) share their listening sockets with
//   their workers: processes with the same executable and main port are one Process, described by the lowest pid
//   (the parent). The pid itself is never stored: it changes on every restart.
// - Command lines can carry secrets (`--password=...`); values of options that look like one are masked.
import type { UpsertBatchInput, UpsertItem, UpsertRelationship } from '../../services/upsert-batch';
import type { HostProbe, ProbedProcess } from './probe';

export interface HostBatchOptions {
  /** Overrides the probed host name (a FQDN also sets the domain). */
  hostname?: string;
  domain?: string;
  environment?: string;
  owner?: string;
  /** Only processes listening on one of these ports. */
  ports?: number[];
}

export interface HostBatch {
  batch: Omit<UpsertBatchInput, 'source'> & { items: UpsertItem[]; relationships: UpsertRelationship[] };
  warnings: string[];
}

export const DEFAULT_DOMAIN = 'localdomain';
const ENVIRONMENTS = ['production', 'staging', 'test', 'development', 'dr'];
const MAX_COMMAND_LINE = 2000;
const SECRET = /(pass(word|wd)?|secret|token|api[-_]?key|credential|auth)/i;

function serverClass(platform: string): { className: string; os: string } {
  switch (platform) {
    case 'linux':
      return { className: 'LinuxServer', os: 'Linux' };
    case 'win32':
      return { className: 'WindowsServer', os: 'Windows' };
    case 'darwin':
      return { className: 'Server', os: 'macOS' };
    default:
      return { className: 'Server', os: platform };
  }
}

/** Masks the value of `--password=x`, `--token x`, `PASSWORD=x`, and `scheme://user:secret@host`. */
export function maskCommandLine(commandLine: string): string {
  const words = commandLine.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!.replace(/(\/\/[^/:@\s]+:)[^@\s/]+@/g, '$1***@');
    const eq = w.indexOf('=');
    if (eq > 0 && SECRET.test(w.slice(0, eq))) w = `${w.slice(0, eq + 1)}***`;
    out.push(w);
    // `--token abc`: the next word is the value.
    if (/^-{1,2}[\w-]+$/.test(w) && SECRET.test(w) && i + 1 < words.length && !words[i + 1]!.startsWith('-')) {
      out.push('***');
      i++;
    }
  }
  const s = out.join(' ');
  return s.length > MAX_COMMAND_LINE ? `${s.slice(0, MAX_COMMAND_LINE - 1)}…` : s;
}

function basename(path: string): string {
  return path.split(/[/\\]/).filter(Boolean).pop() ?? path;
}

export function hostToBatch(probe: HostProbe, opts: HostBatchOptions = {}): HostBatch {
  const warnings = [...probe.warnings];
  let hostname = (opts.hostname ?? probe.hostname).trim();
  let domain = opts.domain?.trim();
  const dot = hostname.indexOf('.');
  if (dot > 0) {
    domain ??= hostname.slice(dot + 1);
    hostname = hostname.slice(0, dot);
  }
  // A --hostname override is another host: the probed domain belongs to this one only when not overridden.
  domain ??= opts.hostname ? undefined : probe.domain;
  domain = (domain ?? DEFAULT_DOMAIN).toLowerCase();
  hostname = hostname.toLowerCase();

  let environment: string | undefined;
  if (opts.environment) {
    if (ENVIRONMENTS.includes(opts.environment.toLowerCase())) environment = opts.environment.toUpperCase();
    else warnings.push(`environment "${opts.environment}" is not one of ${ENVIRONMENTS.join(', ')}: left unset`);
  }
  const common: Partial<UpsertItem> = { ...(environment ? { environment } : {}), ...(opts.owner ? { owner: opts.owner } : {}) };

  const { className, os } = serverClass(probe.platform);
  const rel = probe.osRelease ?? {};
  const attributes: Record<string, unknown> = {
    hostname,
    domain,
    os,
    osVersion: (probe.platform === 'linux' ? rel.VERSION_ID ?? rel.VERSION : undefined) ?? probe.release,
    cpuCount: probe.cpuCount,
    memoryMb: probe.memoryMb,
    ...(probe.ipAddress ? { ipAddress: probe.ipAddress } : {}),
  };
  if (className === 'LinuxServer') {
    const distribution = rel.NAME ?? rel.ID;
    if (distribution) attributes.distribution = distribution;
    attributes.kernelVersion = probe.release;
  }
  const hostRef = 'host';
  const items: UpsertItem[] = [{ ref: hostRef, className, name: hostname, ...common, attributes }];
  const relationships: UpsertRelationship[] = [];

  const wanted = opts.ports?.length ? new Set(opts.ports) : undefined;
  const groups = new Map<string, ProbedProcess[]>();
  for (const p of [...probe.processes].sort((a, b) => a.pid - b.pid)) {
    const ports = wanted ? p.ports.filter((x) => wanted.has(x)) : p.ports;
    if (!ports.length) continue;
    const key = `${p.executable}\0${p.ports[0]}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const [, [p]] of groups) {
    const port = p!.ports[0]!;
    const ref = `process:${p!.executable}:${port}`;
    items.push({
      ref,
      className: 'Process',
      name: `${hostname}/${basename(p!.executable)}:${port}`,
      description: `Listens on ${p!.addresses.join(', ')}`,
      ...common,
      attributes: {
        executable: p!.executable,
        listeningPort: port,
        ...(p!.commandLine ? { commandLine: maskCommandLine(p!.commandLine) } : {}),
        ...(p!.user ? { user: p!.user } : {}),
      },
    });
    relationships.push({ type: 'RUNS_ON', from: { ref }, to: { ref: hostRef } });
  }
  if (wanted) {
    const found = new Set([...groups.values()].flatMap((g) => g.flatMap((p) => p.ports)));
    const missing = [...wanted].filter((x) => !found.has(x));
    if (missing.length) warnings.push(`no readable process listens on ${missing.join(', ')}`);
  }
  return { batch: { items, relationships }, warnings };
}
