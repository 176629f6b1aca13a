// Owns the `localhost` importer command: probe the machine it runs on (host facts and listening processes), map
// it with hostToBatch, print what was found, then send the batch to Ripple as source `localhost`.
//   node --import tsx server/ingest/localhost/cli.ts [--hostname trial-1] [--ports 80,443] [--url ...] [--dry-run]
import { InvalidArgumentError } from 'commander';
import { ingestCommand, listSection, runIngest, runWhenMain, type IngestOptions } from '../cli-common';
import { probeHost } from './probe';
import { hostToBatch } from './to-batch';

export const LOCALHOST_SOURCE = 'localhost';

function portList(value: string): number[] {
  const ports = value.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!ports.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new InvalidArgumentError('expected TCP ports separated by commas, e.g. 80,443');
  }
  return ports;
}

export async function main(argv: string[]): Promise<number> {
  const cmd = ingestCommand('ripple-ingest-localhost', 'Record this machine and its listening processes in Ripple')
    .option('--hostname <name>', 'record the host under this name instead of its own (a FQDN also sets the domain); for trials and tests')
    .option('--domain <domain>', 'DNS domain of the host (default: from the host name, else resolv.conf, else localdomain)')
    .option('--ports <list>', 'only processes listening on these TCP ports, e.g. 80,443', portList)
    .option('--environment <env>', 'Ripple environment: production, staging, test, development, dr')
    .option('--owner <team>', 'owning team (by name) of the host and its processes');
  cmd.parse(argv);
  const opts = cmd.opts<IngestOptions & { hostname?: string; domain?: string; ports?: number[]; environment?: string; owner?: string }>();

  const probe = probeHost();
  const { batch, warnings } = hostToBatch(probe, {
    ...(opts.hostname ? { hostname: opts.hostname } : {}),
    ...(opts.domain ? { domain: opts.domain } : {}),
    ...(opts.ports ? { ports: opts.ports } : {}),
    ...(opts.environment ? { environment: opts.environment } : {}),
    ...(opts.owner ? { owner: opts.owner } : {}),
  });
  const host = batch.items[0]!;
  const a = host.attributes ?? {};
  const procs = batch.items.slice(1);
  process.stdout.write(
    `Host ${String(a.hostname)}.${String(a.domain)} (${host.className}): ${String(a.os)} ${String(a.osVersion)}, ` +
      `${String(a.cpuCount)} CPUs, ${String(a.memoryMb)} MiB${a.ipAddress ? `, ${String(a.ipAddress)}` : ''}\n` +
      `  listening processes: ${procs.length}\n` +
      procs.map((p) => `    ${String(p.attributes?.listeningPort).padStart(5)}  ${String(p.attributes?.executable)}${p.attributes?.user ? ` (${String(p.attributes.user)})` : ''}\n`).join(''),
  );
  process.stdout.write(listSection('Not recorded', warnings));
  // One run per host; a probe of some ports only sees part of the host, so it marks nothing as gone.
  const scoped = { ...opts, ...(opts.ports ? { run: false } : {}) };
  const { code } = await runIngest(scoped, { source: LOCALHOST_SOURCE, ...batch }, LOCALHOST_SOURCE, { scope: `host:${String(a.hostname)}.${String(a.domain)}` });
  return code;
}

runWhenMain(import.meta.url, 'localhost', main);
