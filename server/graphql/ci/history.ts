// Owns the types that show where a CI's values came from and how they changed: provenance and History entries.
import type { HistoryRow } from '../../neo4j/repositories/ci-writes';
import type { Builder } from '../builder';

export function addHistoryTypes(builder: Builder) {
  const AttributeProvenance = builder.objectRef<{ field: string; source: string; at: string }>('AttributeProvenance').implement({
    description: 'Which source last set an attribute, and when.',
    fields: (t) => ({ field: t.exposeString('field'), source: t.exposeString('source'), at: t.field({ type: 'DateTime', resolve: (p) => p.at }) }),
  });
  const FieldChange = builder.objectRef<{ field: string; before: unknown; after: unknown }>('FieldChange').implement({
    fields: (t) => ({
      field: t.exposeString('field'),
      before: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.before ?? null }),
      after: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.after ?? null }),
    }),
  });
  const HistoryEntry = builder.objectRef<HistoryRow>('HistoryEntry').implement({
    description: 'One recorded change: who, from which source, when, and the before/after of each field.',
    fields: (t) => ({
      at: t.field({ type: 'DateTime', resolve: (h) => new Date(h.at).toISOString() }),
      actor: t.exposeString('actor'),
      source: t.exposeString('source'),
      action: t.exposeString('action'),
      changes: t.field({ type: [FieldChange], resolve: (h) => h.changes }),
    }),
  });
  return { AttributeProvenance, HistoryEntry };
}
