// Owns people's mutations on CIs, relationships, owners and teams. Each resolver only maps arguments onto the
// command services and reloads what changed.
import type { CiRow } from '../../neo4j/repositories/rows';
import type { Builder } from '../builder';
import { MUTATION_ERRORS } from '../common';
import type { Context } from '../context';
import type { addCiMutationTypes } from './ci-payloads';
import { needs } from '../auth-scopes';
import { PERSON_SOURCE } from '../../domain/ci/provenance';


export function addCiMutations(builder: Builder, shapes: ReturnType<typeof addCiMutationTypes>) {
  const { CiPayload, RelationshipPayload, UnrelatePayload, TeamPayload, CreateCiInput, UpdateCiInput, RelateInput } = shapes;
  const who = (ctx: Context) => ({ actor: ctx.actor, source: PERSON_SOURCE });
  const loadCi = async (ctx: Context, id: string): Promise<CiRow> => {
    ctx.loaders.ci.clear(id);
    return (await ctx.loaders.ci.load(id))!;
  };

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
        const { changed, warnings } = await ctx.commands.updateCi(
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
        return { ci: await loadCi(ctx, id), changedFields: changed, warnings };
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
          relationship: { from: String(input.fromId), to: String(input.toId), type: input.type, sources: [PERSON_SOURCE], absent: false, createdAt: null },
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
}
