// Owns small builders for impact test graphs, so each test reads as the estate it describes.

import type { ImpactEdge, ImpactNode, ImpactReport, ImpactRules, ImpactedCi } from './types.js';

/** The rules schema/classes.yaml gives today (class-model.test.ts checks the model still says so). */
export const RULES: ImpactRules = {
  impacting: new Set(['DEPENDS_ON', 'RUNS_ON', 'HOSTED_ON', 'HAS_MEMBER', 'CONNECTS_TO']),
  membership: new Set(['HAS_MEMBER']),
};

export function ci(id: string, extra: Partial<ImpactNode> = {}): ImpactNode {
  return { id, name: id, className: 'Server', isService: false, criticality: 3, ...extra };
}

export function service(id: string, extra: Partial<ImpactNode> = {}): ImpactNode {
  return ci(id, { className: 'ApplicationService', isService: true, serviceKind: 'application', ...extra });
}

export function needs(from: string, to: string, type = 'DEPENDS_ON', extra: Partial<ImpactEdge> = {}): ImpactEdge {
  return { from, to, type, ...extra };
}

export function members(group: string, ids: readonly string[]): ImpactEdge[] {
  return ids.map((m) => needs(group, m, 'HAS_MEMBER'));
}

export function entry(report: ImpactReport, id: string): ImpactedCi {
  const found = report.impacted.find((c) => c.id === id);
  if (!found) throw new Error(`${id} is not impacted`);
  return found;
}

export function stateOf(report: ImpactReport, id: string): 'DOWN' | 'DEGRADED' | 'OK' {
  return report.impacted.find((c) => c.id === id)?.state ?? 'OK';
}
