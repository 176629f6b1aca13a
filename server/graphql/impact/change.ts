// Owns change requests: the ChangeRequest type, its queries, and the mutations that walk it through its
// lifecycle (draft, assess, submit, approve or reject, schedule, implement, close) and freeze windows.
import type { ChangeRecord } from '../../neo4j/repositories/itsm-repository';
import type { CiRow } from '../../neo4j/repositories/rows';
import { CHANGE_TYPES } from '../../services/changes';
import type { Builder } from '../builder';
import { MUTATION_ERRORS, nullIfNotFound } from '../common';
import type { Context } from '../context';
import type { CiTypes } from '../ci';
import type { addAssessmentTypes } from './assessment';
import { ci } from './report';
import { needs } from '../auth-scopes';
import type { Role } from '../../domain/auth/roles';
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

export function addChangeTypes(builder: Builder, types: CiTypes, assessment: ReturnType<typeof addAssessmentTypes>) {
  const { CI } = types;
  const { FreezeWindow, Assessment, Diff } = assessment;
  const ChangeTypeEnum = builder.enumType('ChangeType', { values: CHANGE_TYPES });
  const ChangeStatusEnum = builder.enumType('ChangeStatus', {
    values: ['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL', 'APPROVED', 'REJECTED', 'SCHEDULED', 'IMPLEMENTED', 'CLOSED', 'CANCELLED'] as const,
  });
  const ChangeOutcome = builder.enumType('ChangeOutcome', { values: ['SUCCESSFUL', 'FAILED', 'BACKED_OUT'] as const });
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
      approvedBy: t.exposeString('approvedBy', { nullable: true }),
      decisionNote: t.exposeString('decisionNote', { nullable: true }),
      targets: t.field({ type: [CI], resolve: async (c, _a, ctx) => (await Promise.all(c.targetIds.map((id) => ci(ctx, id)))).filter((x): x is CiRow => !!x) }),
      submittedAssessment: t.field({
        type: Assessment,
        nullable: true,
        description: 'The assessment stored when the change was submitted (or last marked assessed): what approvers saw.',
        resolve: (c, _a, ctx) => ctx.changes.snapshot(c),
      }),
      currentAssessment: t.field({ type: Assessment, complexity: ASSESSMENT_COST, description: 'Assessed now, against the graph as it is.', resolve: (c, _a, ctx) => assessOnce(ctx, c) }),
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
    change: t.field({ ...needs('viewer'), type: Change, nullable: true, args: { id: t.arg.id({ required: true }) }, resolve: (_r, a, ctx) => ctx.changes.get(String(a.id)).catch(nullIfNotFound) }),
    changes: t.field({ ...needs('viewer'), type: [Change], args: { statuses: t.arg({ type: [ChangeStatusEnum] }) }, resolve: (_r, a, ctx) => ctx.changes.list((a.statuses as string[] | null) ?? []) }),
    freezeWindows: t.field({ ...needs('viewer'), type: [FreezeWindow], resolve: (_r, _a, ctx) => ctx.changes.listFreezeWindows() }),
  }));

  const ChangeInput = builder.inputType('CreateChangeInput', {
    fields: (t) => ({
      title: t.string({ required: true }),
      description: t.string(),
      type: t.field({ type: ChangeTypeEnum, required: true }),
      targetIds: t.idList({ required: true }),
      plannedStart: t.field({ type: 'DateTime', required: true }),
      plannedEnd: t.field({ type: 'DateTime', required: true }),
    }),
  });
  const errors = { types: MUTATION_ERRORS };
  // Whoever may request a change carries it through; only change managers decide and schedule it.
  const REQUESTERS: Role[] = ['editor', 'change-manager'];
  const changeStep = (name: string, roles: Role[], description: string, run: (ctx: Context, id: string, a: Record<string, unknown>) => Promise<void>) => {
    builder.mutationField(name, (t) =>
      t.field({
        type: Change,
        ...needs(...roles),
        description,
        errors,
        args: { id: t.arg.id({ required: true }), note: t.arg.string() },
        resolve: async (_r, a, ctx) => {
          await run(ctx, String(a.id), a as Record<string, unknown>);
          return ctx.changes.get(String(a.id));
        },
      }),
    );
  };

  builder.mutationFields((t) => ({
    createChange: t.field({
      ...needs('editor', 'change-manager'),
      type: Change,
      errors,
      description: 'Draft a change request; whoever creates it is its requester.',
      args: { input: t.arg({ type: ChangeInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const id = await ctx.changes.create({ ...input, targetIds: input.targetIds.map(String), description: input.description ?? null }, ctx.actor);
        return ctx.changes.get(id);
      },
    }),
    createFreezeWindow: t.field({
      ...needs('admin'),
      type: FreezeWindow,
      errors,
      args: { name: t.arg.string({ required: true }), start: t.arg({ type: 'DateTime', required: true }), end: t.arg({ type: 'DateTime', required: true }) },
      resolve: async (_r, a, ctx) => {
        const id = await ctx.changes.addFreezeWindow(a.name, a.start, a.end);
        return (await ctx.changes.listFreezeWindows()).find((f) => f.id === id)!;
      },
    }),
  }));

  changeStep('assessChange', REQUESTERS, 'Assess now and store the assessment (DRAFT -> ASSESSED).', (ctx, id) => ctx.changes.markAssessed(id));
  changeStep('submitChange', REQUESTERS, 'Submit for approval, storing the assessment approvers will see. Standard low-risk changes are pre-approved.', (ctx, id) => ctx.changes.submit(id, ctx.actor));
  changeStep('approveChange', ['change-manager'], 'Approve; the requester cannot approve their own change.', (ctx, id, a) => ctx.changes.decide(id, true, ctx.actor, (a.note as string | null) ?? null));
  changeStep('rejectChange', ['change-manager'], 'Reject; the requester cannot reject their own change.', (ctx, id, a) => ctx.changes.decide(id, false, ctx.actor, (a.note as string | null) ?? null));
  changeStep('scheduleChange', ['change-manager'], 'Schedule an approved change.', (ctx, id) => ctx.changes.schedule(id));
  changeStep('implementChange', REQUESTERS, 'Mark implemented (an emergency change may skip scheduling).', (ctx, id) => ctx.changes.implement(id));
  changeStep('cancelChange', REQUESTERS, 'Cancel a change that is not yet implemented.', (ctx, id) => ctx.changes.cancel(id));
  builder.mutationField('closeChange', (t) =>
    t.field({
      type: Change,
      ...needs(...REQUESTERS),
      errors,
      description: 'Review and close an implemented change with its outcome.',
      args: { id: t.arg.id({ required: true }), outcome: t.arg({ type: ChangeOutcome, required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.close(String(a.id), a.outcome);
        return ctx.changes.get(String(a.id));
      },
    }),
  );
}
