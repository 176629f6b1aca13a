// Owns what change enablement is configured with, through the API: the catalogue of standard-change models
// (and whether a change stays within one), maintenance windows per service or environment, and freeze windows
// scoped to services, environments or the whole estate.
import { fillTemplate, riskAboveCeiling, RISK_LEVELS, targetsOutsideModel, type RiskLevel, type StandardChangeModel } from '../domain/change/standard-model';
import { maintenanceWindowProblem, type MaintenanceWindow } from '../domain/change/windows';
import type { ClassModel } from '../domain/class-model/types';
import { mintId } from '../domain/ci/identity';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Db, Tx } from '../neo4j/db';
import {
  createMaintenanceWindow,
  createStandardModel,
  deleteMaintenanceWindow,
  maintenanceWindows,
  standardModels,
  updateStandardModel,
} from '../neo4j/repositories/change-catalogue-repository';
import { cisByIds } from '../neo4j/repositories/ci-repository';
import { createFreezeWindow, freezeWindows, type ChangeRecord, type FreezeWindowRecord } from '../neo4j/repositories/itsm-repository';
import type { ChangeAssessment } from './change-assessment';

export type StandardModelInput = Omit<StandardChangeModel, 'id' | 'active'> & { active?: boolean | null };
export type MaintenanceWindowInput = Omit<MaintenanceWindow, 'id'>;
export interface FreezeWindowInput {
  name: string;
  start: string;
  end: string;
  serviceIds: string[];
  environments: string[];
}

const MAX_LIST = 200;
const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9]{0,59}$/;

function requireName(name: string): string {
  const n = name.trim();
  if (!n) throw new ValidationError('name', 'must not be empty');
  if (n.length > 200) throw new ValidationError('name', 'must be at most 200 characters');
  return n;
}

function bounded<T>(list: T[], field: string): T[] {
  if (list.length > MAX_LIST) throw new ValidationError(field, `at most ${MAX_LIST} entries`);
  return list;
}

