// Owns the change-request API: the change with its assessments, approvals and timeline; its queries; and one
// mutation per lifecycle step, each taking a note that goes on the timeline. Resolvers only map onto ChangeService.
import type { ApprovalCapacities } from '../../domain/change/approval-policy';
import type { ChangeRecord } from '../../neo4j/repositories/itsm-repository';
import type { CiRow } from '../../neo4j/repositories/rows';
import { CHANGE_TYPES } from '../../services/changes';
import type { EnumRef, ObjectRef } from '@pothos/core';
import { holds, type Role } from '../../domain/auth/roles';
import type { Builder, BuilderTypes } from '../builder';
import type { CatalogueTypes } from './change-catalogue';
import type { addAssessmentTypes } from './assessment';
import { needs } from '../auth-scopes';
import { MUTATION_ERRORS } from '../common';
import type { Context } from '../context';
import type { CiTypes } from '../ci';
import type { ImpactTypes } from '../impact';
import type { RecordTypes } from './record';
import { instantOf } from '../../services/time-travel';
import { ASSESSMENT_COST } from '../cost';

/**
 * One assessment per change and request: `currentAssessment` and `sinceSubmission` on the same change share it
 * (each walks the estate and every overlapping change). Keyed by the record the request loaded, so it is dropped
 * with the request.
 */
const assessments = new WeakMap<ChangeRecord, ReturnType<Context['changes']['assess']>>();
function assessOnce(ctx: Context, c: ChangeRecord): ReturnType<Context['changes']['assess']> {
  let pending = assessments.get(c);
  if (!pending) {
    pending = ctx.changes.assess(c);
    assessments.set(c, pending);
  }
  return pending;
}

type AssessmentTypes = ReturnType<typeof addAssessmentTypes>;
const errors = { types: MUTATION_ERRORS };

