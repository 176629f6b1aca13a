// Stored snapshots as a later Ripple meets them: the current form round-trips, the unversioned form an older
// Ripple wrote is upgraded with the rules of its time, and a document altered outside Ripple is a typed error that
// names the record.
import { describe, expect, it } from 'vitest';
import type { ImpactReport } from '../domain/impact';
import type { ChangeAssessment } from './change-assessment';
import { readAssessment, readImpactReport, storeAssessment, storeImpactReport } from './stored-documents';

const db = { id: 'ci_db', name: 'orders-db', className: 'Database', isService: false, state: 'DOWN' as const, criticality: 1, environment: 'production', failed: true, stale: false, distance: 0, paths: [['ci_db']], lowConfidence: false, staleVia: [], ownerTeams: ['dba'] };
const report: ImpactReport = { impacted: [db], services: [], teams: [{ team: 'dba', services: [], cis: ['ci_db'] }], groups: [] };
const assessment: ChangeAssessment = {
  assessedAt: '2026-12-01T10:00:00.000Z',
  rings: [{ distance: 0, cis: [{ id: 'ci_db', name: 'orders-db', className: 'Database', state: 'DOWN', isService: false }] }],
  services: [],
  owners: report.teams,
  redundancyLost: [],
  risk: { score: 30, level: 'MEDIUM', factors: [{ name: 'Impacted criticality', weight: 30, points: 15, detail: 'orders-db (Database) is criticality 1' }] },
  conflicts: [],
  freezeWindows: [],
  impactedCount: 1,
  maintenanceWindows: [],
  fitsMaintenanceWindow: null,
  approvalsNeeded: { riskLevel: 'MEDIUM', approvers: 2, teams: ['dba'] },
};

describe('stored assessment snapshots', () => {
  it('reads back what it stores', () => {
    expect(readAssessment(storeAssessment(assessment), 'CHG-0001')).toEqual(assessment);
  });

  it('upgrades a snapshot stored before versions with the approval rule of its time', () => {
    const { maintenanceWindows: _m, fitsMaintenanceWindow: _f, approvalsNeeded: _a, ...old } = assessment;
    const owners = old.owners.map(({ team, services }) => ({ team, services }));
    const read = readAssessment(JSON.stringify({ ...old, owners }), 'CHG-0002');
    expect(read.approvalsNeeded).toEqual({ riskLevel: 'MEDIUM', approvers: 1, teams: [] });
    expect(read.fitsMaintenanceWindow).toBeNull();
    expect(read.owners).toEqual([{ team: 'dba', services: [], cis: [] }]);
  });

  it('refuses a snapshot altered outside Ripple, naming the change and the field', () => {
    const altered = JSON.parse(storeAssessment(assessment)) as Record<string, unknown>;
    altered.risk = { score: 'high' };
    expect(() => readAssessment(JSON.stringify(altered), 'CHG-0003')).toThrow(/assessment of CHG-0003 cannot be read \(risk\.score/);
    expect(() => readAssessment('{"v":2,', 'CHG-0003')).toThrow(/CHG-0003.*not JSON/);
  });

  it('refuses a snapshot from a newer Ripple instead of misreading it', () => {
    expect(() => readAssessment(JSON.stringify({ ...assessment, v: 3 }), 'CHG-0004')).toThrow(/version 3 is newer/);
  });
});

describe('stored incident impact', () => {
  it('reads back what it stores, and reads the unversioned form too', () => {
    expect(readImpactReport(storeImpactReport(report), 'INC-0001')).toEqual(report);
    expect(readImpactReport(JSON.stringify(report), 'INC-0001')).toEqual(report);
  });

  it('names the incident when its stored impact is not a report', () => {
    expect(() => readImpactReport(JSON.stringify({ ...report, impacted: [{ id: 'x' }] }), 'INC-0002')).toThrow(/impact of INC-0002 cannot be read \(impacted\.0\.name/);
  });
});
