// Owns how a CI's values become a storage write row (labels, search text, provenance, identification keys),
// shared by people's mutations and discovery batches so both store a CI the same way.
import type { AttributeValue, ClassModel } from '../domain/class-model/types';
import { searchText } from '../domain/ci/identity';
import { encodeProvenance } from '../domain/ci/provenance-codec';
import type { CiWriteRow } from '../neo4j/repositories/ci-writes';
import { RESERVED_PROPERTIES, type CiRow } from '../neo4j/repositories/rows';

/** A stored CI's values flat, common fields and class attributes together, as validation and reconciliation see them. */
export function flatValues(row: CiRow): Record<string, AttributeValue> {
  return {
    name: row.name,
    environment: row.environment,
    lifecycle: row.lifecycle,
    criticality: row.criticality,
    description: row.description,
    ...row.attributes,
  };
}

export function ciWriteRow(
  model: ClassModel,
  w: Pick<CiWriteRow, 'id' | 'create' | 'className' | 'set' | 'identKeys' | 'changes' | 'action'> & {
    /** Every value the CI has after the write. */
    all: Record<string, AttributeValue>;
    provenance: Record<string, { source: string; at: string }>;
  },
): CiWriteRow {
  const attrs: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(w.all)) if (!RESERVED_PROPERTIES.has(k) && v !== null) attrs[k] = v;
  return {
    id: w.id,
    create: w.create,
    className: w.className,
    labels: model.labelsFor(w.className).filter((l) => l !== 'CI'),
    set: w.set,
    searchText: searchText(String(w.all.name ?? ''), (w.all.description as string | null) ?? null, attrs),
    provenance: encodeProvenance(w.provenance),
    identKeys: w.identKeys,
    changes: w.changes,
    action: w.action,
  };
}
