// Owns how discovery state changes enter the audit trail: a CI going stale or fresh, a relationship going absent
// or present, each as a change on the CI concerned (relationships on the CI they start from).
import type { ChangeSet } from '../neo4j/repositories/ci-writes';
import type { RelKey } from '../neo4j/repositories/discovery-repository';

export function recordDiscoveryStates(
  changes: ChangeSet,
  states: { stale?: readonly string[]; fresh?: readonly string[]; absent?: readonly RelKey[]; present?: readonly RelKey[] },
): ChangeSet {
  for (const id of states.stale ?? []) changes.add(id, 'stale', [{ field: 'stale', before: false, after: true }]);
  for (const id of states.fresh ?? []) changes.add(id, 'fresh', [{ field: 'stale', before: true, after: false }]);
  for (const r of states.absent ?? []) changes.add(r.from, 'absent', [{ field: `${r.type}->${r.to}`, before: 'related', after: 'absent' }]);
  for (const r of states.present ?? []) changes.add(r.from, 'present', [{ field: `${r.type}->${r.to}`, before: 'absent', after: 'related' }]);
  return changes;
}
