// Owns the problem-management API: problems with their lifecycle, incidents and timeline, known errors (searched,
// and shown on incidents touching the same CIs), and explicit moves of incidents. Resolvers map onto ProblemService.
import { PROBLEM_STATUSES } from '../../domain/problem/lifecycle';
import type { ProblemRecord } from '../../neo4j/repositories/problem-repository';
import type { ProblemStep } from '../../services/problems';
import type { ObjectRef } from '@pothos/core';
import type { Builder, BuilderTypes } from '../builder';
import { needs } from '../auth-scopes';
import { MUTATION_ERRORS } from '../common';
import type { Context } from '../context';
import type { CiTypes } from '../ci';
import type { ImpactTypes } from '../impact';
import type { RecordTypes } from './record';

const errors = { types: MUTATION_ERRORS };
const iso = (v: string | null) => v;

export function addProblemTypes(builder: Builder, types: CiTypes, impact: ImpactTypes, records: RecordTypes) {
  const { Incident, RootCause } = impact;
  const ProblemStatus = builder.enumType('ProblemStatus', { values: PROBLEM_STATUSES });
  const Problem = builder.objectRef<ProblemRecord>('Problem').implement({
    description: 'The cause behind one or more incidents, managed from open through known error to closed.',
    fields: (t) => ({
      id: t.exposeID('id'),
      number: t.exposeString('number'),
      title: t.exposeString('title'),
      status: t.field({ type: ProblemStatus, resolve: (p) => p.status as 'OPEN' }),
      createdBy: t.exposeString('createdBy', { nullable: true }),
      createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => iso(p.createdAt) }),
      rootCause: t.exposeString('rootCause', { nullable: true }),
      rootCauseCi: t.field({ type: types.CI, nullable: true, resolve: (p, _a, ctx) => (p.rootCauseCiId ? impact.ci(ctx, p.rootCauseCiId) : null) }),
      workaround: t.exposeString('workaround', { nullable: true, description: 'Set when the problem became a known error.' }),
      knownErrorAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => iso(p.knownErrorAt) }),
      resolution: t.exposeString('resolution', { nullable: true }),
      resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => iso(p.resolvedAt) }),
      resolvedBy: t.exposeString('resolvedBy', { nullable: true }),
      closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => iso(p.closedAt) }),
      closedBy: t.exposeString('closedBy', { nullable: true }),
      ciIds: t.idList({ description: "The CIs of its incidents and its root-cause CI: where its known error applies.", resolve: (p) => p.ciIds }),
      incidents: t.field({ type: [Incident], resolve: async (p, _a, ctx) => Promise.all(p.incidentIds.map((id) => ctx.impact.incident(id))) }),
      rootCauses: t.field({ type: [RootCause], description: 'What its incidents have in common, best explanation first.', resolve: (p, _a, ctx) => ctx.impact.rootCauses(p.incidentIds) }),
      timeline: t.field({ type: [records.RecordEvent], description: 'Every step, oldest first, with actor, time and note.', resolve: (p, _a, ctx) => ctx.impact.problems.timeline(p.id) }),
    }),
  });
  builder.objectField(Incident, 'knownErrors', (t) =>
    t.field({
      type: [Problem],
      description: 'Known errors (with their workaround) on any CI this incident affects.',
      resolve: (i, _a, ctx) => ctx.impact.problems.knownErrors({ text: null, ciIds: i.affected.map((a) => a.id), limit: 20 }),
    }),
  );
  builder.queryFields((t) => ({
    problem: t.field({ ...needs('viewer'), type: Problem, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.impact.problems.find(String(a.id)) }),
    problems: t.field({ ...needs('viewer'), type: [Problem], args: { statuses: t.arg({ type: [ProblemStatus] }) }, resolve: (_r, a, ctx) => ctx.impact.problems.list((a.statuses as string[] | null) ?? []) }),
    knownErrors: t.field({ ...needs('viewer'),
      type: [Problem],
      description: 'Known errors whose title, root cause or workaround mention `text`, and (with ciId) that touch that CI.',
      args: { text: t.arg.string(), ciId: t.arg.id(), limit: t.arg.int({ defaultValue: 50 }) },
      resolve: (_r, a, ctx) => ctx.impact.problems.knownErrors({ text: a.text ?? null, ciIds: a.ciId ? [String(a.ciId)] : null, limit: a.limit ?? 50 }),
    }),
  }));
  addProblemMutations(builder, Problem);
  return { Problem };
}

