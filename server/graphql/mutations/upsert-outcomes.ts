// Owns what a discovery batch answers: an outcome per item and per relationship, with errors, warnings and counts.
import type { ItemOutcome, RelationshipOutcome, UpsertBatchResult } from '../../services/upsert-batch';
import type { Builder } from '../builder';

export function addUpsertOutcomeTypes(builder: Builder) {
  const OutcomeStatus = builder.enumType('OutcomeStatus', { values: ['CREATED', 'UPDATED', 'UNCHANGED', 'REJECTED'] as const });
  const ItemError = builder.objectRef<{ field: string; reason: string }>('ItemError').implement({
    fields: (t) => ({ field: t.exposeString('field'), reason: t.exposeString('reason') }),
  });
  const ItemOutcomeType = builder.objectRef<ItemOutcome>('CiOutcome').implement({
    fields: (t) => ({
      index: t.exposeInt('index'),
      ref: t.exposeString('ref', { nullable: true }),
      id: t.exposeID('id', { nullable: true }),
      status: t.field({ type: OutcomeStatus, resolve: (o) => o.status }),
      changedFields: t.exposeStringList('changedFields'),
      keptFields: t.exposeStringList('keptFields', { description: 'Fields a more trusted source holds; this value was not applied.' }),
      errors: t.field({ type: [ItemError], resolve: (o) => o.errors }),
      warnings: t.field({
        type: [ItemError],
        description: 'Parts of an accepted item that were not applied, e.g. an owner team that does not exist.',
        resolve: (o) => o.warnings,
      }),
    }),
  });
  const RelOutcomeType = builder.objectRef<RelationshipOutcome>('RelationshipOutcome').implement({
    fields: (t) => ({
      index: t.exposeInt('index'),
      status: t.field({ type: OutcomeStatus, resolve: (o) => o.status }),
      fromId: t.exposeID('from', { nullable: true }),
      toId: t.exposeID('to', { nullable: true }),
      errors: t.field({ type: [ItemError], resolve: (o) => o.errors }),
    }),
  });
  const Counts = builder.objectRef<Record<string, number>>('OutcomeCounts').implement({
    fields: (t) => ({
      created: t.int({ resolve: (c) => c.CREATED ?? 0 }),
      updated: t.int({ resolve: (c) => c.UPDATED ?? 0 }),
      unchanged: t.int({ resolve: (c) => c.UNCHANGED ?? 0 }),
      rejected: t.int({ resolve: (c) => c.REJECTED ?? 0 }),
    }),
  });
  const Payload = builder.objectRef<UpsertBatchResult>('UpsertCisPayload').implement({
    fields: (t) => ({
      dryRun: t.exposeBoolean('dryRun'),
      items: t.field({ type: [ItemOutcomeType], resolve: (r) => r.items }),
      relationships: t.field({ type: [RelOutcomeType], resolve: (r) => r.relationships }),
      counts: t.field({ type: Counts, resolve: (r) => r.counts }),
    }),
  });

  return { Payload };
}
