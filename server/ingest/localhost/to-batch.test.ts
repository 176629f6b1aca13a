import { describe, expect, it } from 'vitest';
import { identificationKeys } from '../../domain/ci/identity';
import { loadClassModel } from '../../domain/class-model/load-class-model';
import { validateAttributes } from '../../domain/class-model/validate-attributes';
import type { HostProbe } from './probe';
import { hostToBatch, maskCommandLine } from './to-batch';

const model = loadClassModel();

const probe = (over: Partial<HostProbe> = {}): HostProbe => ({
  hostname: 'web-01',
  domain: 'prod.example.com',
  platform: 'linux',
  release: '6.1.0-18-amd64',
  cpuCount: 8,
  memoryMb: 32_000,
  ipAddress: '10.0.0.5',
  osRelease: { NAME: 'Debian GNU/Linux', VERSION_ID: '12', ID: 'debian' },
  processes: [
    { pid: 900, executable: '/usr/sbin/nginx', commandLine: 'nginx: master process /usr/sbin/nginx', user: 'root', ports: [80, 443], addresses: ['0.0.0.0:443', '0.0.0.0:80'] },
    { pid: 901, executable: '/usr/sbin/nginx', commandLine: 'nginx: worker process', user: 'www-data', ports: [80, 443], addresses: ['0.0.0.0:443', '0.0.0.0:80'] },
    { pid: 500, executable: '/usr/lib/postgresql/15/bin/postgres', commandLine: '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main', user: 'postgres', ports: [5432], addresses: ['127.0.0.1:5432'] },
    { pid: 700, executable: '/usr/bin/node', commandLine: 'node server.js --port 3000', user: 'app', ports: [3000], addresses: ['[::]:3000'] },
    { pid: 701, executable: '/usr/bin/node', commandLine: 'node admin.js', user: 'app', ports: [3001], addresses: ['[::]:3001'] },
  ],
  warnings: [],
  ...over,
});

describe('hostToBatch', () => {
  const { batch, warnings } = hostToBatch(probe(), { environment: 'Production', owner: 'platform' });

  it('describes the host as a LinuxServer identified by hostname and domain', () => {
    expect(batch.items[0]).toEqual({
      ref: 'host',
      className: 'LinuxServer',
      name: 'web-01',
      environment: 'PRODUCTION',
      owner: 'platform',
      attributes: {
        hostname: 'web-01',
        domain: 'prod.example.com',
        os: 'Linux',
        osVersion: '12',
        cpuCount: 8,
        memoryMb: 32_000,
        ipAddress: '10.0.0.5',
        distribution: 'Debian GNU/Linux',
        kernelVersion: '6.1.0-18-amd64',
      },
    });
    expect(warnings).toEqual([]);
  });

  it('makes one Process per listening process, by executable and lowest port, the pre-fork parent describing it', () => {
    const procs = batch.items.filter((i) => i.className === 'Process');
    expect(procs.map((p) => [p.name, p.attributes?.listeningPort, p.attributes?.user])).toEqual([
      ['web-01/postgres:5432', 5432, 'postgres'],
      ['web-01/node:3000', 3000, 'app'],
      ['web-01/node:3001', 3001, 'app'],
      ['web-01/nginx:80', 80, 'root'],
    ]);
    expect(procs.find((p) => p.name === 'web-01/nginx:80')).toMatchObject({
      description: 'Listens on 0.0.0.0:443, 0.0.0.0:80',
      attributes: { executable: '/usr/sbin/nginx', commandLine: 'nginx: master process /usr/sbin/nginx' },
    });
  });

  it('runs every Process on the host (its identification scope), and nothing else', () => {
    expect(batch.relationships).toHaveLength(4);
    for (const r of batch.relationships) expect(r).toMatchObject({ type: 'RUNS_ON', to: { ref: 'host' } });
    expect(new Set(batch.relationships.map((r) => r.from.ref))).toEqual(new Set(batch.items.slice(1).map((i) => i.ref)));
  });

  it('produces items the class model accepts, each with an identification key', () => {
    for (const i of batch.items) {
      const v = validateAttributes(model, i.className, { name: i.name, ...i.attributes }, { partial: false });
      expect(v.ok, `${i.ref}: ${JSON.stringify(v)}`).toBe(true);
      if (v.ok) expect(identificationKeys(model, i.className, v.value, 'ci_parent').length, i.ref).toBeGreaterThan(0);
    }
  });

  it('takes the domain from a FQDN override, and localdomain when an overridden name has none', () => {
    const fq = hostToBatch(probe(), { hostname: 'DB-7.Lab.Example' }).batch.items[0]!;
    expect([fq.name, fq.attributes?.hostname, fq.attributes?.domain]).toEqual(['db-7', 'db-7', 'lab.example']);
    const bare = hostToBatch(probe(), { hostname: 'trial-host' }).batch.items[0]!;
    expect(bare.attributes).toMatchObject({ hostname: 'trial-host', domain: 'localdomain' });
    expect(hostToBatch(probe({ domain: undefined })).batch.items[0]!.attributes?.domain).toBe('localdomain');
    expect(hostToBatch(probe(), { hostname: 'x', domain: 'y.example' }).batch.items[0]!.attributes?.domain).toBe('y.example');
  });

  it('keeps only the processes on --ports, with their usual main port, and says which ports had none', () => {
    const r = hostToBatch(probe(), { ports: [443, 3001, 9999] });
    expect(r.batch.items.map((i) => i.name)).toEqual(['web-01', 'web-01/node:3001', 'web-01/nginx:80']);
    expect(r.warnings).toEqual(['no readable process listens on 9999']);
  });

  it('picks the class by platform', () => {
    const win = hostToBatch(probe({ platform: 'win32', release: '10.0.20348', processes: [] })).batch.items[0]!;
    expect([win.className, win.attributes?.os, win.attributes?.osVersion]).toEqual(['WindowsServer', 'Windows', '10.0.20348']);
    expect(win.attributes).not.toHaveProperty('distribution');
    const mac = hostToBatch(probe({ platform: 'darwin', release: '23.4.0', osRelease: undefined, processes: [] })).batch.items[0]!;
    expect([mac.className, mac.attributes?.os, mac.attributes?.osVersion]).toEqual(['Server', 'macOS', '23.4.0']);
  });

  it('passes probe warnings on and reports an unknown environment', () => {
    const r = hostToBatch(probe({ warnings: ['2 listening ports with no readable process (22, 25)'] }), { environment: 'live' });
    expect(r.warnings).toEqual(['2 listening ports with no readable process (22, 25)', expect.stringMatching(/^environment "live" is not one of/)]);
    expect(r.batch.items[0]).not.toHaveProperty('environment');
  });
});

describe('maskCommandLine', () => {
  it('masks secrets in options, environment-style words and URLs, and leaves the rest', () => {
    expect(maskCommandLine('app --password=hunter2 --port 80')).toBe('app --password=*** --port 80');
    expect(maskCommandLine('app --api-key abc123 -v')).toBe('app --api-key *** -v');
    expect(maskCommandLine('DB_PASSWORD=x psql postgres://bob:s3cret@db:5432/app')).toBe('DB_PASSWORD=*** psql postgres://bob:***@db:5432/app');
    expect(maskCommandLine('node server.js --port 3000')).toBe('node server.js --port 3000');
    expect(maskCommandLine('x'.repeat(3000))).toHaveLength(2000);
  });
});
