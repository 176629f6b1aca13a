import { describe, expect, it } from 'vitest';
import { loadClassModel } from '../class-model/load-class-model';
import { identificationKeys, mintId, missingIdentification, searchText } from './identity';

const model = loadClassModel();

describe('identification keys', () => {
  it('gives a server one key per rule it carries, shared by Linux and Windows servers', () => {
    const linux = identificationKeys(model, 'LinuxServer', { serialNumber: 'SN-1', hostname: 'db-01', domain: 'prod.example.com' });
    const windows = identificationKeys(model, 'WindowsServer', { serialNumber: 'sn-1 ' });
    expect(linux.length).toBeGreaterThanOrEqual(2);
    expect(windows[0]!.key).toBe(linux[0]!.key);
  });

  it('identifies a workload only within its cluster', () => {
    const noParent = identificationKeys(model, 'KubernetesWorkload', { namespace: 'shop', workloadName: 'cart' });
    expect(noParent).toEqual([]);
    const a = identificationKeys(model, 'KubernetesWorkload', { namespace: 'shop', workloadName: 'cart' }, 'ci_a');
    const b = identificationKeys(model, 'KubernetesWorkload', { namespace: 'shop', workloadName: 'cart' }, 'ci_b');
    expect(a[0]!.key).not.toBe(b[0]!.key);
  });
});

describe('search text', () => {
  it('splits dotted and dashed identifiers so a part of a hostname finds the CI', () => {
    const t = searchText('orders db', null, { hostname: 'db-01.prod.example.com', cpuCount: 4 });
    expect(t.split(' ')).toEqual(expect.arrayContaining(['db-01.prod.example.com', 'db', '01', 'prod', 'example']));
  });
});

describe('missing identification', () => {
  it('asks a LinuxServer sent with a hostname for its domain, not for a serial number', () => {
    const m = missingIdentification(model, 'LinuxServer', { name: 'web-01', hostname: 'web-01' });
    expect(m.attribute).toBe('domain');
    expect(m.reason).toMatch(/hostname identifies a LinuxServer only with domain/);
  });

  it('names the first rule when the item carries nothing that identifies it', () => {
    expect(missingIdentification(model, 'LinuxServer', { name: 'web-01' }).attribute).toBe('serialNumber');
  });
});

describe('mintId', () => {
  it('mints ids that sort by the millisecond they were minted in, with 48 random bits that do not repeat', () => {
    const before = Date.now();
    const ids = Array.from({ length: 20_000 }, () => mintId('ci'));
    for (const id of ids) expect(id).toMatch(/^ci_[0-9a-f]{11}[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const ms = parseInt(ids[0]!.slice(3, 14), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    // Minted in order, their time parts never go backwards: ids sort by when they were minted.
    for (let i = 1; i < ids.length; i++) expect(ids[i]!.slice(3, 14) >= ids[i - 1]!.slice(3, 14)).toBe(true);
    // Every hex digit of the random part varies (a fixed digit, such as a UUID's version, would show here).
    for (let i = 14; i < 26; i++) expect(new Set(ids.map((id) => id[i])).size).toBeGreaterThan(8);
  });
});