function addProblemMutations(builder: Builder, Problem: ObjectRef<PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>, ProblemRecord>) {
  const reload = (ctx: Context, id: string) => ctx.impact.problems.get(id);
  const step = (name: string, to: ProblemStep, description: string, takes: ('rootCause' | 'rootCauseCiId' | 'workaround' | 'resolution')[]) =>
    builder.mutationField(name, (t) =>
      t.field({
        ...needs('incident-responder'),
        type: Problem,
        errors,
        description,
        args: {
          id: t.arg.id({ required: true }),
          note: t.arg.string(),
          ...(takes.includes('rootCause') ? { rootCause: t.arg.string() } : {}),
          ...(takes.includes('rootCauseCiId') ? { rootCauseCiId: t.arg.id() } : {}),
          ...(takes.includes('workaround') ? { workaround: t.arg.string({ required: true }) } : {}),
          ...(takes.includes('resolution') ? { resolution: t.arg.string({ required: true }) } : {}),
        },
        resolve: async (_r, a, ctx) => {
          const args = a as Record<string, unknown>;
          const input = Object.fromEntries(takes.map((k) => [k, args[k] === undefined || args[k] === null ? null : String(args[k])]));
          await ctx.impact.problems.advance(String(a.id), to, input, ctx.actor, a.note ?? null);
          return reload(ctx, String(a.id));
        },
      }),
    );
  step('identifyRootCause', 'ROOT_CAUSE_IDENTIFIED', 'Record the confirmed root cause (and optionally its CI).', ['rootCause', 'rootCauseCiId']);
  step('recordKnownError', 'KNOWN_ERROR', 'Make the problem a known error with its workaround (and its root cause, if not identified yet); incidents on the same CIs show it.', ['rootCause', 'rootCauseCiId', 'workaround']);
  step('resolveProblem', 'RESOLVED', 'Resolve the problem, saying how (its known error is retired).', ['resolution']);
  step('closeProblem', 'CLOSED', 'Close a resolved problem.', []);

  builder.mutationFields((t) => ({
    createProblem: t.field({ ...needs('incident-responder'),
      type: Problem,
      errors,
      description: 'Raise a problem over incidents that belong to no other problem (move those explicitly).',
      args: { title: t.arg.string({ required: true }), incidentIds: t.arg.idList({ required: true }), note: t.arg.string() },
      resolve: async (_r, a, ctx) => reload(ctx, await ctx.impact.problems.create(a.title, a.incidentIds.map(String), ctx.actor, a.note ?? null)),
    }),
    addIncidentToProblem: t.field({ ...needs('incident-responder'),
      type: Problem,
      errors,
      description: 'Group an incident that belongs to no problem under this one.',
      args: { problemId: t.arg.id({ required: true }), incidentId: t.arg.id({ required: true }), note: t.arg.string() },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.problems.addIncident(String(a.problemId), String(a.incidentId), ctx.actor, a.note ?? null);
        return reload(ctx, String(a.problemId));
      },
    }),
    moveIncidentToProblem: t.field({ ...needs('incident-responder'),
      type: Problem,
      errors,
      description: 'Move an incident from the problem it is in (named, so no move is silent) to another; returns the target problem.',
      args: { incidentId: t.arg.id({ required: true }), fromProblemId: t.arg.id({ required: true }), toProblemId: t.arg.id({ required: true }), note: t.arg.string() },
      resolve: async (_r, a, ctx) => {
        await ctx.impact.problems.moveIncident(String(a.incidentId), String(a.fromProblemId), String(a.toProblemId), ctx.actor, a.note ?? null);
        return reload(ctx, String(a.toProblemId));
      },
    }),
  }));
}