export class ChangeCatalogue {
  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
  ) {}

  // --- standard-change models

  private checkModel(input: StandardModelInput): StandardModelInput {
    const classes = bounded(input.classes, 'classes');
    if (!classes.length) throw new ValidationError('classes', 'name at least one class the model covers');
    const unknown = classes.find((c) => !this.model.has(c));
    if (unknown) throw new ValidationError('classes', `${unknown} is not a class of the class model`);
    if (!(RISK_LEVELS as readonly string[]).includes(input.riskCeiling)) throw new ValidationError('riskCeiling', `must be one of ${RISK_LEVELS.join(', ')}`);
    const fields = bounded(input.templateFields, 'templateFields');
    const bad = fields.find((f) => !FIELD_NAME.test(f.name));
    if (bad) throw new ValidationError('templateFields', `"${bad.name}" is not a field name (a letter, then letters or digits)`);
    if (new Set(fields.map((f) => f.name)).size !== fields.length) throw new ValidationError('templateFields', 'field names must be distinct');
    return { ...input, name: requireName(input.name), environments: bounded(input.environments, 'environments') };
  }

  async createModel(input: StandardModelInput, actor: string): Promise<string> {
    const m = this.checkModel(input);
    const id = mintId('scm');
    await this.db.write(async (tx) => {
      if ((await standardModels(tx, null)).some((x) => x.name === m.name)) throw new ConflictError(`a standard-change model named "${m.name}" exists`, 'name');
      await createStandardModel(tx, { ...m, id, description: m.description ?? null, active: m.active ?? true }, actor);
    });
    return id;
  }

  async updateModel(id: string, input: StandardModelInput, actor: string): Promise<void> {
    const m = this.checkModel(input);
    const found = await this.db.write((tx) => updateStandardModel(tx, { ...m, id, description: m.description ?? null, active: m.active ?? true }, actor));
    if (!found) throw new NotFoundError('standard-change model', id);
  }

  models(ids: string[] | null = null): Promise<StandardChangeModel[]> {
    return this.db.read((tx) => standardModels(tx, ids));
  }

  async modelIn(tx: Tx, id: string): Promise<StandardChangeModel> {
    const [m] = await standardModels(tx, [id]);
    if (!m) throw new NotFoundError('standard-change model', id, 'standardModelId');
    return m;
  }

  async requireWithinModel(tx: Tx, m: StandardChangeModel, targetIds: string[]): Promise<void> {
    const cis = await cisByIds(tx, targetIds);
    const facts = [...cis.values()].map((c) => ({ id: c.id, name: c.name, classPath: this.model.labelsFor(c.className), environment: c.environment }));
    const reasons = targetsOutsideModel(m, facts);
    if (reasons.length) throw new ValidationError('targetIds', `outside standard-change model "${m.name}": ${reasons.join('; ')}`);
  }

  template(m: StandardChangeModel, given: Record<string, string>): Record<string, string> {
    const { values, missing } = fillTemplate(m, given);
    if (missing.length) throw new ValidationError('templateValues', `model "${m.name}" needs ${missing.join(', ')}`);
    return values;
  }

  /** A standard change assessed above its model's ceiling is no longer standard: refused with the reason. */
  async requireUnderCeiling(c: ChangeRecord, a: ChangeAssessment): Promise<true> {
    const m = await this.db.read((tx) => this.modelIn(tx, c.standardModelId ?? ''));
    const reasons = [...targetsOutsideModel(m, []), riskAboveCeiling(m, a.risk.level as RiskLevel, a.risk.score)].filter((r): r is string => !!r);
    if (reasons.length) throw new ValidationError('type', reasons.join('; '));
    return true;
  }

  // --- maintenance windows

  private async requireServices(ids: string[], field: string): Promise<void> {
    const known = await this.db.read((tx) => cisByIds(tx, ids));
    const missing = ids.find((i) => !known.has(i));
    if (missing) throw new NotFoundError('CI', missing, field);
  }

  async addMaintenanceWindow(input: MaintenanceWindowInput, actor: string): Promise<string> {
    const name = requireName(input.name);
    const problem = maintenanceWindowProblem(input);
    if (problem) throw new ValidationError(problem.field, problem.reason);
    await this.requireServices(bounded(input.serviceIds, 'serviceIds'), 'serviceIds');
    const id = mintId('mw');
    await this.db.write((tx) => createMaintenanceWindow(tx, { ...input, name, id, environments: bounded(input.environments, 'environments') }, actor));
    return id;
  }

  async removeMaintenanceWindow(id: string): Promise<void> {
    if (!(await this.db.write((tx) => deleteMaintenanceWindow(tx, id)))) throw new NotFoundError('maintenance window', id);
  }

  async maintenanceWindows(serviceId: string | null): Promise<MaintenanceWindow[]> {
    const all = await this.db.read((tx) => maintenanceWindows(tx));
    return serviceId ? all.filter((w) => w.serviceIds.includes(serviceId)) : all;
  }

  // --- freeze windows

  async addFreezeWindow(input: FreezeWindowInput, actor: string): Promise<string> {
    const name = requireName(input.name);
    const s = Date.parse(input.start);
    const e = Date.parse(input.end);
    if (Number.isNaN(s)) throw new ValidationError('start', 'is not a date-time');
    if (Number.isNaN(e) || e <= s) throw new ValidationError('end', 'must be after start');
    await this.requireServices(bounded(input.serviceIds, 'serviceIds'), 'serviceIds');
    const id = mintId('frz');
    const record: FreezeWindowRecord = { id, name, start: new Date(s).toISOString(), end: new Date(e).toISOString(), serviceIds: [...new Set(input.serviceIds)], environments: bounded(input.environments, 'environments'), createdBy: actor };
    await this.db.write((tx) => createFreezeWindow(tx, record));
    return id;
  }

  listFreezeWindows(): Promise<FreezeWindowRecord[]> {
    return this.db.read((tx) => freezeWindows(tx));
  }
}
