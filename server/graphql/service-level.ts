// Owns the service level API: setting and removing a service's level, and the period report (availability
// against target, error budget left, burn rate, the incidents that consumed it), services at risk first.
import { PERIODS, type IncidentShare } from '../domain/service-level';
import type { MeasuredServiceLevel } from '../services/service-levels';
import type { Builder } from './builder';
import type { CiTypes } from './ci';
import { needs } from './auth-scopes';
import type { Context } from './context';
import { NotFoundError } from '../errors';
import type { IncidentRecord } from '../neo4j/repositories/itsm-repository';
import { MUTATION_ERRORS } from './common';

const iso = (ms: number) => new Date(ms).toISOString();

/** One query for every incident a page of service levels names (each level lists several). */
async function incidentOf(ctx: Context, id: string): Promise<IncidentRecord> {
  const found = await ctx.loaders.incident.load(id);
  if (!found) throw new NotFoundError('incident', id);
  return found;
}

export function addServiceLevelTypes(builder: Builder, types: CiTypes) {
  const { CI } = types;
  const Period = builder.enumType('ServiceLevelPeriod', { description: 'The calendar period a target applies to, in the level’s time zone.', values: PERIODS });
  const Status = builder.enumType('ServiceLevelStatus', {
    values: {
      BREACHED: { description: 'The period’s downtime reached the error budget.' },
      AT_RISK: { description: 'At most 25% of the budget left, or burning faster than the period allows.' },
      MET: {},
    },
  });
  const Origin = builder.enumType('ServiceLevelOrigin', {
    values: {
      LEVEL: { description: 'Set through setServiceLevel.' },
      ATTRIBUTE: { description: 'Read from the service’s availabilityTarget or sloTarget attribute: monthly, UTC, around the clock.' },
    },
  });
  const Hours = builder.objectRef<{ days: number[]; start: string; end: string }>('ServiceHours').implement({
    description: 'When the service is promised: ISO weekdays (1 Monday ... 7 Sunday) and local clock times; a window may end after midnight.',
    fields: (t) => ({ days: t.exposeIntList('days'), start: t.exposeString('start'), end: t.exposeString('end') }),
  });
  const Share = builder.objectRef<IncidentShare>('ServiceLevelIncident').implement({
    description: 'An incident that consumed error budget; minutes shared with other incidents are split between them.',
    fields: (t) => ({
      incidentId: t.exposeID('incidentId'),
      number: t.string({ resolve: async (s, _a, ctx) => (await incidentOf(ctx, s.incidentId)).number }),
      title: t.string({ resolve: async (s, _a, ctx) => (await incidentOf(ctx, s.incidentId)).title }),
      consumedMinutes: t.exposeFloat('consumedMinutes'),
      share: t.exposeFloat('share', { description: 'Of everything consumed this period (0..1).' }),
    }),
  });
  const Level = builder.objectRef<MeasuredServiceLevel>('ServiceLevel').implement({
    description: 'A service’s availability over one calendar period against its target, measured from incidents’ impact intervals.',
    fields: (t) => ({
      serviceId: t.id({ resolve: (m) => m.level.serviceId }),
      service: t.field({ type: CI, nullable: true, resolve: (m, _a, ctx) => ctx.loaders.ci.load(m.level.serviceId) }),
      name: t.string({ resolve: (m) => m.level.name }),
      origin: t.field({ type: Origin, resolve: (m) => m.level.origin }),
      targetPercent: t.float({ resolve: (m) => m.level.spec.targetPercent }),
      period: t.field({ type: Period, resolve: (m) => m.level.spec.period }),
      timeZone: t.string({ resolve: (m) => m.level.spec.timeZone }),
      serviceHours: t.field({ type: Hours, nullable: true, description: 'Null: around the clock.', resolve: (m) => m.level.spec.serviceHours }),
      degradedWeight: t.float({ description: 'How much a DEGRADED minute counts (a DOWN minute counts 1).', resolve: (m) => m.level.spec.degradedWeight }),
      periodStart: t.field({ type: 'DateTime', resolve: (m) => iso(m.report.period.start) }),
      periodEnd: t.field({ type: 'DateTime', resolve: (m) => iso(m.report.period.end) }),
      serviceMinutes: t.float({ description: 'Promised minutes in the whole period.', resolve: (m) => m.report.serviceMinutes }),
      elapsedServiceMinutes: t.float({ resolve: (m) => m.report.elapsedServiceMinutes }),
      downMinutes: t.float({ description: 'Within service hours; overlapping incidents count once.', resolve: (m) => m.report.downMinutes }),
      degradedMinutes: t.float({ resolve: (m) => m.report.degradedMinutes }),
      consumedMinutes: t.float({ description: 'Down plus weighted degraded minutes.', resolve: (m) => m.report.consumedMinutes }),
      availabilityPercent: t.float({ description: 'Over the service time elapsed in the period.', resolve: (m) => m.report.availabilityPercent }),
      budgetMinutes: t.float({ resolve: (m) => m.report.budgetMinutes }),
      budgetLeftMinutes: t.float({ resolve: (m) => m.report.budgetLeftMinutes }),
      budgetLeftPercent: t.float({ resolve: (m) => m.report.budgetLeftPercent }),
      burnRate: t.float({ description: 'Budget share consumed over period share elapsed: above 1 runs out before the period ends.', resolve: (m) => m.report.burnRate }),
      status: t.field({ type: Status, resolve: (m) => m.report.status }),
      incidents: t.field({ type: [Share], resolve: (m) => m.report.incidents }),
      updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => (m.level.updatedAt ? new Date(m.level.updatedAt).toISOString() : null) }),
      updatedBy: t.string({ nullable: true, resolve: (m) => m.level.updatedBy }),
    }),
  });
  const HoursInput = builder.inputType('ServiceHoursInput', {
    fields: (t) => ({
      days: t.intList({ required: true, description: 'ISO weekdays: 1 Monday ... 7 Sunday.' }),
      start: t.string({ required: true, description: "'HH:MM' local time." }),
      end: t.string({ required: true, description: "'HH:MM' local time; 24:00 ends the day; before start runs past midnight." }),
    }),
  });
  const LevelInput = builder.inputType('ServiceLevelInput', {
    fields: (t) => ({
      targetPercent: t.float({ required: true, description: 'Above 0 and below 100.' }),
      period: t.field({ type: Period, defaultValue: 'MONTH' }),
      timeZone: t.string({ defaultValue: 'UTC', description: 'IANA zone for the period boundaries and service hours.' }),
      serviceHours: t.field({ type: HoursInput, description: 'Omit for around the clock.' }),
      degradedWeight: t.float({ defaultValue: 0, description: 'How much a DEGRADED minute counts against the budget (0..1).' }),
    }),
  });

  builder.queryFields((t) => ({
    serviceLevels: t.field({
      ...needs('viewer'),
      type: [Level],
      description: 'Each service’s period containing `at` (default now), services at risk first.',
      args: {
        at: t.arg({ type: 'DateTime' }),
        serviceIds: t.arg.idList({ description: 'Only these services (at most 1000).' }),
        atRiskOnly: t.arg.boolean({ defaultValue: false }),
        limit: t.arg.int({ defaultValue: 100, description: '1 to 1000.' }),
      },
      resolve: (_r, a, ctx) =>
        ctx.serviceLevels.measure({ at: a.at ?? null, serviceIds: a.serviceIds?.map(String) ?? null, atRiskOnly: a.atRiskOnly ?? false, limit: a.limit ?? 100 }),
    }),
  }));
  builder.mutationFields((t) => ({
    setServiceLevel: t.field({
      ...needs('editor'),
      type: Level,
      errors: { types: MUTATION_ERRORS },
      description: 'Set or replace the service level of a business or application service.',
      args: { serviceId: t.arg.id({ required: true }), input: t.arg({ type: LevelInput, required: true }) },
      resolve: (_r, a, ctx) => ctx.serviceLevels.set(String(a.serviceId), a.input, ctx.actor),
    }),
    removeServiceLevel: t.field({
      ...needs('editor'),
      type: 'Boolean',
      errors: { types: MUTATION_ERRORS },
      description: 'Remove a service level set through the API; false when there was none.',
      args: { serviceId: t.arg.id({ required: true }) },
      resolve: (_r, a, ctx) => ctx.serviceLevels.remove(String(a.serviceId)),
    }),
  }));
}