export function addChangeTypes(builder: Builder, types: CiTypes, impact: ImpactTypes, assessment: AssessmentTypes, catalogue: CatalogueTypes, records: RecordTypes) {
  const { CI } = types;
  const { Assessment, Diff, Approvals } = assessment;
  const ChangeTypeEnum = builder.enumType('ChangeType', { values: CHANGE_TYPES });
  const ChangeStatusEnum = builder.enumType('ChangeStatus', {
    values: ['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL', 'APPROVED', 'REJECTED', 'SCHEDULED', 'IMPLEMENTED', 'CLOSED', 'CANCELLED'] as const,
  });
  const ChangeOutcome = builder.enumType('ChangeOutcome', { values: ['SUCCESSFUL', 'FAILED', 'BACKED_OUT'] as const });
  const ApprovalCapacitiesType = builder.objectRef<ApprovalCapacities>('ApprovalCapacities').implement({
    fields: (t) => ({
      personally: t.exposeBoolean('personally', { description: 'An approval of their own would count towards the distinct people needed.' }),
      forTeams: t.exposeStringList('forTeams', { description: 'Awaited teams they may approve for (approveChange onBehalfOf).' }),
    }),
  });
  const Change = builder.objectRef<ChangeRecord>('ChangeRequest').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      number: t.exposeString('number'),
      title: t.exposeString('title'),
      description: t.exposeString('description', { nullable: true }),
      type: t.field({ type: ChangeTypeEnum, resolve: (c) => c.type as 'NORMAL' }),
      status: t.field({ type: ChangeStatusEnum, resolve: (c) => c.status as 'DRAFT' }),
      outcome: t.field({ type: ChangeOutcome, nullable: true, resolve: (c) => (c.outcome as 'FAILED' | null) ?? null }),
      plannedStart: t.field({ type: 'DateTime', resolve: (c) => c.plannedStart }),
      plannedEnd: t.field({ type: 'DateTime', resolve: (c) => c.plannedEnd }),
      requestedBy: t.exposeString('requestedBy'),
      approvedBy: t.exposeString('approvedBy', { nullable: true, description: 'Everyone whose approval made it APPROVED, comma-separated.' }),
      decisionNote: t.exposeString('decisionNote', { nullable: true }),
      targets: t.field({ type: [CI], resolve: async (c, _a, ctx) => (await Promise.all(c.targetIds.map((id) => impact.ci(ctx, id)))).filter((x): x is CiRow => !!x) }),
      standardModel: t.field({
        type: catalogue.StandardModel,
        nullable: true,
        description: 'The standard-change model a STANDARD change follows.',
        resolve: async (c, _a, ctx) => (c.standardModelId ? ((await ctx.changes.catalogue.models([c.standardModelId]))[0] ?? null) : null),
      }),
      templateValues: t.field({ type: 'JSON', nullable: true, description: "The model's template fields as this change filled them.", resolve: (c) => (c.templateJson ? (JSON.parse(c.templateJson) as unknown) : null) }),
      approvals: t.field({
        type: Approvals,
        nullable: true,
        description: 'Once submitted (not for standard changes): the approvals the policy needs, who approved, who is awaited.',
        resolve: (c, _a, ctx) => ctx.changes.approvals(c),
      }),
      yourApproval: t.field({
        type: ApprovalCapacitiesType,
        description: 'What the signed-in person may still approve this change as: personally, and for which awaited teams (empty when it is not theirs to approve).',
        resolve: (c, _a, ctx) => ctx.changes.approvalCapacities(c, ctx.actor, holds(ctx.identity, 'change-manager')),
      }),
      timeline: t.field({ type: [records.RecordEvent], description: 'Every step, oldest first: actor, time, note, warnings and what changed.', resolve: (c, _a, ctx) => ctx.changes.timeline(c.id) }),
      submittedAssessment: t.field({
        type: Assessment,
        nullable: true,
        description: 'The assessment stored when the change was submitted (or last marked assessed or edited): what approvers saw.',
        resolve: (c, _a, ctx) => ctx.changes.snapshot(c),
      }),
      currentAssessment: t.field({ type: Assessment, complexity: ASSESSMENT_COST, description: 'Assessed now, against the graph as it is.', resolve: (c, _a, ctx) => assessOnce(ctx, c) }),
      assessmentAsOf: t.field({
        type: Assessment,
        complexity: ASSESSMENT_COST,
        description:
          'Assessed with the blast radius the graph had at a past instant (an incident review sees it as it was); windows, conflicts and past changes are read as they are now.',
        args: { at: t.arg({ type: 'DateTime', required: true }) },
        resolve: (c, a, ctx) => ctx.changes.assess(c, instantOf(a.at)),
      }),
      sinceSubmission: t.field({
        complexity: ASSESSMENT_COST,
        type: Diff,
        nullable: true,
        resolve: async (c, _a, ctx) => {
          const before = ctx.changes.snapshot(c);
          return before ? ctx.changes.diff(before, await assessOnce(ctx, c)) : null;
        },
      }),
    }),
  });

  builder.queryFields((t) => ({
    change: t.field({ ...needs('viewer'), type: Change, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.changes.find(String(a.id)) }),
    changes: t.field({ ...needs('viewer'), type: [Change], args: { statuses: t.arg({ type: [ChangeStatusEnum] }) }, resolve: (_r, a, ctx) => ctx.changes.list((a.statuses as string[] | null) ?? []) }),
  }));
  addChangeMutations(builder, Change, ChangeTypeEnum, ChangeOutcome);
  return { Change };
}

type Types = PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>;
type Outcome = 'SUCCESSFUL' | 'FAILED' | 'BACKED_OUT';

// Whoever may request a change carries it through; only change managers decide and schedule it.
const REQUESTERS: Role[] = ['editor', 'change-manager'];

