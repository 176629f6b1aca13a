// Owns the API of what change enablement is configured with: the standard-change catalogue, maintenance
// windows and freeze windows. Resolvers only map onto ChangeCatalogue.
import type { StandardChangeModel } from '../../domain/change/standard-model';
import type { Builder } from '../builder';
import type { addAssessmentTypes, WindowTypes } from './assessment';
import { needs } from '../auth-scopes';
import { MUTATION_ERRORS, type Common } from '../common';

const errors = { types: MUTATION_ERRORS };

export function addCatalogueTypes(builder: Builder, common: Common, windows: WindowTypes, assessment: ReturnType<typeof addAssessmentTypes>) {
  const { Environment } = common;
  const { RiskLevel } = assessment;
  const TemplateField = builder.objectRef<StandardChangeModel['templateFields'][number]>('TemplateField').implement({
    fields: (t) => ({ name: t.exposeString('name'), defaultValue: t.exposeString('defaultValue', { nullable: true }) }),
  });
  const StandardModel = builder.objectRef<StandardChangeModel>('StandardChangeModel').implement({
    description: 'A pre-authorised kind of change: what it may target and up to which risk; a STANDARD change names one and stays within it.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      description: t.exposeString('description', { nullable: true }),
      classes: t.exposeStringList('classes', { description: 'Classes (or ancestors of them) its changes may target.' }),
      environments: t.field({ type: [Environment], description: 'Environments its changes may target; empty: any.', resolve: (m) => m.environments as never }),
      riskCeiling: t.field({ type: RiskLevel, description: 'A change assessed above this is refused as standard.', resolve: (m) => m.riskCeiling }),
      templateFields: t.field({ type: [TemplateField], resolve: (m) => m.templateFields }),
      active: t.exposeBoolean('active', { description: 'A retired model (false) admits no new changes.' }),
    }),
  });
  const TemplateFieldInput = builder.inputType('TemplateFieldInput', { fields: (t) => ({ name: t.string({ required: true }), defaultValue: t.string() }) });
  const ModelInput = builder.inputType('StandardChangeModelInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      description: t.string(),
      classes: t.stringList({ required: true }),
      environments: t.field({ type: [Environment], defaultValue: [] }),
      riskCeiling: t.field({ type: RiskLevel, required: true }),
      templateFields: t.field({ type: [TemplateFieldInput], defaultValue: [] }),
      active: t.boolean({ defaultValue: true }),
    }),
  });
  const toModel = (i: typeof ModelInput.$inferInput) => ({
    name: i.name,
    description: i.description ?? null,
    classes: i.classes,
    environments: (i.environments ?? []) as string[],
    riskCeiling: i.riskCeiling,
    templateFields: (i.templateFields ?? []).map((f) => ({ name: f.name, defaultValue: f.defaultValue ?? null })),
    active: i.active ?? true,
  });

  builder.queryFields((t) => ({
    standardChangeModels: t.field({ ...needs('viewer'), type: [StandardModel], description: 'The catalogue of standard-change models.', resolve: (_r, _a, ctx) => ctx.changes.catalogue.models() }),
    freezeWindows: t.field({ ...needs('viewer'), type: [windows.FreezeWindow], resolve: (_r, _a, ctx) => ctx.changes.catalogue.listFreezeWindows() }),
    maintenanceWindows: t.field({ ...needs('viewer'),
      type: [windows.MaintenanceWindow],
      description: 'Configured maintenance windows (all, or those agreed for one service).',
      args: { serviceId: t.arg.id() },
      resolve: (_r, a, ctx) => ctx.changes.catalogue.maintenanceWindows(a.serviceId ? String(a.serviceId) : null),
    }),
  }));
  builder.mutationFields((t) => ({
    createStandardChangeModel: t.field({ ...needs('change-manager'),
      type: StandardModel,
      errors,
      args: { input: t.arg({ type: ModelInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const id = await ctx.changes.catalogue.createModel(toModel(input), ctx.actor);
        return (await ctx.changes.catalogue.models([id]))[0]!;
      },
    }),
    updateStandardChangeModel: t.field({ ...needs('change-manager'),
      type: StandardModel,
      errors,
      description: 'Replace what a model allows (or retire it with active: false); changes already drafted keep their model.',
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: ModelInput, required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.catalogue.updateModel(String(a.id), toModel(a.input), ctx.actor);
        return (await ctx.changes.catalogue.models([String(a.id)]))[0]!;
      },
    }),
    createFreezeWindow: t.field({ ...needs('admin'),
      type: windows.FreezeWindow,
      errors,
      description: 'Freeze changes for some services, some environments, or (neither given) the whole estate.',
      args: {
        name: t.arg.string({ required: true }),
        start: t.arg({ type: 'DateTime', required: true }),
        end: t.arg({ type: 'DateTime', required: true }),
        serviceIds: t.arg.idList({ defaultValue: [] }),
        environments: t.arg({ type: [Environment], defaultValue: [] }),
      },
      resolve: async (_r, a, ctx) => {
        const input = { name: a.name, start: a.start, end: a.end, serviceIds: (a.serviceIds ?? []).map(String), environments: (a.environments ?? []) as string[] };
        const id = await ctx.changes.catalogue.addFreezeWindow(input, ctx.actor);
        return (await ctx.changes.catalogue.listFreezeWindows()).find((f) => f.id === id)!;
      },
    }),
    createMaintenanceWindow: t.field({ ...needs('change-manager'),
      type: windows.MaintenanceWindow,
      errors,
      description: 'Agree a weekly maintenance window (UTC) for some services or environments, or (neither given) the whole estate.',
      args: {
        name: t.arg.string({ required: true }),
        dayOfWeek: t.arg({ type: windows.DayOfWeek, required: true }),
        startMinute: t.arg.int({ required: true, description: 'Minutes past midnight UTC.' }),
        durationMinutes: t.arg.int({ required: true }),
        serviceIds: t.arg.idList({ defaultValue: [] }),
        environments: t.arg({ type: [Environment], defaultValue: [] }),
      },
      resolve: async (_r, a, ctx) => {
        const input = { ...a, dayOfWeek: Number(a.dayOfWeek), serviceIds: (a.serviceIds ?? []).map(String), environments: (a.environments ?? []) as string[] };
        const id = await ctx.changes.catalogue.addMaintenanceWindow(input, ctx.actor);
        return (await ctx.changes.catalogue.maintenanceWindows(null)).find((w) => w.id === id)!;
      },
    }),
    deleteMaintenanceWindow: t.field({ ...needs('change-manager'),
      type: 'ID',
      errors,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, ctx) => {
        await ctx.changes.catalogue.removeMaintenanceWindow(String(a.id));
        return String(a.id);
      },
    }),
  }));
  return { StandardModel };
}

export type CatalogueTypes = ReturnType<typeof addCatalogueTypes>;
