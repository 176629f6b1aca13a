// Owns the Cypher for what change enablement is configured with: the catalogue of standard-change models and
// the maintenance windows agreed per service or environment.
import type { MaintenanceWindow } from '../../domain/change/windows';
import type { StandardChangeModel } from '../../domain/change/standard-model';
import type { Tx } from '../db';
import { readTemplateFields } from './stored-json';
import { fields } from './fields';

export async function createStandardModel(tx: Tx, m: StandardChangeModel, actor: string): Promise<void> {
  await tx.run(
    `CREATE (:StandardChangeModel {id: $id, name: $name, description: $description, classes: $classes,
       environments: $environments, riskCeiling: $riskCeiling, templateFields: $templateFields, active: $active,
       createdBy: $actor, createdAt: datetime()})`,
    { ...m, templateFields: JSON.stringify(m.templateFields), actor },
  );
}

/** Sets what a model allows; returns false when there is no such model. */
export async function updateStandardModel(tx: Tx, m: StandardChangeModel, actor: string): Promise<boolean> {
  const res = await tx.run(
    `MATCH (m:StandardChangeModel {id: $id})
     SET m.name = $name, m.description = $description, m.classes = $classes, m.environments = $environments,
         m.riskCeiling = $riskCeiling, m.templateFields = $templateFields, m.active = $active,
         m.updatedBy = $actor, m.updatedAt = datetime()
     RETURN m.id`,
    { ...m, templateFields: JSON.stringify(m.templateFields), actor },
  );
  return res.records.length > 0;
}

export async function standardModels(tx: Tx, ids: string[] | null): Promise<StandardChangeModel[]> {
  const res = await tx.run(
    `MATCH (m:StandardChangeModel) WHERE $ids IS NULL OR m.id IN $ids
     RETURN m { .id, .name, .description, .classes, .environments, .riskCeiling, .templateFields, .active } AS m ORDER BY m.name`,
    { ids },
  );
  return res.records.map((r) => {
    const m = r.get('m') as StandardChangeModel & { templateFields: string };
    return { ...m, templateFields: readTemplateFields(m.templateFields, m.name) };
  });
}

export async function createMaintenanceWindow(tx: Tx, w: MaintenanceWindow, actor: string): Promise<void> {
  await tx.run(
    `CREATE (:MaintenanceWindow {id: $id, name: $name, dayOfWeek: $dayOfWeek, startMinute: $startMinute,
       durationMinutes: $durationMinutes, serviceIds: $serviceIds, environments: $environments, createdBy: $actor,
       createdAt: datetime()})`,
    { ...w, actor },
  );
}

export async function deleteMaintenanceWindow(tx: Tx, id: string): Promise<boolean> {
  const res = await tx.run('MATCH (w:MaintenanceWindow {id: $id}) DETACH DELETE w RETURN count(*) AS n', { id });
  return Number(res.records[0]!.get('n')) > 0;
}

export async function maintenanceWindows(tx: Tx): Promise<MaintenanceWindow[]> {
  const res = await tx.run(
    `MATCH (w:MaintenanceWindow)
     RETURN w { .id, .name, .dayOfWeek, .startMinute, .durationMinutes, .serviceIds, .environments } AS w
     ORDER BY w.dayOfWeek, w.startMinute, w.name`,
  );
  return res.records.map((r) => {
    const w = fields(r.get('w'), 'maintenance window');
    return {
      id: w.text('id'),
      name: w.text('name'),
      dayOfWeek: w.number('dayOfWeek'),
      startMinute: w.number('startMinute'),
      durationMinutes: w.number('durationMinutes'),
      serviceIds: w.texts('serviceIds'),
      environments: w.texts('environments'),
    };
  });
}