function addChangeMutations(builder: Builder, Change: ObjectRef<Types, ChangeRecord>, ChangeTypeEnum: EnumRef<Types, (typeof CHANGE_TYPES)[number]>, ChangeOutcome: EnumRef<Types, Outcome>) {
  const ChangeInput = builder.inputType('CreateChangeInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      description: t.string(),
      type: t.field({ type: ChangeTypeEnum, required: true }),
      targetIds: t.idList({ required: true }),
      plannedStart: t.field({ type: 'DateTime', required: true }),
      plannedEnd: t.field({ type: 'DateTime', required: true }),
      standardModelId: t.id({ description: 'Required for a STANDARD change: the model it follows (standardChangeModels).' }),
      templateValues: t.field({ type: 'JSON', description: "Values for the model's template fields by name; missing ones take the model's defaults." }),
    }),
  });
  const EditInput = builder.inputType('EditChangeInput', {
    description: 'What to re-plan; omitted fields keep their value.',
    fields: (t) => ({ targetIds: t.idList(), plannedStart: t.field({ type: 'DateTime' }), plannedEnd: t.field({ type: 'DateTime' }) }),
  });
  const step = (name: string, roles: Role[], description: string, run: (ctx: Context, id: string, note: string | null) => Promise<void>) =>
    builder.mutationField(name, (t) =>
      t.field({
        ...needs(...roles),
        type: Change,
        description,
        errors,
        args: { id: t.arg.id({ required: true }), note: t.arg.string({ description: 'Recorded on the timeline with who and when.' }) },
        resolve: async (_r, a, ctx) => {
          await run(ctx, String(a.id), a.note ?? null);
          return ctx.changes.get(String(a.id));
        },
      }),
    );
  step('assessChange', REQUESTERS, 'Assess now and store the assessment (DRAFT -> ASSESSED).', (ctx, id, note) => ctx.changes.markAssessed(id, ctx.actor, note));
  step('submitChange', REQUESTERS, 'Submit for approval (the window must not have started), storing what approvers will see. A freeze reaching the change is a warning on the timeline. A standard change within its model is pre-approved.', (ctx, id, note) => ctx.changes.submit(id, ctx.actor, note));
  step('rejectChange', ['change-manager'], 'Reject; the requester cannot reject their own change.', (ctx, id, note) => ctx.changes.reject(id, ctx.actor, note));
  step('scheduleChange', ['change-manager'], 'Schedule an approved change (not by its requester).', (ctx, id, note) => ctx.changes.schedule(id, ctx.actor, note));
  step('cancelChange', REQUESTERS, 'Cancel a change that is not yet implemented.', (ctx, id, note) => ctx.changes.cancel(id, ctx.actor, note));

  builder.mutationFields((t) => ({
    createChange: t.field({ ...needs(...REQUESTERS),
      type: Change,
      errors,
      description: 'Draft a change request; whoever creates it is its requester. A STANDARD change names its model and must stay within it.',
      args: { input: t.arg({ type: ChangeInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const templateValues = asStringMap(input.templateValues);
        const id = await ctx.changes.create({ ...input, targetIds: input.targetIds.map(String), description: input.description ?? null, standardModelId: input.standardModelId ? String(input.standardModelId) : null, templateValues }, ctx.actor);
        return ctx.changes.get(id);
      },
    }),
    editChange: t.field({ ...needs(...REQUESTERS),
      type: Change,
      errors,
      description: 'Re-plan the window or targets before approval (requester only): re-assessed, the diff on the timeline; a change awaiting approval returns to ASSESSED.',
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: EditInput, required: true }), note: t.arg.string() },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.edit(String(a.id), { ...a.input, targetIds: a.input.targetIds?.map(String) ?? null }, ctx.actor, a.note ?? null);
        return ctx.changes.get(String(a.id));
      },
    }),
    approveChange: t.field({ ...needs('change-manager'),
      type: Change,
      errors,
      description: 'Approve (not the requester). The change is APPROVED once the approval policy is met; for an owning team, say onBehalfOf.',
      args: { id: t.arg.id({ required: true }), note: t.arg.string(), onBehalfOf: t.arg.string({ description: 'The team (of approvals.needed.teams) this approval speaks for.' }) },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.approve(String(a.id), ctx.actor, a.note ?? null, a.onBehalfOf ?? null);
        return ctx.changes.get(String(a.id));
      },
    }),
    implementChange: t.field({ ...needs(...REQUESTERS),
      type: Change,
      errors,
      description: 'Record implementation, within or after the window; before it only with an earlyStartReason. An emergency change may skip scheduling.',
      args: { id: t.arg.id({ required: true }), note: t.arg.string(), earlyStartReason: t.arg.string() },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.implement(String(a.id), ctx.actor, a.note ?? null, a.earlyStartReason ?? null);
        return ctx.changes.get(String(a.id));
      },
    }),
    closeChange: t.field({ ...needs(...REQUESTERS),
      type: Change,
      errors,
      description: 'Review and close an implemented change with its outcome.',
      args: { id: t.arg.id({ required: true }), outcome: t.arg({ type: ChangeOutcome, required: true }), note: t.arg.string() },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.close(String(a.id), a.outcome, ctx.actor, a.note ?? null);
        return ctx.changes.get(String(a.id));
      },
    }),
  }));
}

function asStringMap(v: unknown): Record<string, string> | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new (MUTATION_ERRORS[0]!)('templateValues', 'must be an object of field names to strings');
  }
  return v as Record<string, string>;
}
