// Owns the write API: people's mutations on CIs, relationships, owners and teams, and the bulk upsert that
// discovery scripts (and the demo seed) use. Each resolver only maps arguments onto the command services.
import type { ClassModel } from '../domain/class-model/types';
import { upsertBatch, type EndRef, type UpsertBatchResult, type ItemOutcome, type RelationshipOutcome } from '../services/upsert-batch';
import type { CiRow, EdgeRow, TeamRow } from '../neo4j/repositories/rows';
import type { Builder } from './builder';
import { MUTATION_ERRORS, type Common } from './common';
import type { Context } from './context';
import type { CiTypes } from './ci';
import { needs, needsSource } from './auth-scopes';
import { countIngested } from './ingest-metrics';

const PEOPLE = 'manual';

export function addMutations(builder: Builder, model: ClassModel, common: Common, types: CiTypes) {
  const { Environment, Lifecycle, RelationshipType } = common;
  const { CI, Team, Relationship } = types;
  const who = (ctx: Context) => ({ actor: ctx.actor, source: PEOPLE });
  const loadCi = async (ctx: Context, id: string): Promise<CiRow> => {
    ctx.loaders.ci.clear(id);
    return (await ctx.loaders.ci.load(id))!;
  };

  const CiPayload = builder.objectRef<{ ci: CiRow; changedFields?: string[] }>('CiPayload').implement({
    fields: (t) => ({
      ci: t.field({ type: CI, resolve: (p) => p.ci }),
      changedFields: t.stringList({ description: 'Fields this mutation changed (empty when nothing did).', resolve: (p) => p.changedFields ?? [] }),
    }),
  });
  const RelationshipPayload = builder.objectRef<{ relationship: EdgeRow; created: boolean }>('RelationshipPayload').implement({
    fields: (t) => ({
      relationship: t.field({ type: Relationship, resolve: (p) => p.relationship }),
      created: t.exposeBoolean('created', { description: 'False when it already existed.' }),
    }),
  });
  const UnrelatePayload = builder.objectRef<{ fromId: string; toId: string; type: string }>('UnrelatePayload').implement({
    fields: (t) => ({
      fromId: t.exposeID('fromId'),
      toId: t.exposeID('toId'),
      type: t.field({ type: RelationshipType, resolve: (p) => p.type as never }),
    }),
  });
  const TeamPayload = builder.objectRef<{ team: TeamRow }>('TeamPayload').implement({
    fields: (t) => ({ team: t.field({ type: Team, resolve: (p) => p.team }) }),
  });

  const CreateCiInput = builder.inputType('CreateCiInput', {
    fields: (t) => ({
      className: t.string({ required: true, description: 'A concrete class of the class model, e.g. LinuxServer.' }),
      name: t.string({ required: true }),
      environment: t.field({ type: Environment }),
      lifecycle: t.field({ type: Lifecycle }),
      criticality: t.int(),
      description: t.string(),
      ownerTeamId: t.id(),
      parentId: t.id({ description: 'For classes identified within a parent (e.g. a KubernetesWorkload in its cluster).' }),
      attributes: t.field({ type: 'JSON', description: 'Class attributes by name, typed by the class model.' }),
    }),
  });
  const UpdateCiInput = builder.inputType('UpdateCiInput', {
    fields: (t) => ({
      id: t.id({ required: true }),
      name: t.string(),
      environment: t.field({ type: Environment }),
      lifecycle: t.field({ type: Lifecycle }),
      criticality: t.int(),
      description: t.string(),
      attributes: t.field({ type: 'JSON', description: 'Attributes to change; null removes one.' }),
    }),
  });
  const RelateInput = builder.inputType('RelateCisInput', {
    fields: (t) => ({
      fromId: t.id({ required: true, description: 'The CI that needs the other.' }),
      toId: t.id({ required: true }),
      type: t.field({ type: RelationshipType, required: true }),
    }),
  });

  const asObject = (v: unknown, field: string): Record<string, unknown> | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw new (MUTATION_ERRORS[0]!)(field, 'must be an object of attribute names to values');
    }
    return v as Record<string, unknown>;
  };

  builder.mutationFields((t) => ({
    createCi: t.field({
      ...needs('editor'),
      type: CiPayload,
      description: 'Record a new CI. A CI matching its identification rules already exists: ConflictError.',
      errors: { types: MUTATION_ERRORS },
      args: { input: t.arg({ type: CreateCiInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const id = await ctx.commands.createCi(
          {
            className: input.className,
            name: input.name,
            environment: input.environment ?? null,
            lifecycle: input.lifecycle ?? null,
            criticality: input.criticality ?? null,
            description: input.description ?? null,
            attributes: asObject(input.attributes, 'attributes') ?? null,
            ownerTeamId: input.ownerTeamId ? String(input.ownerTeamId) : null,
            parentId: input.parentId ? String(input.parentId) : null,
          },
          who(ctx),
        );
        return { ci: await loadCi(ctx, id) };
      },
    }),
    updateCi: t.field({
      ...needs('editor'),
      type: CiPayload,
      errors: { types: MUTATION_ERRORS },
      args: { input: t.arg({ type: UpdateCiInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const id = String(input.id);
        const { changed } = await ctx.commands.updateCi(
          id,
          {
            ...(input.name !== undefined && input.name !== null ? { name: input.name } : {}),
            ...(input.environment !== undefined ? { environment: input.environment } : {}),
            ...(input.lifecycle !== undefined && input.lifecycle !== null ? { lifecycle: input.lifecycle } : {}),
            ...(input.criticality !== undefined ? { criticality: input.criticality } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            attributes: asObject(input.attributes, 'attributes') ?? null,
          },
          who(ctx),
        );
        return { ci: await loadCi(ctx, id), changedFields: changed };
      },
    }),
    retireCi: t.field({
      ...needs('editor'),
      type: CiPayload,
      description: 'Take a CI out of service. It is kept, with its relationships and history; nothing is deleted.',
      errors: { types: MUTATION_ERRORS },
      args: { id: t.arg.id({ required: true }), reason: t.arg.string() },
      resolve: async (_r, a, ctx) => {
        await ctx.commands.retireCi(String(a.id), a.reason ?? null, who(ctx));
        return { ci: await loadCi(ctx, String(a.id)), changedFields: ['lifecycle'] };
      },
    }),
    relateCis: t.field({
      ...needs('editor'),
      type: RelationshipPayload,
      errors: { types: MUTATION_ERRORS },
      args: { input: t.arg({ type: RelateInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const { created } = await ctx.commands.relate(String(input.fromId), String(input.toId), input.type, who(ctx));
        return {
          created,
          relationship: { from: String(input.fromId), to: String(input.toId), type: input.type, sources: [PEOPLE], absent: false, createdAt: null },
        };
      },
    }),
    unrelateCis: t.field({
      ...needs('editor'),
      type: UnrelatePayload,
      description: 'Remove a relationship (recorded in the history of its source CI).',
      errors: { types: MUTATION_ERRORS },
      args: { input: t.arg({ type: RelateInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        await ctx.commands.unrelate(String(input.fromId), String(input.toId), input.type, who(ctx));
        return { fromId: String(input.fromId), toId: String(input.toId), type: input.type };
      },
    }),
    setOwner: t.field({
      ...needs('editor'),
      type: CiPayload,
      description: 'Make a team the owner of a CI, or clear the owner with teamId null.',
      errors: { types: MUTATION_ERRORS },
      args: { ciId: t.arg.id({ required: true }), teamId: t.arg.id() },
      resolve: async (_r, a, ctx) => {
        await ctx.commands.setOwner(String(a.ciId), a.teamId ? String(a.teamId) : null, who(ctx));
        ctx.loaders.owner.clear(String(a.ciId));
        return { ci: await loadCi(ctx, String(a.ciId)), changedFields: ['owner'] };
      },
    }),
    createTeam: t.field({
      ...needs('admin'),
      type: TeamPayload,
      errors: { types: MUTATION_ERRORS },
      args: {
        name: t.arg.string({ required: true }),
        email: t.arg.string(),
        onCall: t.arg.string(),
        slackChannel: t.arg.string(),
      },
      resolve: async (_r, a, ctx) => {
        const id = await ctx.commands.createTeam(a, who(ctx));
        return { team: (await ctx.loaders.team.load(id))! };
      },
    }),
  }));

  addUpsert(builder, model, common);
}

function addUpsert(builder: Builder, model: ClassModel, common: Common) {
  const { Environment, Lifecycle, RelationshipType } = common;
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
