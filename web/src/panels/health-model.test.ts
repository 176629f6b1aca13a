import { describe, expect, it } from 'vitest';
import { healthSections, listNote, percent, type Health } from './health-model';

const fig = (key: string, count: number, ciIds: string[] = []) => ({ key, count, ciIds });
const empty: Health = {
  totalCis: 0,
  completenessScore: 1,
  completeness: [],
  staleBySource: [],
  absentRelationshipsBySource: [],
  orphans: fig('orphans', 0),
  unownedServices: fig('unownedServices', 0),
  duplicateConflicts: [],
};

describe('the CMDB health read-out', () => {
  it('keeps every section of a clean CMDB, each saying none, so the reader sees the checks ran', () => {
    const s = healthSections(empty);
    expect(s.map((x) => x.id)).toEqual(['completeness', 'stale', 'absent', 'orphans', 'unowned', 'duplicate']);
    for (const x of s) {
      expect(x.figures).toEqual([]);
      expect(x.none).toMatch(/^None/);
      expect(x.tally).toBe('none');
    }
  });

  it('lists completeness worst first, by CIs missing then by share of the class', () => {
    const s = healthSections({
      ...empty,
      completeness: [
        { className: 'LinuxServer', attribute: 'owner', missing: 3, total: 30, ciIds: ['a'] },
        { className: 'Database', attribute: 'engine', missing: 3, total: 4, ciIds: ['b'] },
        { className: 'Microservice', attribute: 'owner', missing: 9, total: 10, ciIds: ['c'] },
        { className: 'Cluster', attribute: 'criticality', missing: 0, total: 5, ciIds: [] },
      ],
    });
    const c = s.find((x) => x.id === 'completeness')!;
    expect(c.figures.map((f) => f.label)).toEqual(['Microservice.owner', 'Database.engine', 'LinuxServer.owner']);
    expect(c.figures[1]).toMatchObject({ id: 'completeness:Database.engine', summary: '3 of 4 missing', share: 0.75, ciIds: ['b'] });
  });

  it('words each figure with its count and keeps the ids of the CIs behind it', () => {
    const s = healthSections({
      ...empty,
      staleBySource: [fig('k8s', 2, ['x', 'y'])],
      absentRelationshipsBySource: [fig('aws', 1, ['z'])],
      orphans: fig('orphans', 1, ['o']),
      unownedServices: fig('unownedServices', 4, ['s1', 's2', 's3', 's4']),
      duplicateConflicts: [{ key: 'LinuxServer|serialNumber=SN1', source: 'aws', lastSeen: '2024-01-01T00:00:00Z', ciIds: ['p', 'q'], cis: [{ id: 'p', name: 'web-1', className: 'LinuxServer' }, { id: 'q', name: 'web-one', className: 'LinuxServer' }] }],
    });
    const by = Object.fromEntries(s.map((x) => [x.id, x.figures]));
    expect(by.stale).toEqual([expect.objectContaining({ id: 'stale:k8s', summary: '2 stale CIs', ciIds: ['x', 'y'] })]);
    expect(by.absent![0]).toMatchObject({ id: 'absent:aws', summary: '1 absent relationship' });
    expect(by.orphans![0]).toMatchObject({ id: 'orphans', count: 1, summary: '1 orphan' });
    expect(by.unowned![0]).toMatchObject({ id: 'unowned', count: 4, summary: '4 services' });
    expect(Object.fromEntries(s.map((x) => [x.id, x.tally]))).toEqual({
      completeness: 'none', stale: '2 CIs', absent: '1 relationship', orphans: '1 CI', unowned: '4 services', duplicate: '1 open',
    });
    expect(by.duplicate![0]).toMatchObject({ id: 'duplicate:LinuxServer|serialNumber=SN1', label: 'LinuxServer|serialNumber=SN1', detail: 'web-1 ‹LinuxServer› and web-one ‹LinuxServer› · from aws' });
  });

  it('never rounds an incomplete CMDB up to 100%', () => {
    expect(percent(0.9996)).toBe('99.9%');
    expect(percent(1)).toBe('100%');
    expect(percent(0.5)).toBe('50%');
    expect(percent(0.8734)).toBe('87.3%');
  });

  it('says when the list under a figure is a sample of it', () => {
    const f = healthSections({ ...empty, orphans: fig('orphans', 120, Array.from({ length: 50 }, (_, i) => `o${i}`)) })[3]!.figures[0]!;
    expect(listNote(f, 50)).toBe('Showing 50 of 120.');
    expect(listNote({ ...f, count: 2 }, 2)).toBe('2 CIs.');
  });
});
