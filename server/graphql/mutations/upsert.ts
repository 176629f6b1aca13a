// Owns the bulk upsert that discovery scripts (and the demo seed) use: its input types and the upsertCis mutation.
import type { ClassModel } from '../../domain/class-model/types';
import { upsertBatch, type EndRef } from '../../services/upsert-batch';
import type { Builder } from '../builder';
import { MUTATION_ERRORS, type Common } from '../common';
import { addUpsertOutcomeTypes } from './upsert-outcomes';
import { needsSource } from '../auth-scopes';
import { countIngested } from '../ingest-metrics';

export function addUpsert(builder: Builder, model: ClassModel, common: Common) {
  const { Environment, Lifecycle, RelationshipType } = common;
  const { Payload } = addUpsertOutcomeTypes(builder);
  const CiRefInput = builder.inputType('CiRef', {
    description: 'Names a CI: by `id`, by the `ref` of an item in the same batch, or by class and identification attributes.',
    fields: (t) => ({
      id: t.id(),
      ref: t.string(),
      className: t.string(),
      attributes: t.field({ type: 'JSON' }),
      parentId: t.id({ description: 'For identification within a parent.' }),
    }),
  });
  const UpsertItemInput = builder.inputType('UpsertCiItem', {
    fields: (t) => ({
      ref: t.string({ description: 'A name for this item within the batch, for relationships to point at.' }),
      className: t.string({ required: true }),
      name: t.string({ required: true }),
      environment: t.field({ type: Environment }),
      lifecycle: t.field({ type: Lifecycle }),
      criticality: t.int(),
      description: t.string(),
      owner: t.string({ description: 'Owning team by name.' }),
      attributes: t.field({ type: 'JSON' }),
    }),
  });
  const UpsertRelInput = builder.inputType('UpsertRelationshipItem', {
    fields: (t) => ({
      type: t.field({ type: RelationshipType, required: true }),
      from: t.field({ type: CiRefInput, required: true }),
      to: t.field({ type: CiRefInput, required: true }),
    }),
  });
  const UpsertTeamInput = builder.inputType('UpsertTeamItem', {
    fields: (t) => ({ name: t.string({ required: true }), email: t.string(), onCall: t.string(), slackChannel: t.string() }),
  });
  const UpsertInput = builder.inputType('UpsertCisInput', {
    fields: (t) => ({
      source: t.string({ required: true, description: 'The discovery source, e.g. k8s, aws, backstage.' }),
      dryRun: t.boolean({
        defaultValue: false,
        description:
          'Identify and reconcile, report outcomes, write nothing. A CI it would create gets an id starting `planned:`, which later batches of the same dry run may name.',
      }),
      runId: t.id({ description: 'A RUNNING discovery run of this source: what the batch names counts as seen by it.' }),
      teams: t.field({ type: [UpsertTeamInput] }),
      items: t.field({ type: [UpsertItemInput] }),
      relationships: t.field({ type: [UpsertRelInput] }),
    }),
  });

  const toRef = (r: { id?: string | number | null; ref?: string | null; className?: string | null; attributes?: unknown; parentId?: string | number | null }): EndRef => {
    if (r.id) return { id: String(r.id) };
    if (r.ref) return { ref: r.ref };
    return {
      className: r.className ?? '',
      attributes: (r.attributes as Record<string, unknown> | null) ?? {},
      ...(r.parentId ? { parent: { id: String(r.parentId) } } : {}),
    };
  };

  builder.mutationField('upsertCis', (t) =>
    t.field({
      type: Payload,
      ...needsSource((a: { input: { source: string } }) => a.input.source),
      description:
        'Create or update CIs and relationships from one source in one transaction, idempotently: identification by the class model, reconciliation by source precedence, an outcome per item.',
      errors: { types: MUTATION_ERRORS },
      args: { input: t.arg({ type: UpsertInput, required: true }) },
      resolve: (_r, { input }, ctx) =>
        upsertBatch(
          ctx.db,
          model,
          {
            source: input.source,
            dryRun: input.dryRun ?? false,
            ...(input.runId ? { runId: String(input.runId) } : {}),
            teams: (input.teams ?? []).map((x) => ({ name: x.name, email: x.email ?? null, onCall: x.onCall ?? null, slackChannel: x.slackChannel ?? null })),
            items: (input.items ?? []).map((x) => ({
              ...(x.ref ? { ref: x.ref } : {}),
              className: x.className,
              name: x.name,
              environment: x.environment ?? null,
              lifecycle: x.lifecycle ?? null,
              criticality: x.criticality ?? null,
              description: x.description ?? null,
              owner: x.owner ?? null,
              attributes: (x.attributes as Record<string, unknown> | null) ?? null,
            })),
            relationships: (input.relationships ?? []).map((r) => ({ type: r.type, from: toRef(r.from), to: toRef(r.to) })),
          },
          ctx.actor,
          ctx.limits.maxBatch,
        ).then((result) => countIngested(input.source, result)),
    }),
  );
}
