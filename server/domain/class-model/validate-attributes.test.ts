import { describe, it, expect } from 'vitest';
import { loadClassModel } from './load-class-model';
import { formatRedundancy, isIpAddress, parseEndpoint, parseRedundancy, validateAttributes } from './validate-attributes';

const model = loadClassModel();

describe('validateAttributes', () => {
  it('accepts a database cluster that survives one node loss (atLeast:2)', () => {
    const res = validateAttributes(model, 'Cluster', { name: 'pg-main', redundancy: 'atLeast:2', clusterType: 'database' });
    expect(res).toEqual({ ok: true, value: { name: 'pg-main', redundancy: 'atLeast:2', clusterType: 'database' } });
  });

  it('normalises redundancy written as YAML-ish objects or with spaces', () => {
    const a = validateAttributes(model, 'Cluster', { name: 'c', redundancy: { atLeast: 2 } });
    const b = validateAttributes(model, 'LoadBalancer', { name: 'lb', redundancy: ' percent: 50 ' });
    expect(a.ok && a.value.redundancy).toBe('atLeast:2');
    expect(b.ok && b.value.redundancy).toBe('percent:50');
  });

  it('rejects a bad redundancy rule naming the redundancy field', () => {
    for (const bad of ['atLeast:0', 'percent:0', 'percent:150', 'most', 'atLeast:1.5', 'all:2']) {
      const res = validateAttributes(model, 'Cluster', { name: 'c', redundancy: bad });
      expect(res.ok, bad).toBe(false);
      if (!res.ok) expect(res.errors.map((e) => e.field)).toEqual(['redundancy']);
    }
  });

  it('coerces numeric strings and enum spelling from discovery sources', () => {
    const res = validateAttributes(model, 'LinuxServer', {
      name: 'web-1', cpuCount: '8', memoryMb: 16384, environment: 'Production', criticality: '2',
      ipAddress: '10.0.0.5', lastBoot: undefined,
    });
    expect(res).toEqual({ ok: true, value: {
      name: 'web-1', cpuCount: 8, memoryMb: 16384, environment: 'production', criticality: 2, ipAddress: '10.0.0.5',
    } });
  });

  it('reports every bad field with a reason, not just the first', () => {
    const res = validateAttributes(model, 'LinuxServer', {
      name: 'web-1', cpuCount: 2.5, ipAddress: '10.0.0.256', criticality: 5, colour: 'blue', environment: 'prod',
    });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.errors.map((e) => e.field).sort()).toEqual(['colour', 'cpuCount', 'criticality', 'environment', 'ipAddress']);
      expect(res.errors.find((e) => e.field === 'colour')?.reason).toMatch(/not an attribute of LinuxServer/);
    }
  });

  it('requires required attributes on create but not on a partial update', () => {
    const create = validateAttributes(model, 'KubernetesWorkload', { name: 'api', namespace: 'shop' });
    expect(create.ok).toBe(false);
    if (!create.ok) expect(create.errors.map((e) => e.field).sort()).toEqual(['kind', 'workloadName']);
    expect(validateAttributes(model, 'KubernetesWorkload', { replicas: 3 }, { partial: true }).ok).toBe(true);
  });

  it('refuses to clear a required attribute even in a partial update', () => {
    const res = validateAttributes(model, 'KubernetesWorkload', { workloadName: '  ' }, { partial: true });
    expect(res.ok).toBe(false);
  });

  it('keeps Ripple-maintained attributes out of writers hands unless asked', () => {
    expect(validateAttributes(model, 'Database', { id: 'x' }, { partial: true }).ok).toBe(false);
    expect(validateAttributes(model, 'Database', { id: 'x' }, { partial: true, allowReadOnly: true }).ok).toBe(true);
  });

  it('checks URLs, datetimes, booleans and string lists', () => {
    const ok = validateAttributes(model, 'Certificate', {
      name: 'shop-tls', notAfter: '2026-01-31T00:00:00Z', subjectAltNames: ['shop.example.com', ' www.example.com '],
    });
    expect(ok).toEqual({ ok: true, value: {
      name: 'shop-tls', notAfter: '2026-01-31T00:00:00.000Z', subjectAltNames: ['shop.example.com', 'www.example.com'],
    } });
    const bad = validateAttributes(model, 'CloudBucket', { name: 'b', versioning: 'yes' }, { partial: true });
    expect(bad.ok).toBe(false);
    const url = validateAttributes(model, 'Application', { name: 'a', repositoryUrl: 'not a url' });
    expect(url.ok || url.errors[0]).toMatchObject({ field: 'repositoryUrl' });
  });

  it('throws for an unknown class rather than reporting every field', () => {
    expect(() => validateAttributes(model, 'Toaster', { name: 'x' })).toThrow(/Toaster/);
  });
});

describe('redundancy rules', () => {
  it('round-trip between text and structure', () => {
    expect(parseRedundancy('all')).toEqual({ kind: 'all' });
    expect(parseRedundancy('any')).toEqual({ kind: 'any' });
    expect(parseRedundancy('atLeast:2')).toEqual({ kind: 'atLeast', k: 2 });
    expect(parseRedundancy('percent:66.6')).toEqual({ kind: 'percent', p: 66.6 });
    for (const s of ['all', 'any', 'atLeast:3', 'percent:50']) expect(formatRedundancy(parseRedundancy(s))).toBe(s);
    expect(() => parseRedundancy('atLeast:0')).toThrow(/atLeast/);
  });
});

describe('isIpAddress', () => {
  it('accepts IPv4 and IPv6 forms and rejects look-alikes', () => {
    for (const ip of ['10.0.0.1', '::1', '::', 'fe80::1', '2001:db8::8a2e:370:7334', '::ffff:192.168.1.1', '1:2:3:4:5:6:7:8']) {
      expect(isIpAddress(ip), ip).toBe(true);
    }
    for (const ip of ['10.0.0', '01.0.0.1', '1.2.3.4.5', '1:2:3:4:5:6:7:8:9', '1::2::3', 'gggg::1', 'host.local', '10.0.0.0/8']) {
      expect(isIpAddress(ip), ip).toBe(false);
    }
  });
});

describe('endpoint attributes', () => {
  it('spells one managed store one way, whatever case or trailing dot a source sends', () => {
    expect(parseEndpoint('Orders-DB.abc123.eu-west-1.RDS.amazonaws.com.:5432')).toBe('orders-db.abc123.eu-west-1.rds.amazonaws.com:5432');
    expect(parseEndpoint('10.0.0.7:6379')).toBe('10.0.0.7:6379');
    expect(parseEndpoint('[FE80::1]:9092')).toBe('[fe80::1]:9092');
  });

  it('refuses what a client could not connect to, naming the attribute', () => {
    for (const bad of ['db.example.com', 'db.example.com:0', 'db.example.com:65536', ':5432', 'db example:5432', 'fe80::1:9092', '[10.0.0.1]:5432', 'a..b:1', `${'a'.repeat(64)}.com:1`]) {
      expect(parseEndpoint(bad), bad).toBeUndefined();
    }
    const r = validateAttributes(model, 'Database', { name: 'orders', databaseName: 'orders', endpoint: 'orders.internal' });
    expect(r.ok ? [] : r.errors).toEqual([{ field: 'endpoint', reason: expect.stringMatching(/host:port/) }]);
  });
});
